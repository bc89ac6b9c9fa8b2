"""The CLI's last boundary: an unexpected error names the file and says to send it to the bureau;
a stopped command prints one line, leaves nothing behind and exits 130 / 143; every error line
stays one line, whatever characters the paths hold."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path
from typing import Any

import hostile_packages
import pytest
from package_edit import append_rows, edit_sheet
from processes import start, wait_until
from typer.testing import CliRunner

from selfeval_xlsx import api
from selfeval_xlsx.cli import app

runner = CliRunner()


def failure(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and result.stdout == ""
    line = result.stderr.strip()
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    return line


def broken(*args: Any, **kwargs: Any) -> Any:
    raise ZeroDivisionError("a bug")


@pytest.mark.parametrize("command", ["check", "score", "report"])
def test_internal_error_names_the_file_and_says_send_it_to_the_bureau(
        command: str, sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "evaluate_workbook", broken)
    source = tmp_path / "麻章 2023.xlsx"
    shutil.copy(sample, source)
    line = failure([command, str(source)])
    assert line.startswith("内部错误（ZeroDivisionError）")
    assert "“麻章 2023.xlsx”" in line and "发送给财政局" in line


def test_internal_error_in_english(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "evaluate_workbook", broken)
    line = failure(["check", str(sample), "--lang", "en"])
    assert line.startswith("Internal error (ZeroDivisionError)")
    assert f'"{sample.name}"' in line and "finance bureau" in line


def test_an_output_path_with_a_newline_stays_one_line(sample: Path, tmp_path: Path) -> None:
    target = tmp_path / "无此\n文件夹" / "结果\r.xlsx"
    line = failure(["score", str(sample), "-o", str(target)])
    assert "无法写入" in line and "无此\\n文件夹" in line and "结果\\r.xlsx" in line


def test_a_scheme_file_with_a_control_character_stays_one_line(sample: Path,
                                                               tmp_path: Path) -> None:
    scheme = tmp_path / "方案\x1b[31m.toml"
    scheme.write_text("not = [valid", encoding="utf-8")
    line = failure(["check", str(sample), "--scheme", str(scheme)])
    assert "\x1b" not in line and "方案\\x1b[31m.toml" in line


# --- stopping a real run -------------------------------------------------------------------


@pytest.fixture(scope="module")
def slow_workbook(tmp_path_factory: pytest.TempPathFactory, sample: Path) -> Path:
    """Seconds of work after the imports: 2,000,000 empty rows to read, then 150 formulas
    summing 10,000 cells each to compute for the output copy."""
    folder = tmp_path_factory.mktemp("slow")
    rows, _ = hostile_packages.million_empty_rows(folder, sample)
    busy = "".join(f'<row r="{r}"><c r="Y{r}"><f>SUM(Z1:Z10000)</f></c></row>'
                   for r in range(10, 160))
    return edit_sheet(rows, folder / "slow.xlsx", "资产管理", lambda xml: append_rows(xml, busy))


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_stopped_score_prints_one_line_and_leaves_nothing(
        slow_workbook: Path, tmp_path: Path, signum: int, code: int) -> None:
    out = tmp_path / "结果.xlsx"
    process = start(["score", str(slow_workbook), "-o", str(out)])
    assert wait_until(lambda: _resident_mib(process.pid) > 60, timeout=30)  # imports done
    time.sleep(0.4)
    os.kill(process.pid, signum)
    _, err = process.communicate(timeout=30)
    assert process.returncode == code, err
    assert err.decode().strip() == "已中断，未写出评分结果。"
    assert list(tmp_path.iterdir()) == []  # no output, no temporary file


def _resident_mib(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * 4096 >> 20
    except (OSError, IndexError, ValueError):
        return 0
