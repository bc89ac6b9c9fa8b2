"""Compute the arithmetic that template formulas use, in Decimal, without Excel.

Workbooks saved by openpyxl keep formulas but no cached values, so the checker evaluates the
small subset of Excel the templates need: numbers, cell and range references (optionally on
another sheet), + - * / ^ %, comparisons, and SUM, ROUND, ROUNDUP, ROUNDDOWN, ABS, MIN, MAX,
AVERAGE, IF, IFERROR. Anything else raises FormulaError(kind="unsupported").

A formula is parsed (recursive descent, nesting bounded) into nested closures and the list of
the ranges it refers to (`parse_formula`); short formulas are cached per (formula, sheet).
Evaluating a closure gives a Decimal, or for a reference the list of its cells' values. Cells
are looked up by (sheet, row, column); the workbook's `FormulaEngine` (`engine`) computes the
cells a formula refers to first, so evaluating a closure never recurses into another cell.
"""

from __future__ import annotations

import decimal
import functools
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeAlias

from selfeval_xlsx.xlsx.cells import column_letter
from selfeval_xlsx.xlsx.formula_arithmetic import (
    COMPARISONS,
    CONTEXT,
    Expr,
    FormulaError,
    FormulaErrorKind,
    Lookup,
    Value,
    apply,
    divide,
    excel_round,
    numbers,
    scalar,
)

MAX_RANGE_CELLS = 10_000
MAX_NESTING = 64
MAX_FORMULA_CHARS = 8192  # Excel's limit for the text of a formula
CACHED_FORMULA_CHARS = 256  # formulas up to this length are cached across workbooks
Range: TypeAlias = tuple[str, int, int, int, int]  # sheet, first row, first col, last row, last col
_SHEET = r"(?:'(?:[^']|'')+'|[^\W\d][\w.]*)"
_CELL = r"\$?[A-Za-z]{1,3}\$?\d+"
_TOKEN_RE = re.compile(
    rf"""
      (?P<space>\s+)
    | (?P<span>(?:{_SHEET}!)?\$?(?:[A-Za-z]{{1,3}}:\$?[A-Za-z]{{1,3}}|\d+:\$?\d+)(?![\w(]))
    | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
    | (?P<error>(?:{_SHEET}!)?\#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|GETTING_DATA))
    | (?P<string>")
    | (?P<ref>(?:(?P<sheet>{_SHEET})!)?(?P<first>{_CELL})(?::(?P<last>{_CELL}))?(?![\w(!\[]))
    | (?P<function>[A-Za-z_][\w.]*(?=\())
    | (?P<name>[^\W\d][\w.]*)
    | (?P<op><>|<=|>=|[-+*/^%=<>(),])
    """,
    re.VERBOSE,
)
_CELL_RE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
_ERROR_KINDS: dict[str, FormulaErrorKind] = {"#DIV/0!": "div0", "#REF!": "ref"}


def _tokenize(formula: str) -> list[re.Match[str]]:
    tokens: list[re.Match[str]] = []
    position = 0
    while position < len(formula):
        token = _TOKEN_RE.match(formula, position)
        if token is None:
            shown = formula[position : position + 12]
            raise FormulaError(f"unsupported syntax at {shown!r}",
                               zh=f"无法识别“{shown}”处的写法")
        if token.lastgroup == "span":
            raise FormulaError(f"whole-column or whole-row reference {token.group()!r}",
                               zh=f"不支持整列或整行引用“{token.group()}”")
        if token.lastgroup == "string":
            raise FormulaError("text literals are not supported", zh="不支持公式中的文字常量")
        if token.lastgroup != "space":
            tokens.append(token)
        position = token.end()
    return tokens


def _cell_position(text: str) -> tuple[int, int]:
    """(row, column) of "$B$5"; raises for positions outside an Excel sheet."""
    match = _CELL_RE.fullmatch(text)
    assert match is not None, text  # the tokenizer only passes cell-shaped text
    letters, digits = match.groups()
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - ord("A") + 1
    if not (column <= 16_384 and len(digits) <= 7 and 1 <= int(digits) <= 1_048_576):
        raise FormulaError(f"{text!r} is not a valid cell reference", "unsupported",
                           f"“{text}”不是有效的单元格引用")
    return int(digits), column


