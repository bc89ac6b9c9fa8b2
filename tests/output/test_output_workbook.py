"""The output workbook, read back with openpyxl: structure, formulas with cached values, links,
highlights, text that looks like a formula, reproducible bytes, and the input never overwritten.

Cells are found by their labels and headers (tests/fill.py), not by coordinates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from fill import field_cell, find_text, header_columns, table_cell
from openpyxl.utils.cell import coordinate_from_string, get_column_letter
from scored import GENERATED_AT, build_failing, write

from selfeval_xlsx.errors import OutputError
from selfeval_xlsx.evaluate import Evaluation, evaluate_workbook
from selfeval_xlsx.output.workbook import (
    default_output_path,
    refuse_input_as_output,
    write_output,
)

BUDGET, BASIC, SCORES, FINDINGS, SUMMARY = "收支预算", "基本信息", "评分表", "校验结果", "汇总"


@pytest.fixture(scope="module")
def evaluation(sample: Path) -> Evaluation:
    return evaluate_workbook(sample)


@pytest.fixture(scope="module")
def output(evaluation: Evaluation, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(evaluation, tmp_path_factory.mktemp("output") / "out.xlsx")


@pytest.fixture(scope="module")
def formulas(output: Path) -> Any:
    return openpyxl.load_workbook(output)


@pytest.fixture(scope="module")
def cached(output: Path) -> Any:
    return openpyxl.load_workbook(output, data_only=True)


def beside(ws: Any, label: str) -> Any:
    """The value cell right of a label."""
    return field_cell(ws, label)


def score_cell(ws: Any, code: str, header: str) -> Any:
    return table_cell(ws, "指标编号", code, header)


def sheet_and_cell(reference: str) -> tuple[str, str]:
    sheet, cell = reference.lstrip("=").split("!")
    return sheet.strip("'"), cell.replace("$", "")


def test_sheets_in_order(formulas: Any, evaluation: Evaluation) -> None:
    copies = [s.name for s in evaluation.template.data_sheets]
    assert formulas.sheetnames == [SUMMARY, SCORES, FINDINGS, *copies]


def test_summary_total_is_a_formula_on_the_score_total_with_its_value(
        formulas: Any, cached: Any) -> None:
    total = beside(formulas[SUMMARY], "总分")
    sheet, cell = sheet_and_cell(total.value)
    target = formulas[sheet][cell]
    assert sheet == SCORES and target.value.startswith("=SUM(")
    assert target.row == find_text(formulas[SCORES], "合计").row
    assert target.column == header_columns(formulas[SCORES], "指标编号", ["核定得分"])[1]["核定得分"]
    assert cached[SUMMARY][total.coordinate].value == 99
    assert cached[SUMMARY][beside(formulas[SUMMARY], "绩效等级").coordinate].value == "优"
    assert beside(cached[SUMMARY], "校验状态").value == "通过"
    # the warning: R001 高分低执行 (B1 9/10 = 90% against 90/90 = 100% for the rest: a gap of
    # 10% of the latter, above 5%); the notes: T002 and P007
    assert [beside(cached[SUMMARY], f"{s}数").value for s in ("错误", "警告", "提示")] == [0, 1, 2]
    review = beside(cached[SUMMARY], "复核提示").value
    assert review.startswith("R001 高分低执行（评分表!") and "90.00%" in review


def test_summary_groups_are_sumifs_with_values_and_ratios_are_percentages(
        formulas: Any, cached: Any) -> None:
    ws, values = formulas[SUMMARY], cached[SUMMARY]
    head, columns = header_columns(ws, "一级指标", ["分值", "得分", "得分率"])
    rows = range(head + 1, head + 5)
    assert [ws.cell(r, 1).value for r in rows] == ["预算编制", "预算执行", "预算监督", "预算使用效益"]
    for row in rows:
        assert ws.cell(row, columns["得分"]).value.startswith("=SUMIF(")
        assert ws.cell(row, columns["得分率"]).number_format == "0.00%"
    assert [values.cell(r, columns["得分"]).value for r in rows] == [20, 39, 15, 25]
    assert values.cell(head + 2, columns["得分率"]).value == pytest.approx(0.975)
    execution = field_cell(values, "预算执行率")
    assert execution.value == pytest.approx(0.9, abs=1e-4) and execution.number_format == "0.00%"
    assert field_cell(values, "重点项目平均得分率").value == "—"
    assert len(ws._charts) == 1


def test_summary_provenance_and_signature_block(formulas: Any, evaluation: Evaluation) -> None:
    ws = formulas[SUMMARY]
    assert beside(ws, "输入文件").value == "mazhang_2023.xlsx"
    assert beside(ws, "SHA-256").value == evaluation.result.sha256
    assert beside(ws, "评分方案").value == "default"
    generated = beside(ws, "生成时间")
    assert generated.value == GENERATED_AT and generated.number_format == "yyyy-mm-dd hh:mm:ss"
    for label in ("单位（盖章）", "单位负责人", "财务负责人", "填表人", "日期"):
        line = field_cell(ws, label + "：")
        assert line.value is None and line.border.bottom.style == "thin"


def test_score_sheet_rows_totals_and_grade(formulas: Any, cached: Any) -> None:
    ws, values = formulas[SCORES], cached[SCORES]
    head = find_text(ws, "指标编号").row
    total = find_text(ws, "合计").row
    assert total - head - 1 == 16
    assert values[score_cell(ws, "B1", "核定得分").coordinate].value == 9
    assert ws[score_cell(ws, "B1", "核定得分").coordinate].number_format == "#,##0.00"
    assert score_cell(ws, "B1", "计分依据").value == "执行率 90.00% × 10 = 9.00"
    for header, expected in (("分值", 100), ("自评得分", 99), ("核定得分", 99)):
        cell = table_cell(ws, "指标编号", "合计", header)
        assert cell.value.startswith("=SUM("), header
        assert values[cell.coordinate].value == expected, header
    grade = table_cell(ws, "指标编号", "绩效等级", "核定得分")
    assert grade.value.startswith("=IF(") and values[grade.coordinate].value == "优"
    difference = score_cell(ws, "B1", "差异")
    assert difference.value.startswith("=") and values[difference.coordinate].value == 0


def test_findings_link_to_the_cells_they_are_about(formulas: Any, cached: Any) -> None:
    ws = formulas[FINDINGS]
    head, columns = header_columns(ws, "序号", ["规则", "单元格", "说明"])
    rows = {ws.cell(r, columns["规则"]).value: r for r in range(head + 1, ws.max_row + 1)}
    assert list(rows) == ["R001", "T002", "P007"]  # warnings first
    t002 = ws.cell(rows["T002"], columns["单元格"])
    assert (t002.value, t002.hyperlink.location) == ("B11", "'收支预算'!B11")
    assert "453.94" in ws.cell(rows["T002"], columns["说明"]).value
    p007 = ws.cell(rows["P007"], columns["单元格"]).hyperlink.location
    assert p007 == f"'评分表'!{score_cell(formulas[SCORES], 'D3', '自评得分').coordinate}"
    assert ws.auto_filter.ref.startswith(f"A{head}:")


def test_copied_budget_has_values_and_highlights_the_finding(formulas: Any, cached: Any) -> None:
    ws = formulas[BUDGET]
    assert table_cell(ws, "项目", "收入合计", "年初预算数").value == 902.25
    flagged = table_cell(ws, "项目", "基本支出", "年初预算数")
    assert flagged.coordinate == "B11"
    assert flagged.fill.fgColor.rgb.endswith("CFE2F3")
    assert "T002" in flagged.comment.text and "453.94" in flagged.comment.text
    assert table_cell(ws, "项目", "支出合计", "年初预算数").fill.fgColor.rgb in (None, "00000000")


def test_copies_hold_values_only(formulas: Any, evaluation: Evaluation) -> None:
    for sheet in evaluation.template.data_sheets:
        ws = formulas[sheet.name]
        assert not [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
        assert ws.merged_cells.ranges, sheet.name  # the title stays merged


def test_print_setup(formulas: Any) -> None:
    for ws in formulas.worksheets:
        assert ws.page_setup.paperSize == 9, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
        assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert formulas[SUMMARY].page_setup.orientation == "portrait"
    assert formulas[SCORES].page_setup.orientation == "landscape"
    for sheet, first_header in ((SCORES, "指标编号"), (FINDINGS, "序号"), (BUDGET, "项目")):
        row = find_text(formulas[sheet], first_header).row
        assert formulas[sheet].print_title_rows == f"${row}:${row}", sheet


def test_failing_workbook_is_marked_and_scored(sample: Path, tmp_path: Path) -> None:
    evaluation = evaluate_workbook(build_failing(sample, tmp_path / "failing.xlsx"))
    output = openpyxl.load_workbook(write(evaluation, tmp_path / "out.xlsx"))
    status = beside(output[SUMMARY], "校验状态")
    assert status.value == "未通过" and status.font.b and status.font.color.rgb.endswith("C00000")
    first = find_text(output[FINDINGS], "序号").row + 1
    assert output[FINDINGS].cell(first, 2).value == "错误"
    flagged = table_cell(output[BUDGET], "项目", "收入合计", "年初预算数")
    assert flagged.value == "九百" and flagged.fill.fgColor.rgb.endswith("FFC7CE")
    assert field_cell(output[BASIC], "联系电话").value is None  # a formula that has no value


def test_no_findings_says_so(evaluation: Evaluation, tmp_path: Path) -> None:
    clean = dataclasses.replace(evaluation, result=dataclasses.replace(evaluation.result,
                                                                      findings=[]))
    output = openpyxl.load_workbook(write(clean, tmp_path / "out.xlsx"))
    assert find_text(output[FINDINGS], "未发现问题。").row == find_text(output[FINDINGS], "序号").row + 1
    assert beside(output[SUMMARY], "提示数").value == 0
    assert table_cell(output[BUDGET], "项目", "基本支出", "年初预算数").comment is None


def test_text_that_looks_like_a_formula_stays_text(sample: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(sample)
    cell = field_cell(book[BASIC], "单位名称")
    cell.value = "=1+1"
    cell.data_type = "s"
    book.save(tmp_path / "clerk.xlsx")
    output = write(evaluate_workbook(tmp_path / "clerk.xlsx"), tmp_path / "out.xlsx")
    result = openpyxl.load_workbook(output)
    for written in (beside(result[SUMMARY], "单位名称"), result[BASIC][cell.coordinate]):
        assert (written.value, written.data_type) == ("=1+1", "s")
    with zipfile.ZipFile(output) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>1+1</f>" in archive.read(n) for n in sheets)


def test_two_writes_are_byte_identical(evaluation: Evaluation, output: Path,
                                       tmp_path: Path) -> None:
    again = write(evaluation, tmp_path / "again.xlsx")
    assert again.read_bytes() == output.read_bytes()
    later = tmp_path / "later.xlsx"
    write_output(evaluation, later, GENERATED_AT + dt.timedelta(seconds=1))
    assert later.read_bytes() != output.read_bytes()


def test_output_path_equal_to_input_is_refused(sample: Path, tmp_path: Path) -> None:
    source = Path(shutil.copy(sample, tmp_path / "in.xlsx"))
    before = source.read_bytes()
    evaluation = evaluate_workbook(source)
    os.link(source, tmp_path / "hardlink.xlsx")
    for same in (source, tmp_path / "." / "in.xlsx", tmp_path / "hardlink.xlsx"):
        with pytest.raises(OutputError) as raised:
            write_output(evaluation, same, GENERATED_AT)
        assert "输入文件" in raised.value.render() and "\n" not in raised.value.render()
    assert source.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hardlink.xlsx", "in.xlsx"]
    refuse_input_as_output(source, tmp_path / "other.xlsx")  # a different file is fine


def test_default_output_path_is_beside_the_input() -> None:
    assert default_output_path(Path("data/麻章 2023.xlsx")) == Path("data/麻章 2023_评分结果.xlsx")


def test_score_cells_use_score_sheet_coordinates(formulas: Any) -> None:
    """The 差异 formula of a row refers to that row's 核定得分 and 自评得分 cells."""
    ws = formulas[SCORES]
    difference = score_cell(ws, "D3", "差异")
    columns = header_columns(ws, "指标编号", ["自评得分", "核定得分"])[1]
    row = coordinate_from_string(difference.coordinate)[1]
    assert difference.value == (f"={get_column_letter(columns['核定得分'])}{row}"
                                f"-{get_column_letter(columns['自评得分'])}{row}")
