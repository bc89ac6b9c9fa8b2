"""Reading the 项目支出绩效自评表: project sheets found by their title (and a 部门整体 workbook
settled before any sheet is parsed), rows and columns inserted as a clerk does."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from build_project_sample import INDICATORS, PROJECT_SAMPLE, ROW_HEADERS
from fill import find_text, free_row, header_columns, insert_column, insert_row
from openpyxl.utils import get_column_letter as column_letter

from selfeval_xlsx.api import check_file
from selfeval_xlsx.evaluate.project import ProjectResult
from selfeval_xlsx.read.project import project_sheet_names
from selfeval_xlsx.read.values import formula_operand
from selfeval_xlsx.xlsx.workbook import LoadedWorkbook, load


def test_project_sheets_are_found_by_title_in_workbook_order() -> None:
    book = load(PROJECT_SAMPLE, formula_operand)
    assert project_sheet_names(book) == ["项目1", "项目2", "项目3"]


def test_a_department_workbook_is_settled_without_parsing_a_sheet(
        sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    real = LoadedWorkbook.sheet

    def spy(self: LoadedWorkbook, name: str) -> Any:
        parsed.append(name)
        return real(self, name)

    monkeypatch.setattr(LoadedWorkbook, "sheet", spy)
    assert project_sheet_names(load(sample, formula_operand)) == []
    assert parsed == []


def test_a_sheet_without_the_title_is_not_a_project(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(PROJECT_SAMPLE)
    find_text(book["项目2"], "项目支出绩效自评表").value = "备注"
    book.create_sheet("说明").cell(1, 1).value = "项目支出绩效自评表的说明"
    path = tmp_path / "two.xlsx"
    book.save(path)
    assert project_sheet_names(load(path, formula_operand)) == ["项目1", "项目3"]


@pytest.mark.parametrize("title", ["2023年度项目支出绩效自评表", "项目支出绩效自评表（农业）",
                                   "项目支出\u200b绩效自评表", "\ufeff项目支出绩效自评表\u2060"])
def test_a_retitled_project_sheet_is_still_a_project(title: str, tmp_path: Path) -> None:
    # the form's title (project-form.md: a project sheet is recognised by its title cell) with
    # a year before it, a parenthesised note after it, or zero-width characters pasted into it;
    # a sentence that only mentions the form (a sheet of notes) is still no project sheet
    book = openpyxl.load_workbook(PROJECT_SAMPLE)
    find_text(book["项目1"], "项目支出绩效自评表").value = title
    book.create_sheet("说明").cell(1, 1).value = "一、每个项目一张“项目支出绩效自评表”。"
    path = tmp_path / "retitled.xlsx"
    book.save(path)
    assert project_sheet_names(load(path, formula_operand)) == ["项目1", "项目2", "项目3"]
    assert check_file(path).findings == []  # the sample's own: none
    assert totals(path) == totals(PROJECT_SAMPLE)


def totals(path: Path) -> list[tuple[str, Decimal]]:
    result = check_file(path)
    assert isinstance(result, ProjectResult)
    return [(p.sheet, p.total) for p in result.projects]


def test_inserted_rows_and_columns_still_read(tmp_path: Path) -> None:
    # as the clerk does: rows above the title and inside the funds table, a column before 计量单位
    book = openpyxl.load_workbook(PROJECT_SAMPLE)
    ws = book["项目3"]
    insert_row(ws, 1)
    insert_row(ws, find_text(ws, "上年结转资金").row)  # a row inside the funds table
    insert_column(ws, find_text(ws, "计量单位").column)
    ws.cell(find_text(ws, "计量单位").row, find_text(ws, "计量单位").column - 1).value = "备注"
    path = tmp_path / "inserted.xlsx"
    book.save(path)
    assert totals(path) == totals(PROJECT_SAMPLE)
    result = check_file(path)
    assert result.findings == []


def test_full_width_and_signs_in_values(tmp_path: Path) -> None:
    # "＞＝" is not a sign the form knows, ">=" is; "１１５０批次" reads as 1150 with its unit
    book = openpyxl.load_workbook(PROJECT_SAMPLE)
    ws = book["项目3"]
    row = find_text(ws, "检测样品数量").row
    head = find_text(ws, "一级指标").row
    columns = {ws.cell(head, c).value: c for c in range(1, ws.max_column + 1)}
    ws.cell(row, columns["指标性质"]).value = ">="
    ws.cell(row, columns["实际完成值"]).value = "１１５０批次"
    path = tmp_path / "signs.xlsx"
    book.save(path)
    assert totals(path) == totals(PROJECT_SAMPLE)


def merged_book(tmp_path: Path, merges: dict[str, list[tuple[str, int, int]]]) -> Path:
    """The sample with (header, first, last indicator row) merged down on each sheet named."""
    book = openpyxl.load_workbook(PROJECT_SAMPLE)
    for sheet, ranges in merges.items():
        ws = book[sheet]
        _, columns = header_columns(ws, INDICATORS, ROW_HEADERS)
        for header, first, last in ranges:
            col = columns[header]
            ws.merge_cells(start_row=free_row(ws, INDICATORS, first), start_column=col,
                           end_row=free_row(ws, INDICATORS, last), end_column=col)
    path = tmp_path / "merged.xlsx"
    book.save(path)
    return path


def test_a_merged_indicator_word_counts_on_every_row_it_covers(tmp_path: Path) -> None:
    # as real forms are filled: 项目1's 产出指标 over its three rows (1-3) and 满意度指标 (row 5)
    # over two empty rows below it, which stay no rows; 项目3's 效益指标 / 社会效益指标 (rows 4-5)
    # merged in both columns: the same rows, words and scores as the sample, and no finding
    path = merged_book(tmp_path, {"项目1": [("一级指标", 1, 3), ("一级指标", 5, 7)],
                                  "项目3": [("一级指标", 4, 5), ("二级指标", 4, 5)]})
    assert check_file(path).findings == []
    assert totals(path) == totals(PROJECT_SAMPLE)


def test_a_merged_score_is_not_spread(tmp_path: Path) -> None:
    # 分值 is a number: 10 merged over 项目1's rows 1-3 is neither 10 on each row nor a share of
    # it, so rows 2 and 3 have no 分值 (J006); the merged 一级指标 beside it reads on all three
    path = merged_book(tmp_path, {"项目1": [("一级指标", 1, 3), ("分值", 1, 3)]})
    book = openpyxl.load_workbook(path)
    _, columns = header_columns(book["项目1"], INDICATORS, ["分值"])
    rows = [free_row(book["项目1"], INDICATORS, n) for n in (2, 3)]
    found = [(f.sheet, f.cell, f.rule) for f in check_file(path).findings if f.rule == "J006"]
    assert found == [("项目1", f"{column_letter(columns['分值'])}{row}", "J006") for row in rows]


def test_stacked_tables_never_read_each_others_rows(tmp_path: Path) -> None:
    """项目资金 ends where 年度总体目标 starts (its caption), which ends at 绩效指标's caption: the
    goal is one row, the fund table has its four rows and nothing after them."""
    from selfeval_xlsx.read.project import read_project_sheet
    from selfeval_xlsx.scheme.project import load_project_scheme
    from selfeval_xlsx.template.project import FUNDS_TABLE, GOAL_TABLE, INDICATOR_TABLE

    book = openpyxl.load_workbook(PROJECT_SAMPLE)
    header = find_text(book["项目3"], "预期目标")
    row = header.row
    book["项目3"].cell(row + 1, header.column).value = "完成全县农产品质量安全检测 1200 批次"
    path = tmp_path / "goal.xlsx"
    book.save(path)
    project = read_project_sheet(load(path, formula_operand), "项目3", load_project_scheme(), "x")
    tables = project.raw.tables if project.raw else {}
    funds, goal, indicators = tables[FUNDS_TABLE], tables[GOAL_TABLE], tables[INDICATOR_TABLE]
    assert len(funds.rows) == 4 and funds.extra_rows == []
    assert [r.row for r in goal.rows] == [row + 1] and goal.extra_rows == []
    assert all(r.row > indicators.header_row for r in indicators.rows)
