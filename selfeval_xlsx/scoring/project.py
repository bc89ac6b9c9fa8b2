"""Scoring one 项目支出绩效自评表 (`docs/schemes.md`, 项目支出): execution (min(执行率, 100 %) ×
分值), each 定量 row by the 正向 / 等于 / 反向 formula (`target.target_score`), each 定性 row by the
clerk's 得分 within the band of its word, the total (capped by 执行率 where the scheme says so)
and the grade; and the rules that compare scores: J004 (a met target with points off, a missed
one with full marks), J009 (points off without a reason) and J010 (the clerk's figure differs).

Every row's score is rounded half-up to 0.01; the total is execution + Σ rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from selfeval_xlsx.checks.context import fmt2, fmt_rate
from selfeval_xlsx.checks.project import (
    ProjectContext,
    at,
    band_bounds,
    band_text,
    execution_rate,
    in_band,
    plain,
)
from selfeval_xlsx.findings import Finding
from selfeval_xlsx.read.project import IndicatorRow
from selfeval_xlsx.read.values import money
from selfeval_xlsx.scoring.project_basis import quantitative_basis
from selfeval_xlsx.scoring.target import target_coefficient, target_score
from selfeval_xlsx.template.project import FULL_YEAR, INITIAL, REASON, SPENT, TOTAL_ROW
from selfeval_xlsx.text import Text

ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)


@dataclass(frozen=True)
class RowScore:
    row: IndicatorRow
    weight: Decimal
    score: Decimal  # 核定得分, rounded half-up to 0.01
    basis: Text
    scored: bool = True  # False: a value was missing, the row scores 0

    @property
    def self_score(self) -> Decimal | None:
        return self.row.number("得分")


@dataclass(frozen=True)
class ExecutionScore:
    budget: Decimal | None  # 全年预算数 (empty: 年初预算数)
    spent: Decimal | None
    rate: Decimal | None
    weight: Decimal
    score: Decimal
    basis: Text
    self_score: Decimal | None = None
    self_rate: Decimal | None = None  # the clerk's 执行率, in percent
    initial: Decimal | None = None  # 年初预算数 of 年度资金总额


@dataclass(frozen=True)
class ProjectScore:
    sheet: str
    name: str
    execution: ExecutionScore
    rows: tuple[RowScore, ...]
    total: Decimal
    grade: str
    uncapped: Decimal | None = None  # the sum before the scheme's cap by 执行率
    self_total: Decimal | None = None
    self_grade: str | None = None

    def to_json(self, lang: str = "zh") -> dict[str, Any]:
        e = self.execution
        return {"sheet": self.sheet, "name": self.name, "total": _float(self.total),
                "grade": self.grade,
                "execution": {"budget": _float(e.budget), "spent": _float(e.spent),
                              "rate": None if e.rate is None else float(round(e.rate, 6)),
                              "weight": _float(e.weight), "score": _float(e.score),
                              "self_score": _float(e.self_score)},
                "self_total": _float(self.self_total), "self_grade": self.self_grade,
                "indicators": [_row_json(r, lang) for r in self.rows]}


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(money(value))


def _row_json(item: RowScore, lang: str) -> dict[str, Any]:
    row = item.row
    target: object = _float(row.target) if row.target is not None else (row.text("年度指标值") or None)
    actual = row.actual if not isinstance(row.actual, Decimal) else float(row.actual)
    return {"row": row.row.row, "level1": row.text("一级指标") or None,
            "level2": row.text("二级指标") or None, "level3": row.text("三级指标") or None,
            "kind": row.kind or None, "unit": row.text("计量单位") or None,
            "target": target, "actual": actual, "weight": _float(item.weight),
            "self_score": _float(item.self_score), "score": _float(item.score),
            "basis": item.basis.render(lang)}


@dataclass(frozen=True)
class ProjectScoring:
    score: ProjectScore
    findings: list[Finding]


def score_project(ctx: ProjectContext) -> ProjectScoring:
    execution = _execution(ctx)
    rows = tuple(_row(ctx, row) for row in ctx.project.indicators)
    total = execution.score + sum((r.score for r in rows), ZERO)
    capped = _cap(ctx, execution.rate, total)
    counted = total if capped is None else capped
    p = ctx.project
    clerk_grade = p.field("评价等级").value
    score = ProjectScore(p.sheet, p.name, execution, rows, counted, ctx.scheme.grade_for(counted),
                         None if capped is None else total, p.field("总分").decimal(),
                         clerk_grade if isinstance(clerk_grade, str) else None)
    findings = [*_execution_differs(ctx, execution)]
    for item in rows:
        findings.extend(_row_findings(ctx, item))
    findings.extend(_total_findings(ctx, score))
    return ProjectScoring(score, findings)


# ---- execution ----

def _execution(ctx: ProjectContext) -> ExecutionScore:
    p, weight = ctx.project, ctx.scheme.execution
    budget, spent, rate = p.budget, p.spent, execution_rate(p)
    clerk = p.fund_entry(TOTAL_ROW, "得分").decimal()
    clerk_rate = p.fund_entry(TOTAL_ROW, "执行率").decimal()
    if rate is None:
        why = _no_rate(ctx, budget, spent)
        return ExecutionScore(budget, spent, None, weight, ZERO,
                              Text(f"{why.zh}，无法计算执行率，按 0 分计", f"{why.en}: 0 points"),
                              clerk, clerk_rate, p.fund(TOTAL_ROW, INITIAL))
    score = money(min(rate, ONE) * weight)
    source = "全年预算数" if p.fund(TOTAL_ROW, FULL_YEAR) is not None else "年初预算数（全年预算数未填）"
    over = "，超过 100% 按 100% 计" if rate > ONE else ""
    shown = fmt_rate(rate)
    basis = Text(f"执行率 = 全年执行数 {fmt2(spent)} ÷ {source} {fmt2(budget)} = {shown}{over}；"
                 f"{fmt_rate(min(rate, ONE))} × {plain(weight)} = {fmt2(score)}",
                 f"execution {fmt2(spent)} ÷ {fmt2(budget)} = {shown}"
                 f"{' (capped at 100%)' if over else ''}; × {plain(weight)} = {fmt2(score)}")
    return ExecutionScore(budget, spent, rate, weight, score, basis, clerk, clerk_rate,
                          p.fund(TOTAL_ROW, INITIAL))


def _no_rate(ctx: ProjectContext, budget: Decimal | None, spent: Decimal | None) -> Text:
    """Why no execution rate could be computed."""
    if budget and spent is None:
        if ctx.project.fund_entry(TOTAL_ROW, SPENT).cell is None:
            return Text(f"找不到表头“{SPENT}”", f"the header {SPENT} is missing")
        return Text(f"未填{SPENT}", f"no {SPENT}")
    return Text("无全年预算数（年初预算数也为空或 0）", "no budget")


def _stated_rates(rate: Decimal) -> set[Decimal]:
    """The 执行率 a clerk may rightly write (in percent): the computed one, and over 100 % also
    100, the rate that counts (as T007 says: 执行率按 100% 计)."""
    return {money(rate * 100), *((HUNDRED,) if rate > ONE else ())}


def _execution_differs(ctx: ProjectContext, e: ExecutionScore) -> Iterator[Finding]:
    p = ctx.project
    if e.self_rate is not None and e.rate is not None and money(e.self_rate) not in _stated_rates(e.rate):
        yield at("J010", ctx.sheet, p.fund_entry(TOTAL_ROW, "执行率"), TOTAL_ROW,
                 f"填写的执行率 {plain(e.self_rate)}% 与按全年执行数 ÷ 全年预算数计算的 {fmt_rate(e.rate)} 不一致。"
                 "以计算值为准，请核对。",
                 f"the stated rate {plain(e.self_rate)}% differs from the computed "
                 f"{fmt_rate(e.rate)}. The computed one counts.",
                 fmt_rate(e.rate), f"{plain(e.self_rate)}%", "执行率")
    if e.self_score is not None and money(e.self_score) != e.score:
        yield at("J010", ctx.sheet, p.fund_entry(TOTAL_ROW, "得分"), TOTAL_ROW,
                 f"填写的执行率得分 {fmt2(e.self_score)} 与工具计算的 {fmt2(e.score)} 不一致（{e.basis.zh}）。"
                 "以计算得分为准，请核对。",
                 f"the stated execution score {fmt2(e.self_score)} differs from the computed "
                 f"{fmt2(e.score)} ({e.basis.en}).", fmt2(e.score), fmt2(e.self_score), "得分")


def _cap(ctx: ProjectContext, rate: Decimal | None, total: Decimal) -> Decimal | None:
    """The cap by 执行率 (the strictest that applies) where the scheme enables it and the total
    is above it; None otherwise."""
    if not ctx.scheme.caps or rate is None:
        return None
    limits = [cap for below, cap in ctx.scheme.caps if rate * HUNDRED < below]
    return min(limits) if limits and min(limits) < total else None


# ---- indicator rows ----

def _row(ctx: ProjectContext, row: IndicatorRow) -> RowScore:
    weight = row.number("分值") or ZERO
    if row.qualitative:
        return _qualitative(ctx, row, weight)
    missing = [h for h, v in (("指标性质", row.kind), ("年度指标值", row.target),
                              ("实际完成值", row.actual)) if v is None or v == ""]
    if missing or not isinstance(row.actual, Decimal) or row.target is None:
        what = "、".join(missing) or "实际完成值"
        return RowScore(row, weight, ZERO, Text(f"缺少可计分的{what}，按 0 分计",
                                                f"{what} missing or unreadable: 0"), scored=False)
    score = target_score(row.direction, row.target, row.actual, weight)
    return RowScore(row, weight, score, quantitative_basis(
        row.direction, row.target, row.actual, weight, score, row.text("计量单位")))


def _qualitative(ctx: ProjectContext, row: IndicatorRow, weight: Decimal) -> RowScore:
    clerk = row.number("得分")
    if clerk is None:
        return RowScore(row, weight, ZERO, Text("定性：未填得分，按 0 分计", "qualitative: no score, 0"),
                        scored=False)
    if not isinstance(row.actual, str):
        counted = money(min(max(clerk, ZERO), weight))
        return RowScore(row, weight, counted, Text(f"定性：未选完成情况，按自评得分 {fmt2(counted)} 计",
                                                   f"qualitative, no word: {fmt2(counted)}"))
    bounds = band_bounds(ctx.scheme, row.actual, weight)
    low, high, _ = bounds
    counted = money(clerk if in_band(clerk, bounds) else (low if clerk < low else high))
    note = "" if in_band(clerk, bounds) else f"，不在档次内，按 {fmt2(counted)} 计"
    return RowScore(row, weight, counted, Text(
        f"定性：{row.actual}（{band_text(bounds)}），自评得分 {fmt2(clerk)}{note}",
        f"qualitative: {row.actual} ({band_text(bounds)}), score {fmt2(clerk)}"
        + ("" if not note else f", counted as {fmt2(counted)}")))


def _row_findings(ctx: ProjectContext, item: RowScore) -> Iterator[Finding]:
    row, clerk = item.row, item.self_score
    reason = row.get(REASON)
    explained = reason.value is not None or reason.cell is None
    if not row.qualitative and item.scored and clerk is not None:
        yield from _met_or_missed(ctx, item, clerk, explained)
        if money(clerk) != item.score:
            yield at("J010", ctx.sheet, row.get("得分"), row.label,
                     f"填写的得分 {fmt2(clerk)} 与按公式计算的 {fmt2(item.score)} 不一致（{item.basis.zh}）。"
                     "以计算得分为准，请核对完成值或得分。",
                     f"the stated score {fmt2(clerk)} differs from the computed {fmt2(item.score)} "
                     f"({item.basis.en}). The computed score counts.",
                     fmt2(item.score), fmt2(clerk), "得分")
    lowest = min(item.score, clerk) if clerk is not None else item.score
    if item.scored and lowest < item.weight and not explained:
        yield at("J009", ctx.sheet, reason, row.label,
                 f"得分 {fmt2(lowest)} 低于分值 {fmt2(item.weight)}，请在“{REASON}”中写明未达到指标值（扣分）的原因和改进措施。",
                 f"the score {fmt2(lowest)} is below the weight {fmt2(item.weight)}: explain the "
                 f"shortfall in {REASON}.", Text(REASON, "a reason"), Text("（空）", "(empty)"),
                 REASON)


def _met_or_missed(ctx: ProjectContext, item: RowScore, clerk: Decimal,
                   explained: bool) -> Iterator[Finding]:
    """J004: the 云南 fault (target met, points off, no reason) and the 重庆 fault (target
    missed, full marks)."""
    row = item.row
    assert row.target is not None and isinstance(row.actual, Decimal)
    met = target_coefficient(row.direction, row.target, row.actual) == ONE
    if met and money(clerk) < item.weight and not explained:
        yield at("J004", ctx.sheet, row.get("得分"), row.label,
                 f"实际完成值 {plain(row.actual)} 已达到年度指标值 {plain(row.target)}，得分却只有 {fmt2(clerk)}"
                 f"（分值 {fmt2(item.weight)}），也未写偏差原因。达到指标值的应得满分；确有扣分理由的请写明。",
                 f"the actual {plain(row.actual)} meets the target {plain(row.target)} but scores "
                 f"{fmt2(clerk)} of {fmt2(item.weight)} without a reason.",
                 fmt2(item.weight), fmt2(clerk), "得分")
    elif not met and item.weight > 0 and money(clerk) >= item.weight:
        yield at("J004", ctx.sheet, row.get("得分"), row.label,
                 f"实际完成值 {plain(row.actual)} 未达到年度指标值 {plain(row.target)}，得分却为满分 "
                 f"{fmt2(clerk)}；按公式应得 {fmt2(item.score)}。请核对完成值或得分。",
                 f"the actual {plain(row.actual)} misses the target {plain(row.target)} but scores "
                 f"full marks {fmt2(clerk)}; the formula gives {fmt2(item.score)}.",
                 fmt2(item.score), fmt2(clerk), "得分")


def _total_findings(ctx: ProjectContext, score: ProjectScore) -> Iterator[Finding]:
    p = ctx.project
    if score.uncapped is not None:
        rate = score.execution.rate
        yield at("R004", ctx.sheet, p.field("总分"), "总分",
                 f"评分方案按执行率封顶：执行率 {fmt_rate(rate or ZERO)}，总分 {fmt2(score.uncapped)} 封顶为 "
                 f"{fmt2(score.total)}。", f"the scheme caps the total by execution "
                 f"({fmt_rate(rate or ZERO)}): {fmt2(score.uncapped)} → {fmt2(score.total)}.",
                 fmt2(score.total), fmt2(score.uncapped), "总分")
    if score.self_total is not None and money(score.self_total) != score.total:
        yield at("J010", ctx.sheet, p.field("总分"), "总分",
                 f"填写的总分 {fmt2(score.self_total)} 与工具核定的总分 {fmt2(score.total)} 不一致"
                 f"（执行率 {fmt2(score.execution.score)} + 绩效指标 "
                 f"{fmt2(sum((r.score for r in score.rows), ZERO))}）。以核定总分为准。",
                 f"the stated total {fmt2(score.self_total)} differs from the computed "
                 f"{fmt2(score.total)}.", fmt2(score.total), fmt2(score.self_total), "总分")
    if score.self_grade is not None and score.self_grade != score.grade:
        yield at("J010", ctx.sheet, p.field("评价等级"), "评价等级",
                 f"填写的评价等级“{score.self_grade}”与按核定总分 {fmt2(score.total)} 评定的“{score.grade}”不一致。",
                 f"the stated grade '{score.self_grade}' differs from '{score.grade}' "
                 f"(total {fmt2(score.total)}).", score.grade, score.self_grade, "评价等级")

