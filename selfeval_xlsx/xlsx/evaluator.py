"""Compute the formulas of a workbook saved without cached values: iteratively, once per cell.

A formula's value needs the values of the cells it refers to, which may be formulas themselves:
a chain of any length, any fan-out. `FormulaEngine` walks that graph with an explicit stack
(never Python recursion), computes each cell once and keeps its outcome (a value or the
FormulaError) for the rest of the workbook; a cell met again while it is being computed is a
circular reference. Every step (a token parsed, a cell looked at) is counted against one work
budget per workbook, so no workbook can make the tool work without end: past it, each formula
still to compute gives a FormulaError of kind "budget".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

from selfeval_xlsx.xlsx.cells import SheetValues, coordinate
from selfeval_xlsx.xlsx.formula_arithmetic import FormulaError
from selfeval_xlsx.xlsx.formulas import ParsedFormula, evaluate_parsed, parse_formula

MAX_WORK = 2_000_000  # steps per workbook: a few seconds; a filled template needs a few thousand
CellNumber = Callable[[object, str], Decimal | None]
"""The number in a cell (value, number format); None when empty; ValueError when not a number."""
Key = tuple[str, int, int]  # sheet, row, column
Outcome = Decimal | FormulaError


class _Frame:
    """A cell being computed: its parsed formula and the cells it still waits for."""

    __slots__ = ("error", "parsed", "pending")

    def __init__(self, parsed: ParsedFormula | None, pending: Iterator[Key],
                 error: FormulaError | None) -> None:
        self.parsed, self.pending, self.error = parsed, pending, error


class FormulaEngine:
    """The formula values of one workbook: `value(sheet, row, col)` of an uncached formula cell."""

    def __init__(self, sheet_of: Callable[[str], SheetValues | None], cell_number: CellNumber,
                 budget: int = MAX_WORK) -> None:
        self._sheet_of = sheet_of  # None for a sheet the workbook does not have
        self._cell_number = cell_number
        self._left = budget
        self._budget = budget
        self._outcomes: dict[Key, Outcome] = {}
        self._active: set[Key] = set()

    def value(self, sheet: str, row: int, col: int) -> Decimal:
        """The cell's computed value; FormulaError when it cannot be computed."""
        key = (sheet, row, col)
        if key not in self._outcomes:
            self._compute(key)
        outcome = self._outcomes[key]
        if isinstance(outcome, FormulaError):
            raise outcome
        return outcome

    def formula(self, key: Key) -> str:
        sheet = self._sheet_of(key[0])
        return sheet.formula(key[1], key[2]) if sheet is not None else ""

    # --- the walk ---

    def _compute(self, key: Key) -> None:
        stack = [key]
        frames: dict[Key, _Frame] = {}
        self._active = {key}
        try:
            while stack:
                top = stack[-1]
                if top not in frames:
                    frames[top] = self._frame(top)
                frame = frames[top]
                waiting = self._next_pending(frame)
                if waiting is not None:
                    stack.append(waiting)
                    self._active.add(waiting)
                    continue
                self._outcomes[top] = frame.error or self._evaluate(frame)
                stack.pop()
                self._active.discard(top)
                del frames[top]
        except FormulaError as exhausted:  # the budget: every cell still open fails with it
            for open_key in stack:
                self._outcomes.setdefault(open_key, exhausted)
        finally:
            self._active = set()

    def _frame(self, key: Key) -> _Frame:
        self._spend(1)
        text = self.formula(key)
        try:
            if text in ("", "=?"):
                raise FormulaError("the formula's text is not in the file", "unsupported",
                                   "文件中没有该公式的内容（共享公式缺少主公式，或为数据表）")
            parsed = parse_formula(text, key[0])
        except FormulaError as error:
            return _Frame(None, iter(()), error)
        self._spend(parsed.tokens)
        return _Frame(parsed, self._uncached_cells(parsed), None)

    def _uncached_cells(self, parsed: ParsedFormula) -> Iterator[Key]:
        """The formula cells without a cached value that `parsed` refers to."""
        for sheet_name, row1, col1, row2, col2 in parsed.ranges:
            sheet = self._sheet_of(sheet_name)
            if sheet is None:
                continue  # the lookup reports the unknown sheet
            cells = sheet.cells
            for row in range(row1, row2 + 1):
                self._spend(col2 - col1 + 1)
                for col in range(col1, col2 + 1):
                    cell = cells.get((row, col))
                    if cell is not None and cell[0] is None and cell[2]:
                        yield sheet_name, row, col

    def _next_pending(self, frame: _Frame) -> Key | None:
        for key in frame.pending:
            if key not in self._outcomes and key not in self._active:
                return key
        return None

    def _evaluate(self, frame: _Frame) -> Outcome:
        assert frame.parsed is not None
        try:
            return evaluate_parsed(frame.parsed, self._lookup)
        except FormulaError as error:
            if error.kind == "budget":
                raise
            return error

    def _lookup(self, sheet_name: str, row: int, col: int) -> Decimal | None:
        self._spend(1)
        key = (sheet_name, row, col)
        outcome = self._outcomes.get(key)
        if isinstance(outcome, FormulaError):
            raise outcome
        if outcome is not None:
            return outcome
        if key in self._active:
            raise FormulaError(f"circular reference at {sheet_name}!{coordinate(row, col)}",
                               "circular",
                               f"公式循环引用（经过 {sheet_name}!{coordinate(row, col)}）")
        sheet = self._sheet_of(sheet_name)
        if sheet is None:
            raise FormulaError(f"unknown sheet {sheet_name}", "ref",
                               f"引用了不存在的工作表“{sheet_name}”")
        cell = sheet.cells.get((row, col))
        if cell is None:
            return None
        try:
            return self._cell_number(cell[0], cell[1])
        except ValueError:
            raise _not_a_number(f"{sheet_name}!{coordinate(row, col)}", cell[0]) from None

    def _spend(self, steps: int) -> None:
        self._left -= steps
        if self._left < 0:
            raise FormulaError("the workbook's formulas need too much work", "budget",
                               f"工作簿中的公式计算量超过上限（{self._budget:,} 步），"
                               "其余公式未计算")


def _not_a_number(place: str, value: object) -> FormulaError:
    """A referenced cell without a number; text is shown, as Excel would not compute with it."""
    if isinstance(value, str):
        shown = value if len(value) <= 20 else value[:20] + "…"
        return FormulaError(f"{place} holds the text {shown!r}, not a number", "value",
                            f"{place} 是文字“{shown}”，不是数字（Excel 计算公式时不把文字当作数字）")
    return FormulaError(f"{place} is not a number", "value", f"{place} 不是数字")
