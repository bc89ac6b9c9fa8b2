"""Scoring with numbers: every rule and edge of `spec/scoring.md`, expected values by hand."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from fill import fill_rows, set_cell, set_field, table_cell
from openpyxl.workbook.workbook import Workbook
from rule_workbooks import budget

from selfeval_xlsx.evaluate import Result, evaluate_workbook
from selfeval_xlsx.scheme.load import load_scheme

Mutate = Callable[[Workbook], None]
FUNDS = "经费控制"


def scored(sample: Path, tmp_path: Path, *mutations: Mutate) -> Result:
    book = openpyxl.load_workbook(sample)
    for mutate in mutations:
        mutate(book)
    path = tmp_path / "case.xlsx"
    book.save(path)
    return evaluate_workbook(path).result


def score_of(result: Result, code: str) -> Decimal:
    assert result.scoring is not None
    return next(s.score for s in result.scoring.indicators if s.indicator.code == code)


def expenditure(initial: float | None = None, adjusted: float | None = None,
                final: float | None = None) -> Mutate:
    def mutate(book: Workbook) -> None:
        for column, value in (("年初预算数", initial), ("调整后预算数", adjusted), ("决算数", final)):
            if value is not None:
                budget(book, "支出合计", column, value)
    return mutate


def funds(label: str, planned: float, actual: float) -> Mutate:
    def mutate(book: Workbook) -> None:
        set_cell(book[FUNDS], "项目", label, "预算数", planned)
        set_cell(book[FUNDS], "项目", label, "实际支出数", actual)
    return mutate


def statuses(sheet: str, values: list[str | None]) -> Mutate:
    """Exactly len(values) rows with these statuses; the sample's other rows are cleared."""
    def mutate(book: Workbook) -> None:
        rows = [(sheet + str(i), v, "原因") for i, v in enumerate(values)]
        rows += [(None, None, None)] * (10 - len(values))
        fill_rows(book[sheet], "序号", [sheet, "完成情况", "说明"], rows)
    return mutate


def test_sample_scores_99_grade_you(sample: Path, tmp_path: Path) -> None:
    result = scored(sample, tmp_path)
    assert result.scoring is not None
    # every indicator full marks except B1: 812.03 / 902.25 = 0.900005... x 10 = 9.00
    assert score_of(result, "B1") == Decimal("9.00")
    assert result.scoring.total == Decimal("99.00") and result.scoring.grade == "优"
    # R001 高分低执行 (spec/checks.md): B1 scores 9/10 = 90% of its weight, the rest 90/90 = 100%;
    # (100% − 90%) ÷ 100% = 10% > 5%: a warning for the reviewers, the scores unchanged
    assert sorted(f.rule for f in result.findings) == ["P007", "R001", "T002"]
    assert result.passed
    groups = {g.name: (g.weight, g.score) for g in result.scoring.groups}
    assert groups == {"预算编制": (20, 20), "预算执行": (40, 39), "预算监督": (15, 15),
                      "预算使用效益": (25, 25)}
    basis = next(s.basis.zh for s in result.scoring.indicators if s.indicator.code == "B1")
    assert basis == "执行率 90.00% × 10 = 9.00"


@pytest.mark.parametrize(("adjusted", "expected"), [
    (1000.00, "8"),    # 调整率 0
    (1100.00, "6"),    # exactly 10% -> <= 10%
    (900.00, "6"),     # -10%: the absolute change counts
    (1100.10, "4"),    # 10.01%
    (1200.00, "4"),    # exactly 20%
    (1300.00, "2"),    # exactly 30%
    (1300.10, "0"),    # 30.01%
])
def test_a4_adjustment_bands(sample: Path, tmp_path: Path, adjusted: float, expected: str) -> None:
    result = scored(sample, tmp_path, expenditure(initial=1000, adjusted=adjusted))
    assert score_of(result, "A4") == Decimal(expected)


def test_a4_empty_adjusted_budget_means_no_adjustment(sample: Path, tmp_path: Path) -> None:
    result = scored(sample, tmp_path)
    assert score_of(result, "A4") == 8
    assert result.scoring is not None and result.scoring.ratios["budget_adjustment"] == 0


