"""Fill and edit template workbooks the way a clerk does, finding cells by their labels.

Independent of the tool's reader on purpose: it looks for exact label texts with openpyxl, so a
reader bug cannot hide behind the same bug here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet


def find_text(ws: Worksheet, text: str) -> Cell:
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.strip() == text:
                return cell
    raise KeyError(f"{ws.title}: no cell with text {text!r}")


def field_cell(ws: Worksheet, label: str) -> Cell:
    cell = find_text(ws, label)
    return ws.cell(cell.row, cell.column + 1)


def set_field(ws: Worksheet, label: str, value: Any) -> str:
    cell = field_cell(ws, label)
    cell.value = value
    return str(cell.coordinate)


def header_columns(ws: Worksheet, first_header: str, headers: Iterable[str]) -> tuple[int, dict[str, int]]:
    head = find_text(ws, first_header)
    wanted = set(headers) | {first_header}
    columns = {str(c.value).strip(): c.column for c in ws[head.row] if isinstance(c.value, str)
               and str(c.value).strip() in wanted}
    return head.row, columns


def table_cell(ws: Worksheet, first_header: str, row_label: str, header: str) -> Cell:
    head_row, columns = header_columns(ws, first_header, [header])
    label_col = columns[first_header]
    for row in range(head_row + 1, ws.max_row + 1):
        value = ws.cell(row, label_col).value
        if isinstance(value, str) and value.strip() == row_label:
            return ws.cell(row, columns[header])
    raise KeyError(f"{ws.title}: no row {row_label!r}")


def set_cell(ws: Worksheet, first_header: str, row_label: str, header: str, value: Any) -> str:
    cell = table_cell(ws, first_header, row_label, header)
    cell.value = value
    return str(cell.coordinate)


def fill_rows(ws: Worksheet, first_header: str, headers: Sequence[str],
              rows: Sequence[Sequence[Any]]) -> list[int]:
    """Write free rows under the header; clears the template's rows below first."""
    head_row, columns = header_columns(ws, first_header, headers)
    written = []
    for offset, values in enumerate(rows, start=1):
        for header, value in zip(headers, values, strict=True):
            ws.cell(head_row + offset, columns[header]).value = value
        written.append(head_row + offset)
    return written


def free_row(ws: Worksheet, first_header: str, number: int) -> int:
    """The sheet row of the n-th free row (1-based) under the header."""
    head_row, _ = header_columns(ws, first_header, [])
    return head_row + number


def insert_column(ws: Worksheet, index: int) -> None:
    """Insert a column as Excel does: openpyxl's insert_cols leaves merged ranges where they
    were, so the ranges at or right of `index` are moved along here."""
    ranges = [r for r in ws.merged_cells.ranges if r.max_col >= index]
    for merged in ranges:
        ws.unmerge_cells(str(merged))
    ws.insert_cols(index)
    for merged in ranges:
        merged.shift(col_shift=1 if merged.min_col >= index else 0)
        if merged.min_col < index <= merged.max_col:
            merged.expand(right=1)
        ws.merge_cells(str(merged))



def insert_row(ws: Worksheet, index: int) -> None:
    """Insert a row as Excel does: openpyxl's insert_rows leaves merged ranges where they were,
    so the ranges at or below `index` are moved down here."""
    ranges = [r for r in ws.merged_cells.ranges if r.max_row >= index]
    for merged in ranges:
        ws.unmerge_cells(str(merged))
    ws.insert_rows(index)
    for merged in ranges:
        merged.shift(row_shift=1 if merged.min_row >= index else 0)
        if merged.min_row < index <= merged.max_row:
            merged.expand(down=1)
        ws.merge_cells(str(merged))
