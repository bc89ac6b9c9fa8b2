"""Tests for selfeval_xlsx.xlsx.formulas: every expected value is worked out by hand."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from selfeval_xlsx.xlsx.formula_arithmetic import FormulaError
from selfeval_xlsx.xlsx.formulas import MAX_RANGE_CELLS, evaluate

D = Decimal
SHEET = "绩效自评表"
Cells = dict[str, str]  # "B5" (on SHEET) or "收支预算!B5" -> decimal text


def lookup_from(cells: Cells) -> Callable[[str, str], Decimal | None]:
    def lookup(sheet: str, coordinate: str) -> Decimal | None:
        key = coordinate if sheet == SHEET else f"{sheet}!{coordinate}"
        return D(cells[key]) if key in cells else None

    return lookup


def run(formula: str, cells: Cells | None = None) -> Decimal:
    return evaluate(formula, SHEET, lookup_from(cells or {}))


BUDGET = {"B5": "334.38", "B6": "104.22", "B7": "15.34"}

VALUE_CASES: list[tuple[str, Cells, Decimal]] = [
    # literals, missing "=", whitespace
    ("=42", {}, D("42")),
    ("1.5", {}, D("1.5")),
    ("= 1 + 2 ", {}, D("3")),
    ("=.5+1e2", {}, D("100.5")),
    ("=50%", {}, D("0.5")),
    ("=TRUE+true+FALSE", {}, D("2")),
    # SUM and addition: 334.38 + 104.22 + 15.34 = 453.94
    ("=SUM(B5:B7)", BUDGET, D("453.94")),
    ("=sum(B7:B5)", BUDGET, D("453.94")),
    ("=B5+B6+B7", BUDGET, D("453.94")),
    ("=SUM(B5,B6,$B$7:$B$7)", BUDGET, D("453.94")),
    ("=SUM($B5:B$7)-B5", BUDGET, D("119.56")),  # 453.94 - 334.38
    ("=SUM(B5:C6)", {"B5": "1", "C5": "2", "B6": "3", "C6": "4"}, D("10")),
    ("=SUM(B5,,B6)", {"B5": "1", "B6": "2"}, D("3")),  # empty argument counts as 0
    # ROUND: 453.95 / 902.25 * 100 = 50.3131...
    ("=ROUND(B1/B2*100,2)", {"B1": "453.95", "B2": "902.25"}, D("50.31")),
    ("=ROUND(2.675,2)", {}, D("2.68")),
    ("=ROUND(-2.5,0)", {}, D("-3")),
    ("=ROUND(2.5,0)", {}, D("3")),
    ("=ROUND(1234.5,-2)", {}, D("1200")),
    ("=ROUND(1.5,2)", {}, D("1.5")),  # already precise enough: unchanged
    ("=ROUND(2.675,2.9)", {}, D("2.68")),  # digits truncated to 2, as in Excel
    ("=ROUNDUP(2.121,2)", {}, D("2.13")),
    ("=ROUNDUP(-2.121,2)", {}, D("-2.13")),  # away from zero
    ("=ROUNDDOWN(2.129,2)", {}, D("2.12")),
    ("=ROUNDDOWN(1/3*3,0)", {}, D("1")),  # 0.999…(34 digits) seen at 15 digits is 1
    # precedence: 4^2 = 16, 3*16 = 48, 2+48 = 50
    ("=2+3*4^2", {}, D("50")),
    ("=(2+3)*4", {}, D("20")),
    ("=2^3^2", {}, D("64")),  # Excel: left to right, (2^3)^2
    ("=-2^2", {}, D("4")),  # Excel: negation binds tighter than ^
    ("=2^-2", {}, D("0.25")),
    ("=10-4-3", {}, D("3")),
    ("=24/4/2", {}, D("3")),
    ("=1+-1", {}, D("0")),
    # unary minus/plus
    ("=-B3", {"B3": "12.5"}, D("-12.5")),
    ("=+B3", {"B3": "12.5"}, D("12.5")),
    ("=--B3", {"B3": "12.5"}, D("12.5")),
    ("=B5*0.5", BUDGET, D("167.19")),  # 334.38 * 0.5
    ("=(B1+B2)/2", {"B1": "3", "B2": "4"}, D("3.5")),
    ("=ABS(C9-B9)/B9", {"B9": "200", "C9": "150"}, D("0.25")),  # |150-200| / 200
    ("=SUM(B5:B9)-B10", {"B5": "1", "B9": "2", "B10": "0.5"}, D("2.5")),
    # qualified references, quoted and unquoted Chinese sheet names
    ("='收支预算'!B5-收支预算!C5", {"收支预算!B5": "100", "收支预算!C5": "30"}, D("70")),
    ("=SUM('收支预算'!B5:B6)+B5", {"收支预算!B5": "1", "收支预算!B6": "2", "B5": "4"}, D("7")),
    ("='It''s'!A1*2", {"It's!A1": "21"}, D("42")),
    ("=Sheet1!A1+'Sheet 2'!$A$1", {"Sheet1!A1": "1", "Sheet 2!A1": "2"}, D("3")),
    ("=绩效自评表!A1", {"A1": "9"}, D("9")),
    # empty cells: 0 in arithmetic, skipped by SUM/MIN/MAX/AVERAGE
    ("=B1+B2", {"B1": "5"}, D("5")),
    ("=B1", {}, D("0")),
    ("=SUM(B1:B3)", {}, D("0")),
    ("=MIN(B1:B3)", {"B2": "5", "B3": "7"}, D("5")),  # empty B1 is not 0
    ("=MAX(B1:B3)", {"B1": "-5", "B3": "-7"}, D("-5")),
    ("=MAX(B1:B3)", {}, D("0")),
    ("=AVERAGE(B1:B4)", {"B1": "1", "B2": "2", "B4": "6"}, D("3")),  # (1+2+6)/3
    ("=AVERAGE(B1:B2,0)", {"B1": "3"}, D("1.5")),  # (3+0)/2
    ("=MIN(B1,4,2)", {"B1": "3"}, D("2")),
    # comparisons and IF
    ("=IF(B9=0,0,B10/B9*100)", {"B10": "5"}, D("0")),
    ("=IF(B9=0,0,B10/B9*100)", {"B9": "20", "B10": "5"}, D("25")),
    ("=IF(B1<>0,1,2)", {"B1": "3"}, D("1")),
    ("=IF(B1>=3,1)", {"B1": "2"}, D("0")),  # missing else: FALSE
    ("=IF(B1,10,20)", {}, D("20")),
    ("=(B1>2)*10", {"B1": "3"}, D("10")),
    ("=1<2", {}, D("1")),
    ("=2<=1", {}, D("0")),
    ("=1/3*3=1", {}, D("1")),  # compared at Excel's 15 significant digits
    # IFERROR catches errors of the formula, not lookup cycles (see below)
    ("=IFERROR(B1/B2,0)", {"B1": "1"}, D("0")),
    ("=IFERROR(B1/B2,0)", {"B1": "1", "B2": "4"}, D("0.25")),
    ("=IFERROR(#REF!,7)", {}, D("7")),
    ("=_xlfn.IFERROR(1/0,-1)", {}, D("-1")),
]


@pytest.mark.parametrize(("formula", "cells", "expected"), VALUE_CASES)
def test_value(formula: str, cells: Cells, expected: Decimal) -> None:
    result = run(formula, cells)
    assert isinstance(result, Decimal)
    assert result == expected


ERROR_CASES: list[tuple[str, Cells, str]] = [
    ("=1/0", {}, "div0"),
    ("=B1/B2", {"B1": "1"}, "div0"),
    ("=AVERAGE(B1:B3)", {}, "div0"),
    ("=0^-1", {}, "div0"),
    ("=0^0", {}, "value"),
    ("=#DIV/0!", {}, "div0"),
    ("=#REF!+1", {}, "ref"),
    ("=Sheet2!#REF!", {}, "ref"),
    ("=#N/A", {}, "value"),
    ("=VLOOKUP(B1,C1:D9,2)", {}, "unsupported"),
    ('="abc"', {}, "unsupported"),
    ('=IF(B1=0,"无",1)', {}, "unsupported"),
    ("=SUM(A:A)", {}, "unsupported"),
    ("=SUM($A:$B)", {}, "unsupported"),
    ("=SUM(1:3)", {}, "unsupported"),
    ("=SUM(Sheet1:Sheet3!A1)", {}, "unsupported"),
    ("=SUM('Sheet1:Sheet3'!A1)", {}, "unsupported"),
    ("=SUM(Table1[金额])", {}, "unsupported"),
    ("=[1]Sheet1!A1", {}, "unsupported"),
    ("=预算合计", {}, "unsupported"),  # defined name
    ("=A1&B1", {}, "unsupported"),
    ("=A1:A3", {}, "unsupported"),  # range outside a function
    ("=SUM(A1:A3*2)", {}, "unsupported"),  # array arithmetic
    ("=SUM(A1:CV101)", {}, "unsupported"),  # 100 columns x 101 rows > 10,000 cells
    ("=2^0.5", {}, "unsupported"),
    ("=ROUND(1)", {}, "unsupported"),
    ("=ABS(1,2)", {}, "unsupported"),
    ("=SUM()", {}, "unsupported"),
    ("=1<2<3", {}, "unsupported"),
    ("=(1+2", {}, "unsupported"),
    ("=1+", {}, "unsupported"),
    ("=1 2", {}, "unsupported"),
    ("=", {}, "unsupported"),
    ("=A0", {}, "unsupported"),
    ("=XFE1", {}, "unsupported"),
    ("=" + "(" * 100 + "1" + ")" * 100, {}, "unsupported"),
    ("=10^1000000", {}, "value"),  # overflow
]


@pytest.mark.parametrize(("formula", "cells", "kind"), ERROR_CASES)
def test_error(formula: str, cells: Cells, kind: str) -> None:
    with pytest.raises(FormulaError) as caught:
        run(formula, cells)
    assert caught.value.kind == kind
    assert str(caught.value)


def test_range_limit_is_inclusive() -> None:
    assert MAX_RANGE_CELLS == 10_000
    assert run("=SUM(A1:A10000)") == 0


def test_lookup_receives_sheet_and_plain_coordinate() -> None:
    calls: list[tuple[str, str]] = []

    def lookup(sheet: str, coordinate: str) -> Decimal | None:
        calls.append((sheet, coordinate))
        return D(1)

    assert evaluate("=SUM('收支预算'!$b$5:C6)+d7", "自评", lookup) == D(5)
    assert calls == [
        ("收支预算", "B5"),
        ("收支预算", "C5"),
        ("收支预算", "B6"),
        ("收支预算", "C6"),
        ("自评", "D7"),
    ]


def test_if_does_not_evaluate_the_branch_not_taken() -> None:
    def lookup(sheet: str, coordinate: str) -> Decimal | None:
        if coordinate == "B2":
            raise FormulaError("circular reference at B2", kind="circular")
        return None

    assert evaluate("=IF(B1=0,0,B2)", SHEET, lookup) == 0


@pytest.mark.parametrize("formula", ["=B1+1", "=SUM(B1:B3)", "=IFERROR(B1,0)"])
def test_cycle_reported_by_lookup_propagates(formula: str) -> None:
    def lookup(sheet: str, coordinate: str) -> Decimal | None:
        raise FormulaError(f"circular reference at {sheet}!{coordinate}", "circular")

    with pytest.raises(FormulaError) as caught:
        evaluate(formula, SHEET, lookup)
    assert caught.value.kind == "circular"


def test_non_numeric_cell_reported_by_lookup_is_caught_by_iferror() -> None:
    def lookup(sheet: str, coordinate: str) -> Decimal | None:
        raise FormulaError(f"{coordinate} is not a number", "value")

    assert evaluate("=IFERROR(B1*2,-1)", SHEET, lookup) == -1


def test_non_finite_lookup_value_is_a_value_error() -> None:
    with pytest.raises(FormulaError) as caught:
        evaluate("=B1", SHEET, lambda sheet, coordinate: D("NaN"))
    assert caught.value.kind == "value"


def test_arithmetic_is_decimal_with_at_least_28_digits() -> None:
    assert len(run("=1/3").as_tuple().digits) >= 28
    assert run("=0.1+0.2") == D("0.3")  # would be 0.30000000000000004 in float


def test_same_formula_on_two_sheets_uses_each_sheet() -> None:
    def lookup(sheet: str, coordinate: str) -> Decimal | None:
        return D(1) if sheet == "甲" else D(2)

    assert evaluate("=A1*10", "甲", lookup) == D(10)
    assert evaluate("=A1*10", "乙", lookup) == D(20)


def test_unknown_error_kind_is_rejected() -> None:
    with pytest.raises(ValueError):
        FormulaError("x", "bogus")  # type: ignore[arg-type]
