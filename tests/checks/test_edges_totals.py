"""Every threshold of the T rules at its edge: just inside, exactly at, just outside, both ways.

Expectations come from `checks.md`: a sum of n non-empty parts may differ from its total by up to
0.005 × n (T002, info), beyond that T001 (error); counts add up exactly; a share passes within
0.01 of the computed share rounded half-up to two decimals (T005, error); two shares of one total
sum to 100 ± 0.01 (T006, error); T007 (warning) 决算数 above 调整后预算数; T008 (error) in use
above the total; T009 (warning) 三公 budget 0 or empty with spending; T010 (warning) staff above
the quota. Each case asserts every T finding with its severity (the sample's own T002 included).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from edges import (
    ADJUSTED,
    ASSETS,
    BASIC,
    BUDGET,
    FINAL,
    FUNDS,
    INITIAL,
    SHARE,
    Edit,
    amounts,
    budget_cell,
    checked,
    field_at,
    fields,
    funds,
    funds_cell,
    row,
    rows,
    sample_t002,
)
from openpyxl.workbook.workbook import Workbook

D = Decimal


def money(value: Decimal) -> float:
    return float(value)


# ---- the 尾差 bound (T001 / T002) --------------------------------------------------------------

# 支出合计 = 基本支出 + 项目支出: n = 2, bound 0.005 × 2 = 0.01. 项目支出 年初 448.30 + d makes the
# parts add up to 902.25 + d against the stated 902.25 (a difference of |d|).
@pytest.mark.parametrize(("d", "rule"), [
    ("0", None),
    ("0.005", "T002"), ("-0.005", "T002"),  # just inside (three decimals: also a V006)
    ("0.01", "T002"), ("-0.01", "T002"),  # exactly 0.005 n
    ("0.02", "T001"), ("-0.02", "T001"),  # 0.005 n + 0.01
])
def test_tail_bound_with_two_parts(sample: Path, tmp_path: Path, d: str, rule: str | None) -> None:
    findings, book = checked(sample, tmp_path,
                             amounts({("项目支出", INITIAL): money(D("448.30") + D(d))}))
    expected = [sample_t002(book)]
    if rule:
        expected.append(row(BUDGET, budget_cell(book, "支出合计", INITIAL), rule))
    assert rows(findings, "T") == sorted(expected)


# 收入合计 = its five sources, all filled: n = 5, bound 0.025. 单位资金 1 + d.
FIVE_SOURCES = {("一般公共预算拨款", INITIAL): 872.25, ("政府性基金拨款", INITIAL): 27,
                ("国有资本经营预算拨款", INITIAL): 1, ("财政专户管理资金", INITIAL): 1}


@pytest.mark.parametrize(("d", "rule"), [
    ("0", None),
    ("0.02", "T002"), ("-0.02", "T002"),  # just inside
    ("0.025", "T002"), ("-0.025", "T002"),  # exactly 0.005 n
    ("0.03", "T001"), ("-0.03", "T001"),  # just outside (also outside 0.006 n would not be)
    ("0.035", "T001"), ("-0.035", "T001"),  # 0.005 n + 0.01
])
def test_tail_bound_with_five_parts(sample: Path, tmp_path: Path, d: str, rule: str | None) -> None:
    sources = {**FIVE_SOURCES, ("单位资金", INITIAL): money(D(1) + D(d))}
    findings, book = checked(sample, tmp_path, amounts(sources))
    expected = [sample_t002(book)]
    if rule:
        expected.append(row(BUDGET, budget_cell(book, "收入合计", INITIAL), rule))
    assert rows(findings, "T") == sorted(expected)


@pytest.mark.parametrize(("d", "rule"), [("0.01", "T002"), ("0.02", "T001")])
def test_tail_bound_counts_only_the_filled_parts(sample: Path, tmp_path: Path, d: str,
                                                 rule: str) -> None:
    # the sample fills 2 of the 5 sources of 收入合计: n = 2, bound 0.01 (not 0.025)
    findings, book = checked(sample, tmp_path,
                             amounts({("政府性基金拨款", INITIAL): money(D(30) + D(d))}))
    assert rows(findings, "T") == sorted([
        sample_t002(book), row(BUDGET, budget_cell(book, "收入合计", INITIAL), rule)])


def test_tail_message_shows_the_bound_of_five_parts(sample: Path, tmp_path: Path) -> None:
    findings, _ = checked(sample, tmp_path,
                          amounts({**FIVE_SOURCES, ("单位资金", INITIAL): 1.025}))
    (t002,) = [f for f in findings if f.rule == "T002" and f.label == "收入合计"]
    assert "±0.025" in t002.message.zh and "5 个分项" in t002.message.zh


def test_adjusted_parts_left_empty_count_with_their_initial_budget(sample: Path,
                                                                   tmp_path: Path) -> None:
    # 基本支出 调整后 empty counts 453.95: 453.95 + 458.30 = 912.25, as stated: nothing
    findings, book = checked(sample, tmp_path, amounts({("支出合计", ADJUSTED): 912.25,
                                                        ("项目支出", ADJUSTED): 458.30}))
    assert rows(findings, "T") == [sample_t002(book)]


def test_an_adjusted_total_with_unadjusted_parts_is_caught(sample: Path, tmp_path: Path) -> None:
    # parts 453.95 + 448.30 = 902.25 (both from 年初) against the adjusted total 912.25
    findings, book = checked(sample, tmp_path, amounts({("支出合计", ADJUSTED): 912.25}))
    assert rows(findings, "T") == sorted([
        sample_t002(book), row(BUDGET, budget_cell(book, "支出合计", ADJUSTED), "T001")])


def test_an_unreadable_part_leaves_its_group_unchecked(sample: Path, tmp_path: Path) -> None:
    # 项目支出 年初 in words: V002 (error) on that cell. 支出合计 = 基本支出 + 项目支出 cannot be
    # added up, so no T001 blames the stated total (453.95 alone is 448.30 short of 902.25)
    findings, book = checked(sample, tmp_path, amounts({("项目支出", INITIAL): "四百四十八万"}))
    assert rows(findings, ("T", "V")) == sorted([
        sample_t002(book), row(BUDGET, budget_cell(book, "项目支出", INITIAL), "V002")])


def _relabelled(sheet: str, label: str) -> Edit:
    """The row label `label` of `sheet` changed (a clerk's edit of the template's text)."""
    def edit(book: Workbook) -> None:
        (cell,) = [c for r in book[sheet].iter_rows() for c in r if c.value == label]
        cell.value = label + "（改）"
    return edit


@pytest.mark.parametrize(("sheet", "label", "total"), [
    (BUDGET, "一般公共预算项目支出", "一般公共预算拨款支出合计"),  # a part: 453.95 of 872.25 left
    (BUDGET, "支出合计", "支出合计"),  # the total itself
    (FUNDS, "公务接待费", "三公经费合计"),
])
def test_a_group_with_a_missing_row_is_not_summed(sample: Path, tmp_path: Path, sheet: str,
                                                  label: str, total: str) -> None:
    """S002 names the missing row; the sum is not checked without it (a T001 of the rest
    would blame a total that is right). The sample's own T002 (基本支出) stays."""
    findings, book = checked(sample, tmp_path, _relabelled(sheet, label))
    assert rows(findings, ("T", "S")) == sorted([sample_t002(book), (sheet, "", "S002", "error")])
    assert [f.label for f in findings if f.rule == "S002"] == [label]
    assert total not in {f.label for f in findings if f.rule.startswith("T")}


