"""The committed project samples: built by their script from the committed project template, the
sample checks clean with the totals worked out below, the unsummed 池州 file raises J001."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from build_project_sample import (
    PROJECT_SAMPLE,
    UNSUMMED_SAMPLE,
    build_project_sample,
    build_unsummed_sample,
)
from build_sample import assert_same_values

from selfeval_xlsx.api import check_file
from selfeval_xlsx.evaluate.project import ProjectResult

D = Decimal


def check(path: Path) -> ProjectResult:
    result = check_file(path)
    assert isinstance(result, ProjectResult)
    return result


def test_sample_checks_clean_with_its_worked_totals() -> None:
    result = check(PROJECT_SAMPLE)
    assert result.findings == [] and result.passed
    assert (result.unit, result.year, result.scheme) == ("示例县农业农村局", 2023, "project_default")
    totals = [(p.sheet, p.name, p.execution.score, p.total, p.grade) for p in result.projects]
    assert totals == [
        # 云南's 7.29 / 7.29 = 100 % → 10.00; every actual meets its target: 10 + 90 = 100.00
        ("项目1", "农村人居环境整治项目", D("10.00"), D("100.00"), "优"),
        # 池州's 89.97 / 89.97 → 10.00; 20 + 15 + 15 + 14 (定性, in [12, 15]) + 15 + 10 = 89
        ("项目2", "耕地地力保护补贴项目", D("10.00"), D("99.00"), "优"),
        # 40.32 / 48 = 84 % → 8.40; 1150/1200 × 20 = 19.17; 15; 反向 (1 − 30/300) × 15 = 13.50;
        # 等于 T = 0, A = 0: 15; 定性 部分 10 (in [9, 12)); 88/90 × 10 = 9.78: 8.40 + 82.45 = 90.85
        ("项目3", "农产品质量安全检测项目", D("8.40"), D("90.85"), "优"),
    ]
    # mean (100 + 99 + 90.85) / 3 = 96.6166… → 96.62; weighted by 全年预算数 7.29, 89.97, 48:
    # 13996.83 / 145.26 = 96.357… → 96.36
    assert (result.mean, result.weighted_mean) == (D("96.62"), D("96.36"))
    assert result.grade_counts == {"优": 3, "良": 0, "中": 0, "差": 0}


def test_unsummed_chizhou_total_row_raises_j001_in_every_column() -> None:
    result = check(UNSUMMED_SAMPLE)
    found = sorted((f.sheet, f.cell, f.rule) for f in result.findings)
    # B/C/D10: 年度资金总额 0 against 90, 89.974, 89.974; C10 J003: no budget at all; the
    # published 89.974 has three decimals (V006 on C11, D11)
    assert found == [("项目1", "B10", "J001"), ("项目1", "C10", "J001"), ("项目1", "C10", "J003"),
                     ("项目1", "C11", "V006"), ("项目1", "D10", "J001"), ("项目1", "D11", "V006")]
    (project,) = result.projects
    # as on the form: the execution scores 0; the rows still add up to 89.00 (良)
    assert (project.execution.score, project.total, project.grade) == (D("0"), D("89.00"), "良")
    assert result.exit_code() == 1


@pytest.mark.parametrize(("committed", "build"), [(PROJECT_SAMPLE, build_project_sample),
                                                  (UNSUMMED_SAMPLE, build_unsummed_sample)])
def test_committed_samples_match_their_build_script(committed: Path, build: object,
                                                    tmp_path: Path) -> None:
    rebuilt = tmp_path / committed.name
    build(rebuilt)  # type: ignore[operator]
    assert_same_values(committed, rebuilt)


def test_sample_marks_its_figures_as_illustrative() -> None:
    for path in (PROJECT_SAMPLE, UNSUMMED_SAMPLE):
        guide = openpyxl.load_workbook(path)["填表说明"]
        texts = [c.value for row in guide.iter_rows() for c in row if isinstance(c.value, str)]
        assert any(t.startswith("样例说明") and "示意数据" in t for t in texts), path
