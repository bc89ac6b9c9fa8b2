"""The copies of the input's data sheets in the output workbook: values only, findings marked.

Every cell the tool read is copied, however far down or right it lies: the copy visits the cells
the input holds (and the cells a finding marks), never every position of the used range, so a
sheet with one cell at XFD1048576 costs one cell. Merged ranges and row heights are looks:
they are copied up to a bound of covered cells and of rows, so a merge of a whole sheet or a
million formatted rows cannot make the output huge.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from xlsxwriter.worksheet import Worksheet

from selfeval_xlsx.output.sheets import (
    DEFAULT_WIDTH,
    PORTRAIT_WIDTH,
    Marks,
    print_setup,
    write_plain,
    write_value,
)
from selfeval_xlsx.output.worksheet import OutputWorksheet
from selfeval_xlsx.template.layout import LINE_HEIGHT, lines_needed
from selfeval_xlsx.template.spec import Sheet
from selfeval_xlsx.template.writer import Formats
from selfeval_xlsx.xlsx.cells import coordinate
from selfeval_xlsx.xlsx.package import SheetValues
from selfeval_xlsx.xlsx.workbook import LoadedWorkbook

MAX_MERGED_CELLS = 100_000  # cells covered by the merged ranges copied (a template has ~100)
MAX_HEIGHT_ROWS = 10_000  # custom row heights copied for rows without a cell
Merge = tuple[int, int, int, int]  # zero-based first row, first col, last row, last col


class SparseWorksheet(OutputWorksheet):
    """A worksheet that writes its rows visiting only the rows and cells it holds.

    xlsxwriter visits every row of the used range, and every column of it on each row with
    data, adding an empty entry per row as it goes: one cell at XFD1048576 costs a million rows
    and 16,384 columns per row. The XML written here is the same, in the time and memory of the
    cells."""

    def _calculate_spans(self) -> None:
        spans: dict[int, str] = {}
        block, low, high = -1, 0, 0
        for row in self._rows(set(self.table) | set(self.comments)):
            columns = self._columns(row, self.table) + self._columns(row, self.comments)
            if not columns:
                continue
            if row // 16 != block:
                if block >= 0:
                    spans[block] = f"{low + 1}:{high + 1}"
                block, low, high = row // 16, min(columns), max(columns)
            else:
                low, high = min(low, *columns), max(high, *columns)
        if block >= 0:
            spans[block] = f"{low + 1}:{high + 1}"
        self.row_spans = spans

    def _write_rows(self) -> None:
        self._calculate_spans()
        filled = {row for row, cells in self.table.items() if cells}
        for row in self._rows(filled | set(self.row_info) | set(self.comments)):
            span = self.row_spans.get(row // 16)
            if row in filled:
                if row not in self.row_info:
                    self._write_row(row, span)
                else:
                    self._write_row(row, span, self.row_info[row])
                for col in self._columns(row, self.table):
                    self._write_cell(row, col, self.table[row][col])
                self._xml_end_tag("row")
            else:
                self._write_empty_row(row, span, self.row_info.get(row))

    def _rows(self, rows: set[int]) -> list[int]:
        return _within(rows, self.dim_rowmin, self.dim_rowmax)

    def _columns(self, row: int, table: dict[int, dict[int, Any]]) -> list[int]:
        return _within(table.get(row) or {}, self.dim_colmin, self.dim_colmax)


def _within(places: Iterable[int], first: int | None, last: int | None) -> list[int]:
    """The places within the used range first..last, in order (none while it is empty)."""
    if first is None or last is None:
        return []
    return sorted(place for place in places if first <= place <= last)


def write_copy(ws: Worksheet, formats: Formats, book: LoadedWorkbook, source: str,
               sheet: Sheet, marks: Marks, header_row: int | None) -> None:
    """The input's sheet, values only, findings highlighted."""
    SheetCopy(ws, formats, book, source, marks).write(sheet, header_row)


