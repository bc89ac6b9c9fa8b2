"""Generate the blank template from the declarative description, with xlsxwriter.

Every wrapped text gets a row height that fits it (`layout`), free-text fields are large merged
input areas, and sheet protection (without a password) allows what 填表说明 invites: inserting
rows and columns, resizing, selecting.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from selfeval_xlsx.atomic import write_atomically
from selfeval_xlsx.template.layout import LINE_HEIGHT, lines_needed
from selfeval_xlsx.template.spec import GUIDE, Field, Form, Kind, Row, Sheet, Table, Template
from selfeval_xlsx.xlsx.ownership import MARK_PROPERTY, Made

FONT = "宋体"
INPUT_FILL = "#FFF2CC"
LOCKED_FILL = "#F2F2F2"
HEADER_FILL = "#DDEBF7"
NUMBER_FORMATS = {Kind.AMOUNT: "#,##0.00", Kind.PERCENT: "0.00", Kind.COUNT: "0",
                  Kind.YEAR: "0", Kind.SCORE: "0.00", Kind.DATE: "yyyy-mm-dd"}
FOOTER = "&C第 &P 页 共 &N 页"
FIXED_TIME = dt.datetime(2024, 1, 1)
PROTECTION = {"insert_rows": True, "insert_columns": True, "format_columns": True,
              "format_rows": True, "select_locked_cells": True, "select_unlocked_cells": True}
FORM_WIDTHS = (30, 32)  # the value and note columns of a form sheet
TABLE_WIDTH = 14  # a column of a sheet without forms, until its table sets it


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

    def caption(self) -> Any:
        return self.get(bold=True)

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

    def area(self) -> Any:
        """A large free-text input: wrapped, from the top left."""
        return self.get(border=1, text_wrap=True, valign="top", bg_color=INPUT_FILL,
                        locked=False, num_format="@")

    def note(self) -> Any:
        return self.get(font_color="#7F7F7F", font_size=9, text_wrap=True)

    def text(self) -> Any:
        return self.get(text_wrap=True, valign="top")


def write_template(template: Template, path: Path) -> None:
    """Write the blank template to `path` (atomically)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"default_format_properties": {"font_name": FONT}})
    book.set_properties({"title": "部门整体支出绩效自评数据表", "created": FIXED_TIME})
    book.set_custom_property(MARK_PROPERTY, Made.TEMPLATE.value)
    formats = Formats(book)
    places: dict[tuple[str, str], tuple[int, int]] = {}  # (sheet, label) -> its value cell
    for sheet in template.sheets:
        SheetWriter(book.add_worksheet(sheet.name), sheet, formats, places).write(template)
    book.close()
    write_atomically(path, buffer.getvalue())


