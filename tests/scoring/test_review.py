"""The reviewers' rules R001–R006 (`spec/checks.md`): each triggered, each at its threshold, each
switched off or moved by the scheme. Thresholds are the published defaults of the default scheme
(R001 5%, R002 80%, R003 30%, R004 off). The sample: 支出合计 902.25 / 812.03 (90.0005%), every
indicator full except B1 = 9.00, total 99.00."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT
from fill import field_cell, set_cell, set_field, table_cell
from openpyxl.workbook.workbook import Workbook
from rule_workbooks import budget

from selfeval_xlsx.evaluate import Result, evaluate_workbook
from selfeval_xlsx.findings import RULE_SEVERITY, Severity
from selfeval_xlsx.scheme.load import load_scheme

DEFAULT = ROOT / "selfeval_xlsx" / "scheme" / "schemes" / "default.toml"
Mutate = Callable[[Workbook], None]


def own_scheme(folder: Path, old: str, new: str) -> Path:
    text = DEFAULT.read_text(encoding="utf-8")
    assert old in text
    path = folder / "own.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def run(sample: Path, folder: Path, *mutations: Mutate, scheme: Path = DEFAULT) -> tuple[Result,
                                                                                          Workbook]:
    book = openpyxl.load_workbook(sample)
    for mutate in mutations:
        mutate(book)
    path = folder / "case.xlsx"
    book.save(path)
    return evaluate_workbook(path, load_scheme(scheme)).result, book


def review(result: Result) -> list[tuple[str, str, str]]:
    return sorted((f.sheet, f.cell, f.rule) for f in result.findings if f.rule.startswith("R"))


def spend(total: float) -> Mutate:
    """支出合计 决算数 `total`, with 项目支出 making up the difference (基本支出 453.95)."""
    def mutate(book: Workbook) -> None:
        budget(book, "支出合计", "决算数", total)
        budget(book, "项目支出", "决算数", round(total - 453.95, 2))
    return mutate


def b1_cell(book: Workbook) -> str:
    return str(table_cell(book["评分表"], "指标编号", "B1", "自评得分").coordinate)


def final_cell(book: Workbook) -> str:
    return str(table_cell(book["收支预算"], "项目", "支出合计", "决算数").coordinate)


def test_review_rules_are_warnings_but_r004_a_note() -> None:
    assert {code: RULE_SEVERITY[code] for code in ("R001", "R002", "R003", "R004", "R005",
                                                   "R006")} == {
        "R001": Severity.WARNING, "R002": Severity.WARNING, "R003": Severity.WARNING,
        "R004": Severity.INFO, "R005": Severity.WARNING, "R006": Severity.WARNING}


# ---- R001 高分低执行: E = B1 ÷ 10, I = (total − B1) ÷ 90, (I − E) ÷ I > 5% ----

def test_r001_on_the_sample(sample: Path, tmp_path: Path) -> None:
    result, book = run(sample, tmp_path)
    # E = 9 / 10 = 90%, I = 90 / 90 = 100%: (100 − 90) / 100 = 10% > 5%
    assert review(result) == [("评分表", b1_cell(book), "R001")]
    (r001,) = [f for f in result.findings if f.rule == "R001"]
    assert (r001.expected, r001.actual) == ("≤ 5%", "10.00%")
    assert result.scoring is not None and result.scoring.total == 99  # never a score change


@pytest.mark.parametrize(("spent", "fires"), [
    (857.14, False),  # 857.14 / 902.25 × 10 = 9.50: E 95%, gap exactly 5%: not above
    (856.20, True),   # 9.49: gap 5.1%
])
def test_r001_threshold(sample: Path, tmp_path: Path, spent: float, fires: bool) -> None:
    result, _ = run(sample, tmp_path, spend(spent))
    assert ("R001" in {f.rule for f in result.findings}) is fires


def test_r001_gap_is_relative_to_the_other_indicators(sample: Path, tmp_path: Path) -> None:
    # the other indicators lose 18 of their 90: A2 0 of 4, B2-1 and B2-2 否 (8), C2-1..C2-3 否
    # (6), so I = 72 / 90 = 80 %. 681.20 / 902.25 = 75.5002 %: B1 7.55, E = 75.5 %. The gap
    # is 4.5 points, but (80 − 75.5) / 80 = 5.625 % of I: above 5 %, R001
    def others_lose_18(book: Workbook) -> None:
        set_cell(book["评分表"], "指标编号", "A2", "自评得分", 0)
        set_cell(book["评分表"], "指标编号", "A2", "扣分原因", "指标未量化")
        for code in ("B2-1", "B2-2", "C2-1", "C2-2", "C2-3"):
            set_cell(book["管理核对"], "编号", code, "是否符合", "否")
            set_cell(book["管理核对"], "编号", code, "说明", "有一项")
    result, book = run(sample, tmp_path, spend(681.20), others_lose_18)
    assert result.scoring is not None
    assert result.scoring.total == Decimal("79.55")  # 72 + 7.55
    assert ("评分表", b1_cell(book), "R001") in review(result)


def test_r001_threshold_and_switch_are_scheme_data(sample: Path, tmp_path: Path) -> None:
    wider = own_scheme(tmp_path, "threshold = 5", "threshold = 15")
    assert review(run(sample, tmp_path, scheme=wider)[0]) == []  # 10% ≤ 15%
    off = own_scheme(tmp_path, "[review.R001]  # 高分低执行：(其他指标得分率 − 执行率指标得分率) ÷ 其他指标得分率 超过 threshold\nenabled = true",
                     "[review.R001]\nenabled = false")
    assert review(run(sample, tmp_path, scheme=off)[0]) == []


# ---- R002 执行率 below 80% ----

@pytest.mark.parametrize(("spent", "fires"), [(721.80, False), (721.79, True)])
def test_r002_below_80_percent(sample: Path, tmp_path: Path, spent: float, fires: bool) -> None:
    # 721.80 / 902.25 = 80.0000%: not below; 721.79: 79.9989%
    result, book = run(sample, tmp_path, spend(spent),
                       lambda b: set_field(b["收支预算"], "预算执行情况说明", "项目延期"))
    found = [r for r in review(result) if r[2] == "R002"]
    assert found == ([("收支预算", final_cell(book), "R002")] if fires else [])


def test_r002_threshold_is_scheme_data(sample: Path, tmp_path: Path) -> None:
    higher = own_scheme(tmp_path, "threshold = 80", "threshold = 95")
    result, book = run(sample, tmp_path, scheme=higher)  # 90% below 95%
    assert ("收支预算", final_cell(book), "R002") in review(result)


# ---- R003 调整率 above 30% and 预算调整情况说明 empty ----

def adjust(adjusted: float, note: str | None = None) -> Mutate:
    def mutate(book: Workbook) -> None:
        budget(book, "支出合计", "年初预算数", 1000)
        budget(book, "支出合计", "调整后预算数", adjusted)
        if note is not None:
            set_field(book["收支预算"], "预算调整情况说明", note)
    return mutate


@pytest.mark.parametrize(("adjusted", "note", "fires"), [
    (1300, None, False),         # exactly 30%: not above
    (1300.10, None, True),       # 30.01%
    (699.90, None, True),        # −30.01%: the absolute change counts (as A4)
    (1300.10, "年中追加园区建设资金", False),
])
def test_r003_large_adjustment_needs_its_reason(sample: Path, tmp_path: Path, adjusted: float,
                                                note: str | None, fires: bool) -> None:
    result, book = run(sample, tmp_path, adjust(adjusted, note))
    found = [r for r in review(result) if r[2] == "R003"]
    cell = str(field_cell(book["收支预算"], "预算调整情况说明").coordinate)
    assert found == ([("收支预算", cell, "R003")] if fires else [])


# ---- R004 cap by 执行率 (off in the default scheme) ----

def capped_scheme(folder: Path) -> Path:
    return own_scheme(folder, "enabled = false\ncaps", "enabled = true\ncaps")


@pytest.mark.parametrize(("spent", "b1", "cap", "grade"), [
    (676.69, "7.50", "89", "良"),   # 75.0002%: [70, 80) -> 89; 90 + 7.50 = 97.50 capped
    (586.47, "6.50", "79", "中"),   # 65.0008%: [60, 70) -> 79; 96.50 capped
    (496.24, "5.50", "69", "中"),   # 55.0002%: < 60 -> 69
    (442.11, "4.90", "59", "差"),   # 49.0008%: < 50 -> 59, the tightest
])
def test_r004_caps_the_total(sample: Path, tmp_path: Path, spent: float, b1: str, cap: str,
                             grade: str) -> None:
    result, book = run(sample, tmp_path, spend(spent), scheme=capped_scheme(tmp_path))
    assert result.scoring is not None
    b1_score = next(s.score for s in result.scoring.indicators if s.indicator.code == "B1")
    assert b1_score == Decimal(b1)
    assert result.scoring.uncapped == 90 + Decimal(b1)
    assert (result.scoring.total, result.scoring.grade) == (Decimal(cap), grade)
    (r004,) = [f for f in result.findings if f.rule == "R004"]
    assert (r004.expected, r004.actual) == (f"≤ {cap}", f"{90 + Decimal(b1):.2f}")
    assert r004.cell == str(table_cell(book["评分表"], "指标编号", "合计", "自评得分").coordinate)


def test_r004_at_80_percent_and_off_by_default(sample: Path, tmp_path: Path) -> None:
    # 721.80 / 902.25 = 80% exactly: no cap applies
    result, _ = run(sample, tmp_path, spend(721.80), scheme=capped_scheme(tmp_path))
    assert result.scoring is not None and result.scoring.uncapped is None
    assert result.scoring.total == Decimal("98.00")  # 90 + 8.00
    default, _ = run(sample, tmp_path, spend(676.69))
    assert default.scoring is not None and default.scoring.total == Decimal("97.50")
    assert "R004" not in {f.rule for f in default.findings}


def test_r004_output_total_is_the_capped_formula(sample: Path, tmp_path: Path) -> None:
    from scored import write

    from selfeval_xlsx.evaluate import evaluate_workbook as evaluate

    book = openpyxl.load_workbook(sample)
    spend(676.69)(book)
    path = tmp_path / "low.xlsx"
    book.save(path)
    out = write(evaluate(path, load_scheme(capped_scheme(tmp_path))), tmp_path / "out.xlsx")
    formulas = openpyxl.load_workbook(out)["评分表"]
    values = openpyxl.load_workbook(out, data_only=True)["评分表"]
    total = table_cell(formulas, "指标编号", "合计", "核定得分")
    assert total.value.startswith("=MIN(SUM(") and total.value.endswith(",89)")
    assert values[total.coordinate].value == 89


# ---- R005 a missed target with a full self-score ----

def test_r005_on_a_target_indicator(sample: Path, tmp_path: Path) -> None:
    scheme = own_scheme(tmp_path, 'measure_name = "利用率"\nzero_base = "full"',
                        'measure_name = "利用率"\nzero_base = "full"\ndirection = "正向"\ntarget = 95')
    scheme.write_text(scheme.read_text(encoding="utf-8").replace(
        'rule = "proportional"\nmeasure = "实际在用固定资产总额', 'rule = "target"\nmeasure = "实际在用固定资产总额'),
        encoding="utf-8")
    # 80 / 100 = 80% against 95%: 80 / 95 × 6 = 5.05, while the clerk's B4 stays 6
    result, book = run(sample, tmp_path, lambda b: (
        set_field(b["资产管理"], "固定资产总额", 100),
        set_field(b["资产管理"], "实际在用固定资产总额", 80)), scheme=scheme)
    cell = str(table_cell(book["评分表"], "指标编号", "B4", "自评得分").coordinate)
    assert ("评分表", cell, "R005") in review(result)
    met, _ = run(sample, tmp_path, scheme=scheme)  # 100% ≥ 95%: met, no R005
    assert "R005" not in {f.rule for f in met.findings}


# ---- R006 budget 0 or empty with spending ----

def test_r006_needs_spending_above_0(sample: Path, tmp_path: Path) -> None:
    # checks.md: a budget of 0 with spending *above 0*; 0 and 0 is nothing spent without a budget
    def nothing(book: Workbook) -> None:
        set_cell(book["经费控制"], "项目", "公用经费", "预算数", 0)
        set_cell(book["经费控制"], "项目", "公用经费", "实际支出数", 0)
    result, _ = run(sample, tmp_path, nothing)
    assert "R006" not in {f.rule for f in result.findings}


@pytest.mark.parametrize("planned", [0, None])
def test_r006_public_funds_without_budget(sample: Path, tmp_path: Path,
                                          planned: float | None) -> None:
    result, book = run(sample, tmp_path, lambda b: set_cell(b["经费控制"], "项目", "公用经费",
                                                             "预算数", planned))
    cell = str(table_cell(book["经费控制"], "项目", "公用经费", "实际支出数").coordinate)
    assert ("经费控制", cell, "R006") in review(result)


def test_r006_expenditure_without_budget(sample: Path, tmp_path: Path) -> None:
    result, book = run(sample, tmp_path, lambda b: budget(b, "支出合计", "调整后预算数", 0))
    assert ("收支预算", final_cell(book), "R006") in review(result)
    fine, _ = run(sample, tmp_path)  # budgets 902.25 and 8.02: none
    assert "R006" not in {f.rule for f in fine.findings}


def test_every_review_rule_has_its_tests_here() -> None:
    tested = {name[5:9].upper() for name in globals() if name.startswith("test_r0")}
    assert tested == {code for code in RULE_SEVERITY if code.startswith("R")}