def test_parts_taken_from_the_initial_budget_count_in_n(sample: Path, tmp_path: Path) -> None:
    # 902.26 against 902.25: 0.01 is within 0.005 × 2 only if both fallback parts count
    findings, book = checked(sample, tmp_path, amounts({("支出合计", ADJUSTED): 902.26}))
    assert rows(findings, "T") == sorted([
        sample_t002(book), row(BUDGET, budget_cell(book, "支出合计", ADJUSTED), "T002")])


@pytest.mark.parametrize(("stated", "rule"), [
    (2.00, None), (2.01, "T002"), (1.99, "T002"), (2.02, "T001"), (1.98, "T001")])
def test_sangong_items_use_the_same_bound(sample: Path, tmp_path: Path, stated: float,
                                          rule: str | None) -> None:
    # two filled items 1 + 1 = 2: n = 2, bound 0.01
    findings, book = checked(sample, tmp_path, funds({
        ("公务接待费", "预算数"): 1, ("公务用车运行维护费", "预算数"): 1,
        ("三公经费合计", "预算数"): stated}))
    expected = [sample_t002(book)]
    if rule:
        expected.append(row(FUNDS, funds_cell(book, "三公经费合计", "预算数"), rule))
    assert rows(findings, "T") == sorted(expected)


@pytest.mark.parametrize(("stated", "rule"), [(29, "T001"), (30, None), (31, "T001")])
def test_retirees_add_up_exactly(sample: Path, tmp_path: Path, stated: int,
                                 rule: str | None) -> None:
    # 14 + 3 + 4 + 9 = 30: people are counted exactly, no 尾差
    findings, book = checked(sample, tmp_path, fields(BASIC, {"离退休人员合计": stated}))
    expected = [sample_t002(book)]
    if rule:
        expected.append(row(BASIC, field_at(book, BASIC, "离退休人员合计"), rule))
    assert rows(findings, "T") == sorted(expected)


