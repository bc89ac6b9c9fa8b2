"""Building blocks of the output workbook, and its listing sheet 校验结果.

Positions are computed from the data: a table is written from a top row and its column specs.
`copies` writes the data-sheet copies; `workbook` puts the sheets together.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from selfeval_xlsx.findings import Finding, Severity, shown
from selfeval_xlsx.template.layout import LINE_HEIGHT, fit_width, lines_needed
from selfeval_xlsx.template.writer import FONT, FOOTER, Formats

AMOUNT = "#,##0.00"
PERCENT = "0.00%"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm:ss"
TIME = "hh:mm:ss"
LINK = {"font_color": "#0563C1", "underline": 1}
SEVERITY_FILLS = {Severity.ERROR: "#FFC7CE", Severity.WARNING: "#FFDDB0", Severity.INFO: "#CFE2F3"}
TITLE_ROW, INFO_ROW, HEADER_ROW = 0, 1, 2  # the layout of the tool's own sheets
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
PORTRAIT_WIDTH = 100  # width units that still print legibly on a portrait A4 page
DEFAULT_WIDTH = 8.43
FINDINGS_TITLE = "校验结果"
CELL_REFERENCE = re.compile(r"^[A-Z]{1,3}[1-9][0-9]*$")


@dataclass(frozen=True)
class Place:
    """A cell of the output workbook."""

    sheet: str
    row: int
    col: int

    @property
    def cell(self) -> str:
        return str(xl_rowcol_to_cell(self.row, self.col))

    @property
    def reference(self) -> str:
        return f"'{self.sheet}'!{self.cell}"


@dataclass(frozen=True)
class Formula:
    """A formula with the value it computes (cached in the file for every reader)."""

    text: str
    value: float | str


@dataclass(frozen=True)
class Link:
    """An internal hyperlink showing `text`."""

    place: Place
    text: str


@dataclass(frozen=True)
class Styled:
    """A value with extra format properties for its cell."""

    value: object
    props: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Column:
    header: str
    num_format: str = ""
    wrap: bool = False
    cap: int = 20  # widest the column may grow (width units)
    floor: int = 6


Row = Mapping[str, object]  # header -> value (plain, Formula, Link or Styled)


def display_text(value: object) -> str:
    """The text a cell shows, near enough for sizing columns."""
    if type(value) is str:  # most cells: checked first
        return value
    if isinstance(value, Styled | Formula):
        return display_text(value.value)
    if isinstance(value, Link):
        return value.text
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value).upper()
    if isinstance(value, int | float | Decimal):
        number = finite_float(value)
        return f"{number:,.2f}" if number is not None else str(value)
    return str(value)


def finite_float(value: int | float | Decimal) -> float | None:
    """The number as a float, None when no float holds it (inf, nan, or an integer of 400 digits,
    which a program can write in a number cell)."""
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def write_value(ws: Worksheet, formats: Formats, row: int, col: int, value: object,
                **props: Any) -> None:
    """Write one value with the writer its type needs; text is always written as text."""
    if isinstance(value, Styled):
        write_value(ws, formats, row, col, value.value, **{**props, **value.props})
    elif value is None or value == "":
        ws.write_blank(row, col, None, formats.get(**props))
    elif isinstance(value, Formula):
        ws.write_formula(row, col, value.text, formats.get(**props), value.value)
    elif isinstance(value, Link):
        ws.write_url(row, col, f"internal:{value.place.reference}",
                     formats.get(**{**props, **LINK}), string=value.text)
    elif isinstance(value, str):
        ws.write_string(row, col, value, formats.get(**props))
    else:
        _write_scalar(ws, formats, row, col, value, props)


def _write_scalar(ws: Worksheet, formats: Formats, row: int, col: int, value: object,
                  props: dict[str, Any]) -> None:
    if isinstance(value, bool):
        ws.write_boolean(row, col, value, formats.get(**props))
    elif isinstance(value, int | float | Decimal) and (number := finite_float(value)) is not None:
        ws.write_number(row, col, number, formats.get(**props))
    elif isinstance(value, dt.datetime | dt.date | dt.time):
        props.setdefault("num_format", _date_format(value))
        ws.write_datetime(row, col, _naive(value), formats.get(**props))
    else:
        ws.write_string(row, col, str(value), formats.get(**props))


def _date_format(value: dt.datetime | dt.date | dt.time) -> str:
    if isinstance(value, dt.datetime):
        return DATE if value.time() == dt.time(0) else DATETIME
    return DATE if isinstance(value, dt.date) else TIME


def _naive(value: dt.datetime | dt.date | dt.time) -> dt.datetime | dt.date | dt.time:
    return value.replace(tzinfo=None) if isinstance(value, dt.datetime | dt.time) else value


class Marks:
    """The findings shown on one output sheet, by cell: a fill and a comment."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.by_cell: dict[tuple[int, int], list[Finding]] = {}

    def add(self, place: Place, finding: Finding) -> None:
        self.by_cell.setdefault((place.row, place.col), []).append(finding)

    def fill(self, row: int, col: int) -> dict[str, Any]:
        findings = self.by_cell.get((row, col))
        if not findings:
            return {}
        worst = min(findings, key=lambda f: f.severity.rank).severity
        return {"bg_color": SEVERITY_FILLS[worst], "pattern": 1}

    def annotate(self, ws: Worksheet, row: int, col: int) -> None:
        findings = self.by_cell.get((row, col))
        if findings:
            text = "\n".join(f"【{f.severity.zh}】{f.rule} {f.described.render(self.lang)}"
                             for f in findings)
            height = 20 + 16 * lines_needed(text, 44)
            ws.write_comment(row, col, text, {"author": "selfeval", "font_name": FONT,
                                              "font_size": 10, "width": 320, "height": height})


