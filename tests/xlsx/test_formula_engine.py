"""The workbook's formula engine: chains of any length, fan-out of any shape and cycles end in
bounded time, each cell computed once, within one work budget per workbook; every failure is a
FormulaError with a Chinese reason (no English in it)."""

from __future__ import annotations

import re
import time
from decimal import Decimal

import pytest

from selfeval_xlsx.read.values import formula_operand
from selfeval_xlsx.xlsx.cells import SheetValues
from selfeval_xlsx.xlsx.evaluator import FormulaEngine
from selfeval_xlsx.xlsx.formula_arithmetic import FormulaError

D = Decimal
SHEET = "资产管理"
ENGLISH_WORD = re.compile(r"(?<![A-Za-z])[a-z]{3,}")  # prose, not names (Excel, SUM, A1)


def sheet_of(cells: dict[str, object]) -> dict[str, SheetValues]:
    """{"A1": 5, "A2": "=A1+1"} -> one sheet; text starting with "=" is a formula without value."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    sheet = SheetValues(SHEET)
    for reference, content in cells.items():
        letters, row = coordinate_from_string(reference)
        place = (row, column_index_from_string(letters))
        if isinstance(content, str) and content.startswith("="):
            sheet.cells[place] = (None, "General", content)
        else:
            sheet.cells[place] = (content, "General", "")
    return {SHEET: sheet}


def engine(cells: dict[str, object], budget: int = 2_000_000) -> FormulaEngine:
    sheets = sheet_of(cells)
    return FormulaEngine(sheets.get, formula_operand, budget)


def value(engine_: FormulaEngine, reference: str) -> Decimal:
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    letters, row = coordinate_from_string(reference)
    return engine_.value(SHEET, row, column_index_from_string(letters))


def error(engine_: FormulaEngine, reference: str) -> FormulaError:
    with pytest.raises(FormulaError) as caught:
        value(engine_, reference)
    assert caught.value.zh and not ENGLISH_WORD.search(caught.value.zh), caught.value.zh
    return caught.value


def test_a_chain_of_20000_formulas_is_computed_without_recursion() -> None:
    """20 times deeper than Python's recursion limit."""
    cells: dict[str, object] = {"A1": 1}
    cells.update({f"A{r}": f"=A{r - 1}+1" for r in range(2, 20_001)})
    started = time.monotonic()
    assert value(engine(cells), "A20000") == 20_000  # 1 + 19,999 additions of 1
    assert time.monotonic() - started < 10


def test_doubling_formulas_are_computed_once_each() -> None:
    cells: dict[str, object] = {"A1": 1}
    cells.update({f"A{r}": f"=A{r - 1}+A{r - 1}" for r in range(2, 101)})
    started = time.monotonic()
    assert value(engine(cells), "A100") == 2 ** 99  # without memoising: 2^99 evaluations
    assert time.monotonic() - started < 2


def test_a_wide_fan_out_is_computed_once() -> None:
    cells: dict[str, object] = {f"B{r}": f"=SUM(A1:A100)+{r}" for r in range(1, 101)}
    cells.update({f"A{r}": r for r in range(1, 101)})
    cells["C1"] = "=SUM(B1:B100)"
    # each B = 5050 + r; their sum = 100 * 5050 + (1 + ... + 100) = 505,000 + 5,050
    assert value(engine(cells), "C1") == 510_050


@pytest.mark.parametrize("cells", [
    {"A1": "=A1+1"},
    {"A1": "=B1", "B1": "=A1*2"},
    {"A1": "=B1", "B1": "=C1", "C1": "=SUM(A1:A3)"},
])
def test_circular_references_are_errors_naming_a_cell(cells: dict[str, object]) -> None:
    problem = error(engine(cells), "A1")
    assert problem.kind == "circular" and "循环引用" in problem.zh and "资产管理!" in problem.zh


def test_a_cycle_far_down_a_chain_ends_the_chain_with_the_error() -> None:
    cells: dict[str, object] = {f"A{r}": f"=A{r + 1}" for r in range(1, 5000)}
    cells["A5000"] = "=A1"
    assert error(engine(cells), "A1").kind == "circular"
    assert error(engine(cells), "A2500").kind == "circular"


def test_the_work_budget_bounds_a_workbook() -> None:
    # 100 formulas that each sum 10,000 cells: about 2 x 10,000 steps each
    cells: dict[str, object] = {f"B{r}": "=SUM(A1:A10000)" for r in range(1, 101)}
    computing = engine(cells, budget=300_000)
    computed, failed = 0, 0
    started = time.monotonic()
    for row in range(1, 101):
        try:
            value(computing, f"B{row}")
            computed += 1
        except FormulaError as exc:
            assert exc.kind == "budget" and "计算量超过上限" in exc.zh
            failed += 1
    assert time.monotonic() - started < 5
    assert 0 < computed < 100 and computed + failed == 100