class SheetWriter:
    """One sheet: its blocks top to bottom, then row heights that fit every wrapped text."""

    def __init__(self, ws: Worksheet, sheet: Sheet, formats: Formats,
                 places: dict[tuple[str, str], tuple[int, int]] | None = None) -> None:
        self.ws, self.sheet, self.formats = ws, sheet, formats
        self.places = places if places is not None else {}
        self.span = max([3, *(len(t.columns) for t in sheet.tables)])
        self.widths: dict[int, float] = {}
        self.texts: list[tuple[int, int, int, str]] = []  # (row, first col, last col, text)
        self.lines: dict[int, int] = {}  # rows that need at least so many lines

    def write(self, template: Template) -> None:
        self.ws.merge_range(0, 0, 0, self.span - 1, self.sheet.title, self.formats.title())
        self.ws.set_row(0, 28)
        self._subtitle()
        self._width(0, self.sheet.label_width)
        for col, width in enumerate(FORM_WIDTHS if self.sheet.forms else (TABLE_WIDTH,) * 2,
                                    start=1):
            self._width(col, width)
        row = 2
        for block in self.sheet.blocks:
            row = self._form(block, row) if isinstance(block, Form) else self._table(block, row)
            row += 1
        if self.sheet.name == GUIDE:
            self._guide(template, row)
        self._fit_rows()
        _print_setup(self.ws, self.sheet)
        self.ws.protect("", PROTECTION)

    def _subtitle(self) -> None:
        """A line under the title showing a field of 填表说明 (e.g. the year), as a formula."""
        before, label, after = self.sheet.subtitle
        place = self.places.get((GUIDE, label)) if label else None
        if place is None:
            return
        cell = xl_rowcol_to_cell(*place, row_abs=True, col_abs=True)
        formula = f'="{before}"&\'{GUIDE}\'!{cell}&"{after}"'
        self.ws.merge_range(1, 0, 1, self.span - 1, "", self.formats.get(align="center"))
        self.ws.write_formula(1, 0, formula, self.formats.get(align="center"), f"{before}{after}")

    # ---- sizes ----

    def _width(self, col: int, width: float) -> None:
        self.ws.set_column(col, col, width)
        self.widths[col] = width

    def _text(self, row: int, first: int, last: int, text: str) -> None:
        """A wrapped text over columns first..last of `row`: the row grows to fit it."""
        self.texts.append((row, first, last, text))

    def _fit_rows(self) -> None:
        """Heights from the final column widths (a table may widen a column after a form)."""
        lines = dict(self.lines)
        for row, first, last, text in self.texts:
            width = sum(self.widths.get(c, 8.43) for c in range(first, last + 1))
            lines[row] = max(lines.get(row, 1), lines_needed(text, width))
        for row, count in sorted(lines.items()):
            if count > 1:
                self.ws.set_row(row, LINE_HEIGHT * count)

    # ---- forms ----

    def _form(self, form: Form, row: int) -> int:
        for field in form.fields:
            row = self._area(field, row) if field.lines > 1 else self._field(field, row, form.span)
        return row

    def _field(self, field: Field, row: int, span: int = 1) -> int:
        ws, formats = self.ws, self.formats
        self.places[(self.sheet.name, field.label)] = (row, 1)
        ws.write_string(row, 0, field.label, formats.label())
        self._text(row, 0, 0, field.label)
        if field.prefilled is not None:
            fmt = formats.locked(field.kind)
            _cell(ws, row, 1, span, None, fmt)
            _write_value(ws, row, 1, field.prefilled, fmt)
        else:
            _cell(ws, row, 1, span, None, formats.input(field.kind))
            _validate(ws, row, 1, field.kind, field.choices)
        note = _note(field)
        if note:
            self._note_beside(row, span, note)
        return row + 1

    def _note_beside(self, row: int, span: int, note: str) -> None:
        """A note right of a field's input (`span` columns from B): in the form's own note column
        when the input is one cell wide, else over the sheet's remaining columns (the project
        form), so that it wraps within its row's height."""
        col = 1 + span
        last = max(col, self.span - 1) if span > 1 else col
        if last > col:
            self.ws.merge_range(row, col, row, last, note, self.formats.note())
        else:
            self.ws.write_string(row, col, note, self.formats.note())
        self._text(row, col, last, note)

    def _area(self, field: Field, row: int) -> int:
        """A free-text field: the label beside a merged input area `lines` rows high, the note
        below it. The reader finds the area as the first cell right of the label."""
        ws, formats, last = self.ws, self.formats, self.span - 1
        end = row + field.lines - 1
        ws.merge_range(row, 0, end, 0, field.label, formats.label())
        ws.merge_range(row, 1, end, last, "", formats.area())
        note = _note(field)
        if note:
            ws.merge_range(end + 1, 1, end + 1, last, note, formats.note())
            self._text(end + 1, 1, last, note)
            return end + 2
        return end + 1

    # ---- tables ----

    def _table(self, table: Table, row: int) -> int:
        if table.caption:
            self.ws.write_string(row, 0, table.caption, self.formats.caption())
            row += 1
        for col, column in zip(_starts(table), table.columns, strict=True):
            _cell(self.ws, row, col, column.span, column.header, self.formats.header())
            if column.span == 1:
                self._width(col, max(column.width, 8))
            self._text(row, col, col + column.span - 1, column.header)
        self.lines[row] = max(self.lines.get(row, 1), 2)
        self.ws.repeat_rows(row)
        row += 1
        for spec in table.rows:
            self._fixed_row(table, spec, row)
            row += 1
        for number in range(1, table.free_rows + 1):
            _write_free_row(self.ws, table, number, row, self.formats)
            self.lines[row] = max(c.lines for c in table.columns)
            row += 1
        if table.total_row:
            _write_total_row(self.ws, table, row, self.formats)
            row += 1
        return row

    def _fixed_row(self, table: Table, spec: Row, row: int) -> None:
        ws, formats = self.ws, self.formats
        inputs = table.row_inputs(spec)
        for col, column in enumerate(table.columns):
            if col == 0:
                ws.write_string(row, col, spec.label, formats.label(spec.indent))
                self._text(row, col, col, "  " * spec.indent + spec.label)
            elif column.header in spec.values:
                value = spec.values[column.header]
                _write_value(ws, row, col, value, formats.locked(column.kind))
                if isinstance(value, str):
                    self._text(row, col, col, value)
            elif column.header in inputs:
                ws.write_blank(row, col, None, formats.input(column.kind))
                _validate(ws, row, col, column.kind, column.choices)
            else:
                ws.write_blank(row, col, None, formats.locked(column.kind))

    # ---- 填表说明 ----

    def _guide(self, template: Template, row: int) -> None:
        self._width(0, 14)
        noted = any(_note(f) for form in self.sheet.forms for f in form.fields)
        self._width(1, 70 if noted else 80)
        self._width(2, 12 if noted else 2)  # the guide spans three columns: portrait-legible
        lines = [*template.guide_lines,
                 *(f"《{s.name}》：{s.guide}" for s in template.sheets if s.guide)]
        for line in lines:
            self.ws.merge_range(row, 0, row, 2, line, self.formats.text())
            self._text(row, 0, 2, line)
            row += 1


