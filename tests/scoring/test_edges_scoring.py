"""Every rule of `scoring.md` at the edges of its thresholds, scores worked out by hand.

A4: = 0 → 8; ≤ 10 % → 6; ≤ 20 % → 4; ≤ 30 % → 2; > 30 % → 0, on |调整后 − 年初| ÷ 年初.
B1 / B4: min(rate, 100 %) × weight. B5 / B6: ≤ 100 % → 6; above, 1 point per percentage point
over (pro rata), floor 0; budget 0 with actual 0 is 100 %, with actual > 0 scores 0.
D3: mean of the usable 项目自评得分 (0–100) ÷ 100 × 5. 核对: Σ points of the items answered 是.
自评: outside [0, 分值] counts as the nearest bound. Grades: 优 ≥ 90 > 良 ≥ 80 > 中 ≥ 60 > 差.
An input that is missing or cannot be used scores 0, and its 计分依据 names it.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from edges import (
    ADJUSTED,
    ASSETS,
    FINAL,
    INITIAL,
    amounts,
    answers,
    basis_of,
    field_at,
    fields,
    funds,
    projects,
    row,
    rows,
    score_of,
    scored,
    self_scores,
    statuses,
)

D = Decimal


# ---- A4 ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("adjusted", "expected"), [
    (1000.01, "6"),  # 0.001 %: just above 0 is no longer "= 0"
    (999.99, "6"),  # a cut of 0.001 % counts the same (absolute change)
    (1200.01, "2"),  # 20.001 %: just above 20 %
    (700.00, "2"),  # a cut of exactly 30 %
    (699.99, "0"),  # a cut of 30.001 %
])
def test_a4_band_edges(sample: Path, tmp_path: Path, adjusted: float, expected: str) -> None:
    result, _ = scored(sample, tmp_path, amounts({("支出合计", INITIAL): 1000,
                                                  ("支出合计", ADJUSTED): adjusted}))
    assert score_of(result, "A4") == D(expected)


@pytest.mark.parametrize(("adjusted", "shown"), [(1100.01, "10.0010%"), (1100.10, "10.01%")])
def test_a4_rate_near_a_band_edge_shows_four_decimals(sample: Path, tmp_path: Path,
                                                      adjusted: float, shown: str) -> None:
    # checks.md: where two decimals would round a rate onto a threshold, four are shown;
    # 100.01 / 1000 = 10.001 % would show as 10.00 %, the edge of the "≤ 10 %" band
    result, _ = scored(sample, tmp_path, amounts({("支出合计", INITIAL): 1000,
                                                  ("支出合计", ADJUSTED): adjusted}))
    assert f"调整率 {shown}" in basis_of(result, "A4")


def test_a4_with_an_initial_budget_of_zero_scores_zero(sample: Path, tmp_path: Path) -> None:
    # no rate can be computed from a 年初 of 0: the input cannot be used (and nothing divides by 0)
    result, _ = scored(sample, tmp_path, amounts({("支出合计", INITIAL): 0}))
    assert score_of(result, "A4") == 0 and "支出合计年初预算数" in basis_of(result, "A4")
    assert result.scoring is not None and result.scoring.ratios["budget_adjustment"] is None


# ---- B1 ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("final", "expected", "basis_end"), [
    (902.25, "10.00", "= 10.00"),  # exactly 100 %
    (902.26, "10.00", "= 10.00"),  # just above: counts as 100 %, the basis too
    (902.24, "10.00", "= 10.00"),  # 99.9989 % × 10 = 9.99989 → 10.00 half-up
    (893.23, "9.90", "= 9.90"),  # 893.23 / 902.25 = 99.0003 % × 10 = 9.90003
    (1000.00, "10.00", "= 10.00"),  # 110.83 % counts as 100 %: not 11.08
])
def test_b1_at_and_around_100_percent(sample: Path, tmp_path: Path, final: float, expected: str,
                                      basis_end: str) -> None:
    result, _ = scored(sample, tmp_path, amounts({("支出合计", FINAL): final,
                                                  ("项目支出", FINAL): final - 453.95}))
    assert score_of(result, "B1") == D(expected)
    assert basis_of(result, "B1").endswith(basis_end)


def test_b1_with_an_adjusted_budget_of_zero_scores_zero(sample: Path, tmp_path: Path) -> None:
    result, _ = scored(sample, tmp_path, amounts({("支出合计", ADJUSTED): 0}))
    assert score_of(result, "B1") == 0 and "调整后预算数" in basis_of(result, "B1")
    assert result.scoring is not None and result.scoring.ratios["budget_execution"] is None


def test_b1_names_the_initial_budget_an_empty_adjusted_one_stands_for(sample: Path,
                                                                     tmp_path: Path) -> None:
    # 调整后预算数 empty (it counts as the 年初预算数) and the 年初预算数 empty too: the basis
    # names both cells, not only the one the clerk rightly left empty
    result, _ = scored(sample, tmp_path, amounts({("支出合计", INITIAL): None,
                                                  ("支出合计", ADJUSTED): None}))
    assert score_of(result, "B1") == 0
    assert basis_of(result, "B1") == "支出合计调整后预算数、支出合计年初预算数缺失或无法读取，按 0 分计"


def test_b1_with_an_adjusted_budget_filled_and_unreadable_names_it_alone(
        sample: Path, tmp_path: Path) -> None:
    result, _ = scored(sample, tmp_path, amounts({("支出合计", ADJUSTED): "九百零二万"}))
    assert basis_of(result, "B1") == "支出合计调整后预算数缺失或无法读取，按 0 分计"


def test_b1_with_an_unreadable_adjusted_budget_scores_zero(sample: Path, tmp_path: Path) -> None:
    # scoring.md: an unreadable input (V002) scores 0 and the 计分依据 names it; an empty
    # 调整后预算数 counts as the 年初预算数, an unreadable one does not (902.25 would give 9.00)
    result, _ = scored(sample, tmp_path, amounts({("支出合计", ADJUSTED): "九百零二万"}))
    assert score_of(result, "B1") == 0
    assert "调整后预算数" in basis_of(result, "B1") and "无法读取" in basis_of(result, "B1")


# ---- B4 ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("total", "used", "expected"), [
    (88.94, 88.94, "6.00"),  # 100 %
    (88.94, 88.95, "6.00"),  # above 100 % (a T008) counts as 100 %
    (80, 100, "6.00"),  # 125 % counts as 100 %: not 7.50
    (100, 99.9, "5.99"),  # 99.9 % × 6 = 5.994
    (100, 0, "0.00"),
])
def test_b4_utilisation(sample: Path, tmp_path: Path, total: float, used: float,
                        expected: str) -> None:
    result, _ = scored(sample, tmp_path, fields(ASSETS, {"固定资产总额": total,
                                                         "实际在用固定资产总额": used}))
    assert score_of(result, "B4") == D(expected)
    assert basis_of(result, "B4").endswith(f"= {expected}")


def test_b4_no_fixed_assets_is_full_marks_with_a_note(sample: Path, tmp_path: Path) -> None:
    result, book = scored(sample, tmp_path, fields(ASSETS, {"固定资产总额": 0,
                                                            "实际在用固定资产总额": 0}))
    assert score_of(result, "B4") == 6
    assert row(ASSETS, field_at(book, ASSETS, "固定资产总额"), "P007") in rows(result.findings, "P")


def test_b4_an_empty_total_is_missing_not_zero(sample: Path, tmp_path: Path) -> None:
    # empty is not "no assets": V001, and the indicator scores 0
    result, book = scored(sample, tmp_path, fields(ASSETS, {"固定资产总额": None}))
    assert score_of(result, "B4") == 0
    assert rows(result.findings, "V") == [row(ASSETS, field_at(book, ASSETS, "固定资产总额"), "V001")]


# ---- B5 / B6 -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("planned", "actual", "expected"), [
    (100, 100, "6"),  # exactly 100 %
    (100, 99.99, "6"),  # below
    (100, 100.01, "5.99"),  # 100.01 %: 0.01 points over
    (100, 105.99, "0.01"),  # 5.99 points over
    (100, 106, "0"),  # 6 points over: nothing left
    (100, 106.01, "0"),  # floor 0
    (0, 0, "6"),  # budget 0 and actual 0: 100 %
    (0, 0.01, "0"),  # budget 0 and the smallest spending: 0 points
])
def test_b5_control_rate(sample: Path, tmp_path: Path, planned: float, actual: float,
                         expected: str) -> None:
    result, _ = scored(sample, tmp_path, funds({
        ("三公经费合计", "预算数"): planned, ("三公经费合计", "实际支出数"): actual,
        ("公务接待费", "预算数"): planned, ("公务接待费", "实际支出数"): actual}))
    assert score_of(result, "B5") == D(expected)


@pytest.mark.parametrize(("planned", "actual", "expected"), [
    (8.00, 8.00, "6"),
    (8.00, 8.01, "5.88"),  # 100.125 %: 6 − 0.125 = 5.875 → 5.88
    (8.00, 8.48, "0"),  # 106 %
    (0, 0.01, "0"),
])
def test_b6_control_rate(sample: Path, tmp_path: Path, planned: float, actual: float,
                         expected: str) -> None:
    result, _ = scored(sample, tmp_path, funds({("公用经费", "预算数"): planned,
                                                ("公用经费", "实际支出数"): actual}))
    assert score_of(result, "B6") == D(expected)


def test_control_rate_just_above_100_percent_shows_four_decimals(sample: Path,
                                                                 tmp_path: Path) -> None:
    # 1000.01 / 1000 = 100.001 %: two decimals would show the threshold itself, 100.00 %
    result, _ = scored(sample, tmp_path, funds({("公用经费", "预算数"): 1000,
                                                ("公用经费", "实际支出数"): 1000.01}))
    assert "控制率 100.0010%" in basis_of(result, "B6")
    assert score_of(result, "B6") == D("6.00")  # 6 − 0.001 = 5.999 → 6.00


def test_control_rate_of_exactly_100_percent_reports_no_overspending(sample: Path,
                                                                     tmp_path: Path) -> None:
    result, _ = scored(sample, tmp_path, funds({("公用经费", "预算数"): 8,
                                                ("公用经费", "实际支出数"): 8}))
    assert "≤100%" in basis_of(result, "B6") and "超出" not in basis_of(result, "B6")


# ---- D1 / D2 / D3 ------------------------------------------------------------------------------

@pytest.mark.parametrize(("sheet", "code"), [("绩效目标", "D1"), ("重点工作", "D2")])
@pytest.mark.parametrize(("values", "expected"), [
    (["完成"], "10.00"),  # one row is enough
    (["部分完成"], "5.00"),  # 0.5 / 1 × 10
    (["完成", "部分完成", "未完成"], "5.00"),  # (1 + 0.5) / 3 × 10
])
def test_completion_ratio(sample: Path, tmp_path: Path, sheet: str, code: str,
                          values: list[str], expected: str) -> None:
    result, _ = scored(sample, tmp_path, statuses(sheet, [(v, "说明") for v in values]))
    assert score_of(result, code) == D(expected)


@pytest.mark.parametrize(("scores", "expected"), [
    ([100], "5.00"),  # 100 / 100 × 5
    ([100, 80], "4.50"),  # mean 90
    ([0, 100], "2.50"),  # 0 is a usable score
    ([100.01, 80], "4.00"),  # 100.01 is outside 0–100 (V002): only 80 counts
    ([None, 90], "4.50"),  # a row without a score (V001) is left out
])
def test_d3_mean_of_the_usable_project_scores(sample: Path, tmp_path: Path,
                                              scores: list[object], expected: str) -> None:
    result, _ = scored(sample, tmp_path, projects(scores))
    assert score_of(result, "D3") == D(expected)
    assert "P007" not in {f.rule for f in result.findings}  # there are key projects


# ---- 核对 and 自评 ------------------------------------------------------------------------------

@pytest.mark.parametrize(("answer", "expected"), [("是", "4"), ("否", "3"), (None, "3"),
                                                  ("也许", "3")])
def test_only_an_item_answered_yes_earns_its_points(sample: Path, tmp_path: Path,
                                                    answer: str | None, expected: str) -> None:
    # A1 = A1-1..A1-4, one point each; unanswered and unreadable answers earn nothing
    result, _ = scored(sample, tmp_path, answers({"A1-1": (answer, "说明")}))
    assert score_of(result, "A1") == D(expected)


@pytest.mark.parametrize(("score", "expected"), [(4.01, "4"), (4, "4"), (0, "0"), (3.5, "3.50")])
def test_self_assessed_score_counts_within_its_bounds(sample: Path, tmp_path: Path, score: float,
                                                      expected: str) -> None:
    result, _ = scored(sample, tmp_path, self_scores({"A2": score, "A2/扣分原因": "原因"}))
    assert score_of(result, "A2") == D(expected)


# ---- grades on a scored workbook --------------------------------------------------------------

@pytest.mark.parametrize(("a2", "total", "grade"), [(3, "90.00", "优"), (2.99, "89.99", "良")])
def test_grade_at_exactly_90(sample: Path, tmp_path: Path, a2: float, total: str,
                             grade: str) -> None:
    # 99 − B2 (8: B2-1 and B2-2 answered 否) − (4 − A2)
    result, _ = scored(sample, tmp_path, answers({"B2-1": ("否", "未执行"), "B2-2": ("否", "未执行")}),
                       self_scores({"A2": a2, "A2/扣分原因": "原因"}))
    assert result.scoring is not None
    assert (result.scoring.total, result.scoring.grade) == (D(total), grade)