# ---- balances (T003 / T004): exact, both directions ---------------------------------------------

@pytest.mark.parametrize("d", ["0.01", "-0.01", "0"])
def test_revenue_equals_expenditure_exactly(sample: Path, tmp_path: Path, d: str) -> None:
    # 收入合计 902.25 + d with 政府性基金拨款 30 + d (its sources still add up) vs 支出合计 902.25
    findings, book = checked(sample, tmp_path, amounts({
        ("收入合计", INITIAL): money(D("902.25") + D(d)),
        ("政府性基金拨款", INITIAL): money(D(30) + D(d))}))
    expected = [sample_t002(book)]
    if d != "0":
        expected.append(row(BUDGET, budget_cell(book, "支出合计", INITIAL), "T003"))
    assert rows(findings, "T") == sorted(expected)


@pytest.mark.parametrize("d", ["0.01", "-0.01", "0"])
def test_general_budget_revenue_equals_its_spending_exactly(sample: Path, tmp_path: Path,
                                                            d: str) -> None:
    # 一般公共预算拨款 872.25 + d, 政府性基金拨款 30 − d: 收入合计 still adds up; T004 vs 872.25
    findings, book = checked(sample, tmp_path, amounts({
        ("一般公共预算拨款", INITIAL): money(D("872.25") + D(d)),
        ("政府性基金拨款", INITIAL): money(D(30) - D(d))}))
    expected = [sample_t002(book)]
    if d != "0":
        expected.append(row(BUDGET, budget_cell(book, "一般公共预算拨款支出合计", INITIAL), "T004"))
    assert rows(findings, "T") == sorted(expected)


# ---- shares (T005 / T006) ------------------------------------------------------------------------

# 一般公共预算基本支出 24.69 of 一般公共预算拨款支出合计 200 is 12.345 %, half-up 12.35 (half-even
# would give 12.34). 一般公共预算拨款 200 + 政府性基金拨款 702.25 keep 收入合计 902.25 and T004.
GENERAL_200 = {("一般公共预算拨款", INITIAL): 200, ("政府性基金拨款", INITIAL): 702.25,
               ("一般公共预算拨款支出合计", INITIAL): 200, ("一般公共预算基本支出", INITIAL): 24.69,
               ("一般公共预算项目支出", INITIAL): 175.31, ("一般公共预算项目支出", SHARE): None}


@pytest.mark.parametrize(("stated", "flagged"), [
    (12.35, False),
    (12.36, False), (12.34, False),  # exactly 0.01 off, both ways
    (12.355, False),  # just inside
    (12.37, True), (12.33, True),  # 0.02 off, both ways
])
def test_share_within_a_hundredth_of_the_half_up_share(sample: Path, tmp_path: Path,
                                                        stated: float, flagged: bool) -> None:
    findings, book = checked(sample, tmp_path, amounts({
        **GENERAL_200, ("一般公共预算基本支出", SHARE): stated}))
    expected = [sample_t002(book)]
    if flagged:
        expected.append(row(BUDGET, budget_cell(book, "一般公共预算基本支出", SHARE), "T005"))
    assert rows(findings, "T") == sorted(expected)


def test_share_finding_shows_the_computed_share(sample: Path, tmp_path: Path) -> None:
    findings, _ = checked(sample, tmp_path, amounts({
        **GENERAL_200, ("一般公共预算基本支出", SHARE): 12.37}))
    (t005,) = [f for f in findings if f.rule == "T005"]
    assert (t005.expected, t005.actual) == ("12.35", "12.37")


