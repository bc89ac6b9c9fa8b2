"""Scoring from the scheme (`docs/schemes.md`): 自动 rules, 核对 checklists, 自评 scores, then
the reviewers' rules (`review`).

All arithmetic in Decimal; every indicator score is clamped to [0, weight] and rounded half-up
to two decimals; the total is the sum of the rounded scores (capped by R004 where the scheme
enables it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from selfeval_xlsx.checks.context import Context, fmt2
from selfeval_xlsx.findings import Finding, finding_at
from selfeval_xlsx.read.values import money
from selfeval_xlsx.scheme.model import Indicator
from selfeval_xlsx.scoring.personal import personal_rows
from selfeval_xlsx.scoring.ratios import ratios
from selfeval_xlsx.scoring.results import IndicatorScore, Scoring
from selfeval_xlsx.scoring.review import review
from selfeval_xlsx.scoring.rules import RULES, Outcome
from selfeval_xlsx.template.spec import CHECKLIST, SCORE_SHEET
from selfeval_xlsx.text import Text

SELF = "自评得分"
REASON = "扣分原因"


@dataclass(frozen=True)
class ScoringResult:
    scoring: Scoring
    findings: list[Finding]


def score_workbook(ctx: Context) -> ScoringResult:
    scored: list[IndicatorScore] = []
    findings: list[Finding] = []
    for indicator in ctx.scheme.indicators:
        outcome = _outcome(ctx, indicator)
        item = _finish(ctx, indicator, outcome)
        scored.append(item)
        findings.extend(outcome.findings)
        findings.extend(_clerk_differs(ctx, item))
    total = sum((s.score for s in scored), Decimal(0))
    reviewed = review(ctx, tuple(scored), total)
    findings.extend(reviewed.findings)
    counted = total if reviewed.capped is None else reviewed.capped
    scoring = Scoring(tuple(scored), counted, ctx.scheme.grade_for(counted), ratios(ctx),
                      uncapped=None if reviewed.capped is None else total)
    return ScoringResult(scoring, findings)


def _outcome(ctx: Context, indicator: Indicator) -> Outcome:
    if indicator.method == "核对":
        return _checklist(ctx, indicator)
    if indicator.method == "自评":
        return _self_assessed(ctx, indicator)
    if indicator.rule.rows:
        return personal_rows(ctx, indicator)
    return RULES[indicator.rule.kind](ctx, indicator)


def _finish(ctx: Context, indicator: Indicator, outcome: Outcome) -> IndicatorScore:
    score = money(min(max(outcome.raw, Decimal(0)), indicator.weight))
    row = ctx.inputs.table(SCORE_SHEET).row(indicator.code)
    self_score = row.get(SELF).decimal() if row else None
    reason = row.get(REASON).value if row else None
    if not isinstance(reason, str) or not reason:
        reason = outcome.reason.zh if score < indicator.weight else ""
    return IndicatorScore(indicator, score, outcome.basis, self_score, reason)


def _checklist(ctx: Context, indicator: Indicator) -> Outcome:
    if indicator.rule.mode == "deduct":
        return _checklist_deduct(ctx, indicator)
    table = ctx.inputs.table(CHECKLIST)
    parts_zh, parts_en, total = [], [], Decimal(0)
    for item in (i for i in ctx.scheme.checklist if i.indicator == indicator.code):
        answer = table.entry(item.code, "是否符合").value
        earned = item.points if answer == "是" else Decimal(0)
        total += earned
        shown = answer if isinstance(answer, str) else "未答"
        parts_zh.append(f"{item.code} {shown} {fmt2(earned)}")
        parts_en.append(f"{item.code} {shown} {fmt2(earned)}")
    basis = Text(f"核对项：{'；'.join(parts_zh)}；合计 {fmt2(total)}",
                 f"checklist: {'; '.join(parts_en)}; total {fmt2(total)}")
    reason = Text("管理核对中有不符合或未作答的项目", "some checklist items are 否 or unanswered")
    return Outcome(total, basis, reason)


def _checklist_deduct(ctx: Context, indicator: Indicator) -> Outcome:
    """mode = "deduct": the weight, less the points of every item answered 否 (or not at all)."""
    table = ctx.inputs.table(CHECKLIST)
    parts, off = [], Decimal(0)
    for item in (i for i in ctx.scheme.checklist if i.indicator == indicator.code):
        answer = table.entry(item.code, "是否符合").value
        if answer == "是":
            parts.append(f"{item.code} 是")
            continue
        off += item.points
        parts.append(f"{item.code} {answer if isinstance(answer, str) else '未答'} 扣 {fmt2(item.points)}")
    score = indicator.weight - off
    kept = fmt2(max(score, Decimal(0)))
    return Outcome(score, Text(f"核对项：{'；'.join(parts)}；{fmt2(indicator.weight)} 扣 {fmt2(off)}，得 {kept}",
                               f"checklist: {'; '.join(parts)}; {fmt2(indicator.weight)} less "
                               f"{fmt2(off)}: {kept}"),
                   Text("管理核对中有不符合或未作答的项目", "some checklist items are 否 or unanswered"))


def _self_assessed(ctx: Context, indicator: Indicator) -> Outcome:
    row = ctx.inputs.table(SCORE_SHEET).row(indicator.code)
    entry = row.get(SELF) if row else None
    score = entry.decimal() if entry else None
    if score is None:
        return Outcome(Decimal(0), Text("未填写自评得分，按 0 分计", "no self-assessed score: 0"),
                       Text("未填写自评得分", "no self-assessed score"))
    counted = min(max(score, Decimal(0)), indicator.weight)
    note = "" if counted == score else f"（超出 0～{indicator.weight}，按 {fmt2(counted)} 计）"
    return Outcome(counted, Text(f"自评得分 {fmt2(score)}{note}", f"self-assessed {fmt2(score)}"),
                   Text("自评扣分", "self-assessed deduction"))


def _clerk_differs(ctx: Context, item: IndicatorScore) -> Iterator[Finding]:
    indicator = item.indicator
    if indicator.method == "自评" or item.self_score is None:
        return
    if money(item.self_score) == item.score:
        return
    row = ctx.inputs.table(SCORE_SHEET).row(indicator.code)
    cell = row.get(SELF).coordinate if row else ""
    yield finding_at("P004", SCORE_SHEET, cell, indicator.code,
                     f"自评得分 {fmt2(item.self_score)} 与工具按数据计算的得分 {fmt2(item.score)} 不一致"
                     f"（{item.basis.zh}）。以计算得分为准，请核对数据或自评得分。",
                     f"the self-assessed score {fmt2(item.self_score)} differs from the computed "
                     f"{fmt2(item.score)} ({item.basis.en}). The computed score counts.",
                     fmt2(item.score), fmt2(item.self_score), SELF)

