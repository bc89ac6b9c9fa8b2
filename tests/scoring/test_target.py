"""The 正向 / 等于 / 反向 formulas of `spec/project-form.md` (T = 年度指标值, A = 实际完成值, W = 分值),
at every edge: the expected scores are the spec's formulas worked by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfeval_xlsx.scoring.target import direction_of, target_coefficient, target_score

D = Decimal


@pytest.mark.parametrize(("target", "actual", "expected"), [
    ("100", "100", "20.00"),   # A = T: W
    ("100", "130", "20.00"),   # A > T: W (never above W)
    ("100", "95", "19.00"),    # 95 / 100 × 20
    ("3", "2", "13.33"),       # 2 / 3 × 20 = 13.333 -> 13.33
    ("8", "1", "2.50"),        # 1 / 8 × 20 = 2.5
    ("16", "1", "1.25"),       # 1 / 16 × 20 = 1.25
    ("80", "1", "0.25"),       # 1 / 80 × 20 = 0.25
    ("160", "1", "0.13"),      # 0.125 -> 0.13 (half-up, not 0.12)
    ("100", "0", "0.00"),
    ("100", "-5", "0.00"),     # negative A counts as 0
    ("0", "0", "20.00"),       # T = 0: W when A ≥ 0
    ("0", "7", "20.00"),
    ("0", "-3", "20.00"),      # A counts as 0 ≥ 0
])
def test_positive(target: str, actual: str, expected: str) -> None:
    assert target_score("正向", D(target), D(actual), D(20)) == D(expected)


@pytest.mark.parametrize(("target", "actual", "expected"), [
    ("100", "100", "10.00"),
    ("100", "120", "10.00"),   # above T also full marks
    ("100", "90", "9.00"),     # T > 0: as 正向
    ("0", "0", "10.00"),       # T = 0: W when A ≤ 0
    ("0", "-1", "10.00"),      # negative A counts as 0
    ("0", "0.01", "0.00"),     # else 0
])
def test_equal(target: str, actual: str, expected: str) -> None:
    assert target_score("等于", D(target), D(actual), D(10)) == D(expected)


@pytest.mark.parametrize(("target", "actual", "expected"), [
    ("100", "100", "10.00"),   # A ≤ T: W
    ("100", "50", "10.00"),
    ("100", "100.5", "9.95"),  # (1 − 0.5 / 100) × 10 = 9.95
    ("100", "150", "5.00"),    # (1 − 50 / 100) × 10
    ("100", "199.9", "0.01"),  # (1 − 99.9 / 100) × 10 = 0.01
    ("100", "200", "0.00"),    # A ≥ 2T: 0
    ("100", "250", "0.00"),
    ("2", "3.000277", "5.00"),  # (1 − 1.000277 / 2) × 10 = 4.9986 -> 5.00
    ("0", "0", "10.00"),       # T = 0: W when A ≤ 0
    ("0", "-2", "10.00"),
    ("0", "0.5", "0.00"),      # else 0
])
def test_reverse(target: str, actual: str, expected: str) -> None:
    assert target_score("反向", D(target), D(actual), D(10)) == D(expected)


def test_signs_name_the_directions() -> None:
    for sign, word in (("≥", "正向"), (">", "正向"), (">=", "正向"), ("＞", "正向"), ("=", "等于"),
                       ("＝", "等于"), ("≤", "反向"), ("<", "反向"), ("<=", "反向"), ("＜", "反向")):
        assert direction_of(sign) == word
        assert target_score(sign, D(100), D(150), D(10)) == target_score(word, D(100), D(150),
                                                                           D(10))
    assert direction_of("定性") is None
    with pytest.raises(ValueError):
        target_score("越大越好", D(1), D(1), D(1))


def test_weight_zero_scores_zero_and_coefficient_is_unrounded() -> None:
    assert target_score("正向", D(100), D(50), D(0)) == D("0.00")
    assert target_coefficient("正向", D(3), D(2)) == D(2) / D(3)  # exact, for 计分依据


def test_negative_target_has_a_defined_answer() -> None:
    # no published rule: 正向 gives W (A ≥ 0 > T); 等于 and 反向 treat it as T = 0
    assert target_score("正向", D(-5), D(0), D(10)) == D("10.00")
    assert target_score("等于", D(-5), D(0), D(10)) == D("10.00")
    assert target_score("反向", D(-5), D(1), D(10)) == D("0.00")


numbers = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False)


@given(st.sampled_from(("正向", "等于", "反向")), numbers, numbers,
       st.decimals(min_value=0, max_value=100, places=2, allow_nan=False))
def test_never_below_zero_nor_above_the_weight(direction: str, target: Decimal, actual: Decimal,
                                               weight: Decimal) -> None:
    score = target_score(direction, target, actual, weight)
    assert D(0) <= score <= weight and score == score.quantize(D("0.01"))
