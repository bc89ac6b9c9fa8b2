"""IF's condition at its edges: Excel takes every non-zero number as TRUE, negative ones too."""

from __future__ import annotations

from decimal import Decimal

import pytest

from selfeval_xlsx.xlsx.formulas import evaluate

SHEET = "收支预算"


@pytest.mark.parametrize(("condition", "expected"), [
    ("-1", "10"), ("-0.01", "10"), ("0.01", "10"), ("0", "20"), ("B1", "20"),  # empty B1 is 0
    ("B2", "10"),  # B2 = -5
    ("B2<0", "10"), ("B2>=0", "20"),
])
def test_if_condition(condition: str, expected: str) -> None:
    def lookup(sheet: str, coordinate: str) -> Decimal | None:
        return Decimal(-5) if (sheet, coordinate) == (SHEET, "B2") else None

    assert evaluate(f"=IF({condition},10,20)", SHEET, lookup) == Decimal(expected)