def budget_run(cells: dict[str, object], budget: int) -> tuple[int, int]:
    """(computed, failed) of the formulas B1..B100 under one budget."""
    computing = engine(cells, budget=budget)
    computed, failed = 0, 0
    for row in range(1, 101):
        try:
            value(computing, f"B{row}")
            computed += 1
        except FormulaError as exc:
            assert exc.kind == "budget"
            failed += 1
    return computed, failed


def test_a_wide_range_costs_each_of_its_cells() -> None:
    # SUM(C101:CX200): 100 rows (101-200) x 100 columns (C-CX), away from the formulas in B;
    # its 10,000 cells are looked at twice (for formulas to
    # compute first, then for their values): at least 20,000 steps per formula, so a budget
    # of 300,000 computes at most 300,000 / 20,000 = 15 of them
    computed, failed = budget_run({f"B{r}": "=SUM(C101:CX200)" for r in range(1, 101)}, 300_000)
    assert 0 < computed <= 15 and computed + failed == 100


def test_every_token_of_a_long_formula_costs_a_step() -> None:
    # =1+1+...+1 with 4,000 additions: 8,001 tokens, each a step; a budget of 300,000 computes
    # at most 300,000 / 8,001 = 37 of them
    computed, failed = budget_run({f"B{r}": "=" + "1+" * 4000 + "1" for r in range(1, 101)},
                                  300_000)
    assert 0 < computed <= 37 and computed + failed == 100


@pytest.mark.parametrize(("formula", "kind", "phrase"), [
    ("=ROUND(1.5,-1E30)", "value", "位数超出范围"),
    ("=ROUND(1.5,1E999999999)", "value", "位数超出范围"),
    ("=ROUNDUP(1.5,309)", "value", "位数超出范围"),
    ("=10^1E999999999", "value", "乘方的次数过大"),
    ("=2^0.5", "unsupported", "乘方只支持整数"),
    ("=1E999999999*10", "value", "超出了可计算的范围"),
    ("=VLOOKUP(A1,A1:B2,2)", "unsupported", "不支持函数 VLOOKUP"),
    ("=SUM(A:A)", "unsupported", "不支持整列"),
    ('="文字"', "unsupported", "文字常量"),
    ("=" + "1+" * 5000 + "1", "unsupported", "8,192"),
    ("=" + "(" * 70 + "1" + ")" * 70, "unsupported", "嵌套"),
    ("=其他表!A1", "ref", "不存在的工作表"),
    ("=A2", "value", "不是数字"),
])
def test_arguments_out_of_range_and_unsupported_formulas(formula: str, kind: str,
                                                         phrase: str) -> None:
    started = time.monotonic()
    problem = error(engine({"A1": formula, "A2": "文字"}), "A1")
    assert time.monotonic() - started < 2
    assert (problem.kind, phrase in problem.zh) == (kind, True), problem.zh


@pytest.mark.parametrize("formula", ["=SUM(A2:A3)", "=A2+A3", "=MAX(A2,A3)"])
@pytest.mark.parametrize("text", ["872.25", "１２３", "872.25万元"])
def test_a_number_written_as_text_is_not_computed_with(formula: str, text: str) -> None:
    """Excel's SUM leaves text out (it would show 30) and its + takes "872.25" but not
    "872.25万元": either reading could be the clerk's, so the tool computes neither."""
    problem = error(engine({"A1": formula, "A2": text, "A3": 30}), "A1")
    assert problem.kind == "value" and f"{SHEET}!A2 是文字“{text}”" in problem.zh


@pytest.mark.parametrize("blank", [" ", "—", "无"])
def test_a_blank_mark_counts_as_an_empty_cell(blank: str) -> None:
    assert value(engine({"A1": "=SUM(A2:A3)", "A2": blank, "A3": 30}), "A1") == 30


def test_round_within_range_still_works() -> None:
    assert value(engine({"A1": "=ROUND(1234.5678,-2)+ROUND(0.125,2)"}), "A1") == D("1200.13")


def test_a_shared_formula_is_translated_from_its_master() -> None:
    sheets = sheet_of({"A1": 2, "A2": 3, "B1": "=A1*10"})
    sheet = sheets[SHEET]
    sheet.masters["0"] = ("A1*10", 1, 2)  # B1 is the master of shared formula 0
    sheet.cells[(2, 2)] = (None, "General", "=?")  # B2 follows it
    sheet.shared[(2, 2)] = "0"
    computing = FormulaEngine(sheets.get, formula_operand)
    assert computing.value(SHEET, 2, 2) == 30  # =A2*10
    assert computing.formula((SHEET, 2, 2)) == "=A2*10"


def test_a_follower_without_master_is_an_error() -> None:
    sheets = sheet_of({})
    sheets[SHEET].cells[(1, 1)] = (None, "General", "=?")
    with pytest.raises(FormulaError) as caught:
        FormulaEngine(sheets.get, formula_operand).value(SHEET, 1, 1)
    assert "共享公式" in caught.value.zh
