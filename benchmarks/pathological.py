"""Pathological inputs: what each costs `selfeval score` in peak memory and time.

    python benchmarks/bench.py --pathological

Each file is built from the sample by `tests/hostile_packages.py` (or `tests/hostile_corpus.py`)
in a temporary folder, then scored once in a child process; the peak RSS comes from `wait4`
(the child's own high-water mark). The promise: every file admitted stays under 300 MB, and
every one ends (findings, or one line at exit 2) within seconds. The time includes the start of
the interpreter and the imports (about 0.7 s on an idle machine).
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "mazhang_2023.xlsx"
sys.path.insert(0, str(ROOT / "tests"))
CASES = (
    ("huge_declared_dimension", "declares A1:XFD1048576, 16,384 column widths"),
    ("huge_column_range", '<col min="-1000000000" max="16384">'),
    ("million_empty_rows", "1,000,000 empty + 1,000,000 formatted empty rows"),
    ("huge_string_table", "150,000 unused shared strings"),
    ("too_many_shared_strings", "250,000 shared strings (refused)"),
    ("formula_chain", "a chain of 5,000 formulas without values"),
    ("formula_doubling", "60 doubling formulas (2^60 unmemoised)"),
    ("most_formula_cells", "99,000 formulas without values"),
    ("most_distinct_texts", "99,000 cells of distinct 4-byte text"),
    ("cell_at_the_last_position", "one cell in XFD1048576"),
    ("whole_sheet_merge", "D10:XFD1048576 merged"),
    ("zip_bomb", "1,100 MiB of zeros deflated to 5 MiB (refused)"),
    ("million_rows", "1,000,000 rows of one cell (refused)"),
)


def builder(name: str) -> Callable[[Path, Path], tuple[Path, Path | None]]:
    import hostile_corpus
    import hostile_packages

    module = hostile_packages if hasattr(hostile_packages, name) else hostile_corpus
    found: Callable[[Path, Path], tuple[Path, Path | None]] = getattr(module, name)
    return found


def measure(path: Path, out: Path) -> tuple[int, float, int]:
    """Exit code, seconds and peak RSS (MiB) of `selfeval score PATH -o OUT`, forked from a
    small wrapper process (`tests/processes.measured`): Linux carries a parent's peak RSS over
    fork and exec, and this process has just built large files."""
    from processes import measured

    run = measured(["score", str(path), "-o", str(out)], timeout=300)
    return run.code, run.seconds, run.peak_kib >> 10


def report() -> None:
    print(f"{'pathological input':<58}{'size':>9}{'exit':>6}{'seconds':>9}{'peak MB':>9}")
    with tempfile.TemporaryDirectory(prefix="selfeval-pathological-") as scratch:
        for name, what in CASES:
            folder = Path(scratch) / name
            folder.mkdir()
            path, out = builder(name)(folder, SAMPLE)
            code, seconds, peak = measure(path, out or folder / "out.xlsx")
            size = f"{path.stat().st_size / 2**20:.1f} MiB"
            print(f"{name + ': ' + what:<58}{size:>9}{code:>6}{seconds:>9.2f}{peak:>9}",
                  flush=True)
            for built in folder.iterdir():
                built.unlink()
    print("  (one child process per file; peak = its own maximum resident set, from wait4)")
