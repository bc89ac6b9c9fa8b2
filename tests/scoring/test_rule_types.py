"""The rule types of `spec/scoring.md` ("Indicator rule types") at the edges of their
parameters, each with a scheme written in the test (the default scheme edited as a bureau
would, no code), scored over the sample with one change. Expected scores by hand."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT
from edges import basis_of, score_of
from fill import fill_rows, header_columns, set_cell, set_field
from openpyxl.workbook.workbook import Workbook
from rule_workbooks import budget
from scheme_workbooks import fields, scheme_workbook

from selfeval_xlsx.evaluate import Result, evaluate_workbook
from selfeval_xlsx.scheme.load import load_scheme

DEFAULT = ROOT / "selfeval_xlsx" / "scheme" / "schemes" / "default.toml"
Mutate = Callable[[Workbook], None]
B4 = '''rule = "proportional"
measure = "实际在用固定资产总额 / 固定资产总额"
measure_name = "利用率"
zero_base = "full"  # 固定资产总额为 0：指标不适用，按满分计（P007）'''
B6 = '''limit = 100
points_per_percent_over = 1  # 本方案自定：每超 1 个百分点扣 1 分（仿“三公”经费，无公开出处）'''


def own_scheme(folder: Path, *changes: tuple[str, str]) -> Path:
    text = DEFAULT.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = folder / "own.toml"
    path.write_text(text, encoding="utf-8")
    return path


def scored(sample: Path, folder: Path, scheme: Path, *mutations: Mutate) -> Result:
    book = openpyxl.load_workbook(sample)
    for mutate in mutations:
        mutate(book)
    path = folder / "case.xlsx"
    book.save(path)
    return evaluate_workbook(path, load_scheme(scheme)).result


# ---- a bureau's own indicator on catalogued fields: no code ----

def test_a_new_indicator_of_an_existing_type_needs_no_code(sample: Path, tmp_path: Path) -> None:
    scheme = own_scheme(tmp_path, ('level3 = "固定资产利用率"', 'level3 = "在职人员控制率"'), (B4, '''rule = "control"
measure = "(年末在职行政人员 + 年末在职事业在编人员) / (行政编制数 + 事业编制数)"
measure_name = "控制率"
terms = ["在职", "编制"]'''))
    # the sample: (11 + 4) / (11 + 9) = 75% ≤ 100%: full 6
    result = scored(sample, tmp_path, scheme)
    assert score_of(result, "B4") == 6
    assert basis_of(result, "B4") == "控制率 75.00%（在职 15.00 ÷ 编制 20.00），≤100% 得 6.00"
    # 10 in post on 9 事业编制: (11 + 10) / 20 = 105%, 5 points over, 6 − 5 × 1 = 1.00
    over = scored(sample, tmp_path, scheme,
                  lambda b: set_field(b["基本信息"], "年末在职事业在编人员", 10))
    assert score_of(over, "B4") == Decimal("1.00")


# ---- proportional ----

def test_proportional_cap(sample: Path, tmp_path: Path) -> None:
    scheme = own_scheme(tmp_path, ('measure_name = "执行率"', 'measure_name = "执行率"\ncap = 90'))
    # 812.03 / 902.25 = 90.0005%, counted as 90%: 0.9 × 10 = 9.00
    result = scored(sample, tmp_path, scheme)
    assert score_of(result, "B1") == Decimal("9.00")
    assert basis_of(result, "B1") == "执行率 90.00%（超过90%按90%计） × 10 = 9.00"
    low = scored(sample, tmp_path, scheme, lambda b: budget(b, "支出合计", "决算数", 721.80))
    assert score_of(low, "B1") == Decimal("8.00")  # 721.80 / 902.25 = 80% × 10


def test_a_cap_above_100_percent_still_scores_at_most_the_weight(sample: Path,
                                                               tmp_path: Path) -> None:
    # cap 120 %: 992.48 / 902.25 = 110.0006 % counts in full, 1.100006 × 10 = 11.00, but
    # scoring.md: a score is never above the weight: 10
    scheme = own_scheme(tmp_path, ('measure_name = "执行率"', 'measure_name = "执行率"\ncap = 120'))
    over = scored(sample, tmp_path, scheme, lambda b: budget(b, "支出合计", "决算数", 992.48))
    assert score_of(over, "B1") == Decimal("10.00")
    assert basis_of(over, "B1").endswith("= 11.00，不超过分值，得 10.00")  # says what counts


def test_proportional_over_zero(sample: Path, tmp_path: Path) -> None:
    def no_assets(book: Workbook) -> None:
        set_field(book["资产管理"], "固定资产总额", 0)
        set_field(book["资产管理"], "实际在用固定资产总额", 0)
    full = scored(sample, tmp_path, DEFAULT, no_assets)  # zero_base = "full": 不适用
    assert score_of(full, "B4") == 6 and "P007" in {f.rule for f in full.findings}
    scheme = own_scheme(tmp_path, (B4, B4.replace('zero_base = "full"', 'zero_base = "zero"')))
    zero = scored(sample, tmp_path, scheme, no_assets)
    assert score_of(zero, "B4") == 0 and basis_of(zero, "B4").startswith("固定资产总额为 0.00")


# ---- bands ----

@pytest.mark.parametrize(("edge", "bands", "adjusted", "expected"), [
    ("<=", "[[0, 8], [10, 6], [20, 4], [30, 2]]", 1100, "6"),   # 10% ≤ 10
    ("<", "[[0.01, 8], [10, 6], [20, 4], [30, 2]]", 1100, "4"),  # 10% is not < 10; < 20
    ("<", "[[0.01, 8], [10, 6], [20, 4], [30, 2]]", 1000, "8"),  # 0 < 0.01
    ("<=", "[[0, 8], [10, 6]]", 1100.10, "0"),                   # 10.01%: no band, otherwise 0
])
def test_bands_edges(sample: Path, tmp_path: Path, edge: str, bands: str, adjusted: float,
                     expected: str) -> None:
    scheme = own_scheme(tmp_path, ("bands = [[0, 8], [10, 6], [20, 4], [30, 2]]",
                                   f'bands = {bands}\nedge = "{edge}"'))

    def adjust(book: Workbook) -> None:
        budget(book, "支出合计", "年初预算数", 1000)
        budget(book, "支出合计", "调整后预算数", adjusted)
    assert score_of(scored(sample, tmp_path, scheme, adjust), "A4") == Decimal(expected)


@pytest.mark.parametrize(("used", "expected"), [(90, "6"), (85, "4"), (80, "4"), (79.99, "1")])
def test_bands_higher_is_better(sample: Path, tmp_path: Path, used: float, expected: str) -> None:
    scheme = own_scheme(tmp_path, (B4, '''rule = "bands"
measure = "实际在用固定资产总额 / 固定资产总额"
measure_name = "利用率"
edge = ">="
bands = [[90, 6], [80, 4]]
otherwise = 1'''))

    def assets(book: Workbook) -> None:
        set_field(book["资产管理"], "固定资产总额", 100)
        set_field(book["资产管理"], "实际在用固定资产总额", used)
    assert score_of(scored(sample, tmp_path, scheme, assets), "B4") == Decimal(expected)


@pytest.mark.parametrize(("start", "end", "expected"), [
    (0, 0, "3"),       # no balance at all: 0 ÷ 0 takes the first band (无结余 3)
    (0, 5, "0"),       # a balance where none was carried in: beyond every band
    (50, 0, "3"),      # 0%: ≤ 0
    (50, 50, "2"),     # 100%: not above 上年结转
    (50, 50.01, "0"),  # 100.02%: above
])
def test_bands_over_zero_by_numerator(tmp_path: Path, start: float, end: float,
                                      expected: str) -> None:
    path = scheme_workbook("yueyang", tmp_path, lambda b: fields(
        b, "收支预算", {"年初结转和结余": start, "年末结转和结余": end}))
    result = evaluate_workbook(path, load_scheme(ROOT / "selfeval_xlsx" / "scheme" / "schemes" /
                                                 "yueyang.toml")).result
    assert score_of(result, "P3") == Decimal(expected)  # yueyang's 资金结余


# ---- control ----

@pytest.mark.parametrize(("planned", "actual", "expected"), [
    (8.00, 8.40, "6"),      # 105% = the limit: full
    (8.00, 8.60, "1.00"),   # 107.5%: 2.5 points over × 2 = 5: 6 − 5
    (8.00, 9.00, "0"),      # 112.5%: 7.5 × 2 = 15 over 6: floor 0
    (0, 0, "6"),            # 0 ÷ 0 counts as the limit
    (0, 0.5, "0"),          # spending over a budget of 0
])
def test_control_limit_and_points(sample: Path, tmp_path: Path, planned: float, actual: float,
                                  expected: str) -> None:
    scheme = own_scheme(tmp_path, (B6, "limit = 105\npoints_per_percent_over = 2"))

    def funds(book: Workbook) -> None:
        set_cell(book["经费控制"], "项目", "公用经费", "预算数", planned)
        set_cell(book["经费控制"], "项目", "公用经费", "实际支出数", actual)
    assert score_of(scored(sample, tmp_path, scheme, funds), "B6") == Decimal(expected)


def test_control_zero_base_zero(sample: Path, tmp_path: Path) -> None:
    scheme = own_scheme(tmp_path, (B6, B6 + '\nzero_base = "zero"'))
    # the sample's 公用经费 is 8.02 / 8.02; make it 0 / 0: no rate, 0 points
    def nothing(book: Workbook) -> None:
        set_cell(book["经费控制"], "项目", "公用经费", "预算数", 0)
        set_cell(book["经费控制"], "项目", "公用经费", "实际支出数", 0)
    assert score_of(scored(sample, tmp_path, scheme, nothing), "B6") == 0


# ---- target on a count (not a rate): its target in the measure's own unit ----

@pytest.mark.parametrize(("in_post", "expected"), [(4, "6"), (6, "5.20"), (19, "0")])
def test_target_on_a_count(sample: Path, tmp_path: Path, in_post: int, expected: str) -> None:
    scheme = own_scheme(tmp_path, (B4, '''rule = "target"
measure = "年末在职行政人员 + 年末在职事业在编人员"
measure_name = "在职人数"
direction = "反向"
target = 15'''))
    # 11 + 4 = 15 ≤ 15: 6; 11 + 6 = 17: (1 − 2 / 15) × 6 = 5.20; 11 + 19 = 30 = 2 × 15: 0
    result = scored(sample, tmp_path, scheme,
                    lambda b: set_field(b["基本信息"], "年末在职事业在编人员", in_post))
    assert score_of(result, "B4") == Decimal(expected)


# ---- completion, mean_score, checklist ----

def test_completion_partial_credit(sample: Path, tmp_path: Path) -> None:
    scheme = own_scheme(tmp_path, ("partial_credit = 0.5  # 本方案自定：部分完成按 0.5 计",
                                   "partial_credit = 0.6"))

    def partly(book: Workbook) -> None:
        head, columns = header_columns(book["绩效目标"], "序号", ["完成情况", "说明"])
        for row in (head + 1, head + 2):
            book["绩效目标"].cell(row, columns["完成情况"]).value = "部分完成"
            book["绩效目标"].cell(row, columns["说明"]).value = "跨年度"
    result = scored(sample, tmp_path, scheme, partly)
    assert score_of(result, "D1") == Decimal("9.20")  # (8 + 2 × 0.6) / 10 × 10
    assert result.scoring is not None and result.scoring.ratios["target_completion"] == Decimal(
        "0.92")


@pytest.mark.parametrize(("weighting", "expected"), [("plain", "4.25"), ("funds", "4.38")])
def test_mean_score_weighting(sample: Path, tmp_path: Path, weighting: str, expected: str) -> None:
    scheme = own_scheme(tmp_path, ('weighting = "plain"', f'weighting = "{weighting}"'))

    def projects(book: Workbook) -> None:
        fill_rows(book["重点项目"], "序号", ["序号", "项目名称", "预算数", "项目自评得分"],
                  [(1, "园区道路", 100, 80), (2, "电商中心", 300, 90)])
    # plain: (80 + 90) / 2 = 85 / 100 × 5 = 4.25; funds: (80 × 100 + 90 × 300) / 400 = 87.5
    # / 100 × 5 = 4.375 -> 4.38
    assert score_of(scored(sample, tmp_path, scheme, projects), "D3") == Decimal(expected)


@pytest.mark.parametrize(("no", "expected"), [((), "6"), (("C2-3",), "4"), (("C2-1", "C2-3"), "2"),
                                              (("C2-1", "C2-2", "C2-3"), "0")])
def test_checklist_deduct_mode(sample: Path, tmp_path: Path, no: tuple[str, ...],
                               expected: str) -> None:
    scheme = own_scheme(tmp_path, ('level3 = "资金使用合规性"\nweight = 6\nmethod = "核对"',
                                   'level3 = "资金使用合规性"\nweight = 6\nmethod = "核对"\nmode = "deduct"'))

    def answer(book: Workbook) -> None:
        for code in no:
            set_cell(book["管理核对"], "编号", code, "是否符合", "否")
            set_cell(book["管理核对"], "编号", code, "说明", "有一笔")
    # each item's points (2) off the weight 6 per 否
    assert score_of(scored(sample, tmp_path, scheme, answer), "C2") == Decimal(expected)


def test_checklist_deduct_mode_deducts_an_unanswered_item(sample: Path, tmp_path: Path) -> None:
    scheme = own_scheme(tmp_path, ('level3 = "资金使用合规性"\nweight = 6\nmethod = "核对"',
                                   'level3 = "资金使用合规性"\nweight = 6\nmethod = "核对"\nmode = "deduct"'))
    # docs/schemes.md: the weight less the points of the items answered 否 (and of those not
    # answered; P005 says an unanswered item scores 0): C2-2 left empty, 6 − 2 = 4
    unanswered = scored(sample, tmp_path, scheme,
                        lambda b: set_cell(b["管理核对"], "编号", "C2-2", "是否符合", None))
    assert score_of(unanswered, "C2") == Decimal("4")
