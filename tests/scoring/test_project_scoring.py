"""The scoring of the 项目支出绩效自评表 at every edge of its formulas (project-form.md, Scoring):
each expected score is worked out in the comment beside it, from the spec's wording.

T = 年度指标值, A = 实际完成值, W = 分值; every row's score is rounded half-up to 0.01.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from project_builder import project_book

from selfeval_xlsx.api import check_file
from selfeval_xlsx.evaluate.project import ProjectResult
from selfeval_xlsx.scoring.project import ProjectScore
from selfeval_xlsx.scoring.project_basis import quantitative_basis

D = Decimal
OUT, EFFECT, SATISFY = "产出指标", "效益指标", "满意度指标"
Q = ("数量指标",)

POSITIVE = [  # 正向 (≥, >): A ≥ T → W; else max(0, A ÷ T) × W; T = 0 → W when A ≥ 0
    (OUT, *Q, "正向低于", "≥", 100, "", 95, 20, None, "原因"),    # 95 / 100 × 20 = 19.00
    (OUT, *Q, "正向等于", "≥", 100, "", 100, 20),                  # A = T: 20.00
    (OUT, *Q, "正向高于", "≥", 100, "", 130, 20),                  # A > T: 20.00, never above W
    (OUT, *Q, "正向指标值为零", "≥", 0, "", 0, 20),                # T = 0, A = 0 ≥ 0: 20.00
    (OUT, *Q, "正向负数", "≥", 100, "", -5, 20, None, "原因"),     # A < 0 counts as 0: 0.00
    (OUT, *Q, "正向四舍五入", "≥", 1200, "", 1150, 20, None, "原因"),  # 19.1666… → 19.17
    (OUT, *Q, "正向半分", "≥", 200, "", 1, 1, None, "原因"),        # 1/200 × 1 = 0.005 → 0.01
    (OUT, *Q, "正向严格大于", ">", 100, "", 50, 10, None, "原因"),  # > is 正向: 50/100 × 10 = 5.00
    (OUT, *Q, "百分比单元格", "≥", "100%", "%", 0.95, 20, None, "原因"),  # a 95 % cell: 19.00
    (OUT, *Q, "带符号的指标值", "≥", "≥95%", "%", "95%", 20),       # ≥95% reads as 95: 20.00
    (OUT, *Q, "带单位的完成值", ">=", "12个", "个", "9个", 12, None, "原因"),  # 9/12 × 12 = 9.00
]
EQUAL = [  # 等于: T > 0 as 正向, A > T also full; T = 0 → W when A ≤ 0, else 0
    (EFFECT, "社会效益指标", "等于零且为零", "=", 0, "起", 0, 10),            # 10.00
    (EFFECT, "社会效益指标", "等于零却为一", "=", 0, "起", 1, 10, None, "原因"),  # 0.00
    (EFFECT, "社会效益指标", "等于零负数", "=", 0, "起", -1, 10),             # A → 0 ≤ 0: 10.00
    (EFFECT, "社会效益指标", "等于达到", "=", 100, "%", 100, 10),            # 10.00
    (EFFECT, "社会效益指标", "等于超过", "=", 100, "%", 110, 10),            # A > T: 10.00
    (EFFECT, "社会效益指标", "等于不足", "=", 100, "%", 90, 10, None, "原因"),  # 90/100 × 10 = 9.00
    (EFFECT, "社会效益指标", "全角等号", "＝", 100, "%", 90, 10, None, "原因"),  # ＝ is =: 9.00
]
NEGATIVE = [  # 反向 (≤, <): A ≤ T → W; T < A < 2T → (1 − (A − T) ÷ T) × W; A ≥ 2T → 0
    (OUT, "成本指标", "反向等于", "≤", 100, "元", 100, 20),                    # A = T: 20.00
    (OUT, "成本指标", "反向一点五倍", "≤", 100, "元", 150, 20, None, "原因"),  # (1 − 0.5) × 20 = 10.00
    (OUT, "成本指标", "反向两倍", "≤", 100, "元", 200, 20, None, "原因"),      # A = 2T: 0.00
    (OUT, "成本指标", "反向超过两倍", "≤", 100, "元", 250, 20, None, "原因"),  # 0.00
    (OUT, "成本指标", "反向一点二倍", "≤", 100, "元", 120, 20, None, "原因"),  # (1 − 0.2) × 20 = 16.00
    (OUT, "成本指标", "反向低于", "≤", 100, "元", 80, 20),                    # A < T: 20.00
    (OUT, "成本指标", "反向零且为零", "≤", 0, "起", 0, 20),                   # T = 0, A ≤ 0: 20.00
    (OUT, "成本指标", "反向零却为一", "≤", 0, "起", 1, 20, None, "原因"),      # T = 0, A > 0: 0.00
    (OUT, "成本指标", "反向负数", "≤", 10, "起", -5, 20),                     # A → 0 ≤ 10: 20.00
    (OUT, "成本指标", "反向严格小于", "<", 100, "元", 110, 20, None, "原因"),  # (1 − 0.1) × 20 = 18.00
    (OUT, "成本指标", "反向写法", "<=", 100, "元", 100, 20),                  # <= is ≤: 20.00
]
ACHIEVED, PARTLY, MISSED = "达成年度指标", "部分达成年度指标并具有一定效果", "未达成年度指标且效果较差"
QUALITATIVE = [  # the clerk's 得分 within the band: 达成 [80 %, 100 %], 部分 [60 %, 80 %), 未达成 [0, 60 %)
    (SATISFY, "服务对象满意度指标", "达成下限", "定性", "高", "", ACHIEVED, 10, 8, "原因"),       # 8.00 in
    (SATISFY, "服务对象满意度指标", "达成低于下限", "定性", "高", "", ACHIEVED, 10, 7.99, "原因"),  # J005 → 8.00
    (SATISFY, "服务对象满意度指标", "达成满分", "定性", "高", "", ACHIEVED, 10, 10),             # 10.00 in
    (SATISFY, "服务对象满意度指标", "达成超过满分", "定性", "高", "", ACHIEVED, 10, 10.5),       # J005 → 10.00
    (SATISFY, "服务对象满意度指标", "部分下限", "定性", "高", "", PARTLY, 10, 6, "原因"),         # 6.00 in
    (SATISFY, "服务对象满意度指标", "部分上限", "定性", "高", "", PARTLY, 10, 8, "原因"),         # 80 % is out: J005 → 8.00
    (SATISFY, "服务对象满意度指标", "部分低于下限", "定性", "高", "", PARTLY, 10, 5.99, "原因"),  # J005 → 6.00
    (SATISFY, "服务对象满意度指标", "部分接近上限", "定性", "高", "", PARTLY, 10, 7.99, "原因"),  # 7.99 in
    (SATISFY, "服务对象满意度指标", "未达成接近上限", "定性", "高", "", MISSED, 10, 5.99, "原因"),  # 5.99 in
    (SATISFY, "服务对象满意度指标", "未达成上限", "定性", "高", "", MISSED, 10, 6, "原因"),       # 60 % is out: J005 → 6.00
    (SATISFY, "服务对象满意度指标", "未达成零分", "定性", "高", "", MISSED, 10, 0, "原因"),       # 0.00 in
]
EXPECTED = {
    "正向低于": "19.00", "正向等于": "20.00", "正向高于": "20.00", "正向指标值为零": "20.00",
    "正向负数": "0.00", "正向四舍五入": "19.17", "正向半分": "0.01", "正向严格大于": "5.00",
    "百分比单元格": "19.00", "带符号的指标值": "20.00", "带单位的完成值": "9.00",
    "等于零且为零": "10.00", "等于零却为一": "0.00", "等于零负数": "10.00", "等于达到": "10.00",
    "等于超过": "10.00", "等于不足": "9.00", "全角等号": "9.00",
    "反向等于": "20.00", "反向一点五倍": "10.00", "反向两倍": "0.00", "反向超过两倍": "0.00",
    "反向一点二倍": "16.00", "反向低于": "20.00", "反向零且为零": "20.00", "反向零却为一": "0.00",
    "反向负数": "20.00", "反向严格小于": "18.00", "反向写法": "20.00",
    "达成下限": "8.00", "达成低于下限": "8.00", "达成满分": "10.00", "达成超过满分": "10.00",
    "部分下限": "6.00", "部分上限": "8.00", "部分低于下限": "6.00", "部分接近上限": "7.99",
    "未达成接近上限": "5.99", "未达成上限": "6.00", "未达成零分": "0.00",
}
OUT_OF_BAND = {"达成低于下限", "达成超过满分", "部分上限", "部分低于下限", "未达成上限"}


@pytest.fixture(scope="module")
def edges(tmp_path_factory: pytest.TempPathFactory) -> ProjectResult:
    path = tmp_path_factory.mktemp("edges") / "edges.xlsx"
    project_book(path, {"正向": POSITIVE, "等于": EQUAL, "反向": NEGATIVE, "定性": QUALITATIVE},
                 formats={("正向", 9, "实际完成值"): "0%"})
    result = check_file(path)
    assert isinstance(result, ProjectResult)
    return result


def scores(result: ProjectResult) -> dict[str, str]:
    return {r.row.label: f"{r.score:.2f}" for p in result.projects for r in p.rows}


@pytest.mark.parametrize("label", list(EXPECTED))
def test_row_score_at_its_edge(label: str, edges: ProjectResult) -> None:
    assert scores(edges)[label] == EXPECTED[label]


def test_only_scores_outside_their_band_raise_j005(edges: ProjectResult) -> None:
    flagged = {f.label for f in edges.findings if f.rule == "J005"}
    assert flagged == OUT_OF_BAND


def test_over_achievement_flags_at_120_percent_only(edges: ProjectResult) -> None:
    # 正向高于: 130 ≥ 1.2 × 100; 等于超过: 110 < 120; 反向 rows are never flagged
    assert {f.label for f in edges.findings if f.rule == "J007"} == {"正向高于"}


def test_basis_shows_the_formula_with_the_numbers(edges: ProjectResult) -> None:
    basis = {r.row.label: r.basis.zh for p in edges.projects for r in p.rows}
    assert basis["正向低于"] == "正向：完成值 95 ÷ 指标值 100 × 20 = 19.00"
    assert basis["反向一点五倍"] == "反向：(1 − (完成值 150 − 指标值 100) ÷ 指标值 100) × 20 = 10.00"
    assert basis["反向两倍"] == "反向：完成值 200 ≥ 2 × 指标值 100，得 0.00"
    assert basis["等于零却为一"] == "等于：指标值 0，完成值 1 > 0，得 0.00"
    assert basis["正向负数"].startswith("正向：完成值 -5 为负数，按 0 计；")
    assert "[8.00, 10.00]" in basis["达成下限"] and "[6.00, 8.00)" in basis["部分上限"]


@pytest.mark.parametrize("unit", ["%", "％", " % "])
def test_basis_in_percent_whatever_the_percent_sign(unit: str) -> None:
    # 95 ÷ 100 × 20 = 19.00, the values shown as percentages for a 计量单位 % in either width
    basis = quantitative_basis("正向", Decimal(100), Decimal(95), Decimal(20), Decimal("19.00"), unit)
    assert basis.zh == "正向：完成值 95% ÷ 指标值 100% × 20 = 19.00"


def only(tmp_path: Path, funds: tuple[object, object, object], rows: list[tuple[object, ...]],
         scheme: Path | None = None, **fields: object) -> tuple[ProjectScore, ProjectResult]:
    path = project_book(tmp_path / "one.xlsx", {"项目1": rows}, funds, fields=fields)
    result = check_file(path, scheme)
    assert isinstance(result, ProjectResult)
    return result.projects[0], result


FULL_ROWS = [(OUT, *Q, "产出", "≥", 1, "", 1, 50), (EFFECT, "社会效益指标", "效益", "≥", 1, "", 1, 30),
             (SATISFY, "服务对象满意度指标", "满意度", "≥", 1, "", 1, 10)]


def test_execution_above_100_percent_counts_as_100_and_warns(tmp_path: Path) -> None:
    # 110 ÷ 100 = 110 % → min(110 %, 100 %) × 10 = 10.00; T007 on both fund rows
    score, result = only(tmp_path, (100, 100, 110), FULL_ROWS)
    assert score.execution.score == D("10.00") and score.execution.rate == D("1.1")
    assert sorted(f.rule for f in result.findings) == ["T007", "T007"]


def test_execution_uses_the_initial_budget_when_the_full_year_one_is_empty(tmp_path: Path) -> None:
    # 全年预算数 empty → 年初预算数 100: 90 ÷ 100 = 90 % × 10 = 9.00; total 9 + 90 = 99.00
    score, _ = only(tmp_path, (100, None, 90), FULL_ROWS)
    assert (score.execution.budget, score.execution.score, score.total) == (
        D(100), D("9.00"), D("99.00"))
    assert "年初预算数" in score.execution.basis.zh


def test_execution_below_90_percent_needs_a_conclusion(tmp_path: Path) -> None:
    # 89.99 ÷ 100 = 89.99 % < 90 %: J002; × 10 = 8.999 → 9.00
    score, result = only(tmp_path, (100, 100, 89.99), FULL_ROWS)
    assert score.execution.score == D("9.00")
    assert [f.rule for f in result.findings] == ["J002"]


def test_execution_at_90_percent_needs_no_conclusion(tmp_path: Path) -> None:
    _, result = only(tmp_path, (100, 100, 90), FULL_ROWS)
    assert result.findings == []


def test_grade_bands_at_their_edges(tmp_path: Path) -> None:
    # execution 10.00 + rows 50 + 30 + 0 = 90.00: 优 (优 ≥ 90)
    rows = [(OUT, *Q, "产出", "≥", 100, "", 100, 50), (EFFECT, "社会效益指标", "效益", "≥", 1, "", 1, 30),
            (SATISFY, "服务对象满意度指标", "满意度", "≥", 100, "", 0, 10, None, "原因")]
    score, _ = only(tmp_path, (100, 100, 100), rows)
    assert (score.total, score.grade) == (D("90.00"), "优")
    rows[0] = (OUT, *Q, "产出", "≥", 5000, "", 4999.8, 50, None, "原因")  # 4999.8/5000 × 50 = 49.998 → 50.00
    rows[1] = (EFFECT, "社会效益指标", "效益", "≥", 3000, "", 2999.5, 30, None, "原因")  # 29.995 → 30.00
    score, _ = only(tmp_path, (100, 100, 99.9), rows)  # 99.9 % × 10 = 9.99; 9.99 + 80 = 89.99
    assert (score.total, score.grade) == (D("89.99"), "良")


def test_no_budget_scores_execution_zero(tmp_path: Path) -> None:
    score, result = only(tmp_path, (0, 0, 0), FULL_ROWS)
    assert score.execution.score == 0 and score.total == D("90.00")
    assert [f.rule for f in result.findings] == ["J003"]


def test_the_scheme_cap_by_execution_limits_the_total(tmp_path: Path) -> None:
    # cap on: 75 % is below 80 % → at most 89; 7.50 + 90 = 97.50 → 89.00 (R004 shows both);
    # J002 too: 75 % < 90 % without a 评价结论
    scheme = tmp_path / "cap.toml"
    default = (Path(__file__).parents[2] / "selfeval_xlsx" / "scheme" / "schemes" /
               "project_default.toml").read_text(encoding="utf-8")
    scheme.write_text(default.replace('id = "project_default"', 'id = "capped"').replace(
        "enabled = false", "enabled = true"), encoding="utf-8")
    score, result = only(tmp_path, (100, 100, 75), FULL_ROWS, scheme)
    assert (score.uncapped, score.total, score.grade) == (D("97.50"), D("89.00"), "良")
    assert sorted(f.rule for f in result.findings) == ["J002", "R004"]


def test_hubei_scheme_gives_execution_twenty_and_checks_eighty(tmp_path: Path) -> None:
    # project_hubei: 20 × 执行率 (90 % → 18.00); indicator rows must add up to 80, not 90
    score, result = only(tmp_path, (100, 100, 90), FULL_ROWS, Path("project_hubei"))
    assert (score.execution.weight, score.execution.score) == (D(20), D("18.00"))
    j008 = [f for f in result.findings if f.rule == "J008"]
    assert len(j008) == 1 and (j008[0].expected, j008[0].actual) == ("80", "90.00")
