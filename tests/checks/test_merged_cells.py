"""A finding at a cell inside a merged range (not its first cell) says the cell is merged and has
no value of its own (checks/merged.py); findings elsewhere are left as they were."""

from __future__ import annotations

from pathlib import Path

import pytest
from project_workbooks import CASES as PROJECT_CASES
from project_workbooks import build_case as build_project_case
from rule_workbooks import CASES, build_case

from selfeval_xlsx.api import check_file
from selfeval_xlsx.findings import Finding

HINT_ZH = "本格没有自己的值：请取消合并"


def _case_findings(name: str, tmp_path: Path) -> list[Finding]:
    project = next((c for c in PROJECT_CASES if c.name == name), None)
    if project is not None:
        path, _ = build_project_case(project, tmp_path)
    else:
        path, _ = build_case(next(c for c in CASES if c.name == name), tmp_path)
    return check_file(path).findings


@pytest.mark.parametrize(("case", "sheet", "cell", "merged"), [
    ("P002_score_merged_over_two_rows", "评分表", "H5", "H4:H5"),
    ("J006_weight_merged_down", "项目1", "H22", "H21:H22"),
])
def test_the_finding_at_the_covered_cell_names_the_merged_range(
        case: str, sheet: str, cell: str, merged: str, tmp_path: Path) -> None:
    findings = _case_findings(case, tmp_path)
    hinted = [(f.sheet, f.cell) for f in findings if HINT_ZH in f.message.zh]
    assert hinted == [(sheet, cell)]
    (finding,) = [f for f in findings if (f.sheet, f.cell) == (sheet, cell)]
    first = merged.split(":")[0]
    assert f"合并单元格 {merged} 中，显示的是 {first} 的内容" in finding.message.zh
    assert f"merged range {merged}, which shows {first}'s content" in finding.message.en
    assert finding.message.zh.startswith(f"{sheet}!{cell} ")  # the place stays in front


def test_a_finding_at_the_first_cell_of_a_merged_range_has_no_hint(tmp_path: Path) -> None:
    # the cut-short word in 一级指标 merged over three rows: V004 at the range's first cell
    findings = _case_findings("V004_wrong_word_merged_down", tmp_path)
    assert [f.rule for f in findings if f.rule == "V004"] == ["V004"]
    assert not [f for f in findings if HINT_ZH in f.message.zh]
