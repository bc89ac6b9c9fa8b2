"""A percentage typed as a fraction on a 定量 row in percent (docs/rules.md, J004 / J007 / J009 /
J010): 0.95 where 95 (%) was meant, beside a 年度指标值 or 实际完成值 above 1. The row is scored as
written; the messages of the findings on that row say which value looks like a fraction and what
to write instead.

The rule (`checks.project.fraction_slip`): the row is in percent (计量单位 %, or one of its values
written as a percentage: 95%, a %-formatted cell); one value lies in (0, 1] and was written
without a percent sign, the other is above 1, and the first × 100 lies within 0.5 to 2 times
the other.

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
from selfeval_xlsx.findings import Finding

P1, ROW = "项目1", "验收合格率"
REASON = "偏差原因分析及改进措施"
OTHERS = [("效益指标", "社会效益指标", "效益", "≥", 1, "", 1, 30),
          ("满意度指标", "服务对象满意度指标", "满意度", "≥", 1, "", 1, 10)]
ACTUAL_95 = "实际完成值 0.95 像是把 95% 填成了小数（本行是百分数指标），请填 95（工具不改动所填的值，仍按 0.95 计分）。"
TARGET_95 = "年度指标值 0.95 像是把 95% 填成了小数（本行是百分数指标），请填 95（工具不改动所填的值，仍按 0.95 计分）。"


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
    return result, {h: row_cell(ws, 1, h) for h in ("实际完成值", "得分", REASON)}


def table(findings: list[Finding]) -> list[tuple[str, str, str]]:
    return sorted((f.sheet, f.cell, f.rule) for f in findings)


def score(result: ProjectResult) -> Decimal:
    return result.projects[0].rows[0].score


def hinted(result: ProjectResult) -> bool:
    """Every finding of the result names a value typed as a fraction (there is at least one)."""
    assert result.findings
    return all("像是把" in f.message.zh for f in result.findings)


def missed_full_marks(cells: dict[str, str]) -> list[tuple[str, str, str]]:
    """A missed target given full marks, no reason: J004 and J010 on 得分, J009 on the reason."""
    return sorted([(P1, cells["得分"], "J004"), (P1, cells["得分"], "J010"),
                   (P1, cells[REASON], "J009")])


def test_an_actual_typed_as_a_fraction_is_named_by_every_finding_of_its_row(tmp_path: Path) -> None:
    # T 95 %, A 0.95 (95 % meant): scored as written, 0.95 ÷ 95 × 50 = 0.50; the clerk's 50
    result, cells = run(tmp_path, 95, "%", 0.95)
    assert table(result.findings) == missed_full_marks(cells)
    assert score(result) == Decimal("0.50")
    for finding in result.findings:
        assert finding.message.zh.endswith(ACTUAL_95), finding.message.zh
        words = set(re.findall(r"[A-Za-z_-]{2,}", finding.detail.zh))
        assert not words, finding.message.zh  # no English fragments in a Chinese message


def test_a_target_typed_as_a_fraction_is_named_by_j007(tmp_path: Path) -> None:
    # T 0.95 (95 % meant), A 96: 96 ≥ 0.95, full marks as written; 96 ≥ 120 % of 0.95: J007
    result, cells = run(tmp_path, 0.95, "%", 96)
    assert table(result.findings) == [(P1, cells["实际完成值"], "J007")]
    assert score(result) == Decimal("50.00")
    assert result.findings[0].message.zh.endswith(TARGET_95)


def test_a_target_typed_as_a_fraction_on_a_reverse_row(tmp_path: Path) -> None:
    # 反向 T 0.05 (≤ 5 % meant), A 4: 4 ≥ 2 × 0.05 scores 0 as written; the clerk's 50
    result, cells = run(tmp_path, 0.05, "%", 4, kind="≤")
    assert table(result.findings) == missed_full_marks(cells)
    assert score(result) == Decimal("0.00")
    hint = "年度指标值 0.05 像是把 5% 填成了小数（本行是百分数指标），请填 5（工具不改动所填的值，仍按 0.05 计分）。"
    assert all(f.message.zh.endswith(hint) for f in result.findings)


def test_values_both_in_percent_or_both_fractions_get_no_hint(tmp_path: Path) -> None:
    # the same missed row: A 0.95 beside T 95 is named; A 90 (or "90%") beside 95, or 0.9 beside
    # 0.95, are what was written: the same findings, no word about fractions
    assert hinted(run(tmp_path, 95, "%", 0.95)[0])
    for target, actual in ((95, 90), ("95%", "90%"), (0.95, 0.9)):
        result, cells = run(tmp_path, target, "%", actual)
        assert table(result.findings) == missed_full_marks(cells), (target, actual)
        assert not any("小数" in f.message.zh for f in result.findings), (target, actual)


def test_a_row_not_in_percent_gets_no_hint(tmp_path: Path) -> None:
    # A 0.95 of T 95 is named on a % row; of 95 个 (or 万元, or no unit) it is what was written
    # and may be meant
    assert hinted(run(tmp_path, 95, "%", 0.95)[0])
    for unit in ("个", "万元", ""):
        result, cells = run(tmp_path, 95, unit, 0.95)
        assert table(result.findings) == missed_full_marks(cells), unit
        assert not any("小数" in f.message.zh for f in result.findings), unit
        assert not any("fraction" in f.message.en for f in result.findings), unit


def test_a_value_written_as_a_percentage_puts_the_row_in_percent(tmp_path: Path) -> None:
    # no 计量单位: T typed "95%", or T 0.95 in a 0% cell (it shows 95%); A a bare 0.95
    for target, formats in (("95%", {}), (0.95, {"年度指标值": "0%"})):
        result, cells = run(tmp_path, target, "", 0.95, formats=formats)
        assert table(result.findings) == missed_full_marks(cells), target
        assert all(f.message.zh.endswith(ACTUAL_95) for f in result.findings), target


def test_a_fraction_written_with_a_percent_sign_is_taken_as_written(tmp_path: Path) -> None:
    # A "0.95%" says 0.95 percent: the clerk wrote a percentage, not a fraction (a bare 0.95 is
    # named)
    assert hinted(run(tmp_path, 95, "%", 0.95)[0])
    result, cells = run(tmp_path, 95, "%", "0.95%")
    assert table(result.findings) == missed_full_marks(cells)
    assert not any("小数" in f.message.zh for f in result.findings)


def test_full_width_percent_unit_is_percent(tmp_path: Path) -> None:
    result, _ = run(tmp_path, 95, "％", 0.95)
    assert result.findings and all(f.message.zh.endswith(ACTUAL_95) for f in result.findings)


def test_one_against_one_hundred_is_a_fraction(tmp_path: Path) -> None:
    # A 1 of T 100 %: 1 × 100 = 100, the target itself; 1 ÷ 100 × 50 = 0.50 as written
    result, cells = run(tmp_path, 100, "%", 1)
    assert table(result.findings) == missed_full_marks(cells)
    assert score(result) == Decimal("0.50")
    hint = "实际完成值 1 像是把 100% 填成了小数（本行是百分数指标），请填 100（工具不改动所填的值，仍按 1 计分）。"
    assert all(f.message.zh.endswith(hint) for f in result.findings)


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


def test_the_hint_in_english(tmp_path: Path) -> None:
    result, _ = run(tmp_path, 95, "%", 0.95)
    hint = ("The actual 0.95 looks like 95% typed as a fraction on a row in percent: write 95 "
            "(it is scored as 0.95, as written).")
    assert all(f.message.en.endswith(hint) for f in result.findings)
    (j007,) = run(tmp_path, 0.95, "%", 96)[0].findings
    assert j007.message.en.endswith("The target 0.95 looks like 95% typed as a fraction on a row "
                                    "in percent: write 95 (it is scored as 0.95, as written).")
