"""Scoring against a target value: the 正向 / 等于 / 反向 formulas of the 项目支出绩效自评表 (`docs/schemes.md`).

    正向 (≥, >): A ≥ T → W; else max(0, A ÷ T) × W. T = 0 → W when A ≥ 0.
    等于 (=):    T > 0 as 正向, and A > T is also full marks; T = 0 → W when A ≤ 0, else 0.
    反向 (≤, <): A ≤ T → W; T < A < 2T → (1 − (A − T) ÷ T) × W; A ≥ 2T → 0.
                 T = 0 → W when A ≤ 0, else 0.
    A negative A counts as 0; a score is never above W (nor below 0).

A target below 0 has no published rule: 正向 then gives W (A ≥ 0 > T), 等于 and 反向 treat it
as T = 0. Pure and Decimal throughout: the scheme's `target` rule and the 个性指标 rows use it,
and so can the 项目支出绩效自评表's 定量 rows.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

POSITIVE, EQUAL, NEGATIVE = "正向", "等于", "反向"
DIRECTION_WORDS = {
    POSITIVE: POSITIVE, "≥": POSITIVE, ">=": POSITIVE, ">": POSITIVE, "＞": POSITIVE,
    EQUAL: EQUAL, "=": EQUAL, "＝": EQUAL,
    NEGATIVE: NEGATIVE, "≤": NEGATIVE, "<=": NEGATIVE, "<": NEGATIVE, "＜": NEGATIVE,
}
_ZERO = Decimal(0)
_CENT = Decimal("0.01")


def direction_of(text: str) -> str | None:
    """正向 / 等于 / 反向 for the word or the sign (≥ > = ≤ <, also >= <= and full-width)."""
    return DIRECTION_WORDS.get(text.strip().replace(" ", ""))


def target_score(direction: str, target: Decimal, actual: Decimal, weight: Decimal) -> Decimal:
    """The score of `actual` against `target` on an indicator of `weight`, rounded half-up to
    0.01. `direction` is 正向, 等于 or 反向 (or a sign, see `direction_of`)."""
    if weight <= 0:
        return _ZERO.quantize(_CENT)
    raw = target_coefficient(direction, target, actual) * weight
    return raw.quantize(_CENT, rounding=ROUND_HALF_UP)


def target_coefficient(direction: str, target: Decimal, actual: Decimal) -> Decimal:
    """The 得分系数 in [0, 1]: the share of the weight that `actual` earns (unrounded)."""
    kind = direction_of(direction)
    if kind is None:
        raise ValueError(f"unknown direction {direction!r}")
    a = max(actual, _ZERO)
    if kind == NEGATIVE:
        coefficient = _reverse(target, a)
    elif kind == EQUAL and target <= 0:
        coefficient = Decimal(1) if a <= 0 else _ZERO
    else:
        coefficient = _forward(target, a)
    return min(max(coefficient, _ZERO), Decimal(1))


def _forward(target: Decimal, actual: Decimal) -> Decimal:
    if target <= 0 or actual >= target:
        return Decimal(1)
    return actual / target


def _reverse(target: Decimal, actual: Decimal) -> Decimal:
    if target <= 0:
        return Decimal(1) if actual <= 0 else _ZERO
    if actual <= target:
        return Decimal(1)
    if actual >= 2 * target:
        return _ZERO
    return 1 - (actual - target) / target
