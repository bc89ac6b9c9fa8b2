"""The committed sample: built from the template as the spec says, and it checks clean."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

from build_sample import assert_same_values, build_sample

from selfeval_xlsx.evaluate import check_workbook


def test_sample_has_exactly_the_seed_rounding_residue(sample: Path) -> None:
    """sample-mazhang-2023.md: T002 (the seed's 尾差) and P007 (D3 does not apply: no key
    projects); total 99.00, 优. The reviewers' rules added later (checks.md, R) flag R001 too:
    E = B1 9/10 = 90 %, I = (99 - 9) / (100 - 10) = 100 %, (I - E) / I = 10 % > 5 %."""
    result = check_workbook(sample)
    assert [(f.sheet, f.cell, f.rule, f.label) for f in result.findings] == [
        ("评分表", "H8", "R001", "B1"), ("收支预算", "B11", "T002", "基本支出"),
        ("评分表", "H19", "P007", "D3")]
    assert result.scoring is not None
    assert (result.scoring.total, result.scoring.grade) == (Decimal("99.00"), "优")
    t002 = result.findings[1]
    # 334.38 + 104.22 + 15.34 = 453.94, stated 453.95
    assert (t002.expected, t002.actual) == ("453.94", "453.95")
    assert result.passed and result.exit_code() == 0
    strict = dataclasses.replace(result, strict=True)  # --strict: the R001 warning fails it
    assert not strict.passed and strict.exit_code() == 1
    assert (result.unit, result.year) == ("湛江市麻章区科工贸和信息化局", 2023)


def test_committed_sample_matches_its_build_script(sample: Path, tmp_path: Path) -> None:
    rebuilt = tmp_path / "sample.xlsx"
    build_sample(rebuilt)
    assert_same_values(sample, rebuilt)