@pytest.mark.parametrize(("initial", "final", "expected"), [
    (1000, 1100, "10.00"),   # 110% counts as 100%
    (800, 650, "8.13"),      # 650 / 800 = 0.8125 x 10 = 8.125 -> 8.13 (half-up, not 8.12)
    (1000, 0, "0.00"),
])
def test_b1_execution_rate(sample: Path, tmp_path: Path, initial: int, final: int,
                           expected: str) -> None:
    result = scored(sample, tmp_path, expenditure(initial=initial, final=final))
    assert score_of(result, "B1") == Decimal(expected)


def test_b1_uses_the_adjusted_budget(sample: Path, tmp_path: Path) -> None:
    result = scored(sample, tmp_path, expenditure(initial=800, adjusted=1000, final=900))
    assert score_of(result, "B1") == Decimal("9.00")  # 900 / 1000, not 900 / 800


@pytest.mark.parametrize(("planned", "actual", "expected"), [
    (0, 0, "6"),        # 0 / 0 counts as 100%
    (0, 1.5, "0"),      # spending without a budget
    (10, 10.55, "0.50"),  # 105.5%: 5.5 points over -> 6 - 5.5
    (10, 10, "6"),
    (10, 9, "6"),
    (10, 20, "0"),      # 200%: floor 0
])
def test_b5_sangong_control(sample: Path, tmp_path: Path, planned: float, actual: float,
                            expected: str) -> None:
    def items(book: Workbook) -> None:
        set_cell(book[FUNDS], "项目", "公务接待费", "预算数", planned)
        set_cell(book[FUNDS], "项目", "公务接待费", "实际支出数", actual)
    result = scored(sample, tmp_path, funds("三公经费合计", planned, actual), items)
    assert score_of(result, "B5") == Decimal(expected)


@pytest.mark.parametrize(("planned", "actual", "expected"), [
    (8.02, 8.02, "6"),     # exactly 100%
    (8.00, 8.04, "5.50"),  # 100.5%: 0.5 points over
])
def test_b6_public_funds_control(sample: Path, tmp_path: Path, planned: float, actual: float,
                                 expected: str) -> None:
    result = scored(sample, tmp_path, funds("公用经费", planned, actual))
    assert score_of(result, "B6") == Decimal(expected)


def test_b4_asset_utilisation_and_no_assets(sample: Path, tmp_path: Path) -> None:
    def used(value: float, total: float = 88.94) -> Mutate:
        def mutate(book: Workbook) -> None:
            set_field(book["资产管理"], "固定资产总额", total)
            set_field(book["资产管理"], "实际在用固定资产总额", value)
        return mutate
    # 80 / 100 x 6 = 4.80
    assert score_of(scored(sample, tmp_path, used(80, 100)), "B4") == Decimal("4.80")
    none = scored(sample, tmp_path, used(0, 0))
    assert score_of(none, "B4") == 6
    assert ("资产管理", "P007") in {(f.sheet, f.rule) for f in none.findings}


def test_d1_partial_completion_counts_half(sample: Path, tmp_path: Path) -> None:
    values = ["完成"] * 7 + ["部分完成", "部分完成", "未完成"]
    result = scored(sample, tmp_path, statuses("绩效目标", values))
    assert score_of(result, "D1") == Decimal("8.00")  # (7 + 0.5 x 2) / 10 x 10


def test_d1_empty_or_unknown_status_counts_as_not_done(sample: Path, tmp_path: Path) -> None:
    values = ["完成"] * 8 + [None, "差不多"]
    result = scored(sample, tmp_path, statuses("绩效目标", values))
    assert score_of(result, "D1") == Decimal("8.00")  # 8 / 10 x 10
    assert {"V001", "V004"} <= {f.rule for f in result.findings}


def test_d2_half_up_rounding(sample: Path, tmp_path: Path) -> None:
    values = ["完成"] * 6 + ["部分完成", "未完成"]
    result = scored(sample, tmp_path, statuses("重点工作", values))
    assert score_of(result, "D2") == Decimal("8.13")  # (6 + 0.5) / 8 = 0.8125 x 10 = 8.125


def test_no_targets_scores_zero_with_an_error(sample: Path, tmp_path: Path) -> None:
    result = scored(sample, tmp_path, statuses("绩效目标", []))
    assert score_of(result, "D1") == 0 and "P006" in {f.rule for f in result.findings}
    assert not result.passed