def _sheet_name(text: str) -> str:
    if not text.startswith("'"):
        return text
    if ":" in text:
        raise FormulaError(f"3-D reference {text!r} is not supported",
                           zh=f"不支持跨多个工作表的引用“{text}”")
    return text[1:-1].replace("''", "'")


def _reference(token: re.Match[str], default_sheet: str, ranges: list[Range]) -> Expr:
    sheet = _sheet_name(token["sheet"]) if token["sheet"] else default_sheet
    row1, column1 = _cell_position(token["first"])
    row2, column2 = _cell_position(token["last"] or token["first"])
    rows = range(min(row1, row2), max(row1, row2) + 1)
    columns = range(min(column1, column2), max(column1, column2) + 1)
    if len(rows) * len(columns) > MAX_RANGE_CELLS:
        raise FormulaError(f"range {token.group()!r} has more than {MAX_RANGE_CELLS} cells",
                           zh=f"区域“{token.group()}”超过 {MAX_RANGE_CELLS:,} 个单元格")
    ranges.append((sheet, rows.start, columns.start, rows.stop - 1, columns.stop - 1))
    return lambda lookup: [_cell(lookup, sheet, r, c) for r in rows for c in columns]


def _cell(lookup: Lookup, sheet: str, row: int, col: int) -> Decimal | None:
    value = lookup(sheet, row, col)
    if value is not None and not value.is_finite():
        raise FormulaError(f"{sheet}!{column_letter(col)}{row} is not a finite number",
                           "value", f"{sheet}!{column_letter(col)}{row} 不是有效的数值")
    return value


def _error_literal(text: str) -> Expr:
    kind = _ERROR_KINDS.get("#" + text.rpartition("#")[2], "value")

    def raise_error(lookup: Lookup) -> Value:
        raise FormulaError(f"error value {text}", kind, f"公式中有错误值 {text}")

    return raise_error


def _fold(first: Expr, rest: list[tuple[str, Expr]]) -> Expr:
    """first op1 x1 op2 x2 ..., left to right (iterative, so long sums do not nest)."""

    def evaluate_chain(lookup: Lookup) -> Value:
        result = scalar(first(lookup))
        for op, operand in rest:
            result = apply(op, result, scalar(operand(lookup)))
        return result

    return evaluate_chain


def _number(text: str) -> Decimal:
    try:
        return Decimal(text)
    except decimal.InvalidOperation:  # an exponent beyond what Decimal can hold
        raise FormulaError(f"the number {text[:20]!r} is too large", "value",
                           f"数字“{text[:20]}”超出了可计算的范围") from None


def _constant(value: Decimal) -> Expr:
    return lambda lookup: value