def title_rows(ws: Worksheet, formats: Formats, title: str, info: str, width: int) -> None:
    """The title and a one-line description (unit, year, scheme) above a sheet's table."""
    ws.merge_range(TITLE_ROW, 0, TITLE_ROW, width - 1, "", formats.title())
    ws.write_string(TITLE_ROW, 0, title, formats.title())
    ws.set_row(TITLE_ROW, 28)
    if info:
        ws.merge_range(INFO_ROW, 0, INFO_ROW, width - 1, "", formats.get())
        ws.write_string(INFO_ROW, 0, info, formats.get())


def write_grid(ws: Worksheet, formats: Formats, top: int, left: int,
               columns: Sequence[Column], rows: Sequence[Row],
               marks: Marks | None = None) -> int:
    """A header row and its rows at (top, left); returns the row after the last."""
    for offset, column in enumerate(columns):
        ws.write_string(top, left + offset, column.header, formats.header())
    plain = [{"border": 1, "text_wrap": c.wrap, "num_format": c.num_format} for c in columns]
    plain_formats = [formats.get(**props) for props in plain]
    marked = marks.by_cell if marks is not None else {}
    for number, values in enumerate(rows, start=top + 1):
        for offset, column in enumerate(columns):
            col, value = left + offset, values.get(column.header)
            if marks is not None and (number, col) in marked:
                marks.annotate(ws, number, col)
                write_value(ws, formats, number, col, value,
                            **{**plain[offset], **marks.fill(number, col)})
            elif not write_plain(ws, number, col, value, plain_formats[offset]):
                write_value(ws, formats, number, col, value, **plain[offset])
    return top + 1 + len(rows)


def write_plain(ws: Worksheet, row: int, col: int, value: object, fmt: Any) -> bool:
    """Write the value in the column's own format as `write_value` would (most cells: a text,
    a finite number, nothing); False for any other value, left to `write_value`."""
    kind = type(value)
    if kind is str:
        if value:
            ws.write_string(row, col, value, fmt)
        else:
            ws.write_blank(row, col, None, fmt)
    elif value is None:
        ws.write_blank(row, col, None, fmt)
    elif kind is int or kind is float or kind is Decimal:
        number = finite_float(value)  # type: ignore[arg-type]  # a number here
        if number is None:
            return False
        ws.write_number(row, col, number, fmt)
    else:
        return False
    return True


