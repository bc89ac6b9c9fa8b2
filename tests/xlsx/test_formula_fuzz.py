"""Any formula text gives a value or a FormulaError (a V002 finding), in bounded time (hypothesis
over formula-shaped text and over any text)."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfeval_xlsx.read.values import formula_operand
from selfeval_xlsx.xlsx.cells import SheetValues
from selfeval_xlsx.xlsx.evaluator import FormulaEngine
from selfeval_xlsx.xlsx.formula_arithmetic import FormulaError

pytestmark = pytest.mark.slow
SHEET = "收支预算"
TOKENS = st.sampled_from([
    "A1", "B2", "$C$3", "A1:B3", "A1:XFD1048576", "Z99", "A0", "XFE1", "'收支预算'!A1", "其他!A1",
    "A:A", "1:3", "SUM(", "ROUND(", "ROUNDUP(", "ROUNDDOWN(", "IF(", "IFERROR(", "ABS(", "MIN(",
    "MAX(", "AVERAGE(", "_xlfn.IFERROR(", "VLOOKUP(", "(", ")", ",", "+", "-", "*", "/", "^", "%",
    "=", "<>", "<=", ">", "&", " ", '"x"', "#DIV/0!", "#REF!", "TRUE", "FALSE", "0", "1", "2.5",
    "1E30", "-1E30", "1E999999999", "1E-999999999", "1E" + "9" * 40, "9" * 40, ".5", "1e", "名称",
    "'", "!", "[1]",
])
FORMULA_SHAPED = st.lists(TOKENS, max_size=40).map(lambda parts: "=" + "".join(parts))
ANY_TEXT = st.text(max_size=200).map(lambda text: "=" + text)


def engine_with(formula: str) -> FormulaEngine:
    sheet = SheetValues(SHEET)
    sheet.cells.update({(1, 1): (Decimal("1.5"), "General", ""), (2, 2): ("文字", "General", ""),
                        (3, 3): (None, "General", "=A1*2"), (1, 4): (None, "General", formula),
                        (2, 4): (None, "General", "=D1+1")})
    sheets = {SHEET: sheet}
    return FormulaEngine(sheets.get, formula_operand)


def check(formula: str) -> None:
    started = time.monotonic()
    engine = engine_with(formula)
    for row in (1, 2):
        try:
            result = engine.value(SHEET, row, 4)
        except FormulaError as exc:
            assert exc.zh and str(exc)
        else:
            assert isinstance(result, Decimal)
    assert time.monotonic() - started < 2, formula


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(FORMULA_SHAPED)
def test_formula_shaped_text_gives_a_value_or_an_error(formula: str) -> None:
    check(formula)


@settings(max_examples=200, deadline=2000)
@given(ANY_TEXT)
def test_any_text_gives_a_value_or_an_error(formula: str) -> None:
    check(formula)
