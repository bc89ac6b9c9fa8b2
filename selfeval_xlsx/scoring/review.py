"""The reviewers' rules R001–R006 (`docs/rules.md`): the plausibility checks production 预算绩效
systems apply after scoring. Thresholds come from the scheme (`[review]`); they never change a
score, except R004 where the scheme enables the cap on the total by 执行率."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import NamedTuple

from selfeval_xlsx.checks.context import Context, execution_rate, fmt2, fmt_rate
from selfeval_xlsx.findings import Finding, finding_at
from selfeval_xlsx.read.inputs import Entry
from selfeval_xlsx.read.values import money
from selfeval_xlsx.scheme.model import ADJUSTMENT_NOTE
from selfeval_xlsx.scoring.measures import evaluate
from selfeval_xlsx.scoring.personal import SELF, computed_score, row_weight
from selfeval_xlsx.scoring.ratios import adjustment_rate
from selfeval_xlsx.scoring.results import IndicatorScore
from selfeval_xlsx.scoring.rules import plain, score_cell
from selfeval_xlsx.scoring.target import target_score
from selfeval_xlsx.template.spec import ADJUSTED, BUDGET, FINAL, FUNDS, PERSONAL, SCORE_SHEET

HUNDRED = Decimal(100)
EXECUTION_NOTE = "预算执行情况说明"


class Review(NamedTuple):
    findings: list[Finding]
    capped: Decimal | None = None  # R004: the total after the cap (None: not capped)


def review(ctx: Context, scored: tuple[IndicatorScore, ...], total: Decimal) -> Review:
    findings = [*_high_score_low_execution(ctx, scored, total), *_low_execution(ctx),
                *_adjustment_unexplained(ctx), *_missed_but_full(ctx, scored),
                *_spending_without_budget(ctx)]
    cap = _execution_cap(ctx, total)
    if cap is None:
        return Review(findings)
    return Review([*findings, cap[1]], cap[0])


def _threshold(ctx: Context, code: str) -> Decimal | None:
    """The rule's threshold in percent, None when the scheme switches the rule off."""
    rule = ctx.scheme.review_rule(code)
    return (rule.threshold if rule.threshold is not None else HUNDRED) if rule.enabled else None


def _high_score_low_execution(ctx: Context, scored: tuple[IndicatorScore, ...],
                              total: Decimal) -> Iterator[Finding]:
    """R001: E = the execution indicator's score ÷ its weight, I = the other indicators' score
    ÷ their weight; (I − E) ÷ I above the threshold."""
    threshold, ind = _threshold(ctx, "R001"), ctx.scheme.execution_indicator
    item = next((s for s in scored if ind is not None and s.indicator.code == ind.code), None)
    rest = ctx.scheme.total - ind.weight if ind is not None else Decimal(0)
    if threshold is None or ind is None or item is None or not ind.weight or rest <= 0:
        return
    execution, others = item.score / ind.weight, (total - item.score) / rest
    if others <= 0 or (others - execution) / others * HUNDRED <= threshold:
        return
    gap = (others - execution) / others
    yield finding_at(
        "R001", SCORE_SHEET, score_cell(ctx, ind.code), ind.code,
        f"{ind.level3}（{ind.code}）得分率 {fmt_rate(execution)}（{fmt2(item.score)}/"
        f"{plain(ind.weight)}），其他指标得分率 {fmt_rate(others)}（{fmt2(total - item.score)}/{plain(rest)}），"
        f"两者之差为其他指标得分率的 {fmt_rate(gap)}，超过 {plain(threshold)}%。财政部门复核时会重点关注："
        "请核对其他指标的自评是否偏高，并在“预算执行情况说明”中写明执行率偏低的原因。",
        f"{ind.level3} scores {fmt_rate(execution)} of its weight, the "
        f"other indicators {fmt_rate(others)}; the gap is {fmt_rate(gap)} of the latter, above "
        f"{plain(threshold)}%. Reviewers will look at it: check the other self-assessments and "
        "explain the low execution in 预算执行情况说明.",
        f"≤ {plain(threshold)}%", fmt_rate(gap), "自评得分")


def _low_execution(ctx: Context) -> Iterator[Finding]:
    """R002: 预算执行率 below the threshold, whatever the 说明 says."""
    threshold, rate = _threshold(ctx, "R002"), execution_rate(ctx)
    if threshold is None or rate is None or rate * HUNDRED >= threshold:
        return
    shown = fmt_rate(rate, (threshold / HUNDRED,))
    entry = ctx.inputs.table(BUDGET).entry("支出合计", FINAL)
    yield finding_at(
        "R002", BUDGET, entry.coordinate, "支出合计",
        f"预算执行率为 {shown}，低于 {plain(threshold)}%。执行率偏低是财政部门复核的重点，"
        f"请在“{EXECUTION_NOTE}”中写明未执行的原因和改进措施。",
        f"the execution rate is {shown}, below {plain(threshold)}%: reviewers look at low "
        f"execution first; give the reasons and the remedies in {EXECUTION_NOTE}.",
        f"≥ {plain(threshold)}%", shown, FINAL)


