"""What a fresh interpreter imports for each command (issue 15: a cold start close to the bare
imports). `--help` and `--version` import none of pandas, openpyxl, xlsxwriter; checking and
scoring read with the package's own XML reader, so openpyxl stays out (a file with a shared
formula saved without a value is the one case that needs it), and xlsxwriter only comes in when
a workbook is written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow  # a fresh interpreter per case

HEAVY = ("pandas", "openpyxl", "xlsxwriter")

# Runs `selfeval ARGS` (the console script's `main`) and writes the names of every module
# imported by the time the interpreter exits to the file named in SELFEVAL_MODULES.
CLI = """
import atexit, os, sys
atexit.register(lambda: open(os.environ["SELFEVAL_MODULES"], "w").write("\\n".join(sys.modules)))
sys.argv = ["selfeval", *sys.argv[1:]]
from selfeval_xlsx.cli import main
main()
"""

API_CHECK = """
import os, sys
from pathlib import Path
from selfeval_xlsx import api
result = api.check_file(Path(sys.argv[1]))
assert result.scoring is not None  # it did check and score the workbook
open(os.environ["SELFEVAL_MODULES"], "w").write("\\n".join(sys.modules))
"""


def imported(tmp_path: Path, code: str, *args: str) -> set[str]:
    """The top-level names of the modules a fresh interpreter imported running `code`."""
    report = tmp_path / "modules.txt"
    env = {**os.environ, "SELFEVAL_MODULES": str(report), "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, env=env,
                          timeout=120)
    assert done.returncode in (0, 1), done.stderr.decode("utf-8", "replace")
    names = set(report.read_text().split())
    return names | {name.split(".")[0] for name in names}


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["score", "--help"],
                                  ["check", "--help"]])
def test_help_and_version_import_nothing_heavy(tmp_path: Path, args: list[str]) -> None:
    modules = imported(tmp_path, CLI, *args)
    assert "selfeval_xlsx.cli" in modules  # the command ran in that interpreter
    assert [name for name in HEAVY if name in modules] == []


def test_check_imports_neither_openpyxl_nor_xlsxwriter(tmp_path: Path, sample: Path) -> None:
    modules = imported(tmp_path, CLI, "check", str(sample))
    assert "selfeval_xlsx.checks.sums" in modules and "pandas" in modules  # the totals ran
    assert [name for name in ("openpyxl", "xlsxwriter") if name in modules] == []


def test_check_of_project_workbooks_imports_neither(tmp_path: Path, sample: Path) -> None:
    project = ROOT / "samples" / "project_2023.xlsx"
    alone = imported(tmp_path, CLI, "check", str(project))
    assert "selfeval_xlsx.checks.project" in alone  # read and checked as a project workbook
    fed = imported(tmp_path, CLI, "check", str(sample), "--projects", str(project))
    assert "selfeval_xlsx.scoring.key_projects" in fed
    assert [name for name in ("openpyxl", "xlsxwriter") if name in alone | fed] == []


def test_the_library_check_imports_neither_openpyxl_nor_xlsxwriter(tmp_path: Path,
                                                                   sample: Path) -> None:
    modules = imported(tmp_path, API_CHECK, str(sample))
    assert "selfeval_xlsx.scoring.engine" in modules
    assert [name for name in ("openpyxl", "xlsxwriter") if name in modules] == []


def test_score_writes_with_xlsxwriter_and_reads_without_openpyxl(tmp_path: Path,
                                                                 sample: Path) -> None:
    target = tmp_path / "out.xlsx"
    modules = imported(tmp_path, CLI, "score", str(sample), "-o", str(target))
    assert target.exists()
    assert "xlsxwriter" in modules  # the output workbook is written with it
    assert "openpyxl" not in modules