@pytest.mark.parametrize(("stated", "fraction"), [(0.1235, True), (0.1237, False)])
def test_a_fraction_is_named_only_when_it_matches(sample: Path, tmp_path: Path, stated: float,
                                                  fraction: bool) -> None:
    # 0.1235 × 100 = 12.35, the computed share: a fraction typed; 0.1237 × 100 is 0.02 off
    findings, _ = checked(sample, tmp_path, amounts({
        **GENERAL_200, ("一般公共预算基本支出", SHARE): stated}))
    (t005,) = [f for f in findings if f.rule == "T005"]
    assert ("小数" in t005.message.zh) is fraction


def test_a_stated_one_percent_is_not_called_a_fraction(sample: Path, tmp_path: Path) -> None:
    # project 200 of 200 = 100.00 %; the stated 1 is not below 1, so no "fraction" message
    findings, book = checked(sample, tmp_path, amounts({
        **GENERAL_200, ("一般公共预算基本支出", INITIAL): 0, ("一般公共预算项目支出", INITIAL): 200,
        ("一般公共预算基本支出", SHARE): None, ("一般公共预算项目支出", SHARE): 1}))
    (t005,) = [f for f in findings if f.rule == "T005"]
    assert t005.cell == budget_cell(book, "一般公共预算项目支出", SHARE)
    assert "小数" not in t005.message.zh and t005.expected == "100.00"


# 基本支出 and 项目支出 are 50.31 % and 49.69 % of 支出合计; each stated share below is within 0.01
# of its own (no T005), so only their sum decides T006 at the second share's cell.
@pytest.mark.parametrize(("basic", "project", "flagged"), [
    (50.31, 49.69, False),
    (50.32, 49.69, False), (50.31, 49.70, False),  # 100.01: exactly at
    (50.30, 49.69, False), (50.31, 49.68, False),  # 99.99: exactly at, below
    (50.315, 49.695, False),  # 100.01 from three decimals
    (50.32, 49.70, True),  # 100.02
    (50.30, 49.68, True),  # 99.98
    (50.32, None, False),  # one share empty: the pair is not checked
])
def test_two_shares_sum_to_100_within_a_hundredth(sample: Path, tmp_path: Path, basic: float,
                                                  project: float | None, flagged: bool) -> None:
    findings, book = checked(sample, tmp_path, amounts({
        ("基本支出", SHARE): basic, ("项目支出", SHARE): project}))
    expected = [sample_t002(book)]
    if flagged:
        expected.append(row(BUDGET, budget_cell(book, "项目支出", SHARE), "T006"))
    assert rows(findings, "T") == sorted(expected)


# ---- overspending (T007) ---------------------------------------------------------------------

# 项目支出 adjusted down to 400.00 (below its 年初 448.30), 基本支出 up to 502.25: 支出合计 调整后
# 902.25 still adds up. 支出合计 决算 = 453.95 + 项目支出 决算.
ADJUSTED_DOWN = {("支出合计", ADJUSTED): 902.25, ("基本支出", ADJUSTED): 502.25,
                 ("项目支出", ADJUSTED): 400.00}


@pytest.mark.parametrize(("final", "flagged"), [(400.00, False), (400.01, True)])
def test_overspending_is_against_the_adjusted_budget(sample: Path, tmp_path: Path, final: float,
                                                     flagged: bool) -> None:
    # 400.01 is above 调整后 400.00 but below 年初 448.30: over-spent
    findings, book = checked(sample, tmp_path, amounts({
        **ADJUSTED_DOWN, ("项目支出", FINAL): final,
        ("支出合计", FINAL): money(D("453.95") + D(str(final)))}))
    expected = [sample_t002(book)]
    if flagged:
        expected.append(row(BUDGET, budget_cell(book, "项目支出", FINAL), "T007"))
    assert rows(findings, "T") == sorted(expected)


def test_spending_above_the_initial_but_within_the_adjusted_budget(sample: Path,
                                                                    tmp_path: Path) -> None:
    # 项目支出 adjusted up to 500: 决算 450 (above 年初 448.30) is within it; 支出合计 调整后
    # 453.95 + 500 = 953.95, 决算 453.95 + 450 = 903.95 (above 年初 902.25, within 调整后)
    findings, book = checked(sample, tmp_path, amounts({
        ("支出合计", ADJUSTED): 953.95, ("项目支出", ADJUSTED): 500, ("项目支出", FINAL): 450,
        ("支出合计", FINAL): 903.95}))
    assert rows(findings, "T") == [sample_t002(book)]


