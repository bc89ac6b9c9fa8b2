"""Parts against their totals (T001 / T002), every sum group of the workbook in one pandas pass.

Each member of each group (the total and its parts) in each amount column is one record: its
value (an empty 调整后预算数 counts with the row's 年初预算数, docs/template.md), whether it is
filled, unreadable or borrowed. A group a row of which is missing (S002) is not checked. One
`groupby` sums the parts and counts what is filled per (group, column); a group is checked in a
column where any member is filled and none is unreadable (基本支出: only where a part is
filled). Then each checked (group, column) is compared with its stated total within the 尾差
bound.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from selfeval_xlsx.checks.context import Context, at_entry, fmt2, fmt_exact
from selfeval_xlsx.findings import Finding
from selfeval_xlsx.read.inputs import Entry, TypedTable
from selfeval_xlsx.template.department import (
    BASIC_PARTS,
    GENERAL_PARTS,
    REVENUE_SOURCES,
    SANGONG_ITEMS,
)
from selfeval_xlsx.template.spec import ADJUSTED, AMOUNT_COLUMNS, BUDGET, FUNDS, INITIAL

ZERO = Decimal(0)
HALF_CENT = Decimal("0.005")
FUND_COLUMNS = ("预算数", "实际支出数")
COUNTS = ("parts_counted", "filled", "unreadable", "parts_filled")  # summed per (group, column)
MAX_COLUMNS = 8  # amount columns of one table: a (group, column) is one integer key


@dataclass(frozen=True)
class SumGroup:
    total: str
    parts: tuple[str, ...]
    only_with_parts: bool = False


@dataclass(frozen=True)
class GroupedTable:
    """A table, its amount columns, and the sum groups of its rows."""

    name: str
    columns: tuple[str, ...]
    groups: tuple[SumGroup, ...]
    fallback: bool = False  # an empty 调整后预算数 counts with the row's 年初预算数


BUDGET_GROUPS = (
    SumGroup("收入合计", REVENUE_SOURCES),
    SumGroup("支出合计", ("基本支出", "项目支出")),
    SumGroup("基本支出", BASIC_PARTS, only_with_parts=True),
    SumGroup("一般公共预算拨款支出合计", GENERAL_PARTS),
)
SANGONG_GROUP = SumGroup("三公经费合计", SANGONG_ITEMS)
SUM_TABLES = (GroupedTable(BUDGET, AMOUNT_COLUMNS, BUDGET_GROUPS, fallback=True),
              GroupedTable(FUNDS, FUND_COLUMNS, (SANGONG_GROUP,)))


@dataclass(frozen=True)
class Member:
    """One member of a group in one column, as the comparison needs it."""

    value: Decimal | None  # what counts (the 年初预算数 where 调整后预算数 is empty)
    filled: bool  # the cell itself holds a number
    unreadable: bool
    borrowed: bool  # `value` is the row's 年初预算数


def check_sums(ctx: Context) -> Iterator[Finding]:
    """T001 / T002 over every sum group of 收支预算 and 经费控制."""
    members: dict[int, list[tuple[str, Member]]] = {}
    records = Records()
    groups: list[tuple[TypedTable, SumGroup, tuple[str, ...]]] = []
    for spec in SUM_TABLES:
        table = ctx.inputs.table(spec.name)
        for group in spec.groups:
            labels = _labels(table, group)
            if labels:
                records.add(table, spec, len(groups), labels, members)
                groups.append((table, group, spec.columns))
    if not records.keys:
        return
    for key, part_sum, counted, filled, unreadable, parts_filled in records.sums():
        index, position = divmod(key, MAX_COLUMNS)
        table, group, columns = groups[index]
        if not _checked(Counts(filled, unreadable, parts_filled), group):
            continue
        listed = members[key]
        yield from _compare_sum(table.entry(group.total, columns[position]), Decimal(part_sum),
                               counted, columns[position], listed[0][1].value,
                               [label for label, m in listed if m.borrowed])


class Records:
    """One record per member of a group in one column, kept as columns for pandas: the key
    (group × MAX_COLUMNS + column), the value counted, and what is counted of it."""

    def __init__(self) -> None:
        self.keys: list[int] = []
        self.values: list[Decimal] = []
        self.counts: dict[str, list[int]] = {name: [] for name in COUNTS}

    def add(self, table: TypedTable, spec: GroupedTable, index: int, labels: list[str],
            members: dict[int, list[tuple[str, Member]]]) -> None:
        for position, label in enumerate(labels):
            for place, column in enumerate(spec.columns):
                member = _member(table, label, column, spec.fallback)
                key = index * MAX_COLUMNS + place
                members.setdefault(key, []).append((label, member))
                part = position > 0
                counted = part and member.value is not None
                self.keys.append(key)
                self.values.append(member.value if counted and member.value is not None else ZERO)
                for name, count in zip(COUNTS, (counted, member.filled, member.unreadable,
                                                part and member.filled), strict=True):
                    self.counts[name].append(int(count))

    def sums(self) -> Iterator[tuple[int, Decimal, int, int, int, int]]:
        """Per key, in the order the keys first came: the values' sum and each count's."""
        frame = pd.DataFrame({"key": self.keys, "part_sum": self.values, **self.counts})
        summed = frame.groupby("key", sort=False).sum()
        for key, part_sum, *counts in summed.itertuples(name=None):  # plain tuples: cheaper
            yield int(key), part_sum, *(int(count) for count in counts)  # than a Series a row


def _labels(table: TypedTable, group: SumGroup) -> list[str]:
    """The total and its parts; none when any of their rows is missing (S002 names it: a sum
    without one of its parts would report a difference that is not in the workbook)."""
    labels = [group.total, *group.parts]
    return labels if all(table.row(label) is not None for label in labels) else []


def _member(table: TypedTable, label: str, column: str, fallback: bool) -> Member:
    entry = table.entry(label, column)
    value = entry.decimal() if entry.valid else None
    borrowed = False
    if value is None and fallback and column == ADJUSTED and entry.valid:
        value = table.amount(label, INITIAL)
        borrowed = value is not None
    return Member(value, entry.valid and entry.decimal() is not None, not entry.valid, borrowed)


@dataclass(frozen=True)
class Counts:
    """What is filled of one group in one column (members, unreadable ones, filled parts)."""

    filled: int
    unreadable: int
    parts_filled: int


def _checked(counts: Counts, group: SumGroup) -> bool:
    if counts.filled == 0 or counts.unreadable > 0:
        return False
    return not group.only_with_parts or counts.parts_filled > 0


def _compare_sum(entry: Entry, computed: Decimal, count: int, column: str,
                 stated: Decimal | None, borrowed: list[str]) -> Iterator[Finding]:
    if stated is None:
        yield _sum_finding("T001", entry, column, computed, None, count, borrowed)
        return
    difference = abs(computed - stated)
    if difference == 0:
        return
    rule = "T002" if difference <= HALF_CENT * count else "T001"
    yield _sum_finding(rule, entry, column, computed, stated, count, borrowed)


def _sum_finding(rule: str, entry: Entry, column: str, computed: Decimal,
                 stated: Decimal | None, count: int, borrowed: list[str]) -> Finding:
    bound = f"{(HALF_CENT * count).normalize():f}"
    shown = fmt_exact(stated) if stated is not None else "（空）"
    added = fmt_exact(computed)
    used_zh, used_en = _borrowed_note(borrowed)
    if rule == "T002":
        gap = fmt_exact(abs(computed - (stated or 0)))
        zh = (f"{count} 个分项之和为 {added}，填报合计为 {shown}，相差 {gap}，"
              f"在四舍五入尾差范围（±{bound}）内，无需修改。{used_zh}")
        en = (f"the {count} parts add up to {added}, the stated total is {shown}; the "
              f"difference {gap} is within the rounding bound (±{bound}). Nothing to change."
              f"{used_en}")
    else:
        zh = (f"{count} 个分项之和为 {added}，填报合计为 {shown}，超出尾差范围（±{bound}）。"
              f"请核对合计数和各分项金额。{used_zh}")
        en = (f"the {count} parts add up to {added} but the stated total is {shown}, "
              f"beyond the rounding bound (±{bound}). Check the total and its parts.{used_en}")
    return at_entry(rule, entry, zh, en, fmt2(computed), fmt2(stated), column)


def _borrowed_note(labels: list[str]) -> tuple[str, str]:
    """Rows whose empty 调整后预算数 was taken from their 年初预算数 (docs/template.md), said so."""
    if not labels:
        return "", ""
    return (f"（{'、'.join(labels)}未填调整后预算数，工具按其年初预算数计算；如确有调整，请填写调整后预算数。）",
            f" ({', '.join(labels)}: no adjusted budget, so the tool used the initial budget; "
            "fill in the adjusted budget where it changed.)")


CHECKS = (check_sums,)
