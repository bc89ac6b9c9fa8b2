"""Totals and consistency (T rules): sums with the 尾差 bound, shares, balances, plausibility."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from selfeval_xlsx.checks.context import Context, fmt2, fmt_exact
from selfeval_xlsx.findings import Finding, finding_at
from selfeval_xlsx.read.inputs import Entry, TypedTable
from selfeval_xlsx.read.values import money
from selfeval_xlsx.template.department import (
    BASIC_PARTS,
    EXPENDITURE_ROWS,
    GENERAL_PARTS,
    REVENUE_SOURCES,
    SANGONG_ITEMS,
)
from selfeval_xlsx.template.spec import (
    ADJUSTED,
    AMOUNT_COLUMNS,
    ASSETS,
    BASIC,
    BUDGET,
    FINAL,
    FUNDS,
    INITIAL,
    RETIREES,
    SHARE,
)

HALF_CENT = Decimal("0.005")
SHARE_TOLERANCE = Decimal("0.01")


@dataclass(frozen=True)
class SumGroup:
    total: str
    parts: tuple[str, ...]
    only_with_parts: bool = False


BUDGET_GROUPS = (
    SumGroup("收入合计", REVENUE_SOURCES),
    SumGroup("支出合计", ("基本支出", "项目支出")),
    SumGroup("基本支出", BASIC_PARTS, only_with_parts=True),
    SumGroup("一般公共预算拨款支出合计", GENERAL_PARTS),
)
SANGONG_GROUP = SumGroup("三公经费合计", SANGONG_ITEMS)
SHARES = (("基本支出", "支出合计"), ("项目支出", "支出合计"),
          ("一般公共预算基本支出", "一般公共预算拨款支出合计"),
          ("一般公共预算项目支出", "一般公共预算拨款支出合计"))
SHARE_PAIRS = (("基本支出", "项目支出"), ("一般公共预算基本支出", "一般公共预算项目支出"))


def amount_frame(table: TypedTable, columns: tuple[str, ...]) -> pd.DataFrame:
    """Rows × columns of Decimal amounts (None where empty or unreadable)."""
    rows = [[r.amount(c) for c in columns] for r in table.rows]
    return pd.DataFrame(rows, index=[r.label for r in table.rows], columns=list(columns),
                        dtype=object)


def invalid_frame(table: TypedTable, columns: tuple[str, ...]) -> pd.DataFrame:
    rows = [[not r.get(c).valid for c in columns] for r in table.rows]
    return pd.DataFrame(rows, index=[r.label for r in table.rows], columns=list(columns),
                        dtype=bool)


def check_budget_sums(ctx: Context) -> Iterator[Finding]:
    table = ctx.inputs.table(BUDGET)
    raw = amount_frame(table, AMOUNT_COLUMNS)
    effective = raw.copy()
    effective[ADJUSTED] = raw[ADJUSTED].where(raw[ADJUSTED].notna(), raw[INITIAL])
    bad = invalid_frame(table, AMOUNT_COLUMNS)
    for group in BUDGET_GROUPS:
        yield from _check_group(table, group, raw, effective, bad)


def check_sangong_sums(ctx: Context) -> Iterator[Finding]:
    table = ctx.inputs.table(FUNDS)
    columns = ("预算数", "实际支出数")
    raw = amount_frame(table, columns)
    yield from _check_group(table, SANGONG_GROUP, raw, raw, invalid_frame(table, columns))


def _check_group(table: TypedTable, group: SumGroup, raw: pd.DataFrame, effective: pd.DataFrame,
                 bad: pd.DataFrame) -> Iterator[Finding]:
    """One group in every column at once: which columns to check, their sums and counts."""
    parts = [p for p in group.parts if p in raw.index]
    if group.total not in raw.index or not parts:
        return
    labels = [group.total, *parts]
    filled = raw.loc[labels].notna()
    checked = filled.any() & ~bad.loc[labels].any()
    if group.only_with_parts:
        checked &= filled.loc[parts].any()
    values = effective.loc[parts]
    sums, counts = values.sum(), values.notna().sum()
    borrowed = raw.loc[labels].isna() & effective.loc[labels].notna()
    for column in checked.index[checked]:
        stated = effective.at[group.total, column]
        yield from _compare_sum(table.entry(group.total, column), Decimal(sums[column]),
                                int(counts[column]), column,
                                stated if isinstance(stated, Decimal) else None,
                                [label for label in labels if borrowed.at[label, column]])


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
    return _at(rule, entry, zh, en, fmt2(computed), fmt2(stated), column)


def _borrowed_note(labels: list[str]) -> tuple[str, str]:
    """Rows whose empty 调整后预算数 was taken from their 年初预算数 (workbook.md), said so."""
    if not labels:
        return "", ""
    return (f"（{'、'.join(labels)}未填调整后预算数，工具按其年初预算数计算；如确有调整，请填写调整后预算数。）",
            f" ({', '.join(labels)}: no adjusted budget, so the tool used the initial budget; "
            "fill in the adjusted budget where it changed.)")


def check_retirees(ctx: Context) -> Iterator[Finding]:
    entry = ctx.field(BASIC, "离退休人员合计")
    table = ctx.inputs.table(RETIREES)
    counts = [r.get("人数") for r in table.rows]
    if not counts or entry.value is None or not entry.valid or not all(c.valid for c in counts):
        return
    computed = sum(int(c.value) for c in counts if isinstance(c.value, int))
    if computed != entry.value:
        yield _at("T001", entry,
                  f"《离退休人员构成》各类人数之和为 {computed} 人，与填报的 {entry.value} 人不一致。"
                  "人数必须完全相等，请核对。",
                  f"the rows of 离退休人员构成 add up to {computed}, not {entry.value}. Counts "
                  "must add up exactly.", str(computed), str(entry.value))


def check_balance(ctx: Context) -> Iterator[Finding]:
    table = ctx.inputs.table(BUDGET)
    for rule, left, right in (("T003", "收入合计", "支出合计"),
                              ("T004", "一般公共预算拨款", "一般公共预算拨款支出合计")):
        a, b = table.entry(left, INITIAL), table.entry(right, INITIAL)
        if a.decimal() is None or b.decimal() is None or a.decimal() == b.decimal():
            continue
        yield _at(rule, b,
                  f"{left}（{fmt2(a.decimal())}）与{right}（{fmt2(b.decimal())}）的年初预算数不相等，"
                  "收支应平衡。请核对预算批复。",
                  f"{left} ({fmt2(a.decimal())}) and {right} ({fmt2(b.decimal())}) differ in "
                  "年初预算数; revenue and expenditure must balance. Check the budget approval.",
                  fmt2(a.decimal()), fmt2(b.decimal()), INITIAL)


def check_shares(ctx: Context) -> Iterator[Finding]:
    table = ctx.inputs.table(BUDGET)
    for label, base_label in SHARES:
        wrong = _wrong_share(table, label, base_label)
        if wrong is not None:
            yield _share_finding(table.entry(label, SHARE), base_label, *wrong)


def _wrong_share(table: TypedTable, label: str, base_label: str) -> tuple[Decimal, Decimal] | None:
    """(stated, computed) where a stated share differs from its amounts beyond the tolerance."""
    entry = table.entry(label, SHARE)
    stated, part, base = entry.decimal(), table.amount(label, INITIAL), table.amount(
        base_label, INITIAL)
    if stated is None or part is None or not base or not entry.valid:
        return None
    computed = money(part / base * 100)
    return None if abs(stated - computed) <= SHARE_TOLERANCE else (stated, computed)


def _share_finding(entry: Entry, base: str, stated: Decimal, computed: Decimal) -> Finding:
    if stated < 1 and abs(stated * 100 - computed) <= SHARE_TOLERANCE:
        zh = (f"占比填成了小数 {stated}，本栏应填百分数：请改为 {fmt2(computed)}"
              f"（即 {fmt2(computed)}%）。")
        en = (f"the share was typed as a fraction ({stated}); this column takes a percentage: "
              f"write {fmt2(computed)}.")
    else:
        zh = (f"填报占比 {stated}% 与按金额计算的占比 {fmt2(computed)}%（年初预算数÷{base}年初预算数）"
              "不一致，请按金额重新计算。")
        en = (f"the stated share {stated}% differs from {fmt2(computed)}% computed from the "
              f"amounts (÷ {base}). Recompute it from the amounts.")
    return _at("T005", entry, zh, en, fmt2(computed), f"{stated}", SHARE)


def check_share_pairs(ctx: Context) -> Iterator[Finding]:
    """T006, on pairs whose shares each match their amounts: where one share is wrong, T005
    already points at that cell, and a second finding on its partner would blame a right one."""
    table = ctx.inputs.table(BUDGET)
    bases = dict(SHARES)
    for first, second in SHARE_PAIRS:
        a, b = table.entry(first, SHARE), table.entry(second, SHARE)
        x, y = a.decimal(), b.decimal()
        if x is None or y is None or not (a.valid and b.valid):
            continue
        if any(_wrong_share(table, label, bases[label]) for label in (first, second)):
            continue
        total = x + y
        if abs(total - 100) > SHARE_TOLERANCE:
            yield _at("T006", b,
                      f"{first}占比与{second}占比之和为 {total}%，应为 100%。请核对两个占比。",
                      f"the shares of {first} and {second} add up to {total}%, not 100%.",
                      "100.00", f"{total}", SHARE)


def check_overspending(ctx: Context) -> Iterator[Finding]:
    table = ctx.inputs.table(BUDGET)
    for label in EXPENDITURE_ROWS:
        final, budget = table.amount(label, FINAL), ctx.budget(label, ADJUSTED)
        if final is None or budget is None or final <= budget:
            continue
        unadjusted = table.amount(label, ADJUSTED) is None
        what_zh = "调整后预算数（未填，按年初预算数计）" if unadjusted else "调整后预算数"
        what_en = "the budget (no adjusted budget: the initial one)" if unadjusted else \
            "the adjusted budget"
        yield _at("T007", table.entry(label, FINAL),
                  f"决算数 {fmt2(final)} 超过{what_zh} {fmt2(budget)}（超支 "
                  f"{fmt_exact(final - budget)}）。请核对决算数；确有超支的，请在“预算执行情况说明”中说明原因。",
                  f"决算数 {fmt2(final)} is above {what_en} {fmt2(budget)}. Check it; "
                  "explain real over-spending in 预算执行情况说明.",
                  f"≤ {fmt2(budget)}", fmt2(final), FINAL)


def check_assets(ctx: Context) -> Iterator[Finding]:
    total, used = ctx.field(ASSETS, "固定资产总额"), ctx.field(ASSETS, "实际在用固定资产总额")
    t, u = total.decimal(), used.decimal()
    if t is not None and u is not None and u > t:
        yield _at("T008", used,
                  f"实际在用固定资产总额 {fmt2(u)} 大于固定资产总额 {fmt2(t)}，在用资产不能超过资产总额。"
                  "请核对资产报表。",
                  f"assets in use ({fmt2(u)}) exceed total fixed assets ({fmt2(t)}). Check the "
                  "asset report.", f"≤ {fmt2(t)}", fmt2(u))


def check_sangong_budget(ctx: Context) -> Iterator[Finding]:
    table = ctx.inputs.table(FUNDS)
    budget, actual = table.amount("三公经费合计", "预算数"), table.amount("三公经费合计", "实际支出数")
    if actual is not None and actual > 0 and not budget:
        yield _at("T009", table.entry("三公经费合计", "实际支出数"),
                  f"“三公”经费没有预算（{fmt2(budget) or '空'}），却有实际支出 {fmt2(actual)}。"
                  "请核对预算数；无预算支出将使“三公”经费控制率得 0 分。",
                  f"三公 costs have no budget but actual spending of {fmt2(actual)}. Check the "
                  "budget; spending without a budget scores 0 on the control rate.",
                  "预算数 > 0", fmt2(actual), "实际支出数")


def check_staff(ctx: Context) -> Iterator[Finding]:
    for in_post, quota in (("年末在职行政人员", "行政编制数"), ("年末在职事业在编人员", "事业编制数")):
        staff, authorised = ctx.field(BASIC, in_post), ctx.field(BASIC, quota)
        if isinstance(staff.value, int) and isinstance(authorised.value, int) and (
                staff.value > authorised.value):
            yield _at("T010", staff,
                      f"{in_post} {staff.value} 人，超过{quota} {authorised.value} 人。请核对人数和编制数。",
                      f"{in_post} ({staff.value}) exceeds {quota} ({authorised.value}). Check "
                      "both figures.", f"≤ {authorised.value}", str(staff.value))


def _at(rule: str, entry: Entry, zh: str, en: str, expected: str, actual: str,
        column: str = "") -> Finding:
    cell = entry.cell
    sheet = cell.sheet if cell else ""
    return finding_at(rule, sheet, entry.coordinate, entry.label, zh, en, expected, actual,
                      column)


CHECKS = (check_budget_sums, check_sangong_sums, check_retirees, check_balance, check_shares,
          check_share_pairs, check_overspending, check_assets, check_sangong_budget, check_staff)
