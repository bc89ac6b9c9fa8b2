"""Every case of `hostile_inventory.md`: a clear message, nothing lost, never a traceback."""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hostile_corpus
import hostile_packages
import pytest
from conftest import ROOT
from processes import measured

from selfeval_xlsx.text import one_line

INVENTORY = ROOT / "tests" / "hostile_inventory.md"
NEEDS_LIBREOFFICE = {"ods_file": "ods", "legacy_xls": "xls"}
MAX_SECONDS = 10
MAX_RSS_KB = 300 * 1024  # the promise for any file the guard admits (the tool alone: ~90 MB)
KILL_AFTER_SECONDS = 60  # a run that hangs is stopped (and fails), not waited for
ADDRESS_SPACE_CAP = 3 << 30  # a run that explodes fails with MemoryError, not the machine
BUILDERS = (hostile_corpus, hostile_packages)
pytestmark = pytest.mark.slow  # a subprocess per case, LibreOffice conversions


@dataclass(frozen=True)
class Case:
    name: str
    exit_code: int
    phrase: str
    rules: tuple[str, ...]


def inventory() -> list[Case]:
    """The rows of the inventory's table of files (the first table, headed `| case |`)."""
    lines = INVENTORY.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| case |"))
    table = [line for line in itertools.takewhile(str.strip, lines[start + 2:])]
    rows = [line.split("|")[1:-1] for line in table]
    return [Case(r[0].strip(), int(r[2]), r[3].strip(), tuple(r[4].split())) for r in rows]


def builder(name: str) -> Any:
    return next(getattr(module, name) for module in BUILDERS if hasattr(module, name))


CASES = inventory()


def digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def listing(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")}


def run_measured(args: list[str], folder: Path) -> tuple[int, str, str, float, int]:
    """Run the CLI in a child process; return code, stdout, stderr, seconds, peak RSS (KiB)."""
    run = measured(args, timeout=KILL_AFTER_SECONDS, cap=ADDRESS_SPACE_CAP)
    return run.code, run.stdout.decode(), run.stderr.decode(), run.seconds, run.peak_kib


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, sample: Path,
           libreoffice: Any) -> dict[str, tuple[Path, Path | None, Path]]:
    built: dict[str, tuple[Path, Path | None, Path]] = {}
    for case in CASES:
        folder = tmp_path_factory.mktemp(case.name)
        if case.name in NEEDS_LIBREOFFICE:
            path, out = hostile_corpus.converted(folder, sample, libreoffice,
                                                 NEEDS_LIBREOFFICE[case.name])
        else:
            path, out = builder(case.name)(folder, sample)
        built[case.name] = (path, out, folder)
    return built


def test_inventory_lists_every_builder() -> None:
    names = {c.name for c in CASES}
    assert len(names) == len(CASES) == 45
    assert names - set(NEEDS_LIBREOFFICE) <= {n for m in BUILDERS for n in dir(m)}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(case: Case, corpus: dict[str, tuple[Path, Path | None, Path]]) -> None:
    path, out, folder = corpus[case.name]
    before, files_before = digest(path), listing(folder)
    args = ["score", str(path), *(["-o", str(out)] if out else []), "--json"]
    code, stdout, stderr, seconds, rss = run_measured(args, folder)
    assert code == case.exit_code, stderr
    assert "Traceback" not in stderr and "Traceback" not in stdout
    assert digest(path) == before  # the input is untouched
    assert seconds < MAX_SECONDS and rss < MAX_RSS_KB, (seconds, rss)
    created = listing(folder) - files_before
    if case.exit_code == 2:
        assert stdout == "" and created == set(), created
        line = stderr.strip()
        assert len(line.splitlines()) == 1 and case.phrase in line
        assert one_line(path.name) in line or (out is not None and out.name in line)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in line)
    else:
        result = json.loads(stdout)
        assert set(case.rules) <= {f["rule"] for f in result["findings"]}
        assert [p.name for p in created if not p.is_dir()] == [
            (out or path.with_name(path.stem + "_评分结果.xlsx")).name]
