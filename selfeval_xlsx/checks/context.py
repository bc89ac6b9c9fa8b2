"""What every check sees: the typed inputs, the raw workbook, the scheme and the template."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from selfeval_xlsx.findings import Finding, Shown, finding_at
from selfeval_xlsx.read.inputs import Entry, Inputs
from selfeval_xlsx.read.locate import RawWorkbook
from selfeval_xlsx.read.values import money
from selfeval_xlsx.scheme.model import Scheme
from selfeval_xlsx.template.spec import ADJUSTED, BUDGET, FINAL, INITIAL, Template


@dataclass(frozen=True)
class Context:
    inputs: Inputs
    raw: RawWorkbook
    scheme: Scheme
    template: Template

    def budget(self, label: str, column: str) -> Decimal | None:
        """An amount of 收支预算; an empty 调整后预算数 counts as the row's 年初预算数."""
        value = self.inputs.table(BUDGET).amount(label, column)
        if value is None and column == ADJUSTED:
            return self.inputs.table(BUDGET).amount(label, INITIAL)
        return value

    def readable_budget(self, label: str, column: str) -> Decimal | None:
        """`budget`, but None where the cell itself is unreadable (no fallback to 年初预算数)."""
        if not self.inputs.table(BUDGET).entry(label, column).valid:
            return None
        return self.budget(label, column)

    def field(self, sheet: str, label: str) -> Entry:
        return self.inputs.field(sheet, label)


def execution_rate(ctx: Context) -> Decimal | None:
    """支出合计 决算数 ÷ 调整后预算数 (an empty adjusted budget counts as the initial one)."""
    final = ctx.readable_budget("支出合计", FINAL)
    adjusted = ctx.readable_budget("支出合计", ADJUSTED)
    if final is None or adjusted is None or adjusted <= 0:
        return None
    return final / adjusted


def fmt2(value: Decimal | None) -> str:
    """Two decimals, rounded half-up; empty text for a missing value."""
    return "" if value is None else f"{money(value):f}"


def fmt_exact(value: Decimal | None) -> str:
    """Two decimals, or every decimal where the value has more (so a sum of 453.944 is not shown
    as 453.94, and a message never says "相差 0.00" for a difference that is not zero)."""
    if value is None or money(value) == value:
        return fmt2(value)
    return f"{value.normalize():f}"


def fmt_rate(rate: Decimal, thresholds: tuple[Decimal, ...] = ()) -> str:
    """A fraction as a percent with two decimals; four where two would round onto one of the
    `thresholds` (fractions) that the rate is compared with, so the message does not mislead."""
    percent = rate * 100
    two = money(percent)
    if any(two == t * 100 for t in thresholds) and percent != two:
        return f"{percent.quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP):f}%"
    return f"{two:f}%"


def at_entry(rule: str, entry: Entry, zh: str, en: str, expected: Shown, actual: Shown,
        column: str = "") -> Finding:
    """A finding on the cell of `entry` (its sheet, coordinate and row label)."""
    cell = entry.cell
    sheet = cell.sheet if cell else ""
    return finding_at(rule, sheet, entry.coordinate, entry.label, zh, en, expected, actual,
                      column)
