"""J014: a percentage typed as a fraction on a 定量 row in percent (docs/rules.md): 0.95 where 95
(%) was meant, beside a 年度指标值 or 实际完成值 above 1. The row is scored as written; J014 at the
value's cell says it looks like a fraction and what to write instead.

The rule (`checks.fractions.fraction_slip`): the row is in percent (计量单位 %, or one of its
values written as a percentage: 95%, a %-formatted cell); one value lies in (0, 1] and was
written without a percent sign, the other is above 1, and the first × 100 lies within 0.5 to 2
times the other.

T = 年度指标值, A = 实际完成值, W = 分值; the row under test is the first (产出, W 50), the two
others take their full points, so only that row has findings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from project_builder import project_book
from project_workbooks import row_cell

from selfeval_xlsx.api import check_file
from selfeval_xlsx.evaluate.project import ProjectResult
from selfeval_xlsx.findings import Finding, Severity

P1, ROW = "项目1", "验收合格率"
REASON = "偏差原因分析及改进措施"
OTHERS = [("效益指标", "社会效益指标", "效益", "≥", 1, "", 1, 30),
          ("满意度指标", "服务对象满意度指标", "满意度", "≥", 1, "", 1, 10)]
ACTUAL_95 = ("实际完成值 0.95 像是把 95% 填成了小数（本行是百分数指标，年度指标值为 95）：请填 95。"
             "工具不改动所填的值，本行仍按 0.95 计分。")
TARGET_95 = ("年度指标值 0.95 像是把 95% 填成了小数（本行是百分数指标，实际完成值为 96）：请填 95。"
             "工具不改动所填的值，本行仍按 0.95 计分。")


def run(tmp_path: Path, target: Any, unit: str, actual: Any, kind: str = "≥", clerk: Any = 50,
        formats: Mapping[str, str] | None = None) -> tuple[ProjectResult, dict[str, str]]:
    """The result of one project whose first row has T, 计量单位, A and the clerk's 得分, and the
    coordinates of that row's cells (found with openpyxl, independent of the reader)."""
    rows = [("产出指标", "质量指标", ROW, kind, target, unit, actual, 50, clerk), *OTHERS]
    path = project_book(tmp_path / "fraction.xlsx", {P1: rows},
                        formats={(P1, 1, h): f for h, f in (formats or {}).items()})
    result = check_file(path)
    assert isinstance(result, ProjectResult)
    ws = openpyxl.load_workbook(path)[P1]
    return result, {h: row_cell(ws, 1, h) for h in ("年度指标值", "实际完成值", "得分", REASON)}


def table(findings: list[Finding]) -> list[tuple[str, str, str]]:
    return sorted((f.sheet, f.cell, f.rule) for f in findings)


def score(result: ProjectResult) -> Decimal:
    return result.projects[0].rows[0].score


def hinted(result: ProjectResult) -> bool:
    """The result has a J014."""
    return any(f.rule == "J014" for f in result.findings)


def slip(result: ProjectResult) -> Finding:
    (j014,) = [f for f in result.findings if f.rule == "J014"]
    return j014


def missed_full_marks(cells: dict[str, str]) -> list[tuple[str, str, str]]:
    """A missed target given full marks, no reason: J004 and J010 on 得分, J009 on the reason."""
    return sorted([(P1, cells["得分"], "J004"), (P1, cells["得分"], "J010"),
                   (P1, cells[REASON], "J009")])


def with_slip(cells: dict[str, str], header: str = "实际完成值",
              others: list[tuple[str, str, str]] | None = None) -> list[tuple[str, str, str]]:
    """`others` (a missed target given full marks when None) and J014 at the `header` cell."""
    found = missed_full_marks(cells) if others is None else others
    return sorted([*found, (P1, cells[header], "J014")])


def test_an_actual_typed_as_a_fraction_is_j014_at_its_cell(tmp_path: Path) -> None:
    # T 95 %, A 0.95 (95 % meant): scored as written, 0.95 ÷ 95 × 50 = 0.50; the clerk's 50
    result, cells = run(tmp_path, 95, "%", 0.95)
    assert table(result.findings) == with_slip(cells)
    assert score(result) == Decimal("0.50")
    j014 = slip(result)
    assert j014.severity is Severity.WARNING and j014.label == ROW
    assert (j014.expected, j014.actual) == ("95", "0.95")
    assert j014.message.zh == f"{P1}!{cells['实际完成值']} {ROW}，实际完成值：{ACTUAL_95}"
    assert not re.findall(r"[A-Za-z_-]{2,}", j014.detail.zh)  # no English fragments
    others = [f for f in result.findings if f.rule != "J014"]
    assert not any("小数" in f.message.zh for f in others)  # said once, at the cell to change


def test_a_target_typed_as_a_fraction_beside_j007(tmp_path: Path) -> None:
    # T 0.95 (95 % meant), A 96: 96 ≥ 0.95, full marks as written; 96 ≥ 120 % of 0.95: J007
    result, cells = run(tmp_path, 0.95, "%", 96)
    assert table(result.findings) == with_slip(cells, "年度指标值",
                                               [(P1, cells["实际完成值"], "J007")])
    assert score(result) == Decimal("50.00")
    assert slip(result).detail.zh == TARGET_95


