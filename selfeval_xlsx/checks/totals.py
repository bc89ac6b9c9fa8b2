"""Totals and consistency (T rules): sums with the 尾差 bound, shares, balances, plausibility."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from selfeval_xlsx.checks.context import Context, at_entry, fmt2, fmt_exact
from selfeval_xlsx.findings import Finding
from selfeval_xlsx.read.inputs import Entry, TypedTable
from selfeval_xlsx.read.values import money
from selfeval_xlsx.template.department import (
    EXPENDITURE_ROWS,
)
from selfeval_xlsx.template.spec import (
    ADJUSTED,
    ASSETS,
    BASIC,
    BUDGET,
    FINAL,
    FUNDS,
    INITIAL,
    RETIREES,
    SHARE,
)

SHARE_TOLERANCE = Decimal("0.01")
SHARES = (("基本支出", "支出合计"), ("项目支出", "支出合计"),
          ("一般公共预算基本支出", "一般公共预算拨款支出合计"),
          ("一般公共预算项目支出", "一般公共预算拨款支出合计"))
SHARE_PAIRS = (("基本支出", "项目支出"), ("一般公共预算基本支出", "一般公共预算项目支出"))


def check_retirees(ctx: Context) -> Iterator[Finding]:
    entry = ctx.field(BASIC, "离退休人员合计")
    table = ctx.inputs.table(RETIREES)
    counts = [r.get("人数") for r in table.rows]
    if not counts or entry.value is None or not entry.valid or not all(c.valid for c in counts):
        return
    computed = sum(int(c.value) for c in counts if isinstance(c.value, int))
    if computed != entry.value:
        yield at_entry("T001", entry,
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
        yield at_entry(rule, b,
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
    return at_entry("T005", entry, zh, en, fmt2(computed), f"{stated}", SHARE)


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
            yield at_entry("T006", b,
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
        yield at_entry("T007", table.entry(label, FINAL),
                  f"决算数 {fmt2(final)} 超过{what_zh} {fmt2(budget)}（超支 "
                  f"{fmt_exact(final - budget)}）。请核对决算数；确有超支的，请在“预算执行情况说明”中说明原因。",
                  f"决算数 {fmt2(final)} is above {what_en} {fmt2(budget)}. Check it; "
                  "explain real over-spending in 预算执行情况说明.",
                  f"≤ {fmt2(budget)}", fmt2(final), FINAL)


def check_assets(ctx: Context) -> Iterator[Finding]:
    total, used = ctx.field(ASSETS, "固定资产总额"), ctx.field(ASSETS, "实际在用固定资产总额")
    t, u = total.decimal(), used.decimal()
    if t is not None and u is not None and u > t:
        yield at_entry("T008", used,
                  f"实际在用固定资产总额 {fmt2(u)} 大于固定资产总额 {fmt2(t)}，在用资产不能超过资产总额。"
                  "请核对资产报表。",
                  f"assets in use ({fmt2(u)}) exceed total fixed assets ({fmt2(t)}). Check the "
                  "asset report.", f"≤ {fmt2(t)}", fmt2(u))


def check_sangong_budget(ctx: Context) -> Iterator[Finding]:
    table = ctx.inputs.table(FUNDS)
    budget, actual = table.amount("三公经费合计", "预算数"), table.amount("三公经费合计", "实际支出数")
    if actual is not None and actual > 0 and not budget:
        yield at_entry("T009", table.entry("三公经费合计", "实际支出数"),
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
            yield at_entry("T010", staff,
                      f"{in_post} {staff.value} 人，超过{quota} {authorised.value} 人。请核对人数和编制数。",
                      f"{in_post} ({staff.value}) exceeds {quota} ({authorised.value}). Check "
                      "both figures.", f"≤ {authorised.value}", str(staff.value))


CHECKS = (check_retirees, check_balance, check_shares,
          check_share_pairs, check_overspending, check_assets, check_sangong_budget, check_staff)
