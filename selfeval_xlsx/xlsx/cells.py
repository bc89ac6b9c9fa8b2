"""The cells of a sheet as the reader keeps them (`SheetValues`), and their geometry: cell
references, column widths from <col> ranges, overlapping merged ranges, the range merged down
over a cell."""

from __future__ import annotations

import bisect
import heapq
import re
from dataclasses import dataclass, field

REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
Cell = tuple[object, str, str]  # value, number format, formula ("" when none)
Merge = tuple[int, int, int, int]  # first row, first column, last row, last column


def column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LETTERED_COLUMNS = 18_278  # "ZZZ": as far as three letters go (Excel's grid ends at XFD, 16,384)
_LETTERS: list[str] = ["", *ALPHABET, *(a + b for a in ALPHABET for b in ALPHABET)]  # 0, A..Z, AA..ZZ
_MORE_LETTERS: dict[int, str] = {}  # three-letter columns, computed once when first asked for
COLUMNS = {letters: col for col, letters in enumerate(_LETTERS) if col}  # A..ZZ: nearly every cell


def column_letter(col: int) -> str:
    """1 -> "A", 27 -> "AA", 18,278 -> "ZZZ"; ValueError outside 1..18,278 (as openpyxl's
    `get_column_letter`). Letters are bijective base 26: no digit stands for zero."""
    if 0 < col < len(_LETTERS):
        return _LETTERS[col]
    letters = _MORE_LETTERS.get(col)
    if letters is None:
        if not 1 <= col <= LETTERED_COLUMNS:
            raise ValueError(f"invalid column index {col}")
        high, low = divmod(col - 1, 26)
        letters = _MORE_LETTERS[col] = _LETTERS[high] + ALPHABET[low]
    return letters


def coordinate(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"


@dataclass
class SheetValues:
    """Cells with a value or a formula: (row, col) -> (value, number format, formula)."""

    name: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    merged: list[Merge] = field(default_factory=list)
    styles: dict[tuple[int, int], int] = field(default_factory=dict)  # cell -> cellXfs index
    widths: dict[int, float] = field(default_factory=dict)  # column -> custom width
    height_runs: list[tuple[int, int, float]] = field(default_factory=list)  # rows a..b: height
    shared: dict[tuple[int, int], str] = field(default_factory=dict)  # uncached cell -> si
    masters: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # si -> text, origin

    def formula(self, row: int, col: int) -> str:
        """The formula of a cell; a shared formula is translated from its master cell's
        ("=?" when it cannot be: no master, or text openpyxl's translator does not take)."""
        formula = self.cells[(row, col)][2]
        master = self.masters.get(self.shared.get((row, col), ""))
        if formula != "=?" or master is None:
            return formula
        from openpyxl.formula.translate import Translator

        text, origin_row, origin_col = master
        try:
            translated = Translator("=" + text, coordinate(origin_row, origin_col))
            return str(translated.translate_formula(coordinate(row, col)))
        except Exception:  # the third-party tokenizer raises several kinds for odd text
            return "=?"


def column_widths(columns: list[tuple[int, int, float]]) -> dict[int, float]:
    """Column -> width, from <col> ranges sorted by their first column; where ranges overlap
    (no Excel file does) the first keeps its columns. At most 16,384 entries."""
    widths: dict[int, float] = {}
    free = 1
    for first, last, width in sorted(columns, key=lambda c: c[0]):
        for col in range(max(first, free), last + 1):
            widths[col] = width
        free = max(free, last + 1)
    return widths


def first_overlap(ranges: list[Merge]) -> tuple[Merge, Merge] | None:
    """Two ranges that share a cell, or None. A sweep down the rows keeps the ranges open at the
    current row, which do not overlap each other, sorted by first column: O(n log n)."""
    open_firsts: list[int] = []  # first columns of the open ranges, sorted
    open_ranges: dict[int, Merge] = {}
    closing: list[tuple[int, int]] = []  # (last row, first column) heap
    for merge in sorted(ranges):
        row, col, _, last_col = merge
        while closing and closing[0][0] < row:
            _, closed = heapq.heappop(closing)
            del open_firsts[bisect.bisect_left(open_firsts, closed)]
            del open_ranges[closed]
        position = bisect.bisect_left(open_firsts, col)
        if position < len(open_firsts) and open_firsts[position] <= last_col:
            return open_ranges[open_firsts[position]], merge
        if position and open_ranges[open_firsts[position - 1]][3] >= col:
            return open_ranges[open_firsts[position - 1]], merge
        open_firsts.insert(position, col)
        open_ranges[col] = merge
        heapq.heappush(closing, (merge[2], col))
    return None


def range_text(merge: Merge) -> str:
    return f"{coordinate(merge[0], merge[1])}:{coordinate(merge[2], merge[3])}"


class MergedDown:
    """The merged ranges that span rows, by their first column: the range that covers a cell
    from above (merged ranges never overlap: an overlap is refused when the sheet is read)."""

    def __init__(self, merged: list[Merge]) -> None:
        self._ranges: dict[int, list[tuple[int, int]]] = {}  # column -> (first, last row), sorted
        for first_row, col, last_row, _ in sorted(merged):
            if last_row > first_row:
                self._ranges.setdefault(col, []).append((first_row, last_row))

    def origin(self, row: int, col: int) -> int | None:
        """The first row of the range whose first column is `col` and that covers `row` below
        its first row; None when no such range covers it."""
        ranges = self._ranges.get(col, [])
        i = bisect.bisect_left(ranges, (row, 0)) - 1  # the last range starting above `row`
        return ranges[i][0] if i >= 0 and ranges[i][1] >= row else None
