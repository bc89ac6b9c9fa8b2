"""The project result workbook, read back with openpyxl: its sheets, formulas carrying their
values, the clerk's text as text, findings marked in the copies, the ownership mark, and the
output refused as an input. Cells are found by their labels (tests/fill.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from build_project_sample import PROJECT_SAMPLE
from fill import field_cell, find_text, header_columns
from project_workbooks import CASES, build_case, scored_output

from selfeval_xlsx.api import check_file
from selfeval_xlsx.errors import OwnOutputError
from selfeval_xlsx.xlsx.ownership import Made, mark_of

SHEETS = ["汇总", "核定_项目1", "核定_项目2", "核定_项目3", "校验结果", "项目1", "项目2", "项目3"]


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scored_output(PROJECT_SAMPLE, tmp_path_factory.mktemp("project-output") / "out.xlsx")


@pytest.fixture(scope="module")
def cached(output: Path) -> Any:
    return openpyxl.load_workbook(output, data_only=True)


def test_sheets_in_order_and_the_mark(output: Path) -> None:
    assert openpyxl.load_workbook(output, read_only=True).sheetnames == SHEETS
    assert mark_of(output) is Made.RESULT


def test_summary_lists_every_project_with_means_and_grade_counts(cached: Any) -> None:
    ws = cached["汇总"]
    assert field_cell(ws, "单位名称").value == "示例县农业农村局"
    # (100 + 99 + 90.85) / 3 = 96.6166… → 96.62; by 全年预算数: 96.357… → 96.36
    assert field_cell(ws, "平均分").value == pytest.approx(96.62)
    assert field_cell(ws, "按资金加权平均分").value == pytest.approx(96.36)
    head, columns = header_columns(ws, "序号", ["项目名称", "总分", "等级", "执行率"])
    rows = [[ws.cell(r, columns[h]).value for h in ("项目名称", "总分", "等级", "执行率")]
            for r in range(head + 1, head + 4)]
    assert rows == [["农村人居环境整治项目", 100, "优", 1], ["耕地地力保护补贴项目", 99, "优", 1],
                    ["农产品质量安全检测项目", pytest.approx(90.85), "优", pytest.approx(0.84)]]
    grades = find_text(ws, "绩效等级")
    counted = {ws.cell(r, grades.column).value: ws.cell(r, grades.column + 1).value
               for r in range(grades.row + 1, grades.row + 5)}
    assert counted == {"优": 3, "良": 0, "中": 0, "差": 0}


def test_scored_sheet_shows_clerk_and_computed_scores_with_the_basis(cached: Any) -> None:
    ws = cached["核定_项目3"]
    head, columns = header_columns(ws, "一级指标", ["三级指标", "自评得分", "核定得分", "计分依据"])
    rows = {ws.cell(r, columns["三级指标"]).value: (ws.cell(r, columns["自评得分"]).value,
                                                 ws.cell(r, columns["核定得分"]).value,
                                                 ws.cell(r, columns["计分依据"]).value)
            for r in range(head + 1, head + 7)}
    assert rows["单批次检测成本"] == (
        13.5, 13.5, "反向：(1 − (完成值 330 − 指标值 300) ÷ 指标值 300) × 15 = 13.50")
    assert rows["检测样品数量"][2] == "正向：完成值 1150 ÷ 指标值 1200 × 20 = 19.17"
    total = find_text(ws, "总分")
    assert ws.cell(total.row, columns["核定得分"]).value == pytest.approx(90.85)
    grade = find_text(ws, "评价等级")
    assert ws.cell(grade.row, columns["核定得分"]).value == "优"
    execution = find_text(ws, "年度资金总额")
    assert ws.cell(execution.row, execution.column + 4).value == pytest.approx(0.84)  # 执行率


def test_every_formula_carries_a_value(output: Path, cached: Any) -> None:
    formulas = openpyxl.load_workbook(output)
    cells = [(ws.title, c.coordinate) for ws in formulas.worksheets for row in ws.iter_rows()
             for c in row if c.data_type == "f"]
    assert len(cells) >= 30
    assert all(cached[s][c].value is not None for s, c in cells)


def test_clerk_text_starting_with_equals_stays_text(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(PROJECT_SAMPLE)
    ws = book["项目1"]
    head, columns = header_columns(ws, "一级指标", ["偏差原因分析及改进措施"])
    cell = ws.cell(head + 1, columns["偏差原因分析及改进措施"])
    cell.value = "=1+1 说明"
    cell.data_type = "s"  # typed as text (Excel: a leading apostrophe)
    source = tmp_path / "text.xlsx"
    book.save(source)
    out = openpyxl.load_workbook(scored_output(source, tmp_path / "out.xlsx"))
    scored = out["核定_项目1"]
    head, columns = header_columns(scored, "一级指标", ["偏差原因分析及改进措施"])
    cell = scored.cell(head + 1, columns["偏差原因分析及改进措施"])
    assert (cell.value, cell.data_type) == ("=1+1 说明", "s")


def test_findings_are_marked_in_the_copies_and_listed(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == "J004_met_target_points_off")
    source, expected = build_case(case, tmp_path)
    out = openpyxl.load_workbook(scored_output(source, tmp_path / "out.xlsx"))
    for sheet, cell, rule in expected:
        assert rule in out[sheet][cell].comment.text
    listed = [c.value for row in out["校验结果"].iter_rows() for c in row]
    assert {"J004", "J009", "J010"} <= set(listed)
    summary = out["汇总"]
    assert field_cell(summary, "校验状态").value == "未通过"


def test_the_output_is_refused_as_an_input(output: Path) -> None:
    with pytest.raises(OwnOutputError):
        check_file(output)