@pytest.mark.parametrize(("final", "flagged"), [(448.30, False), (448.31, True)])
def test_an_empty_adjusted_budget_is_the_initial_one(sample: Path, tmp_path: Path, final: float,
                                                     flagged: bool) -> None:
    # no 调整后 anywhere: 项目支出 448.30 and 支出合计 902.25 are the budgets
    total = money(D("453.95") + D(str(final)))
    findings, book = checked(sample, tmp_path, amounts({("项目支出", FINAL): final,
                                                        ("支出合计", FINAL): total}))
    expected = [sample_t002(book)]
    if flagged:  # 448.31 > 448.30 and 902.26 > 902.25
        expected += [row(BUDGET, budget_cell(book, "项目支出", FINAL), "T007"),
                     row(BUDGET, budget_cell(book, "支出合计", FINAL), "T007")]
    assert rows(findings, "T") == sorted(expected)


def test_revenue_rows_are_not_checked_for_overspending(sample: Path, tmp_path: Path) -> None:
    # 收入合计 决算 1000 and its one filled source 1000 add up; both above their budgets
    findings, book = checked(sample, tmp_path, amounts({("收入合计", FINAL): 1000,
                                                        ("一般公共预算拨款", FINAL): 1000}))
    assert rows(findings, "T") == [sample_t002(book)]


# ---- assets, 三公 without budget, staff (T008 / T009 / T010) -------------------------------------

@pytest.mark.parametrize(("used", "flagged"), [(88.93, False), (88.94, False), (88.95, True)])
def test_assets_in_use_at_most_the_total(sample: Path, tmp_path: Path, used: float,
                                         flagged: bool) -> None:
    findings, book = checked(sample, tmp_path, fields(ASSETS, {"固定资产总额": 88.94,
                                                               "实际在用固定资产总额": used}))
    expected = [sample_t002(book)]
    if flagged:
        expected.append(row(ASSETS, field_at(book, ASSETS, "实际在用固定资产总额"), "T008"))
    assert rows(findings, "T") == sorted(expected)


@pytest.mark.parametrize(("planned", "actual", "flagged"), [
    (0, 0, False),  # nothing planned, nothing spent
    (0, 0.01, True),  # budget 0, the smallest spending
    (None, 0.01, True),  # budget empty
    (0.01, 0.01, False),  # a budget, however small
])
def test_sangong_spending_without_a_budget(sample: Path, tmp_path: Path, planned: float | None,
                                           actual: float, flagged: bool) -> None:
    # 公务接待费 carries the same figures, so the items add up to the 合计 row
    findings, book = checked(sample, tmp_path, funds({
        ("三公经费合计", "预算数"): planned, ("三公经费合计", "实际支出数"): actual,
        ("公务接待费", "预算数"): planned, ("公务接待费", "实际支出数"): actual}))
    expected = [sample_t002(book)]
    if flagged:
        expected.append(row(FUNDS, funds_cell(book, "三公经费合计", "实际支出数"), "T009"))
    assert rows(findings, "T") == sorted(expected)


@pytest.mark.parametrize(("in_post", "quota"), [("年末在职行政人员", "行政编制数"),
                                                ("年末在职事业在编人员", "事业编制数")])
@pytest.mark.parametrize(("staff", "flagged"), [(8, False), (9, False), (10, True)])
def test_staff_at_most_the_quota(sample: Path, tmp_path: Path, in_post: str, quota: str,
                                 staff: int, flagged: bool) -> None:
    # quota 9 for both pairs (行政 11 → 9 leaves the sample's 事业 4 ≤ 9 alone)
    findings, book = checked(sample, tmp_path, fields(BASIC, {
        "行政编制数": 9, "事业编制数": 9, "年末在职行政人员": 9, "年末在职事业在编人员": 4,
        in_post: staff}))
    expected = [sample_t002(book)]
    if flagged:
        expected.append(row(BASIC, field_at(book, BASIC, in_post), "T010"))
    assert rows(findings, "T") == sorted(expected)
