"""Real-world variants of the sample must read exactly like the sample: the same values in every
field and table, the same findings (a computed formula adds only its V007 note)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from fill import find_text, header_columns, insert_column, set_cell, set_field, table_cell
from openpyxl.workbook.workbook import Workbook

from selfeval_xlsx.evaluate import check_workbook
from selfeval_xlsx.read.inputs import Inputs, type_inputs
from selfeval_xlsx.read.locate import read_workbook
from selfeval_xlsx.read.values import formula_operand
from selfeval_xlsx.template.department import build_template
from selfeval_xlsx.xlsx.workbook import load

FULL_WIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")
AMOUNT_TABLES = (("收支预算", "项目", ("年初预算数", "调整后预算数", "决算数")),
                 ("经费控制", "项目", ("预算数", "实际支出数")))


def read_inputs(path: Path) -> Inputs:
    template = build_template()
    return type_inputs(read_workbook(load(path, formula_operand), template, path.name), template)


def dump(path: Path) -> dict[str, Any]:
    inputs = read_inputs(path)
    values: dict[tuple[str, ...], Any] = {k: e.value for k, e in inputs.fields.items()}
    for name, table in inputs.tables.items():
        for row in table.rows:
            for header, entry in row.entries.items():
                values[(name, row.label, header)] = entry.value
    findings = sorted((f.rule, f.sheet, f.label) for f in check_workbook(path).findings
                      if f.rule != "V007")
    return {"values": values, "findings": findings}


def each_amount(book: Workbook, change: Callable[[Any], Any]) -> None:
    for sheet, first, headers in AMOUNT_TABLES:
        ws = book[sheet]
        head, columns = header_columns(ws, first, headers)
        for row in range(head + 1, ws.max_row + 1):
            for header in headers:
                cell = ws.cell(row, columns[header])
                if isinstance(cell.value, int | float):
                    cell.value = change(cell.value)


def text_amounts(book: Workbook) -> None:
    each_amount(book, lambda v: f" {v:,.2f}万元 ".translate(FULL_WIDTH))
    ws = book["资产管理"]
    set_field(ws, "固定资产总额", "８８．９４万元")
    set_field(ws, "实际在用固定资产总额", "88.94 万元")
    set_field(book["基本信息"], "行政编制数", "11人")
    set_field(book["基本信息"], "事业编制数", "９名")


def shares_as_percent_text(book: Workbook) -> None:
    ws = book["收支预算"]
    for label in ("基本支出", "项目支出", "一般公共预算基本支出", "一般公共预算项目支出"):
        cell = table_cell(ws, "项目", label, "年初预算占比(%)")
        cell.value = f"{cell.value:.2f}%"
    set_cell(ws, "项目", "基本支出", "年初预算占比(%)", "５０．３１％")


def shares_as_percent_format(book: Workbook) -> None:
    ws = book["收支预算"]
    for label in ("基本支出", "项目支出", "一般公共预算基本支出", "一般公共预算项目支出"):
        cell = table_cell(ws, "项目", label, "年初预算占比(%)")
        cell.value = round(cell.value / 100, 4)
        cell.number_format = "0.00%"


def row_inserted(book: Workbook) -> None:
    for sheet, first, label in (("收支预算", "项目", "工资福利支出"), ("经费控制", "项目", "公用经费"),
                                ("评分表", "指标编号", "B1"), ("管理核对", "编号", "C1-1")):
        ws = book[sheet]
        ws.insert_rows(table_cell(ws, first, label, first).row)
    ws = book["绩效目标"]
    head, _ = header_columns(ws, "序号", [])
    ws.insert_rows(head + 4)


def column_inserted(book: Workbook) -> None:
    for sheet in ("收支预算", "基本信息", "经费控制", "绩效目标", "评分表"):
        insert_column(book[sheet], 1)
    book["收支预算"].cell(3, 1).value = "行次"  # a column a clerk adds before the table


def formula_total_without_value(book: Workbook) -> None:
    ws = book["收支预算"]
    basic = table_cell(ws, "项目", "基本支出", "年初预算数").coordinate
    project = table_cell(ws, "项目", "项目支出", "年初预算数").coordinate
    set_cell(ws, "项目", "支出合计", "年初预算数", f"=SUM({basic},{project})")
    parts = [table_cell(ws, "项目", p, "年初预算数").coordinate for p in ("一般公共预算拨款", "政府性基金拨款")]
    set_cell(ws, "项目", "收入合计", "年初预算数", f"={parts[0]}+{parts[1]}")


def merged_labels(book: Workbook) -> None:
    ws = book["资产管理"]
    ws.insert_cols(2)
    for label in ("固定资产总额", "实际在用固定资产总额"):
        cell = find_text(ws, label)
        ws.merge_cells(start_row=cell.row, start_column=1, end_row=cell.row, end_column=2)


def clerk_spellings(book: Workbook) -> None:
    set_field(book["基本信息"], "填报日期", "2024年5月28日")
    set_field(book["基本信息"], "评价年度", "２０２３")
    set_field(book["基本信息"], "单位名称", "  湛江市麻章区科工贸和信息化局 ")
    ws = book["收支预算"]
    for label in ("收入合计", "支出合计", "基本支出"):
        set_cell(ws, "项目", label, "调整后预算数", "—")
    set_cell(ws, "项目", "项目支出", "调整后预算数", "/")
    set_cell(book["管理核对"], "编号", "A1-1", "是否符合", "√")
    set_cell(book["管理核对"], "编号", "A1-2", "是否符合", "Y")
    find_text(book["基本信息"], "单位名称").value = "单位 名称："
    find_text(book["收支预算"], "年初预算占比(%)").value = "年初预算占比（%）"


VARIANTS: dict[str, Callable[[Workbook], None]] = {
    "text_amounts_full_width_wanyuan": text_amounts,
    "shares_as_percent_text": shares_as_percent_text,
    "shares_as_percent_formatted_fractions": shares_as_percent_format,
    "row_inserted_in_tables": row_inserted,
    "column_inserted_before_tables": column_inserted,
    "formula_totals_without_cached_values": formula_total_without_value,
    "merged_label_cells": merged_labels,
    "clerk_spellings_and_blank_markers": clerk_spellings,
}


@pytest.fixture(scope="module")
def sample_dump(sample: Path) -> dict[str, Any]:
    return dump(sample)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_variant_reads_like_the_sample(name: str, sample: Path, tmp_path: Path,
                                       sample_dump: dict[str, Any]) -> None:
    book = openpyxl.load_workbook(sample)
    VARIANTS[name](book)
    path = tmp_path / f"{name}.xlsx"
    book.save(path)
    assert dump(path) == sample_dump


def test_formula_without_value_is_computed_and_noted(sample: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(sample)
    formula_total_without_value(book)
    path = tmp_path / "formulas.xlsx"
    book.save(path)
    v007 = [f for f in check_workbook(path).findings if f.rule == "V007"]
    assert sorted(f.cell for f in v007) == ["B10", "B4"]
    assert all(f.severity.value == "info" for f in v007)
    assert "902.25" in v007[0].message.zh  # 872.25 + 30 and 453.95 + 448.30 both give 902.25


def test_a_formula_over_a_number_written_as_text_is_v002_naming_it(sample: Path,
                                                                  tmp_path: Path) -> None:
    """收入合计 = 一般公共预算拨款 + 政府性基金拨款, saved without a value, with the first part
    typed as the text "872.25": Excel would add it, LibreOffice's SUM would not; the tool
    says which cell holds text instead of choosing (V002 on the total, no V007 there)."""
    book = openpyxl.load_workbook(sample)
    formula_total_without_value(book)
    part = set_cell(book["收支预算"], "项目", "一般公共预算拨款", "年初预算数", "872.25")
    path = tmp_path / "text_part.xlsx"
    book.save(path)
    total = table_cell(book["收支预算"], "项目", "收入合计", "年初预算数").coordinate
    findings = check_workbook(path).findings
    assert [(f.rule, f.cell) for f in findings if f.cell == total] == [("V002", total)]
    (v002,) = [f for f in findings if f.cell == total]
    assert f"收支预算!{part} 是文字“872.25”" in v002.message.zh


@pytest.mark.slow
def test_libreoffice_resaved_sample_reads_like_the_sample(
        sample: Path, tmp_path: Path, libreoffice: Any, sample_dump: dict[str, Any]) -> None:
    copy = tmp_path / "in" / "resaved.xlsx"
    copy.parent.mkdir()
    copy.write_bytes(sample.read_bytes())
    (resaved,) = libreoffice([copy], "xlsx", tmp_path / "out")
    assert resaved.read_bytes() != sample.read_bytes()
    assert dump(resaved) == sample_dump


def test_the_input_is_never_changed(sample: Path) -> None:
    before = sample.read_bytes()
    stamp = sample.stat().st_mtime_ns
    check_workbook(sample)
    assert sample.read_bytes() == before and sample.stat().st_mtime_ns == stamp


def test_date_cell_and_text_date_read_the_same(sample: Path) -> None:
    inputs = read_inputs(sample)
    assert inputs.field("基本信息", "填报日期").value == dt.date(2024, 5, 28)


def test_iso_date_cells_read_as_dates(sample: Path, tmp_path: Path) -> None:
    """Some writers store dates as `t="d"` cells holding ISO 8601 text."""
    import re
    import zipfile

    path = tmp_path / "iso_date.xlsx"
    with zipfile.ZipFile(sample) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet2.xml":
                text = data.decode()
                cell = re.search(r'<c r="B8"[^>]*>.*?</c>', text)
                assert cell is not None
                text = text.replace(cell.group(0), '<c r="B8" t="d"><v>2024-05-28T00:00:00</v></c>')
                data = text.encode()
            dst.writestr(info, data)
    assert read_inputs(path).field("基本信息", "填报日期").value == dt.date(2024, 5, 28)


def literal_percent_signs(book: Workbook) -> None:
    """LibreOffice writes a typed-in percent sign as a literal (`0.00"%"`, `0.00\\%`): the
    cell still holds 50.31, not 0.5031, and must read as 50.31 %."""
    ws = book["收支预算"]
    for label, fmt in (("基本支出", '0.00"%"'), ("项目支出", "0.00\\%"),
                       ("一般公共预算基本支出", '[Blue]0.00"%"')):
        table_cell(ws, "项目", label, "年初预算占比(%)").number_format = fmt


def test_literal_percent_signs_read_like_the_sample(sample: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(sample)
    literal_percent_signs(book)
    path = tmp_path / "literal.xlsx"
    book.save(path)
    assert dump(path) == dump(sample)


def test_a_numbering_column_inserted_between_labels_and_values_is_flagged(
        sample: Path, tmp_path: Path) -> None:
    """A clerk inserts a 行次 column right of the labels of 基本信息: every value the reader
    takes (the first cell right of its label) is then a row number, and each gets S005."""
    book = openpyxl.load_workbook(sample)
    ws = book["基本信息"]
    first = find_text(ws, "单位名称")
    insert_column(ws, first.column + 1)
    ws.cell(first.row - 1, first.column + 1).value = "行次"
    labels = [f.label for f in build_template().sheet("基本信息").forms[0].fields]
    for number, label in enumerate(labels, start=1):
        ws.cell(find_text(ws, label).row, first.column + 1).value = number
    path = tmp_path / "numbered.xlsx"
    book.save(path)
    found = check_workbook(path).findings
    flagged = sorted((f.label, f.severity.value) for f in found if f.rule == "S005")
    assert flagged == sorted((label, "warning") for label in labels)


def test_a_numbering_column_left_of_the_labels_is_not_flagged(sample: Path,
                                                              tmp_path: Path) -> None:
    """Many forms number their rows in a 行次 column left of the labels: the values (people
    counts such as 11 among them) are not under it, so no S005 (docs/rules.md: S005 is a
    number read right of a label from under a 行次 header)."""
    book = openpyxl.load_workbook(sample)
    ws = book["基本信息"]
    first = find_text(ws, "单位名称")
    row, column = first.row, first.column  # (insert_column moves the cell object along)
    insert_column(ws, column)  # labels and values move one column right
    ws.cell(row - 1, column).value = "行次"
    labels = [f.label for f in build_template().sheet("基本信息").forms[0].fields]
    for number, label in enumerate(labels, start=1):
        ws.cell(find_text(ws, label).row, column).value = number
    path = tmp_path / "numbered_left.xlsx"
    book.save(path)
    found = check_workbook(path).findings
    assert [f.rule for f in found if f.rule.startswith("S")] == []  # every label found, no S005
    assert read_inputs(path).field("基本信息", "年末在职行政人员").value == 11  # the sample's


def test_an_amount_under_a_row_number_header_is_no_row_number(sample: Path,
                                                              tmp_path: Path) -> None:
    """S005 is for a small whole number (docs/rules.md: 小整数), a row number: the amount 1500
    read right of 固定资产总额 from under a 行次 header is taken as it is, the 2 right of
    实际在用固定资产总额 is flagged."""
    book = openpyxl.load_workbook(sample)
    ws = book["资产管理"]
    first = find_text(ws, "固定资产总额")
    insert_column(ws, first.column + 1)
    ws.cell(first.row - 1, first.column + 1).value = "行次"
    ws.cell(first.row, first.column + 1).value = 1500
    ws.cell(find_text(ws, "实际在用固定资产总额").row, first.column + 1).value = 2
    path = tmp_path / "amount_under_numbers.xlsx"
    book.save(path)
    flagged = [f.label for f in check_workbook(path).findings if f.rule == "S005"]
    assert flagged == ["实际在用固定资产总额"]