def table_widths(columns: Sequence[Column], rows: Sequence[Row]) -> list[float]:
    """Each column's width: its widest text, within the column's floor and cap."""
    return [fit_width([c.header, *(display_text(r.get(c.header)) for r in rows)], c.floor, c.cap)
            for c in columns]


def write_table(ws: Worksheet, formats: Formats, columns: Sequence[Column], rows: Sequence[Row],
                marks: Marks | None = None, widths: Sequence[float] | None = None) -> int:
    """A full-width table under the title rows: widths fitted (unless given, as
    `table_widths` gives them), header repeated on every page."""
    widths = table_widths(columns, rows) if widths is None else widths
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    end = write_grid(ws, formats, HEADER_ROW, 0, columns, rows, marks)
    ws.set_row(HEADER_ROW, LINE_HEIGHT * 2)
    ws.repeat_rows(HEADER_ROW)
    wrapped = [(c.header, w) for c, w in zip(columns, widths, strict=True) if c.wrap]
    for number, values in enumerate(rows, start=HEADER_ROW + 1):
        lines = max((lines_needed(display_text(values.get(header)), w)
                     for header, w in wrapped), default=1)
        if lines > 1:
            ws.set_row(number, LINE_HEIGHT * lines)
    return end


def print_setup(ws: Worksheet, landscape: bool) -> None:
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_footer(FOOTER)
    ws.center_horizontally()


# ---- 校验结果 ----

FINDING_COLUMNS = (
    Column("序号", "0", cap=6), Column("级别", cap=6), Column("规则", cap=6),
    Column("工作表", cap=10), Column("单元格", cap=8), Column("行项目", wrap=True, cap=16),
    Column("说明", wrap=True, cap=64, floor=40), Column("期望值", wrap=True, cap=14),
    Column("实际值", wrap=True, cap=14),
)


def write_findings_sheet(ws: Worksheet, formats: Formats, findings: Sequence[Finding],
                         places: Sequence[Place | None], info: str, lang: str) -> None:
    title_rows(ws, formats, FINDINGS_TITLE, info, len(FINDING_COLUMNS))
    rows = [_finding_row(number, finding, place, lang)
            for number, (finding, place) in enumerate(zip(findings, places, strict=True), 1)]
    end = write_table(ws, formats, FINDING_COLUMNS, rows)
    ws.autofilter(HEADER_ROW, 0, end - 1, len(FINDING_COLUMNS) - 1)
    if not rows:
        ws.write_string(end, 0, "未发现问题。", formats.get())
    print_setup(ws, landscape=True)


def _finding_row(number: int, finding: Finding, place: Place | None, lang: str) -> Row:
    severity = Styled(finding.severity.zh, {"bg_color": SEVERITY_FILLS[finding.severity],
                                            "pattern": 1, "align": "center"})
    return {
        "序号": number, "级别": severity, "规则": finding.rule, "工作表": finding.sheet,
        "单元格": Link(place, finding.cell or place.cell) if place else finding.cell,
        "行项目": finding.label, "说明": finding.message.render(lang),
        "期望值": shown(finding.expected, lang), "实际值": shown(finding.actual, lang),
    }


def parse_cell(reference: str) -> tuple[int, int] | None:
    """(row, col), zero-based, of an A1 reference within Excel's grid; None otherwise."""
    if not CELL_REFERENCE.match(reference):
        return None
    letters = reference.rstrip("0123456789")
    col = 0
    for letter in letters:
        col = col * 26 + ord(letter) - ord("A") + 1
    row = int(reference[len(letters):])
    if row > EXCEL_ROWS or col > EXCEL_COLUMNS:
        return None
    return row - 1, col - 1