class _Parser:
    """Excel precedence, loosest first: comparison, + -, * /, ^, % (postfix), unary - +."""

    def __init__(self, formula: str, sheet: str) -> None:
        self.tokens = _tokenize(formula)
        self.position = 0
        self.sheet = sheet
        self.depth = 0
        self.ranges: list[Range] = []

    def parse(self) -> Expr:
        expr = self._comparison()
        if self._peek() is not None:
            raise FormulaError(f"unexpected {self._peek()!r}", zh=f"多余的“{self._peek()}”")
        return expr

    def _peek(self) -> str | None:
        return self.tokens[self.position].group() if self.position < len(self.tokens) else None

    def _accept(self, ops: Collection[str]) -> str | None:
        text = self._peek()
        if text is None or text not in ops:
            return None
        self.position += 1
        return text

    def _expect(self, op: str) -> None:
        if self._accept((op,)) is None:
            raise FormulaError(f"expected {op!r}", zh=f"缺少“{op}”")

    def _nest(self, step: int) -> None:
        self.depth += step
        if self.depth > MAX_NESTING:
            raise FormulaError("formula is nested too deeply",
                               zh=f"公式嵌套超过 {MAX_NESTING} 层")

    def _comparison(self) -> Expr:
        left = self._chain(self._term, ("+", "-"))
        op = self._accept(COMPARISONS)
        if op is None:
            return left
        right = self._chain(self._term, ("+", "-"))
        if self._accept(COMPARISONS) is not None:
            raise FormulaError("chained comparisons are not supported", zh="不支持连续比较")
        return _fold(left, [(op, right)])

    def _chain(self, operand: Callable[[], Expr], ops: tuple[str, ...]) -> Expr:
        first = operand()
        rest: list[tuple[str, Expr]] = []
        while (op := self._accept(ops)) is not None:
            rest.append((op, operand()))
        return _fold(first, rest) if rest else first

    def _term(self) -> Expr:
        return self._chain(self._power, ("*", "/"))

    def _power(self) -> Expr:
        return self._chain(self._percent, ("^",))

    def _percent(self) -> Expr:
        expr = self._unary()
        while self._accept(("%",)):
            expr = _fold(expr, [("/", _constant(Decimal(100)))])
        return expr

    def _unary(self) -> Expr:
        sign = self._accept(("-", "+"))
        if sign is None:
            return self._primary()
        self._nest(1)
        operand = self._unary()
        self._nest(-1)
        return _fold(_constant(Decimal(0)), [("-", operand)]) if sign == "-" else operand

    def _primary(self) -> Expr:
        if self._peek() is None:
            raise FormulaError("formula ends too early", zh="公式不完整")
        token = self.tokens[self.position]
        self.position += 1
        kind, text = token.lastgroup, token.group()
        if kind == "number":
            return _constant(_number(text))
        if kind == "ref":
            return _reference(token, self.sheet, self.ranges)
        if kind == "error":
            return _error_literal(text)
        if kind == "function":
            return self._call(text)
        if kind == "name" and text.upper() in ("TRUE", "FALSE"):
            return _constant(Decimal(text.upper() == "TRUE"))
        if text != "(":
            raise FormulaError(f"unsupported {kind} {text!r}", zh=f"不支持“{text}”")
        self._nest(1)
        expr = self._comparison()
        self._expect(")")
        self._nest(-1)
        return expr

    def _call(self, raw_name: str) -> Expr:
        name = raw_name.upper().removeprefix("_XLFN.")
        if name not in _FUNCTIONS:
            raise FormulaError(f"unsupported function {name}", zh=f"不支持函数 {name}")
        low, high, handler = _FUNCTIONS[name]
        self._nest(1)
        args = self._arguments()
        self._nest(-1)
        if not low <= len(args) <= high:
            raise FormulaError(f"{name} takes {low} to {high} arguments, got {len(args)}",
                               zh=f"函数 {name} 需要 {low} 到 {high} 个参数，实际有 {len(args)} 个")
        return lambda lookup: handler(args, lookup)

    def _arguments(self) -> list[Expr]:
        self._expect("(")
        args: list[Expr] = []
        if self._accept((")",)):
            return args
        while True:
            empty = self._peek() in (",", ")")  # SUM(B5,,B6): an empty argument is 0
            args.append(_constant(Decimal(0)) if empty else self._comparison())
            if self._accept((")",)):
                return args
            self._expect(",")


@dataclass(frozen=True)
class ParsedFormula:
    """A formula ready to evaluate: its closure, the ranges it refers to, and its size in
    tokens (what parsing it cost)."""

    expr: Expr
    ranges: tuple[Range, ...]
    tokens: int


def parse_formula(formula: str, sheet: str) -> ParsedFormula:
    """Parse `formula` (as stored, with or without "="); raises FormulaError."""
    if len(formula) > MAX_FORMULA_CHARS:
        raise FormulaError(f"the formula is longer than {MAX_FORMULA_CHARS} characters",
                           zh=f"公式超过 {MAX_FORMULA_CHARS:,} 个字符（Excel 的上限）")
    if len(formula) <= CACHED_FORMULA_CHARS:
        return _parse_cached(formula, sheet)
    return _parse(formula, sheet)


