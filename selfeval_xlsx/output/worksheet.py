"""The workbook and worksheet classes of every output workbook: xlsxwriter's, with the path of
the three cells that make up nearly all of ours (text, number, blank) written shorter.

xlsxwriter stores each cell through a decorator that parses A1 references, then writes its XML
through a generic attribute loop that escapes every value. Our outputs give row and column as
numbers and the attributes of these cells (a reference, a style index) never need escaping, so
`OutputWorksheet` stores them and writes their XML directly, and skips the 29 regular-expression
passes over each formula's text where none can apply. The bytes are xlsxwriter's own,
character for character (tests compare whole workbooks written both ways); any other cell (a
formula, a date, a boolean, a rich string), any A1 reference and the constant-memory mode go
through xlsxwriter's code unchanged.
"""

from __future__ import annotations

import math
import re
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell_fast
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import CellBlankTuple, CellNumberTuple, CellStringTuple, Worksheet

_FAST_CELLS = (CellStringTuple, CellNumberTuple, CellBlankTuple)
# The functions `Worksheet._prepare_formula` rewrites with a `_xlfn.` prefix whatever the options
# (xlsxwriter 3.x; SINGLE's pattern is r"\SINGLE\(": any character but a space, then "INGLE(").
# A formula holding none of them followed by "(" (no run of capitals before a "(" ends with one) is
# left as it is by all 29 substitutions; a test compares the list with xlsxwriter's source.
DYNAMIC_FUNCTIONS = (
    "ANCHORARRAY", "BYCOL", "BYROW", "CHOOSECOLS", "CHOOSEROWS", "DROP", "EXPAND", "FILTER",
    "HSTACK", "LAMBDA", "MAKEARRAY", "MAP", "RANDARRAY", "REDUCE", "SCAN", "INGLE", "SEQUENCE",
    "SORT", "SORTBY", "SWITCH", "TAKE", "TEXTSPLIT", "TOCOL", "TOROW", "UNIQUE", "VSTACK",
    "WRAPCOLS", "WRAPROWS", "XLOOKUP",
)
# One of them followed by "(" anywhere: the same as a run of capitals before a "(" ending with it
# (every name is capitals only), found in one pass.
_DYNAMIC_CALL = re.compile("|".join(name + r"\(" for name in DYNAMIC_FUNCTIONS))


class OutputWorksheet(Worksheet):  # type: ignore[misc]  # xlsxwriter is untyped
    """A worksheet whose text, number and blank cells take the short path."""

    dim_rowmin: int | None  # the used range, as xlsxwriter keeps it
    dim_rowmax: int | None
    dim_colmin: int | None
    dim_colmax: int | None

    def write_string(self, row: Any, col: Any = None, *args: Any, **kwargs: Any) -> int:
        if not self._fast(row, col, args, kwargs) or type(args[0]) is not str \
                or len(args[0]) > self.xls_strmax // 2:  # the long ones are measured in UTF-16
            return int(super().write_string(row, col, *args, **kwargs))
        if self._place(row, col):
            return -1
        index = self.str_table._get_shared_string_index(args[0])
        self.table[row][col] = CellStringTuple(index, args[1] if len(args) > 1 else None)
        return 0

    def write_number(self, row: Any, col: Any = None, *args: Any, **kwargs: Any) -> int:
        if not self._fast(row, col, args, kwargs) or type(args[0]) is not float \
                or not math.isfinite(args[0]):
            return int(super().write_number(row, col, *args, **kwargs))
        if self._place(row, col):
            return -1
        self.table[row][col] = CellNumberTuple(args[0], args[1] if len(args) > 1 else None)
        return 0

    def write_blank(self, row: Any, col: Any = None, *args: Any, **kwargs: Any) -> int:
        if not self._fast(row, col, args, kwargs):
            return int(super().write_blank(row, col, *args, **kwargs))
        cell_format = args[1] if len(args) > 1 else None
        if cell_format is None:  # as xlsxwriter: a blank without a format is no cell
            return 0
        if self._place(row, col):
            return -1
        self.table[row][col] = CellBlankTuple(cell_format)
        return 0

    def _fast(self, row: Any, col: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
        """Numbers for row and column, a value and at most a format: the short path applies."""
        return (type(row) is int and type(col) is int and 1 <= len(args) <= 2 and not kwargs
                and not self.constant_memory)

    def _place(self, row: int, col: int) -> bool:
        """xlsxwriter's `_check_dimensions`: True outside the sheet, else the used range grows."""
        if row < 0 or col < 0 or row >= self.xls_rowmax or col >= self.xls_colmax:
            return True
        self.dim_rowmin, self.dim_rowmax = _widen(self.dim_rowmin, self.dim_rowmax, row)
        self.dim_colmin, self.dim_colmax = _widen(self.dim_colmin, self.dim_colmax, col)
        return False

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        """xlsxwriter's, without its 29 regular-expression passes where none can match."""
        text = formula[1:] if formula.startswith("{") else formula
        text = text[1:] if text.startswith("=") else text
        text = text[:-1] if text.endswith("}") else text
        if expand_future_functions or self.use_future_functions or "_xlfn." in text \
                or _DYNAMIC_CALL.search(text):
            return str(super()._prepare_formula(formula, expand_future_functions))
        return text

    def _write_cell(self, row: int, col: int, cell: Any) -> None:
        kind = cell.__class__
        if kind not in _FAST_CELLS:
            super()._write_cell(row, col, cell)
            return
        reference, style = xl_rowcol_to_cell_fast(row, col), self._style(row, col, cell.format)
        if kind is CellStringTuple:
            self.fh.write(f'<c r="{reference}"{style} t="s"><v>{cell.string}</v></c>')
        elif kind is CellNumberTuple:
            self.fh.write(f'<c r="{reference}"{style}><v>{cell.number:.16G}</v></c>')
        else:
            self.fh.write(f'<c r="{reference}"{style}/>')

    def _style(self, row: int, col: int, cell_format: Any) -> str:
        """The cell's ` s="…"` as xlsxwriter picks it: its own format, the row's, the column's."""
        if cell_format:
            return f' s="{cell_format._get_xf_index()}"'
        info = self.row_info.get(row)
        if info is not None and info.row_format:
            return f' s="{info.row_format._get_xf_index()}"'
        column = self.col_info.get(col)
        if column is not None and column.column_format is not None:
            return f' s="{column.column_format._get_xf_index()}"'
        return ""


def _widen(low: int | None, high: int | None, value: int) -> tuple[int, int]:
    """A used range's (first, last) once `value` is in it."""
    return (value if low is None or value < low else low,
            value if high is None or value > high else high)


class OutputWorkbook(Workbook):  # type: ignore[misc]  # xlsxwriter is untyped
    """An xlsxwriter workbook whose worksheets are `OutputWorksheet`s."""

    worksheet_class = OutputWorksheet