def _note(field: Field) -> str:
    required = field.required and field.prefilled is None
    return "（必填）" + field.note if required else field.note


def _starts(table: Table) -> list[int]:
    """The sheet column where each table column starts (a column may span several)."""
    starts, col = [], 0
    for column in table.columns:
        starts.append(col)
        col += column.span
    return starts


def _cell(ws: Worksheet, row: int, col: int, span: int, value: object, fmt: Any) -> None:
    if span > 1:
        ws.merge_range(row, col, row, col + span - 1, "", fmt)
    if value is None:
        ws.write_blank(row, col, None, fmt)
    else:
        _write_value(ws, row, col, value, fmt)


def _write_free_row(ws: Worksheet, table: Table, number: int, row: int, formats: Formats) -> None:
    for col, column in zip(_starts(table), table.columns, strict=True):
        if col == 0 and column.header == "序号":
            ws.write_number(row, col, number, formats.input(Kind.COUNT))
            continue
        fmt = formats.area() if column.lines > 1 else formats.input(column.kind)
        _cell(ws, row, col, column.span, None, fmt)
        _validate(ws, row, col, column.kind, column.choices, column.hint)


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


SUGGESTED = "定性指标从列表中选择；定量指标直接填写数值"


def _validate(ws: Worksheet, row: int, col: int, kind: Kind, choices: tuple[str, ...],
              hint: str = "") -> None:
    if kind is Kind.CHOICE:
        ws.data_validation(row, col, row, col, {
            "validate": "list", "source": list(choices),
            "input_title": "请选择", "input_message": "从下拉列表中选择",
            "error_title": "填写有误", "error_message": "请从下拉列表中选择：" + " / ".join(choices),
        })
    elif choices:  # a text column with suggested words: other entries are allowed
        ws.data_validation(row, col, row, col, {
            "validate": "list", "source": list(choices), "error_type": "information",
            "input_title": "可选择或填写", "input_message": hint or SUGGESTED,
            "error_title": "提示", "error_message": "不是列表中的词：" + (hint or "定量指标填写数值即可。"),
        })


def _print_setup(ws: Worksheet, sheet: Sheet) -> None:
    ws.set_paper(9)
    if sheet.landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_footer(FOOTER)
    ws.center_horizontally()
