"""Output safety: clerk text stays text, writes are atomic, a locked output gets a clear message,
the console copes with redirected, piped and GBK output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from fill import fill_rows, header_columns, set_field
from typer.testing import CliRunner

from selfeval_xlsx.api import report_file, score_file
from selfeval_xlsx.cli import app
from selfeval_xlsx.errors import OutputError

FORMULA_LOOKING = ["=1+1", "+1", "-1", "@SUM(A1)", "=HYPERLINK(\"http://x\")"]


@pytest.fixture()
def formula_text_workbook(sample: Path, tmp_path: Path) -> Path:
    book = openpyxl.load_workbook(sample)
    for label, text in (("单位名称", FORMULA_LOOKING[0]), ("下属单位", FORMULA_LOOKING[1]),
                        ("联系人", FORMULA_LOOKING[2]), ("主管部门", FORMULA_LOOKING[3])):
        cell = book["基本信息"][set_field(book["基本信息"], label, text)]
        cell.data_type = "s"  # typed as text in Excel: a string, not a formula
    (row,) = fill_rows(book["重点工作"], "序号", ["重点工作"], [(FORMULA_LOOKING[4],)])
    _, columns = header_columns(book["重点工作"], "序号", ["重点工作"])
    book["重点工作"].cell(row, columns["重点工作"]).data_type = "s"
    path = tmp_path / "formula_text.xlsx"
    book.save(path)
    return path


def test_clerk_text_that_looks_like_a_formula_stays_text(formula_text_workbook: Path,
                                                         tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    score_file(formula_text_workbook, out)
    book = openpyxl.load_workbook(out)
    found = {c.value: c.data_type for ws in book.worksheets for row in ws.iter_rows()
             for c in row if c.value in FORMULA_LOOKING}
    assert set(found) == set(FORMULA_LOOKING)  # every text arrived ...
    assert set(found.values()) == {"s"}  # ... as text, never a formula


def test_report_keeps_formula_looking_text(formula_text_workbook: Path, tmp_path: Path) -> None:
    import docx

    out = tmp_path / "report.docx"
    report_file(formula_text_workbook, out)
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "=1+1" in text


def test_a_locked_output_gets_a_clear_message(sample: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "locked.xlsx"
    score_file(sample, target)  # the tool's own earlier output, now open (locked) in Excel
    before = target.read_bytes()

    def locked(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied", dst)
    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(OutputError) as caught:
        score_file(sample, target)
    assert "Excel/WPS" in caught.value.text.zh and "locked.xlsx" in caught.value.text.zh
    assert target.read_bytes() == before  # not half-overwritten
    assert sorted(p.name for p in tmp_path.iterdir()) == ["locked.xlsx"]  # no temp file left


def test_output_into_a_directory_path_is_exit_2(sample: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out.xlsx"
    folder.mkdir()
    result = CliRunner().invoke(app, ["score", str(sample), "-o", str(folder)])
    assert result.exit_code == 2 and f"输出“{folder}”是一个文件夹" in result.stderr
    assert list(folder.iterdir()) == []


def run_cli(args: list[str], env: dict[str, str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "selfeval_xlsx", *args], env={**os.environ, **env},
                          timeout=60, check=False, **kwargs)  # type: ignore[call-overload, no-any-return]


@pytest.mark.slow
@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "gbk"}, {"NO_COLOR": "1"}, {}])
def test_score_console_to_a_pipe(sample: Path, tmp_path: Path, env: dict[str, str]) -> None:
    done = run_cli(["score", str(sample), "-o", str(tmp_path / "o.xlsx")], env,
                   capture_output=True)
    text = done.stdout.decode(env.get("PYTHONIOENCODING", "utf-8"))
    assert done.returncode == 0 and "99.00" in text and "优" in text and done.stderr == b""
    assert "\x1b[" not in text  # no colour codes in a pipe


@pytest.mark.slow
def test_score_console_to_a_file(sample: Path, tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    with log.open("wb") as stream:
        done = run_cli(["score", str(sample), "-o", str(tmp_path / "o.xlsx")], {}, stdout=stream)
    assert done.returncode == 0 and "总分：99.00" in log.read_text(encoding="utf-8")


@pytest.mark.slow
def test_gbk_console_survives_characters_gbk_lacks(sample: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(sample)
    set_field(book["基本信息"], "单位名称", "湛江市麻章区科工贸和信息化局\u2728\U0001f600")
    path = tmp_path / "emoji.xlsx"
    book.save(path)
    done = run_cli(["score", str(path), "-o", str(tmp_path / "o.xlsx")],
                   {"PYTHONIOENCODING": "gbk"}, capture_output=True)
    assert done.returncode == 0 and b"Traceback" not in done.stderr
    assert "99.00" in done.stdout.decode("gbk")
