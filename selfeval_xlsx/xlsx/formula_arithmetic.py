"""Decimal arithmetic with Excel's semantics, for the formula evaluator (`formulas`).

The values a formula works on (a number, or the cells of a reference), the one exception it
raises (`FormulaError`, with a kind), the operators and comparisons at Excel's 15 significant
digits, and Excel's ROUND family.
"""

from __future__ import annotations

import decimal
import operator
from collections.abc import Callable
from decimal import Decimal
from typing import Literal, TypeAlias

FormulaErrorKind: TypeAlias = Literal["unsupported", "div0", "ref", "value", "circular", "budget"]
Lookup: TypeAlias = Callable[[str, int, int], Decimal | None]  # sheet, row, column
Value: TypeAlias = Decimal | list[Decimal | None]  # a number, or the cells of a reference
Expr: TypeAlias = Callable[[Lookup], Value]


KINDS = ("unsupported", "div0", "ref", "value", "circular", "budget")
GENERIC_ZH = {"unsupported": "公式含有本工具不支持的内容", "div0": "公式中有除以零",
              "ref": "公式引用了无效的单元格", "value": "公式中有无法计算的值",
              "circular": "公式循环引用了自身", "budget": "工作簿中的公式计算量超过上限"}
CONTEXT = decimal.Context(
    prec=34,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
MAX_EXPONENT = 100_000  # 10^100000 already overflows the context; larger ones are not tried
MAX_DIGITS = 308  # ROUND's digits beyond Excel's number range are an argument error
# Excel keeps 15 significant digits; ROUND* and comparisons look at a value at that precision,
# so that ROUNDDOWN(1/3*3,0) is 1 and 1/3*3=1 is TRUE, as in Excel.
EXCEL_DIGITS = decimal.Context(prec=15, rounding=decimal.ROUND_HALF_EVEN)


class FormulaError(Exception):
    """The formula cannot be computed. str(e) is a short English reason, `zh` the Chinese one;
    e.kind says why."""

    def __init__(self, reason: str, kind: FormulaErrorKind = "unsupported", zh: str = "") -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown FormulaError kind {kind!r}")
        super().__init__(reason)
        self.kind: FormulaErrorKind = kind
        self.zh = zh or GENERIC_ZH[kind]


def scalar(value: Value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if len(value) != 1:
        raise FormulaError("a range can only be used inside a function",
                           zh="单元格区域只能用在函数中")
    return Decimal(0) if value[0] is None else value[0]


def numbers(values: list[Value]) -> list[Decimal]:
    """Arguments of SUM-like functions: references contribute their non-empty cells."""
    result: list[Decimal] = []
    for value in values:
        if isinstance(value, Decimal):
            result.append(value)
        else:
            result.extend(cell for cell in value if cell is not None)
    return result


def divide(left: Decimal, right: Decimal) -> Decimal:
    if right == 0:
        raise FormulaError("division by zero", "div0", "公式中有除以零")
    return left / right


def power(base: Decimal, exponent: Decimal) -> Decimal:
    if exponent != exponent.to_integral_value():
        raise FormulaError("only integer exponents are supported", zh="乘方只支持整数次方")
    if base == 0 and exponent < 0:
        raise FormulaError("zero to a negative power", "div0", "零的负数次方")
    if base == 0 and exponent == 0:
        raise FormulaError("zero to the power zero", "value", "零的零次方")
    if exponent.copy_abs() > MAX_EXPONENT:  # int() of 1E+999999999 alone would take minutes
        raise FormulaError("the exponent is too large", "value", "乘方的次数过大")
    return base ** int(exponent)


OPERATORS: dict[str, Callable[[Decimal, Decimal], Decimal]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": divide,
    "^": power,
}
COMPARISONS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "=": operator.eq,
    "<>": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
    "<=": operator.le,
    ">=": operator.ge,
}


def apply(op: str, left: Decimal, right: Decimal) -> Decimal:
    try:
        if op in COMPARISONS:
            excel_left, excel_right = EXCEL_DIGITS.plus(left), EXCEL_DIGITS.plus(right)
            return Decimal(COMPARISONS[op](excel_left, excel_right))
        return OPERATORS[op](left, right)
    except decimal.DecimalException as error:
        raise FormulaError(f"arithmetic error in {op!r}", "value",
                           f"运算“{op}”的结果超出了可计算的范围") from error


def excel_round(value: Decimal, digits: Decimal, rounding: str) -> Decimal:
    """Excel ROUND/ROUNDUP/ROUNDDOWN of the value seen at Excel's 15 significant digits; the
    digits are truncated to a whole number, as Excel does, and must lie within ±308."""
    if not digits.is_finite() or digits.copy_abs() > MAX_DIGITS:  # abs() would overflow
        raise FormulaError("the number of digits is out of range", "value",
                           f"取舍的小数位数超出范围（应在 -{MAX_DIGITS} 到 {MAX_DIGITS} 之间）")
    return _round(EXCEL_DIGITS.plus(value), int(digits), rounding)


def _round(value: Decimal, digits: int, rounding: str) -> Decimal:
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -digits:
        return value  # already has at most `digits` decimals
    try:
        rounded = value.quantize(Decimal((0, (1,), -digits)), rounding=rounding)
        return rounded.quantize(Decimal(1)) if digits < 0 else rounded
    except decimal.DecimalException as error:
        raise FormulaError("number too large to round", "value", "数值过大，无法取舍") from error
