"""Every case of `hostile_inventory.md`: a clear message, nothing lost, never a traceback."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hostile_corpus
import pytest
from conftest import ROOT

INVENTORY = ROOT / "tests" / "hostile_inventory.md"
NEEDS_LIBREOFFICE = {"ods_file": "ods", "legacy_xls": "xls"}
MAX_SECONDS = 10
MAX_RSS_KB = 500 * 1024
pytestmark = pytest.mark.slow  # a subprocess per case, LibreOffice conversions


@dataclass(frozen=True)
class Case:
    name: str
    exit_code: int
    phrase: str
    rules: tuple[str, ...]


def inventory() -> list[Case]:
    rows = [line.split("|")[1:-1] for line in INVENTORY.read_text(encoding="utf-8").splitlines()
            if line.startswith("| ") and not line.startswith("| case")]
    return [Case(r[0].strip(), int(r[2]), r[3].strip(), tuple(r[4].split())) for r in rows]


CASES = inventory()


def digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def listing(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")}


def run_measured(args: list[str], folder: Path) -> tuple[int, str, str, float, int]:
    """Run the CLI in a child process; return code, stdout, stderr, seconds, peak RSS (KiB)."""
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        child = subprocess.Popen([sys.executable, "-m", "selfeval_xlsx", *args], stdout=out,
                                 stderr=err, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        return (os.waitstatus_to_exitcode(status), out.read().decode(), err.read().decode(),
                seconds, usage.ru_maxrss)


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
            path, out = getattr(hostile_corpus, case.name)(folder, sample)
        built[case.name] = (path, out, folder)
    return built


def test_inventory_lists_every_builder() -> None:
    names = {c.name for c in CASES}
    assert len(names) == len(CASES) == 21
    assert names - set(NEEDS_LIBREOFFICE) <= set(dir(hostile_corpus))


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
        assert path.name in line or (out is not None and out.name in line)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in line)
    else:
        result = json.loads(stdout)
        assert set(case.rules) <= {f["rule"] for f in result["findings"]}
        assert [p.name for p in created if not p.is_dir()] == [
            (out or path.with_name(path.stem + "_评分结果.xlsx")).name]