class SheetCopy:
    """Copies one input sheet (`source`) into an output worksheet, from the fast reader's values,
    formats, merged ranges, sizes and cell looks (no second reading of the file)."""

    def __init__(self, ws: Worksheet, formats: Formats, book: LoadedWorkbook, source: str,
                 marks: Marks) -> None:
        self.ws, self.formats, self.marks = ws, formats, marks
        self.book, self.source, self.src = book, source, book.sheet(source)
        self.plain_formats: dict[tuple[int, bool], tuple[bool, Any, bool]] = {}

    def write(self, sheet: Sheet, header_row: int | None) -> None:
        merges = _merged_ranges(self.src)
        places = _content(self.src, self.marks)
        rows = max([0, *(row + 1 for row, _ in places), *(m[2] + 1 for m in merges)])
        cols = max([0, *(col + 1 for _, col in places), *(m[3] + 1 for m in merges)])
        places |= {(r - 1, c - 1) for r, c in self.src.styles if r <= rows and c <= cols}
        widths = _copy_widths(self.src, cols, self.ws)
        fixed_heights = _copy_heights(self.src, {row for row, _ in places}, rows, self.ws)
        covered = _covered(merges)
        for first_row, first_col, last_row, last_col in (m for m in merges if m[:2] != m[2:]):
            self.ws.merge_range(first_row, first_col, last_row, last_col, "",
                                self.formats.get(**self.look(first_row + 1, first_col + 1)))
        lines: dict[int, int] = {}
        for row, col in sorted(places):
            if (row, col) not in covered:  # the merge formats it
                needed = self.cell(row + 1, col + 1, widths[col])
                lines[row] = max(lines.get(row, 1), needed)
        for row, count in sorted(lines.items()):
            if count > 1 and row not in fixed_heights:
                self.ws.set_row(row, LINE_HEIGHT * count)
        if header_row is not None and header_row < rows:
            self.ws.repeat_rows(header_row)
        print_setup(self.ws, landscape=sheet.landscape or sum(widths) > PORTRAIT_WIDTH)

    def cell(self, row_number: int, col_number: int, width: float) -> int:
        """Copy one cell; return the lines its wrapped text needs at `width`."""
        value = self.value(row_number, col_number)
        kind = type(value)
        if (row_number - 1, col_number - 1) in self.marks.by_cell or not (
                kind is str or value is None or kind is int or kind is float):
            return self.marked_cell(row_number, col_number, value, width)
        numeric = kind is not str and value is not None
        styled, fmt, wrap = self.plain(self.src.styles.get((row_number, col_number), 0), numeric)
        if value is None and not styled:
            return 1
        if not write_plain(self.ws, row_number - 1, col_number - 1, value, fmt):  # not finite
            return self.marked_cell(row_number, col_number, value, width)
        return lines_needed(value, width) if wrap and kind is str else 1  # type: ignore[arg-type]

    def plain(self, style: int, numeric: bool) -> tuple[bool, Any, bool]:
        """For an unmarked cell of `style`: whether it has a look, its format, whether it wraps
        (as `marked_cell` would give them; once per style and kind of value)."""
        key = (style, numeric)
        if key not in self.plain_formats:
            props = dict(self.book.look(style))
            if not numeric:
                props.pop("num_format", None)
            self.plain_formats[key] = (bool(props), self.formats.get(**props),
                                       bool(props.get("text_wrap")))
        return self.plain_formats[key]

    def marked_cell(self, row_number: int, col_number: int, value: object, width: float) -> int:
        """Copy one cell with what marks it (or a value of another kind): the general way."""
        row, col = row_number - 1, col_number - 1
        props = {**self.look(row_number, col_number), **self.marks.fill(row, col)}
        if value is None and not props:
            return 1
        if not isinstance(value, int | float | Decimal) or isinstance(value, bool):
            props.pop("num_format", None)
        write_value(self.ws, self.formats, row, col, value, **props)
        self.marks.annotate(self.ws, row, col)
        wrapped = props.get("text_wrap") and isinstance(value, str)
        return lines_needed(value, width) if wrapped and isinstance(value, str) else 1

    def value(self, row: int, col: int) -> object:
        """The cell's value; a formula saved without one is computed (None for a blank cell)."""
        cell = self.src.cells.get((row, col))
        if cell is None:
            return None
        if cell[0] is not None:
            return cell[0]
        return self.book.resolve(self.source, coordinate(row, col)).value

    def look(self, row: int, col: int) -> dict[str, Any]:
        return dict(self.book.look(self.src.styles.get((row, col), 0)))


def _content(src: SheetValues, marks: Marks) -> set[tuple[int, int]]:
    """Zero-based positions of the cells with a value or a formula, and of the cells a finding
    marks: they set the copy's bounds (with the merged ranges); styled cells inside are added."""
    places = {(row - 1, col - 1) for row, col in src.cells}
    places.update(marks.by_cell)
    return places


def _merged_ranges(src: SheetValues) -> list[Merge]:
    """The merged ranges, zero-based, in order, as long as the cells they cover stay within
    MAX_MERGED_CELLS (a merge of a whole sheet is left out: the copy shows its values)."""
    chosen: list[Merge] = []
    area = 0
    for r1, c1, r2, c2 in sorted(src.merged):
        size = (r2 - r1 + 1) * (c2 - c1 + 1)
        if area + size > MAX_MERGED_CELLS:
            continue
        area += size
        chosen.append((r1 - 1, c1 - 1, r2 - 1, c2 - 1))
    return chosen


def _covered(merges: list[Merge]) -> set[tuple[int, int]]:
    """Cells inside a merged range other than its top-left one (at most MAX_MERGED_CELLS)."""
    return {(r, c) for r1, c1, r2, c2 in merges for r in range(r1, r2 + 1)
            for c in range(c1, c2 + 1) if (r, c) != (r1, c1)}


def _copy_widths(src: SheetValues, cols: int, ws: Worksheet) -> list[float]:
    widths = [DEFAULT_WIDTH] * cols
    for col, width in src.widths.items():
        if col <= cols and width:
            widths[col - 1] = width
            ws.set_column_pixels(col - 1, col - 1, round(width * 7))
    return widths


def _copy_heights(src: SheetValues, filled: set[int], rows: int, ws: Worksheet) -> set[int]:
    """Copy the heights the input sets, on rows with a cell and on up to MAX_HEIGHT_ROWS others;
    return those rows (zero-based)."""
    fixed: set[int] = set()
    spare = MAX_HEIGHT_ROWS
    with_cells = sorted(filled)
    for first, last, height in src.height_runs:
        row, last = first - 1, min(last, rows) - 1
        chosen = []
        while row <= last and spare > 0:  # the first rows of the run, filled or not
            spare -= row not in filled
            chosen.append(row)
            row += 1
        start = bisect.bisect_left(with_cells, row)  # then only its rows with a cell
        chosen += with_cells[start:bisect.bisect_right(with_cells, last)]
        for index in chosen:
            ws.set_row(index, height)
        fixed.update(chosen)
    return fixed