@functools.lru_cache(maxsize=1024)
def _parse_cached(formula: str, sheet: str) -> ParsedFormula:
    return _parse(formula, sheet)


def _parse(formula: str, sheet: str) -> ParsedFormula:
    text = formula.strip().removeprefix("=")
    if not text.strip():
        raise FormulaError("empty formula", zh="公式是空的")
    parser = _Parser(text, sheet)
    try:
        expr = parser.parse()
    except RecursionError:  # within MAX_NESTING this does not happen; a deep caller stack
        raise FormulaError("formula is nested too deeply", zh="公式嵌套过深") from None
    return ParsedFormula(expr, tuple(parser.ranges), len(parser.tokens))


Handler: TypeAlias = Callable[[list[Expr], Lookup], Decimal]


def _aggregate(combine: Callable[[list[Decimal]], Decimal]) -> Handler:
    return lambda args, lookup: combine(numbers([arg(lookup) for arg in args]))


def _average(numbers: list[Decimal]) -> Decimal:
    return divide(sum(numbers, Decimal(0)), Decimal(len(numbers)))


def _rounder(rounding: str) -> Handler:
    def round_handler(args: list[Expr], lookup: Lookup) -> Decimal:
        value, digits = (scalar(arg(lookup)) for arg in args)
        return excel_round(value, digits, rounding)

    return round_handler


def _if(args: list[Expr], lookup: Lookup) -> Decimal:
    if scalar(args[0](lookup)) != 0:
        return scalar(args[1](lookup))
    return scalar(args[2](lookup)) if len(args) > 2 else Decimal(0)


def _iferror(args: list[Expr], lookup: Lookup) -> Decimal:
    try:
        return scalar(args[0](lookup))
    except FormulaError as error:
        if error.kind not in ("div0", "ref", "value"):
            raise  # unsupported syntax and cycles are not Excel errors
    return scalar(args[1](lookup))


_FUNCTIONS: dict[str, tuple[int, int, Handler]] = {
    "SUM": (1, 255, _aggregate(lambda numbers: sum(numbers, Decimal(0)))),
    "MIN": (1, 255, _aggregate(lambda numbers: min(numbers, default=Decimal(0)))),
    "MAX": (1, 255, _aggregate(lambda numbers: max(numbers, default=Decimal(0)))),
    "AVERAGE": (1, 255, _aggregate(_average)),
    "ABS": (1, 1, lambda args, lookup: abs(scalar(args[0](lookup)))),
    "ROUND": (2, 2, _rounder(decimal.ROUND_HALF_UP)),
    "ROUNDUP": (2, 2, _rounder(decimal.ROUND_UP)),
    "ROUNDDOWN": (2, 2, _rounder(decimal.ROUND_DOWN)),
    "IF": (2, 3, _if),
    "IFERROR": (2, 2, _iferror),
}


CellLookup: TypeAlias = Callable[[str, str], Decimal | None]  # sheet, "B5"


def evaluate(formula: str, sheet: str, lookup: CellLookup) -> Decimal:
    """Value of `formula` (as openpyxl stores it) on `sheet`; cells come from lookup(sheet, "B5").

    Raises FormulaError; a FormulaError raised by `lookup` (e.g. kind "circular") propagates.
    """
    return evaluate_parsed(parse_formula(formula, sheet),
                           lambda s, row, col: lookup(s, f"{column_letter(col)}{row}"))


def evaluate_parsed(parsed: ParsedFormula, lookup: Lookup) -> Decimal:
    """Value of a parsed formula; cells come from lookup(sheet, row, column)."""
    with decimal.localcontext(CONTEXT):
        try:
            return scalar(parsed.expr(lookup))
        except decimal.DivisionByZero as error:
            raise FormulaError("division by zero", "div0", "公式中有除以零") from error
        except decimal.DecimalException as error:
            raise FormulaError("arithmetic error", "value", "计算结果超出了可计算的范围") from error
        except RecursionError:
            raise FormulaError("formula is nested too deeply", zh="公式嵌套过深") from None
