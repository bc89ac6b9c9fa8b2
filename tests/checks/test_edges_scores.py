"""The P and X rules at their edges (`checks.md`, `scoring.md`).

P001 (error) a 自评得分 outside [0, 分值], on every row; P003 (error) below 分值 without 扣分原因;
P004 (warning) the clerk's score on a 自动 / 核对 row differs from the computed one; P005 (error)
an unanswered checklist item; P006 (error) / P008 (warning) no rows; P009 (warning) the clerk's
合计 differs from the sum of the typed scores, to two decimals; X010 (warning) 执行率 below 90 %
without 说明; X011 (warning) 否 or a row not 完成 without 说明. The sample: every clerk's score
equals the computed one (B1 9 of 10), 合计 99, its one P finding is D3's P007 (no key projects).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from edges import (
    BUDGET,
    CHECKLIST,
    FINAL,
    SCORES,
    TARGETS,
    TASKS,
    amounts,
    answers,
    checked,
    field_at,
    fields,
    row,
    rows,
    score_cell,
    score_of,
    scored,
    self_scores,
    statuses,
)
from fill import free_row, header_columns, table_cell
from openpyxl.utils.cell import get_column_letter
from openpyxl.workbook.workbook import Workbook


def checklist_cell(book: Workbook, code: str, column: str) -> str:
    return str(table_cell(book[CHECKLIST], "编号", code, column).coordinate)


# ---- P001 / P003 on the checked workbook ---------------------------------------------------------

@pytest.mark.parametrize(("code", "score", "total", "flagged"), [
    ("A2", 4, 99, False),  # 自评, weight 4: exactly 分值
    ("A2", 4.01, 99.01, True),  # just above
    ("B1", 10, 100, False),  # a 自动 row, weight 10: the clerk's 10 is in range
    ("B1", 10.01, 100.01, True),  # P001 applies on every row
])
def test_self_score_at_most_the_weight(sample: Path, tmp_path: Path, code: str, score: float,
                                       total: float, flagged: bool) -> None:
    # 合计 follows the typed scores, so P009 stays quiet
    findings, book = checked(sample, tmp_path, self_scores({code: score, "合计": total}))
    expected = [row(SCORES, score_cell(book, code), "P001")] if flagged else []
    assert rows(findings, "P001") == expected  # (B1's clerk 10 is also a P004: its own test)


def test_a_self_score_of_zero_is_in_range(sample: Path, tmp_path: Path) -> None:
    # 0 lies in [0, 分值]: no P001, neither on a 自评 row (A2, with its reason) nor on a
    # computed one (B1, where 0 differs from the computed 9.00: P004 only). 合计 99 - 4 - 9 = 86
    findings, book = checked(sample, tmp_path, self_scores(
        {"A2": 0, "A2/扣分原因": "未细化绩效指标", "B1": 0, "合计": 86}))
    assert rows(findings, "P00") == [row(SCORES, score_cell(book, "B1"), "P004")]


@pytest.mark.parametrize(("score", "reason", "flagged"), [
    (4, None, False),  # full marks need no reason
    (3.99, None, True),  # just below 分值
    (3.99, "指标未完全量化", False),
    (0, None, True),  # 0 is in range (no P001) but needs a reason
])
def test_a_deduction_needs_a_reason(sample: Path, tmp_path: Path, score: float,
                                    reason: str | None, flagged: bool) -> None:
    total = 95 + score  # 99 − 4 + the new A2 score
    findings, book = checked(sample, tmp_path, self_scores({
        "A2": score, "A2/扣分原因": reason, "合计": total}))
    expected = [row(SCORES, score_cell(book, "A2", "扣分原因"), "P003")] if flagged else []
    assert rows(findings, "P003") == expected


# ---- P004 / P009: the clerk's figures against the computed ones -----------------------------------

@pytest.mark.parametrize(("code", "score", "flagged"), [
    ("B1", 9, False),  # 自动: computed 812.03 / 902.25 = 90.00 % × 10 = 9.00
    ("B1", 9.01, True), ("B1", 8.99, True),  # 0.01 off, both ways
    ("A1", 4, False),  # 核对: A1-1..A1-4 all 是, 4.00
    ("A1", 3.99, True), ("A1", 4.01, True),  # a 核对 row is compared too (4.01 is also P001)
])
def test_clerk_score_on_a_computed_row(sample: Path, tmp_path: Path, code: str, score: float,
                                       flagged: bool) -> None:
    base = {"B1": 9, "A1": 4}[code]
    result, book = scored(sample, tmp_path, self_scores({code: score,
                                                         "合计": 99 - base + score}))
    expected = [row(SCORES, score_cell(book, "D3"), "P007")]
    if flagged:
        expected.append(row(SCORES, score_cell(book, code), "P004"))
    if score > 4 and code == "A1":
        expected.append(row(SCORES, score_cell(book, code), "P001"))
    assert rows(result.findings, "P") == sorted(expected)


def test_a_self_assessed_row_is_never_compared(sample: Path, tmp_path: Path) -> None:
    result, book = scored(sample, tmp_path, self_scores({
        "A2": 3.5, "A2/扣分原因": "有一项指标不明确", "合计": 98.5}))
    assert rows(result.findings, "P") == [row(SCORES, score_cell(book, "D3"), "P007")]


@pytest.mark.parametrize(("total", "flagged"), [
    (99, False),
    (99.01, True), (98.99, True),  # 0.01 off, both ways
    (99.004, False),  # equal to two decimals
    (99.005, True),  # 99.01 to two decimals (half-up)
])
def test_clerk_total_equals_the_typed_sum_to_two_decimals(sample: Path, tmp_path: Path,
                                                          total: float, flagged: bool) -> None:
    # the typed scores add up to 99: 4+4+4+8+9+8+4+6+6+6+5+6+4+10+10+5, 核对 rows included
    findings, book = checked(sample, tmp_path, self_scores({"合计": total}))
    expected = [row(SCORES, score_cell(book, "合计"), "P009")] if flagged else []
    assert rows(findings, "P009") == expected


# ---- P005 / P006 / P008 ------------------------------------------------------------------------

@pytest.mark.parametrize(("answer", "rule"), [("是", None), (None, "P005"), ("也许", "V004")])
def test_an_unanswered_checklist_item(sample: Path, tmp_path: Path, answer: str | None,
                                      rule: str | None) -> None:
    # an answer that is not 是/否 is V004, not "without an answer"
    findings, book = checked(sample, tmp_path, answers({"A1-1": (answer, None)}))
    expected = [row(CHECKLIST, checklist_cell(book, "A1-1", "是否符合"), rule)] if rule else []
    assert rows(findings, ("P005", "V")) == expected  # (A1's lower score is a P004 too)


@pytest.mark.parametrize(("sheet", "rule"), [(TARGETS, "P006"), (TASKS, "P008")])
@pytest.mark.parametrize("count", [0, 1])
def test_no_rows_against_one_row(sample: Path, tmp_path: Path, sheet: str, rule: str,
                                 count: int) -> None:
    findings, _ = checked(sample, tmp_path, statuses(sheet, [("完成", None)] * count))
    expected = [row(sheet, "", rule)] if count == 0 else []
    assert rows(findings, ("P006", "P008")) == expected


# ---- X010 / X011 -------------------------------------------------------------------------------

LOW_EXECUTION = {("支出合计", FINAL): 800, ("项目支出", FINAL): 346.05}  # 800 / 902.25 = 88.67 %


@pytest.mark.parametrize(("note", "flagged"), [(None, True), ("项目资金年底未拨付", False)])
def test_low_execution_needs_a_note(sample: Path, tmp_path: Path, note: str | None,
                                    flagged: bool) -> None:
    findings, book = checked(sample, tmp_path, amounts(LOW_EXECUTION),
                             fields(BUDGET, {"预算执行情况说明": note}))
    expected = [row(BUDGET, field_at(book, BUDGET, "预算执行情况说明"), "X010")] if flagged else []
    assert rows(findings, "X") == expected


def test_execution_rate_of_a_zero_budget_is_not_computed(sample: Path, tmp_path: Path) -> None:
    # 支出合计 调整后 0: no rate (and no division by zero), so no X010; the sum is a T001
    findings, book = checked(sample, tmp_path, amounts({("支出合计", "调整后预算数"): 0}))
    assert rows(findings, "X") == []
    assert ("收支预算", budget_adjusted(book), "T001", "error") in rows(findings, "T")


def budget_adjusted(book: Workbook) -> str:
    return str(table_cell(book[BUDGET], "项目", "支出合计", "调整后预算数").coordinate)


@pytest.mark.parametrize(("answer", "note", "flagged"), [
    ("否", None, True), ("否", "制度正在修订", False), ("是", None, False)])
def test_a_no_needs_a_note(sample: Path, tmp_path: Path, answer: str, note: str | None,
                           flagged: bool) -> None:
    findings, book = checked(sample, tmp_path, answers({"C2-3": (answer, note)}))
    expected = [row(CHECKLIST, checklist_cell(book, "C2-3", "说明"), "X011")] if flagged else []
    assert rows(findings, "X") == expected


def note_cell(book: Workbook, sheet: str, number: int) -> str:
    _, columns = header_columns(book[sheet], "序号", ["说明"])
    return f"{get_column_letter(columns['说明'])}{free_row(book[sheet], '序号', number)}"


@pytest.mark.parametrize("sheet", [TARGETS, TASKS])
@pytest.mark.parametrize(("status", "note", "flagged"), [
    ("完成", None, False),
    ("部分完成", None, True), ("未完成", None, True),  # not 完成
    ("部分完成", "资金未到位", False), ("未完成", "项目延期", False),
])
def test_a_row_not_done_needs_a_note(sample: Path, tmp_path: Path, sheet: str, status: str,
                                     note: str | None, flagged: bool) -> None:
    findings, book = checked(sample, tmp_path, statuses(sheet, [("完成", None), (status, note)]))
    expected = [row(sheet, note_cell(book, sheet, 2), "X011")] if flagged else []
    assert rows(findings, "X") == expected


def test_a_negative_self_score_is_p001_not_unreadable(sample: Path, tmp_path: Path) -> None:
    """checks.md P001: a 自评得分 outside [0, 分值] — below 0 too (it counts as 0)."""
    result, book = scored(sample, tmp_path, self_scores({"A2": -1, "合计": 94}))
    assert [r for r in rows(result.findings, ("P001", "V002"))] == [
        row(SCORES, score_cell(book, "A2", "自评得分"), "P001")]
    assert score_of(result, "A2") == Decimal("0.00")
