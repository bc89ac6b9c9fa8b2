"""Output targets: a clerk's file is never overwritten, the extension fits what is written, and
every command treats a missing folder the same way (`xlsx/ownership.py`)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfeval_xlsx.cli import app
from selfeval_xlsx.xlsx.ownership import Made, mark_of

CLERKS_BYTES = b"PK\x03\x04 the clerk's own workbook, not ours"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def unit(sample: Path, tmp_path: Path) -> Path:
    path = tmp_path / "单位.xlsx"
    shutil.copy(sample, path)
    return path


def refused(code: int, out: str, err: str, *needles: str) -> None:
    assert (code, out) == (2, ""), (code, out, err)
    assert len(err.strip().splitlines()) == 1, err
    for needle in needles:
        assert needle in err, (needle, err)


# ---- each command and its target ----

COMMANDS = {  # command -> (arguments before -o, the extension it writes)
    "template": ([], ".xlsx"),
    "score": (["{unit}"], ".xlsx"),
    "report": (["{unit}"], ".docx"),
    "batch": (["{unit}"], ".xlsx"),
}


def command_args(command: str, unit: Path, target: Path, *extra: str) -> list[str]:
    before, _ = COMMANDS[command]
    return [command, *(a.format(unit=unit) for a in before), "-o", str(target), *extra]


@pytest.mark.parametrize("command", list(COMMANDS))
def test_an_existing_file_not_ours_is_refused_and_untouched(command: str, unit: Path,
                                                              tmp_path: Path) -> None:
    target = tmp_path / ("clerk" + COMMANDS[command][1])
    target.write_bytes(CLERKS_BYTES)
    refused(*run(*command_args(command, unit, target)), str(target), "--force")
    assert target.read_bytes() == CLERKS_BYTES
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, unit.name])


@pytest.mark.parametrize("command", list(COMMANDS))
def test_force_replaces_a_file_not_ours(command: str, unit: Path, tmp_path: Path) -> None:
    target = tmp_path / ("clerk" + COMMANDS[command][1])
    target.write_bytes(CLERKS_BYTES)
    code, _, err = run(*command_args(command, unit, target, "--force"))
    assert code in (0, 1), err
    assert target.read_bytes() != CLERKS_BYTES and mark_of(target) is not None


@pytest.mark.parametrize("command", list(COMMANDS))
def test_our_own_earlier_output_is_replaced(command: str, unit: Path, tmp_path: Path) -> None:
    target = tmp_path / ("ours" + COMMANDS[command][1])
    first = run(*command_args(command, unit, target))
    assert first[0] in (0, 1), first
    again = run(*command_args(command, unit, target))
    assert again[0] == first[0], again


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("suffix", [".xls", ".csv", ".txt"])
def test_a_target_whose_extension_does_not_fit_is_refused(command: str, suffix: str, unit: Path,
                                                          tmp_path: Path) -> None:
    written = COMMANDS[command][1]
    target = tmp_path / ("out" + suffix)
    refused(*run(*command_args(command, unit, target)), str(target), written)
    assert not target.exists()


@pytest.mark.parametrize("command", ["score", "report"])
def test_the_extension_fits_whatever_its_case(command: str, unit: Path, tmp_path: Path) -> None:
    """Windows shows and takes `结果.XLSX` as an .xlsx file: it is written, not refused."""
    target = tmp_path / ("结果" + COMMANDS[command][1].upper())
    code, _, err = run(*command_args(command, unit, target))
    assert code == 0, err
    assert mark_of(target) is (Made.RESULT if command == "score" else Made.REPORT)


@pytest.mark.parametrize("command", ["score", "report"])
def test_the_other_kind_of_file_is_refused(command: str, unit: Path, tmp_path: Path) -> None:
    """A report is not written into an .xlsx name, nor a workbook into a .docx name."""
    wrong = ".docx" if COMMANDS[command][1] == ".xlsx" else ".xlsx"
    refused(*run(*command_args(command, unit, tmp_path / ("out" + wrong))), COMMANDS[command][1])


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_missing_folder_is_named_the_same_way_by_every_command(command: str, unit: Path,
                                                                 tmp_path: Path) -> None:
    folder = tmp_path / "没有的文件夹"
    target = folder / ("out" + COMMANDS[command][1])
    refused(*run(*command_args(command, unit, target)), f"输出文件夹“{folder}”不存在")
    assert not folder.exists()


def test_score_twice_with_the_default_target_replaces_its_own_output(unit: Path) -> None:
    assert run("score", str(unit))[0] == 0
    default = unit.with_name("单位_评分结果.xlsx")
    assert mark_of(default) is Made.RESULT
    assert run("score", str(unit))[0] == 0


def test_a_clerks_file_under_the_default_name_is_not_overwritten(unit: Path) -> None:
    default = unit.with_name("单位_评分结果.xlsx")
    default.write_bytes(CLERKS_BYTES)
    refused(*run("score", str(unit)), str(default))
    assert default.read_bytes() == CLERKS_BYTES


# ---- batch --outputs ----

def test_batch_outputs_never_overwrite_a_clerks_file(unit: Path, tmp_path: Path) -> None:
    outputs = tmp_path / "结果"
    outputs.mkdir()
    clerks = outputs / "单位_评分结果.xlsx"
    clerks.write_bytes(CLERKS_BYTES)
    code, out, _ = run("batch", str(unit), "-o", str(tmp_path / "汇总.xlsx"), "--outputs",
                       str(outputs), "--json", "--jobs", "1")
    (summary,) = json.loads(out)
    assert code == 1 and summary["status"] == "failed" and "--force" in summary["output_error"]
    assert clerks.read_bytes() == CLERKS_BYTES


def test_batch_creates_the_outputs_folder_but_not_the_folders_above_it(unit: Path,
                                                                        tmp_path: Path) -> None:
    summary = str(tmp_path / "汇总.xlsx")
    created = tmp_path / "新建"
    assert run("batch", str(unit), "-o", summary, "--outputs", str(created))[0] == 0
    assert mark_of(created / "单位_评分结果.xlsx") is Made.RESULT
    deep = tmp_path / "没有" / "结果"
    refused(*run("batch", str(unit), "-o", summary, "--force", "--outputs", str(deep)),
            f"输出文件夹“{deep.parent}”不存在")
    assert not deep.parent.exists()


# ---- the mark ----

def test_every_output_carries_the_mark_of_what_it_is(unit: Path, tmp_path: Path) -> None:
    template, result, report, batch = (tmp_path / n for n in ("t.xlsx", "r.xlsx", "b.docx",
                                                              "s.xlsx"))
    run("template", "-o", str(template))
    run("score", str(unit), "-o", str(result))
    run("report", str(unit), "-o", str(report))
    run("batch", str(unit), "-o", str(batch))
    assert [mark_of(p) for p in (template, result, report, batch)] == [
        Made.TEMPLATE, Made.RESULT, Made.REPORT, Made.BATCH]


def test_files_not_ours_have_no_mark(unit: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(CLERKS_BYTES)
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    assert [mark_of(p) for p in (unit, junk, fifo, tmp_path / "absent.xlsx", tmp_path)] == [
        None, None, None, None, None]


def test_a_fifo_as_target_is_refused_without_blocking(unit: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    refused(*run("score", str(unit), "-o", str(fifo)), str(fifo))
