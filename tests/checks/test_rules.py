"""Every rule code has a workbook that triggers it, and each produces exactly its findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from rule_workbooks import CASES, Case, build_case

from selfeval_xlsx.evaluate import check_workbook
from selfeval_xlsx.findings import RULE_SEVERITY

# the R rules have their own tests (tests/scoring/test_review.py); P004 and P007 are raised by
# check too, since it scores (test_every_checkable_rule_has_a_workbook)
REVIEW_ONLY = {"R001", "R002", "R003", "R004", "R005", "R006"}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rule_workbook_gives_exactly_its_findings(case: Case, tmp_path: Path) -> None:
    path, expected = build_case(case, tmp_path)
    result = check_workbook(path)
    found = [f for f in result.findings if f.rule not in REVIEW_ONLY]
    assert sorted((f.sheet, f.cell, f.rule) for f in found) == expected


def test_every_checkable_rule_has_a_workbook() -> None:
    # T002 and P007: the sample itself; P004: every case that changes a computed score; the J
    # rules: the project workbooks (tests/checks/test_project_rules.py), J011 and J012 the
    # feeding of 重点项目 (tests/scoring/test_key_projects.py)
    from project_workbooks import CASES as PROJECT_CASES

    covered = ({c.name.split("_")[0] for c in (*CASES, *PROJECT_CASES)}
               | {"T002", "P007", "P004", "J011", "J012"})
    assert set(RULE_SEVERITY) - REVIEW_ONLY <= covered


@pytest.mark.parametrize("case", CASES[:12], ids=[c.name for c in CASES[:12]])
def test_messages_name_the_place_in_both_languages(case: Case, tmp_path: Path) -> None:
    path, _ = build_case(case, tmp_path)
    for finding in check_workbook(path).findings:
        zh, en = finding.message.zh, finding.message.en
        assert zh.startswith(finding.location) and en.startswith(finding.location)
        assert finding.label in zh
        assert any("\u4e00" <= ch <= "\u9fff" for ch in finding.detail.zh)
        assert zh != en


def test_t001_message_shows_the_sum_and_the_bound(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == "T001_basic_parts_off")
    path, _ = build_case(case, tmp_path)
    (finding,) = [f for f in check_workbook(path).findings if f.rule == "T001"]
    # 334.48 + 104.22 + 15.34 = 454.04; stated 453.95; bound 3 x 0.005 = 0.015
    assert (finding.expected, finding.actual) == ("454.04", "453.95")
    assert "±0.015" in finding.message.zh and "基本支出" in finding.message.zh


def test_share_typed_as_fraction_is_named(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == "T005_share_as_fraction")
    path, _ = build_case(case, tmp_path)
    t005 = next(f for f in check_workbook(path).findings if f.rule == "T005")
    assert "小数" in t005.message.zh and "50.31" in t005.message.zh
    assert t005.expected == "50.31"  # 453.95 / 902.25 = 50.3131...% -> 50.31


def test_execution_rate_near_the_threshold_shows_four_decimals(sample: Path, tmp_path: Path) -> None:
    import openpyxl
    from rule_workbooks import budget

    book = openpyxl.load_workbook(sample)
    budget(book, "支出合计", "决算数", 811.99)  # 811.99 / 902.25 = 0.899961... < 90%
    budget(book, "项目支出", "决算数", 358.04)  # 453.95 + 358.04 = 811.99
    path = tmp_path / "near.xlsx"
    book.save(path)
    (x010,) = [f for f in check_workbook(path).findings if f.rule == "X010"]
    assert "89.9961%" in x010.message.zh  # two decimals would show 90.00%, the threshold


def test_execution_rate_exactly_at_threshold_needs_no_note(sample: Path, tmp_path: Path) -> None:
    import openpyxl
    from rule_workbooks import budget

    book = openpyxl.load_workbook(sample)
    budget(book, "支出合计", "决算数", 812.025)  # 812.025 / 902.25 = 0.9 exactly
    budget(book, "项目支出", "决算数", 358.075)
    path = tmp_path / "exact.xlsx"
    book.save(path)
    assert "X010" not in {f.rule for f in check_workbook(path).findings}
