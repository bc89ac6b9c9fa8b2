"""A number cell holding what no float holds as a number (1E400, -1E999, NaN, INF) is read as the
text the file holds: the clerk is shown “1E400” (V002), never inf or nan."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT
from package_edit import edit_sheet

from selfeval_xlsx.api import check_file

SAMPLE = ROOT / "samples" / "mazhang_2023.xlsx"


def _with_b5(value: str, tmp_path: Path) -> Path:
    """The sample with 收支预算!B5 (一般公共预算拨款, 872.25) a number cell holding `value`."""
    def change(xml: str) -> str:
        changed, count = re.subn(r'(<c r="B5"[^>]*>)<v>[^<]*</v>', rf"\g<1><v>{value}</v>", xml)
        assert count == 1
        return changed
    return edit_sheet(SAMPLE, tmp_path / "b5.xlsx", "收支预算", change)


@pytest.mark.parametrize("value", ["1E400", "-1E999", "NaN", "INF", "-inf"])
def test_a_number_past_float_is_shown_as_written(value: str, tmp_path: Path) -> None:
    findings = check_file(_with_b5(value, tmp_path)).findings
    (b5,) = [f for f in findings if (f.sheet, f.cell) == ("收支预算", "B5")]
    assert (b5.rule, b5.actual) == ("V002", value)
    assert f"“{value}”" in b5.message.zh and f"“{value}”" in b5.message.en


def test_a_large_finite_number_is_still_a_number(tmp_path: Path) -> None:
    # 1E300 is a float: the value parser refuses it as an amount (V002), shown as a number
    findings = check_file(_with_b5("1E300", tmp_path)).findings
    (b5,) = [f for f in findings if (f.sheet, f.cell) == ("收支预算", "B5")]
    assert b5.rule == "V002" and "inf" not in b5.message.zh