def _adjustment_unexplained(ctx: Context) -> Iterator[Finding]:
    """R003: 预算调整率 above the threshold and 预算调整情况说明 empty (a workbook made before that
    field existed may explain it in 预算执行情况说明)."""
    threshold, rate = _threshold(ctx, "R003"), adjustment_rate(ctx)
    if threshold is None or rate is None or rate * HUNDRED <= threshold:
        return
    note = ctx.field(BUDGET, ADJUSTMENT_NOTE)
    older = note.cell is None
    if older:
        note = ctx.field(BUDGET, EXECUTION_NOTE)
    if note.value is not None:
        return
    where = EXECUTION_NOTE if older else ADJUSTMENT_NOTE
    cell = note.coordinate or ctx.inputs.table(BUDGET).entry("支出合计", ADJUSTED).coordinate
    shown = fmt_rate(rate, (threshold / HUNDRED,))
    extra = f"（本工作簿的模板没有“{ADJUSTMENT_NOTE}”栏，可写在“{EXECUTION_NOTE}”中）" if older else ""
    yield finding_at(
        "R003", BUDGET, cell, where,
        f"预算调整率为 {shown}，高于 {plain(threshold)}%，请在“{where}”中写明预算调整的原因{extra}。",
        f"the budget was adjusted by {shown}, above {plain(threshold)}%: explain the adjustment "
        f"in {where}.", "调整原因", "（空）")


def _execution_cap(ctx: Context, total: Decimal) -> tuple[Decimal, Finding] | None:
    """R004: where the scheme enables it, the total may not exceed the cap of its 执行率."""
    rule, rate = ctx.scheme.review_rule("R004"), execution_rate(ctx)
    if not rule.enabled or rate is None:
        return None
    applying = [(below, cap) for below, cap in rule.caps if rate * HUNDRED < below]
    if not applying:
        return None
    below, cap = min(applying, key=lambda pair: pair[1])
    if total <= cap:
        return None
    entry = ctx.inputs.table(SCORE_SHEET).total
    cell = entry.get("自评得分").coordinate if entry else ""
    shown = fmt_rate(rate, (below / HUNDRED,))
    return cap, finding_at(
        "R004", SCORE_SHEET, cell, "合计",
        f"预算执行率 {shown} 低于 {plain(below)}%，按评分方案总分不得超过 {plain(cap)} 分："
        f"总分由 {fmt2(total)} 调减为 {fmt2(cap)}。",
        f"the execution rate {shown} is below {plain(below)}%: the scheme caps the total at "
        f"{plain(cap)}, so {fmt2(total)} becomes {fmt2(cap)}.", f"≤ {plain(cap)}", fmt2(total))


def _missed_but_full(ctx: Context, scored: tuple[IndicatorScore, ...]) -> Iterator[Finding]:
    """R005: a target row whose 完成值 misses its 指标值 while its 自评得分 is full marks."""
    if not ctx.scheme.review_rule("R005").enabled:
        return
    for item in scored:
        rule = item.indicator.rule
        if rule.kind != "target" or rule.rows or rule.measure is None or rule.target is None:
            continue
        measured = evaluate(ctx, rule.measure)
        if measured.value is None or item.self_score is None:
            continue
        rate = rule.measure.is_rate
        actual = measured.value * HUNDRED if rate else measured.value
        weight, unit = item.indicator.weight, "%" if rate else ""
        if target_score(rule.direction, rule.target, actual, weight) < weight <= item.self_score:
            yield _r005(SCORE_SHEET, score_cell(ctx, item.indicator.code), item.indicator.code,
                        f"{fmt2(actual)}{unit}", f"{plain(rule.target)}{unit}", weight)
    for row in ctx.inputs.table(PERSONAL).rows:
        computed, clerk = computed_score(row), row.get(SELF).decimal()
        weight = row_weight(row)
        if computed is not None and clerk is not None and computed < weight <= money(clerk):
            yield _r005(PERSONAL, row.get(SELF).coordinate, row.label,
                        _number(row.get("实际完成值").value), _number(row.get("年度指标值").value),
                        weight)


def _number(value: object) -> str:
    return plain(value) if isinstance(value, Decimal) else str(value)


def _r005(sheet: str, cell: str, label: str, actual: str, goal: str, weight: Decimal) -> Finding:
    reason = "扣分原因" if sheet == SCORE_SHEET else "偏差原因"
    return finding_at(
        "R005", sheet, cell, label,
        f"实际完成值 {actual} 未达到指标值 {goal}，自评得分却为满分 {plain(weight)}。"
        f"请按完成情况如实自评，或在“{reason}”中说明。",
        f"the actual value {actual} misses the target {goal}, yet the self-assessed score is "
        f"full marks ({plain(weight)}). Score it as achieved, or explain.",
        f"< {plain(weight)}", plain(weight), SELF)


def _spending_without_budget(ctx: Context) -> Iterator[Finding]:
    """R006: a budget of 0 or empty with spending above 0 on 公用经费 or 支出合计."""
    if not ctx.scheme.review_rule("R006").enabled:
        return
    funds = ctx.inputs.table(FUNDS)
    plan, spent = funds.entry("公用经费", "预算数"), funds.entry("公用经费", "实际支出数")
    if plan.valid and spent.valid:
        yield from _r006(FUNDS, "公用经费", "预算数", "实际支出数", plan.decimal(), spent)
    table = ctx.inputs.table(BUDGET)
    adjusted, final = table.entry("支出合计", ADJUSTED), table.entry("支出合计", FINAL)
    if adjusted.valid and final.valid and table.entry("支出合计", "年初预算数").valid:
        yield from _r006(BUDGET, "支出合计", "预算数", FINAL, ctx.budget("支出合计", ADJUSTED), final)


def _r006(sheet: str, label: str, planned: str, column: str, budget: Decimal | None,
          spent: Entry) -> Iterator[Finding]:
    amount = spent.decimal()
    if amount is None or amount <= 0 or budget:
        return
    shown = "空" if budget is None else "0"
    yield finding_at(
        "R006", sheet, spent.coordinate, label,
        f"{label}没有{planned}（{shown}），却有支出 {fmt2(amount)}。无预算支出是财政部门复核的重点，"
        "请核对预算数；确属无预算支出的，请说明原因。",
        f"{label} has no budget ({shown}) but spending of {fmt2(amount)}: check the budget, "
        "or explain the spending.", f"{planned} > 0", fmt2(amount), column)
