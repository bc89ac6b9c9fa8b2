"""Every J rule of the 项目支出绩效自评表 on a workbook with one defect: exactly its findings, with
the severity of the catalogue (docs/rules.md) and a Chinese message naming sheet, cell and row."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT
from fill import field_cell
from project_workbooks import CASES, Case, build_case

from selfeval_xlsx.api import check_file
from selfeval_xlsx.evaluate.project import ProjectResult
from selfeval_xlsx.findings import RULE_SEVERITY, Severity

SEVERITIES = {  # project-form.md, Checks
    "J001": Severity.ERROR, "J002": Severity.WARNING, "J003": Severity.ERROR,
    "J004": Severity.WARNING, "J005": Severity.ERROR, "J006": Severity.ERROR,
    "J007": Severity.WARNING, "J008": Severity.ERROR, "J009": Severity.ERROR,
    "J010": Severity.WARNING, "J011": Severity.WARNING, "J012": Severity.INFO,
    "J013": Severity.WARNING,  # not in the spec: two project sheets with one name (docs/rules.md)
    "J014": Severity.WARNING,  # not in the spec: a percentage typed as a fraction (docs/rules.md)
}
ALLOWED_WORDS = {"project_default", "--scheme", "selfeval", "template", "--form", "project"}
FED_ONLY = {"J011", "J012"}  # --projects: tests/scoring/test_key_projects.py


def check(path: Path) -> ProjectResult:
    result = check_file(path)
    assert isinstance(result, ProjectResult)
    return result


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_project_workbook_gives_exactly_its_findings(case: Case, tmp_path: Path) -> None:
    path, expected = build_case(case, tmp_path)
    assert sorted((f.sheet, f.cell, f.rule) for f in check(path).findings) == expected


def test_every_j_rule_has_its_severity_and_a_workbook() -> None:
    assert {code: RULE_SEVERITY[code] for code in SEVERITIES} == SEVERITIES
    assert {c for c in RULE_SEVERITY if c.startswith("J")} == set(SEVERITIES)
    covered = {c.name.split("_")[0] for c in CASES}
    assert set(SEVERITIES) - FED_ONLY <= covered


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_messages_name_sheet_cell_and_row_in_both_languages(case: Case, tmp_path: Path) -> None:
    path, _ = build_case(case, tmp_path)
    for finding in check(path).findings:
        zh, en = finding.message.zh, finding.message.en
        assert zh.startswith(finding.location) and en.startswith(finding.location)
        assert finding.label in zh
        assert any("\u4e00" <= ch <= "\u9fff" for ch in finding.detail.zh)
        words = set(re.findall(r"[A-Za-z_-]{2,}", finding.detail.zh))
        assert words <= ALLOWED_WORDS, zh  # no English fragments in a Chinese message


def test_j001_names_the_sum_and_the_stated_total(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == "J001_total_row_not_summed")
    path, _ = build_case(case, tmp_path)
    (j001,) = check(path).findings
    assert (j001.expected, j001.actual, j001.label) == ("90.00", "0.00", "年度资金总额")
    assert "年初预算数" in j001.message.zh and "90.00" in j001.message.zh


def test_j004_names_the_row_by_its_third_level_indicator(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == "J004_met_target_points_off")
    path, _ = build_case(case, tmp_path)
    j004 = next(f for f in check(path).findings if f.rule == "J004")
    assert j004.label == "整治村庄数量" and (j004.expected, j004.actual) == ("10.00", "9.00")


def test_j010_shows_both_scores(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == "J010_clerk_score_differs")
    path, _ = build_case(case, tmp_path)
    (j010,) = check(path).findings
    # 88 / 90 x 10 = 9.777... -> 9.78
    assert (j010.expected, j010.actual) == ("9.78", "9.50")
    assert "9.78" in j010.message.zh and "9.50" in j010.message.zh


def test_j005_band_is_shown_and_the_nearest_bound_counts(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == "J005_score_outside_band")
    path, _ = build_case(case, tmp_path)
    result = check(path)
    j005 = next(f for f in result.findings if f.rule == "J005")
    assert j005.expected == "[12.00, 15.00]"  # 80 %..100 % of 15
    row = result.projects[1].rows[3]
    assert row.score == 12  # 11 is below the band: the lower bound counts


def _without_headers(tmp_path: Path, *headers: str) -> Path:
    """The sample project workbook with some header labels of 项目1 deleted by the clerk."""
    book = openpyxl.load_workbook(ROOT / "samples" / "project_2023.xlsx")
    for row in book["项目1"].iter_rows():
        for cell in row:
            if cell.value in headers:
                cell.value = None
    path = tmp_path / "no_headers.xlsx"
    book.save(path)
    return path


def test_a_deleted_header_is_s002_only_not_a_split_of_zero(tmp_path: Path) -> None:
    result = check(_without_headers(tmp_path, "一级指标"))
    on_sheet = [(f.rule, f.label) for f in result.findings if f.sheet == "项目1"]
    assert ("S002", "一级指标") in on_sheet
    assert "J008" not in [rule for rule, _ in on_sheet]  # no "各行分值之和为 0.00" beside it


def test_a_deleted_spent_header_is_named_as_the_reason_of_zero_execution(tmp_path: Path) -> None:
    result = check(_without_headers(tmp_path, "全年执行数"))
    j010 = [f for f in result.findings if f.rule == "J010" and f.column == "得分"]
    assert [(f.sheet, f.label) for f in j010] == [("项目1", "年度资金总额")]
    assert "找不到表头“全年执行数”" in j010[0].message.zh and "未填全年执行数" not in j010[0].message.zh


def test_a_label_equal_to_its_column_is_said_once(tmp_path: Path) -> None:
    result = check(_without_headers(tmp_path, "全年执行数"))  # the stated 总分 100 now differs
    total = next(f for f in result.findings if f.rule == "J010" and f.label == "总分")
    assert "总分：填写的总分" in total.message.zh and "总分，总分" not in total.message.zh


def test_j013_names_the_earlier_sheet_and_both_projects_count(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == "J013_project_name_given_twice")
    path, _ = build_case(case, tmp_path)
    result = check(path)
    (j013,) = result.findings
    assert "“项目1”" in j013.message.zh and j013.actual.zh == "与“项目1”相同"
    assert "'项目1'" in j013.message.en
    assert [p.sheet for p in result.projects] == ["项目1", "项目2", "项目3"]


def test_two_empty_project_names_are_j006_each_not_j013(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(ROOT / "samples" / "project_2023.xlsx")
    cells = [field_cell(book[sheet], "项目名称") for sheet in ("项目1", "项目2")]
    for cell in cells:
        cell.value = None
    book.save(tmp_path / "two_empty_names.xlsx")
    findings = check(tmp_path / "two_empty_names.xlsx").findings
    assert sorted((f.sheet, f.cell, f.rule) for f in findings) == [
        ("项目1", cells[0].coordinate, "J006"), ("项目2", cells[1].coordinate, "J006")]
