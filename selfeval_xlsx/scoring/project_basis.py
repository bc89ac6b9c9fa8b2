"""The 计分依据 of a 定量 row of the 项目支出绩效自评表, with the numbers: which case of the 正向 /
等于 / 反向 formula applied (`target`), e.g. `正向：完成值 95 ÷ 指标值 100 × 20 = 19.00`."""

from __future__ import annotations

from decimal import Decimal

from selfeval_xlsx.checks.context import fmt2
from selfeval_xlsx.checks.project import plain
from selfeval_xlsx.read.values import normalise_text
from selfeval_xlsx.scoring.target import EQUAL, NEGATIVE, POSITIVE
from selfeval_xlsx.text import Text

ZERO = Decimal(0)
ENGLISH = {POSITIVE: "higher is better", EQUAL: "equal", NEGATIVE: "lower is better"}


def quantitative_basis(direction: str, target: Decimal, actual: Decimal, weight: Decimal,
                       score: Decimal, unit: str = "") -> Text:
    """How `score` came about; `unit` "%" (or the full-width ％) shows the values as
    percentages."""
    a = max(actual, ZERO)
    t, w, s = _shown(target, unit), plain(weight), fmt2(score)
    note = (Text(f"完成值 {_shown(actual, unit)} 为负数，按 0 计；", "negative actual counts as 0; ")
            if actual < 0 else Text("", ""))
    body = _case(direction, target, a, _shown(a, unit), t, w, s)
    return Text(f"{direction}：{note.zh}{body.zh}", f"{ENGLISH[direction]}: {note.en}{body.en}")


def _case(direction: str, target: Decimal, a: Decimal, av: str, t: str, w: str, s: str) -> Text:
    full = Text(f"得满分 {s}", f"full marks {s}")
    if direction == NEGATIVE or (direction == EQUAL and target <= 0):
        return _reverse(direction, target, a, av, t, w, s, full)
    if target <= 0:
        return Text(f"指标值 {t}，完成值 {av} ≥ 0，{full.zh}", f"target {t}, actual {av} ≥ 0: {full.en}")
    if a >= target:
        return Text(f"完成值 {av} ≥ 指标值 {t}，{full.zh}", f"actual {av} ≥ target {t}: {full.en}")
    return Text(f"完成值 {av} ÷ 指标值 {t} × {w} = {s}", f"actual {av} ÷ target {t} × {w} = {s}")


def _reverse(direction: str, target: Decimal, a: Decimal, av: str, t: str, w: str, s: str,
             full: Text) -> Text:
    if target <= 0:
        if a <= 0:
            return Text(f"指标值 {t}，完成值 {av} ≤ 0，{full.zh}", f"target {t}, actual {av} ≤ 0: {full.en}")
        return Text(f"指标值 {t}，完成值 {av} > 0，得 {s}", f"target {t}, actual {av} > 0: {s}")
    if a <= target:
        return Text(f"完成值 {av} ≤ 指标值 {t}，{full.zh}", f"actual {av} ≤ target {t}: {full.en}")
    if a >= 2 * target:
        return Text(f"完成值 {av} ≥ 2 × 指标值 {t}，得 {s}", f"actual {av} ≥ 2 × target {t}: {s}")
    return Text(f"(1 − (完成值 {av} − 指标值 {t}) ÷ 指标值 {t}) × {w} = {s}",
                f"(1 − (actual {av} − target {t}) ÷ target {t}) × {w} = {s}")


def _shown(value: Decimal, unit: str) -> str:
    return plain(value) + ("%" if normalise_text(unit) == "%" else "")
