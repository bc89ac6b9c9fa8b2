"""Generate the blank template from the declarative description, with xlsxwriter."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from selfeval_xlsx.atomic import write_atomically
from selfeval_xlsx.template.spec import GUIDE, Form, Kind, Row, Sheet, Table, Template

FONT = "宋体"
INPUT_FILL = "#FFF2CC"
LOCKED_FILL = "#F2F2F2"
HEADER_FILL = "#DDEBF7"
NUMBER_FORMATS = {Kind.AMOUNT: "#,##0.00", Kind.PERCENT: "0.00", Kind.COUNT: "0",
                  Kind.YEAR: "0", Kind.SCORE: "0.00", Kind.DATE: "yyyy-mm-dd"}
FOOTER = "&C第 &P 页 共 &N 页"
FIXED_TIME = dt.datetime(2024, 1, 1)


class Formats:
    """The few cell styles of the template, created once per workbook."""

    def __init__(self, book: Workbook) -> None:
        self._book = book
        self._cache: dict[tuple[tuple[str, Any], ...], Any] = {}

    def get(self, **props: Any) -> Any:
        key = tuple(sorted(props.items()))
        if key not in self._cache:
            base = {"font_name": FONT, "font_size": 11, "valign": "vcenter"}
            self._cache[key] = self._book.add_format({**base, **props})
        return self._cache[key]

    def title(self) -> Any:
        return self.get(bold=True, font_size=14, align="center")

    def header(self) -> Any:
        return self.get(bold=True, border=1, bg_color=HEADER_FILL, align="center", text_wrap=True)

    def label(self, indent: int = 0) -> Any:
        return self.get(border=1, indent=indent, text_wrap=True, bg_color=LOCKED_FILL)

    def locked(self, kind: Kind = Kind.TEXT) -> Any:
        return self.get(border=1, text_wrap=True, bg_color=LOCKED_FILL,
                        num_format=NUMBER_FORMATS.get(kind, "@"))

    def input(self, kind: Kind) -> Any:
        return self.get(border=1, text_wrap=kind is Kind.TEXT, bg_color=INPUT_FILL, locked=False,
                        num_format=NUMBER_FORMATS.get(kind, "@"))

    def note(self) -> Any:
        return self.get(font_color="#7F7F7F", font_size=9, text_wrap=True)

    def text(self) -> Any:
        return self.get(text_wrap=True, valign="top")


def write_template(template: Template, path: Path) -> None:
    """Write the blank template to `path` (atomically)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"default_format_properties": {"font_name": FONT}})
    book.set_properties({"title": "部门整体支出绩效自评数据表", "created": FIXED_TIME})
    formats = Formats(book)
    for sheet in template.sheets:
        _write_sheet(book.add_worksheet(sheet.name), sheet, template, formats)
    book.close()
    write_atomically(path, buffer.getvalue())


def _write_sheet(ws: Worksheet, sheet: Sheet, template: Template, formats: Formats) -> None:
    width = max([3, *(len(t.columns) for t in sheet.tables)])
    ws.merge_range(0, 0, 0, width - 1, sheet.title, formats.title())
    ws.set_row(0, 28)
    ws.set_column(0, 0, sheet.label_width)
    ws.set_column(1, 1, 30 if sheet.forms else 14)
    ws.set_column(2, 2, 32 if sheet.forms else 14)
    row = 2
    for block in sheet.blocks:
        if isinstance(block, Form):
            row = _write_form(ws, block, row, formats)
        else:
            row = _write_table(ws, block, row, formats)
        row += 1
    if sheet.name == GUIDE:
        _write_guide(ws, template, row, formats)
    _print_setup(ws, sheet)
    ws.protect("", {"insert_rows": True, "format_columns": True, "format_rows": True,
                    "select_locked_cells": True, "select_unlocked_cells": True})


