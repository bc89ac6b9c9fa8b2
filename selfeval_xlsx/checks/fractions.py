"""J014 of the 项目支出绩效自评表: on a 定量 row in percent, a 年度指标值 or 实际完成值 that looks
like a percentage typed as a fraction (0.95 beside 95, where 95 % was meant). The row is scored
as written; the finding names the cell, the value and what to write.

Takes a `ProjectContext`; gives findings (`check_fraction_slips`, a pure function as the other
checks of `checks.project`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from selfeval_xlsx.checks.project import HUNDRED, ProjectContext, at, plain
from selfeval_xlsx.findings import Finding
from selfeval_xlsx.read.project import IndicatorRow

SLIP_LOW, SLIP_HIGH = Decimal("0.5"), Decimal(2)  # fraction × 100 within these times the other
TARGET, ACTUAL = "年度指标值", "实际完成值"


@dataclass(frozen=True)
class FractionSlip:
    """A percentage typed as a fraction: `header` holds `typed` (0.95) where `meant` (95) fits
    beside the row's other value `other` (in `other_header`)."""

    header: str  # 年度指标值 or 实际完成值
    typed: Decimal
    other_header: str
    other: Decimal

    @property
    def meant(self) -> Decimal:
        return self.typed * HUNDRED


def fraction_slip(row: IndicatorRow) -> FractionSlip | None:
    """On a 定量 row in percent (`IndicatorRow.in_percent`), the one of 年度指标值 T and 实际完成值
    A that looks like a percentage typed as a fraction (T 95 and A 0.95, or T 0.95 and A 96):
    it is at most 1 and was written without a percent sign, the other is above 1, and the
    fraction × 100 lies within 0.5 to 2 times the other (so it is above 0; 1 against 100 is a
    slip, 0.3 against 95 is not, nor 1 against 1.5, nor 0 against 95). None otherwise."""
    target, actual = row.target, row.actual
    if target is None or not isinstance(actual, Decimal) or not row.in_percent:  # 定性: no T
        return None
    for header, typed, other_header, other in ((TARGET, target, ACTUAL, actual),
                                               (ACTUAL, actual, TARGET, target)):
        if (typed <= 1 < other and header not in row.written_as_percent
                and SLIP_LOW * other <= typed * HUNDRED <= SLIP_HIGH * other):
            return FractionSlip(header, typed, other_header, other)
    return None


def check_fraction_slips(ctx: ProjectContext) -> Iterator[Finding]:
    """J014 at the cell of each value `fraction_slip` finds."""
    for row in ctx.project.indicators:
        slip = fraction_slip(row)
        if slip is not None:
            yield _slip_finding(ctx.sheet, row, slip)


def _slip_finding(sheet: str, row: IndicatorRow, slip: FractionSlip) -> Finding:
    typed, meant, other = plain(slip.typed), plain(slip.meant), plain(slip.other)
    name = "target" if slip.header == TARGET else "actual"
    return at("J014", sheet, row.get(slip.header), row.label,
              f"{slip.header} {typed} 像是把 {meant}% 填成了小数（本行是百分数指标，{slip.other_header}为 "
              f"{other}）：请填 {meant}。工具不改动所填的值，本行仍按 {typed} 计分。",
              f"the {name} {typed} looks like {meant}% typed as a fraction (the row is in percent; "
              f"the {'actual' if name == 'target' else 'target'} is {other}): write {meant}. The "
              f"value is not changed: the row is scored with {typed}, as written.",
              meant, typed, slip.header)
