"""Messages say what the tool did: borrowed 年初预算数, no "相差 0.00", one finding per wrong cell."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLE
from fill import set_field
from openpyxl.workbook.workbook import Workbook
from rule_workbooks import BUDGET, FINAL, INITIAL, SHARE, budget

from selfeval_xlsx.evaluate import check_workbook
from selfeval_xlsx.findings import Finding

ADJUSTED = "调整后预算数"


@pytest.fixture()
def findings_of(tmp_path: Path) -> Callable[[Callable[[Workbook], None]], list[Finding]]:
    def run(change: Callable[[Workbook], None]) -> list[Finding]:
        book = openpyxl.load_workbook(SAMPLE)
        change(book)
        path = tmp_path / "case.xlsx"
        book.save(path)
        return check_workbook(path).findings

    return run


def only(findings: list[Finding], rule: str) -> Finding:
    (found,) = [f for f in findings if f.rule == rule]
    return found


def test_an_adjusted_total_over_unadjusted_parts_says_it_used_their_initial_budget(
        findings_of: Callable[[Callable[[Workbook], None]], list[Finding]]) -> None:
    # 支出合计 adjusted to 950.00; 基本支出 and 项目支出 left empty there, so their 年初预算数
    # count: 453.95 + 448.30 = 902.25, 47.75 short of 950.00 -> T001 in 调整后预算数
    t001 = only(findings_of(lambda book: budget(book, "支出合计", ADJUSTED, 950)), "T001")
    assert (t001.sheet, t001.label, t001.column) == (BUDGET, "支出合计", ADJUSTED)
    assert (t001.expected, t001.actual) == ("902.25", "950.00")
    assert "基本支出、项目支出未填调整后预算数，工具按其年初预算数计算" in t001.message.zh
    assert "used the initial budget" in t001.message.en


def test_a_tiny_rounding_residue_is_shown_exactly_not_as_0_00(
        findings_of: Callable[[Callable[[Workbook], None]], list[Finding]]) -> None:
    def change(book: Workbook) -> None:
        budget(book, "工资福利支出", INITIAL, 334.384)  # 334.384 + 104.22 + 15.34 = 453.944
        budget(book, "基本支出", INITIAL, 453.94)      # differs by 0.004, within 3 x 0.005

    (t002,) = [f for f in findings_of(change) if f.rule == "T002" and f.label == "基本支出"]
    assert "分项之和为 453.944，填报合计为 453.94，相差 0.004" in t002.message.zh


def test_amounts_in_a_message_keep_their_two_decimals(
        findings_of: Callable[[Callable[[Workbook], None]], list[Finding]]) -> None:
    # 453.95 + 448.35 = 902.30 against 902.25: 0.05 beyond 2 x 0.005. Amounts are shown as the
    # workbook shows them, to two decimals: 902.30, not 902.3
    t001 = only(findings_of(lambda book: budget(book, "项目支出", INITIAL, 448.35)), "T001")
    assert "2 个分项之和为 902.30，填报合计为 902.25" in t001.message.zh


def test_overspending_against_an_unadjusted_budget_says_so(
        findings_of: Callable[[Callable[[Workbook], None]], list[Finding]]) -> None:
    def change(book: Workbook) -> None:
        budget(book, "项目支出", FINAL, 448.301)  # 0.001 above its (initial) budget 448.30

    t007 = only(findings_of(change), "T007")
    assert t007.label == "项目支出"
    assert "超过调整后预算数（未填，按年初预算数计） 448.30（超支 0.001）" in t007.message.zh


def test_a_wrong_share_is_one_finding_on_its_cell_not_two(
        findings_of: Callable[[Callable[[Workbook], None]], list[Finding]]) -> None:
    # 基本支出 share typed 60.31 (computed 50.31): T005 there; the pair then sums to 110,
    # but 项目支出's 49.69 is right, so no T006 blames it
    found = findings_of(lambda book: budget(book, "基本支出", SHARE, 60.31))
    assert [(f.rule, f.label) for f in found if f.rule in ("T005", "T006")] == [
        ("T005", "基本支出")]


def test_t006_still_fires_when_both_shares_match_their_amounts(
        findings_of: Callable[[Callable[[Workbook], None]], list[Finding]]) -> None:
    def change(book: Workbook) -> None:
        budget(book, "基本支出", SHARE, 50.32)  # within 0.01 of 50.31
        budget(book, "项目支出", SHARE, 49.70)  # within 0.01 of 49.69; the sum is 100.02

    found = findings_of(change)
    assert [(f.rule, f.label) for f in found if f.rule in ("T005", "T006")] == [
        ("T006", "项目支出")]


def test_a_computed_formula_is_shown_at_the_fields_precision(
        findings_of: Callable[[Callable[[Workbook], None]], list[Finding]]) -> None:
    # openpyxl saves formulas without cached values: the tool computes 88.94 + 0.001 = 88.941,
    # an amount in 万元, shown rounded half-up to two decimals as the field reads it
    found = findings_of(lambda book: set_field(book["资产管理"], "固定资产总额", "=88.94+0.001"))
    v007 = only(found, "V007")
    assert (v007.label, v007.actual) == ("固定资产总额", "88.94")
    assert "工具已自行计算，结果为 88.94。" in v007.message.zh