def _write_form(ws: Worksheet, form: Form, row: int, formats: Formats) -> int:
    for field in form.fields:
        ws.write_string(row, 0, field.label, formats.label())
        if field.prefilled is not None:
            ws.write(row, 1, field.prefilled, formats.locked(field.kind))
        else:
            ws.write_blank(row, 1, None, formats.input(field.kind))
            _validate(ws, row, 1, field.kind, field.choices)
        note = "（必填）" + field.note if field.required and field.prefilled is None else field.note
        if note:
            ws.write_string(row, 2, note, formats.note())
        row += 1
    return row


def _write_table(ws: Worksheet, table: Table, row: int, formats: Formats) -> int:
    for col, column in enumerate(table.columns):
        ws.write_string(row, col, column.header, formats.header())
        ws.set_column(col, col, max(column.width, 8))
    ws.set_row(row, 30)
    ws.repeat_rows(row)
    row += 1
    for spec in table.rows:
        _write_fixed_row(ws, table, spec, row, formats)
        row += 1
    for number in range(1, table.free_rows + 1):
        _write_free_row(ws, table, number, row, formats)
        row += 1
    if table.total_row:
        _write_total_row(ws, table, row, formats)
        row += 1
    return row


def _write_fixed_row(ws: Worksheet, table: Table, spec: Row, row: int, formats: Formats) -> None:
    inputs = table.row_inputs(spec)
    for col, column in enumerate(table.columns):
        if col == 0:
            ws.write_string(row, col, spec.label, formats.label(spec.indent))
        elif column.header in spec.values:
            _write_value(ws, row, col, spec.values[column.header], formats.locked(column.kind))
        elif column.header in inputs:
            ws.write_blank(row, col, None, formats.input(column.kind))
            _validate(ws, row, col, column.kind, column.choices)
        else:
            ws.write_blank(row, col, None, formats.locked(column.kind))


def _write_free_row(ws: Worksheet, table: Table, number: int, row: int, formats: Formats) -> None:
    for col, column in enumerate(table.columns):
        if col == 0 and column.header == "序号":
            ws.write_number(row, col, number, formats.input(Kind.COUNT))
            continue
        ws.write_blank(row, col, None, formats.input(column.kind))
        _validate(ws, row, col, column.kind, column.choices)


def _write_total_row(ws: Worksheet, table: Table, row: int, formats: Formats) -> None:
    weights = [Decimal(str(spec.values.get("分值", 0))) for spec in table.rows]
    for col, column in enumerate(table.columns):
        if col == 0:
            ws.write_string(row, col, table.total_row, formats.label())
        elif column.header == "分值":
            ws.write_number(row, col, float(sum(weights, Decimal(0))), formats.locked(column.kind))
        elif column.header == "自评得分":
            ws.write_blank(row, col, None, formats.input(column.kind))
        else:
            ws.write_blank(row, col, None, formats.locked())


def _write_value(ws: Worksheet, row: int, col: int, value: object, fmt: Any) -> None:
    if isinstance(value, str):
        ws.write_string(row, col, value, fmt)
    else:
        ws.write_number(row, col, float(str(value)), fmt)


def _validate(ws: Worksheet, row: int, col: int, kind: Kind, choices: tuple[str, ...]) -> None:
    if kind is Kind.CHOICE:
        ws.data_validation(row, col, row, col, {
            "validate": "list", "source": list(choices),
            "input_title": "请选择", "input_message": "从下拉列表中选择",
            "error_title": "填写有误", "error_message": "请从下拉列表中选择：" + " / ".join(choices),
        })


def _write_guide(ws: Worksheet, template: Template, row: int, formats: Formats) -> None:
    ws.set_column(0, 0, 14)
    ws.set_column(1, 1, 90)
    lines = [*template.guide_lines, *(f"《{s.name}》：{s.guide}" for s in template.sheets if s.guide)]
    for line in lines:
        ws.merge_range(row, 0, row, 2, line, formats.text())
        ws.set_row(row, 15 * (1 + len(line) // 60))
        row += 1


def _print_setup(ws: Worksheet, sheet: Sheet) -> None:
    ws.set_paper(9)
    if sheet.landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_footer(FOOTER)
    ws.center_horizontally()