def test_no_key_tasks_scores_zero_with_a_warning(sample: Path, tmp_path: Path) -> None:
    result = scored(sample, tmp_path, lambda b: fill_rows(
        b["重点工作"], "序号", ["重点工作", "完成情况"], [(None, None)] * 10))
    assert score_of(result, "D2") == 0 and "P008" in {f.rule for f in result.findings}


def projects(*rows: tuple[str, float | None]) -> Mutate:
    def mutate(book: Workbook) -> None:
        fill_rows(book["重点项目"], "序号", ["序号", "项目名称", "项目自评得分"],
                  [(i, name, score) for i, (name, score) in enumerate(rows, start=1)])
    return mutate


def test_d3_mean_of_project_scores(sample: Path, tmp_path: Path) -> None:
    result = scored(sample, tmp_path, projects(("园区道路", 80), ("电商中心", 90)))
    assert score_of(result, "D3") == Decimal("4.25")  # (80 + 90) / 2 / 100 x 5
    assert "P007" not in {f.rule for f in result.findings}


def test_d3_rows_without_usable_scores(sample: Path, tmp_path: Path) -> None:
    mixed = scored(sample, tmp_path, projects(("园区道路", 80), ("电商中心", None),
                                              ("数据平台", 120)))
    assert score_of(mixed, "D3") == Decimal("4.00")  # only 80 counts: 80 / 100 x 5
    none = scored(sample, tmp_path, projects(("园区道路", None)))
    assert score_of(none, "D3") == 0


def test_checklist_no_scores_the_item_zero(sample: Path, tmp_path: Path) -> None:
    result = scored(sample, tmp_path,
                    lambda b: set_cell(b["管理核对"], "编号", "C2-3", "是否符合", "否"))
    assert score_of(result, "C2") == 4  # C2-1 2 + C2-2 2 + C2-3 0


def test_self_score_outside_bounds_counts_as_the_bound(sample: Path, tmp_path: Path) -> None:
    result = scored(sample, tmp_path,
                    lambda b: set_cell(b["评分表"], "指标编号", "A2", "自评得分", 5))
    assert score_of(result, "A2") == 4 and "P001" in {f.rule for f in result.findings}


def test_missing_self_score_is_zero(sample: Path, tmp_path: Path) -> None:
    result = scored(sample, tmp_path,
                    lambda b: set_cell(b["评分表"], "指标编号", "A2", "自评得分", None))
    assert score_of(result, "A2") == 0 and "P002" in {f.rule for f in result.findings}


def test_clerk_score_that_differs_from_the_computed_one(sample: Path, tmp_path: Path) -> None:
    result = scored(sample, tmp_path,
                    lambda b: set_cell(b["评分表"], "指标编号", "B1", "自评得分", 10))
    (p004,) = [f for f in result.findings if f.rule == "P004"]
    assert (p004.expected, p004.actual) == ("9.00", "10.00")
    assert score_of(result, "B1") == Decimal("9.00")  # the computed score counts


def test_missing_input_scores_zero_and_names_it(sample: Path, tmp_path: Path) -> None:
    def clear(book: Workbook) -> None:
        table_cell(book["收支预算"], "项目", "支出合计", "决算数").value = None
    result = scored(sample, tmp_path, clear)
    assert result.scoring is not None
    item = next(s for s in result.scoring.indicators if s.indicator.code == "B1")
    assert item.score == 0 and "决算数" in item.basis.zh
    assert "V001" in {f.rule for f in result.findings}


@pytest.mark.parametrize(("total", "grade"), [
    ("100", "优"), ("90", "优"), ("89.99", "良"), ("80", "良"), ("79.99", "中"), ("60", "中"),
    ("59.99", "差"), ("0", "差"),
])
def test_grade_boundaries(total: str, grade: str) -> None:
    assert load_scheme().grade_for(Decimal(total)) == grade


def test_total_is_the_sum_of_rounded_scores(sample: Path, tmp_path: Path) -> None:
    # B1 = 650/800 x 10 = 8.125 -> 8.13 and D2 = 6.5/8 x 10 = 8.125 -> 8.13; everything else
    # full: 100 - 1.87 - 1.87 = 96.26, where rounding the unrounded sum would give 96.25
    result = scored(sample, tmp_path, expenditure(initial=800, final=650),
                    statuses("重点工作", ["完成"] * 6 + ["部分完成", "未完成"]))
    assert result.scoring is not None
    assert result.scoring.total == sum(s.score for s in result.scoring.indicators)
    assert result.scoring.total == Decimal("96.26")