def test_a_target_typed_as_a_fraction_on_a_reverse_row(tmp_path: Path) -> None:
    # 反向 T 0.05 (≤ 5 % meant), A 4: 4 ≥ 2 × 0.05 scores 0 as written; the clerk's 50
    result, cells = run(tmp_path, 0.05, "%", 4, kind="≤")
    assert table(result.findings) == with_slip(cells, "年度指标值")
    assert score(result) == Decimal("0.00")
    assert slip(result).detail.zh.startswith("年度指标值 0.05 像是把 5% 填成了小数（本行是百分数指标，"
                                             "实际完成值为 4）：请填 5。")


def test_a_slip_that_no_other_rule_sees_is_still_named(tmp_path: Path) -> None:
    # 反向 T ≤ 5 %, A 0.06 (6 % meant, which misses the target): as written 0.06 ≤ 5 is full
    # marks, and the clerk's 50 agrees: J014 is the only finding
    result, cells = run(tmp_path, 5, "%", 0.06, kind="≤")
    assert table(result.findings) == [(P1, cells["实际完成值"], "J014")]
    assert score(result) == Decimal("50.00")


def test_values_both_in_percent_or_both_fractions_get_no_j014(tmp_path: Path) -> None:
    # the same missed row: A 0.95 beside T 95 is named; A 90 (or "90%") beside 95, or 0.9 beside
    # 0.95, are what was written
    assert hinted(run(tmp_path, 95, "%", 0.95)[0])
    for target, actual in ((95, 90), ("95%", "90%"), (0.95, 0.9)):
        result, cells = run(tmp_path, target, "%", actual)
        assert table(result.findings) == missed_full_marks(cells), (target, actual)


def test_a_row_not_in_percent_gets_no_j014(tmp_path: Path) -> None:
    # A 0.95 of T 95 is named on a % row; of 95 个 (or 万元, or no unit) it is what was written
    # and may be meant
    assert hinted(run(tmp_path, 95, "%", 0.95)[0])
    for unit in ("个", "万元", ""):
        result, cells = run(tmp_path, 95, unit, 0.95)
        assert table(result.findings) == missed_full_marks(cells), unit


def test_a_value_written_as_a_percentage_puts_the_row_in_percent(tmp_path: Path) -> None:
    # no 计量单位: T typed "95%", or T 0.95 in a 0% cell (it shows 95%); A a bare 0.95
    for target, formats in (("95%", {}), (0.95, {"年度指标值": "0%"})):
        result, cells = run(tmp_path, target, "", 0.95, formats=formats)
        assert table(result.findings) == with_slip(cells), target
        assert slip(result).detail.zh == ACTUAL_95, target


def test_a_fraction_written_with_a_percent_sign_is_taken_as_written(tmp_path: Path) -> None:
    # A "0.95%" says 0.95 percent: the clerk wrote a percentage, not a fraction (a bare 0.95 is
    # named)
    assert hinted(run(tmp_path, 95, "%", 0.95)[0])
    result, cells = run(tmp_path, 95, "%", "0.95%")
    assert table(result.findings) == missed_full_marks(cells)


def test_full_width_percent_unit_is_percent(tmp_path: Path) -> None:
    result, cells = run(tmp_path, 95, "％", 0.95)
    assert table(result.findings) == with_slip(cells)


def test_one_against_one_hundred_is_a_fraction(tmp_path: Path) -> None:
    # A 1 of T 100 %: 1 × 100 = 100, the target itself; 1 ÷ 100 × 50 = 0.50 as written
    result, cells = run(tmp_path, 100, "%", 1)
    assert table(result.findings) == with_slip(cells)
    assert score(result) == Decimal("0.50")
    assert (slip(result).expected, slip(result).actual) == ("100", "1")


def test_the_fraction_times_100_within_half_to_twice_the_other(tmp_path: Path) -> None:
    # A side: 0.5 × 100 = 50 is half of 100 (in); 0.49 × 100 = 49 is below (out); 0 is never
    assert hinted(run(tmp_path, 100, "%", 0.5)[0])
    assert not hinted(run(tmp_path, 100, "%", 0.49)[0])
    assert not hinted(run(tmp_path, 100, "%", 0)[0])
    # T side (J007 either way): 1 × 100 = 100 is twice 50 (in), more than twice 49 (out); A must
    # be above 1: T 0.01 (1 %) against A 1 is not a slip
    assert hinted(run(tmp_path, 1, "%", 50)[0])
    assert not hinted(run(tmp_path, 1, "%", 49)[0])
    assert not hinted(run(tmp_path, 0.01, "%", 1)[0])


def test_j014_in_english(tmp_path: Path) -> None:
    assert slip(run(tmp_path, 95, "%", 0.95)[0]).detail.en == (
        "the actual 0.95 looks like 95% typed as a fraction (the row is in percent; the target "
        "is 95): write 95. The value is not changed: the row is scored with 0.95, as written.")
    assert slip(run(tmp_path, 0.95, "%", 96)[0]).detail.en.startswith(
        "the target 0.95 looks like 95% typed as a fraction (the row is in percent; the actual "
        "is 96): write 95.")
