"""The 自动 rules of the scheme (`docs/schemes.md`), one small function each, and the key ratios."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from selfeval_xlsx.checks.context import Context, execution_rate, fmt2, fmt_rate
from selfeval_xlsx.findings import Finding, finding_at
from selfeval_xlsx.read.inputs import Entry
from selfeval_xlsx.scheme.model import Indicator
from selfeval_xlsx.template.spec import (
    ADJUSTED,
    ASSETS,
    FUNDS,
    INITIAL,
    PROJECTS,
    SCORE_SHEET,
    TARGETS,
    TASKS,
)
from selfeval_xlsx.text import Text

ONE = Decimal(1)
NO_REASON = Text("", "")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Outcome:
    raw: Decimal  # before clamping and rounding
    basis: Text
    reason: Text = NO_REASON
    findings: list[Finding] = field(default_factory=list)


def _missing(what: str, what_en: str) -> Outcome:
    return Outcome(Decimal(0), Text(f"{what}缺失或无法读取，按 0 分计", f"{what_en} is missing or "
                                    "unreadable: 0 points"), Text(f"{what}缺失", f"{what_en} missing"))


def _value(entry: Entry) -> Decimal | None:
    return entry.decimal() if entry.valid else None


# ---------------------------------------------------------------- rates


def adjustment_rate(ctx: Context) -> Decimal | None:
    initial, adjusted = ctx.readable_budget("支出合计", INITIAL), ctx.readable_budget("支出合计", ADJUSTED)
    if initial is None or adjusted is None or initial <= 0:
        return None
    return abs(adjusted - initial) / initial


def control_rate(ctx: Context, label: str) -> Decimal | None:
    table = ctx.inputs.table(FUNDS)
    budget, actual = _value(table.entry(label, "预算数")), _value(table.entry(label, "实际支出数"))
    if budget is None or actual is None:
        return None
    if budget == 0:
        return ONE if actual == 0 else None
    return actual / budget


def asset_utilisation(ctx: Context) -> Decimal | None:
    total = _value(ctx.field(ASSETS, "固定资产总额"))
    used = _value(ctx.field(ASSETS, "实际在用固定资产总额"))
    if total is None or used is None or total <= 0:
        return None
    return used / total


def completion(ctx: Context, table_name: str) -> tuple[int, int, int]:
    """(完成, 部分完成, rows) of a free table; an empty or unknown status counts as 未完成."""
    rows = ctx.inputs.table(table_name).rows
    statuses = [r.get("完成情况").value for r in rows]
    return statuses.count("完成"), statuses.count("部分完成"), len(rows)


def partial_credit(ctx: Context, rule: str) -> Decimal:
    indicator = next((i for i in ctx.scheme.indicators if i.rule == rule), None)
    return Decimal(str(indicator.params.get("partial_credit", "0.5") if indicator else "0.5"))


def completion_ratio(ctx: Context, table_name: str, partial: Decimal) -> Decimal | None:
    done, part, rows = completion(ctx, table_name)
    return (done + part * partial) / rows if rows else None


def project_scores(ctx: Context) -> list[Decimal]:
    scores = []
    for row in ctx.inputs.table(PROJECTS).rows:
        score = _value(row.get("项目自评得分"))
        if score is not None and 0 <= score <= HUNDRED:
            scores.append(score)
    return scores


# ---------------------------------------------------------------- rules


def rule_adjustment(ctx: Context, ind: Indicator) -> Outcome:
    rate = adjustment_rate(ctx)
    if rate is None:
        return _missing("支出合计年初预算数", "the initial expenditure budget")
    percent = rate * HUNDRED
    bands = [(Decimal(str(b)), Decimal(str(s))) for b, s in ind.params.get("bands", [])]
    score = next((s for bound, s in bands if percent <= bound), Decimal(0))
    band = next((f"≤{bound}%" if bound else "=0" for bound, _ in bands if percent <= bound),
                f">{bands[-1][0]}%" if bands else "")
    shown = fmt_rate(rate, tuple(bound / HUNDRED for bound, _ in bands))
    basis = Text(f"调整率 {shown}（{band}）得 {fmt2(score)}",
                 f"adjustment rate {shown} ({band}): {fmt2(score)}")
    return Outcome(score, basis, Text(f"预算调整率 {shown}", f"adjustment {shown}"))


def rule_execution(ctx: Context, ind: Indicator) -> Outcome:
    rate = execution_rate(ctx)
    if rate is None:
        return _missing("支出合计决算数或调整后预算数", "the expenditure actual or budget")
    counted = min(rate, ONE)
    score = counted * ind.weight
    cap = "（超过100%按100%计）" if rate > ONE else ""
    basis = Text(f"执行率 {fmt_rate(rate)}{cap} × {ind.weight} = {fmt2(score)}",
                 f"execution rate {fmt_rate(rate)} × {ind.weight} = {fmt2(score)}")
    return Outcome(score, basis, Text(f"预算执行率 {fmt_rate(rate)}", f"execution {fmt_rate(rate)}"))


def rule_assets(ctx: Context, ind: Indicator) -> Outcome:
    total = _value(ctx.field(ASSETS, "固定资产总额"))
    if total == 0:
        entry = ctx.field(ASSETS, "固定资产总额")
        return _not_applicable(ind, (ASSETS, entry.coordinate, "固定资产总额"),
                               Text("固定资产总额为 0", "no fixed assets"),
                               Text("无固定资产", "no fixed assets"), "0")
    rate = asset_utilisation(ctx)
    if rate is None:
        return _missing("固定资产总额或实际在用固定资产总额", "the fixed assets")
    score = min(rate, ONE) * ind.weight
    return Outcome(score, Text(f"利用率 {fmt_rate(rate)} × {ind.weight} = {fmt2(score)}",
                               f"utilisation {fmt_rate(rate)} × {ind.weight} = {fmt2(score)}"),
                   Text(f"固定资产利用率 {fmt_rate(rate)}", f"utilisation {fmt_rate(rate)}"))


def _control(ctx: Context, ind: Indicator, label: str) -> Outcome:
    table = ctx.inputs.table(FUNDS)
    budget, actual = _value(table.entry(label, "预算数")), _value(table.entry(label, "实际支出数"))
    if budget is None or actual is None:
        return _missing(f"{label}的预算数或实际支出数", f"{label} budget or actual")
    if budget == 0 and actual > 0:
        return Outcome(Decimal(0), Text(f"预算为 0、实际支出 {fmt2(actual)}，得 0.00",
                                        f"no budget but spending {fmt2(actual)}: 0"),
                       Text("无预算支出", "spending without a budget"))
    rate = control_rate(ctx, label) or ONE
    shown = fmt_rate(rate, (ONE,))
    if rate <= ONE:
        return Outcome(ind.weight, Text(f"控制率 {shown}（实际 {fmt2(actual)} ÷ 预算 "
                                        f"{fmt2(budget)}），≤100% 得 {fmt2(ind.weight)}",
                                        f"control rate {shown} ≤ 100%: full marks"))
    over = (rate - ONE) * HUNDRED
    per = Decimal(str(ind.params.get("points_per_percent_over", 1)))
    score = ind.weight - over * per
    basis = Text(f"控制率 {shown}，超出 {fmt2(over)} 个百分点，扣 {fmt2(over * per)} 分，"
                 f"得 {fmt2(max(score, Decimal(0)))}",
                 f"control rate {shown}: {fmt2(over)} points over, "
                 f"score {fmt2(max(score, Decimal(0)))}")
    return Outcome(score, basis, Text(f"{label}超支，控制率 {shown}",
                                      f"{label} over budget ({shown})"))


def rule_sangong(ctx: Context, ind: Indicator) -> Outcome:
    return _control(ctx, ind, "三公经费合计")


def rule_public_funds(ctx: Context, ind: Indicator) -> Outcome:
    return _control(ctx, ind, "公用经费")


def _completion_rule(ctx: Context, ind: Indicator, table: str, what: str) -> Outcome:
    partial = partial_credit(ctx, ind.rule)
    done, part, rows = completion(ctx, table)
    ratio = completion_ratio(ctx, table, partial)
    if ratio is None:
        return Outcome(Decimal(0), Text(f"未填写{what}，得 0.00", f"no {table} rows: 0"),
                       Text(f"未填写{what}", f"no {table} rows"))
    score = ratio * ind.weight
    basis = Text(f"（完成 {done} + 部分完成 {part} × {partial}）÷ {rows} = {fmt_rate(ratio)} × "
                 f"{ind.weight} = {fmt2(score)}",
                 f"({done} done + {part} partial × {partial}) ÷ {rows} = {fmt_rate(ratio)} × "
                 f"{ind.weight} = {fmt2(score)}")
    return Outcome(score, basis, Text(f"{what}完成率 {fmt_rate(ratio)}", f"{fmt_rate(ratio)}"))


def rule_targets(ctx: Context, ind: Indicator) -> Outcome:
    return _completion_rule(ctx, ind, TARGETS, "绩效目标")


def rule_tasks(ctx: Context, ind: Indicator) -> Outcome:
    return _completion_rule(ctx, ind, TASKS, "重点工作")


def rule_projects(ctx: Context, ind: Indicator) -> Outcome:
    table = ctx.inputs.table(PROJECTS)
    if not table.rows:
        return _not_applicable(ind, (SCORE_SHEET, _score_cell(ctx, ind.code), ind.code),
                               Text("没有部门重点项目", "no key projects"),
                               Text("无部门重点项目", "no key projects"), "无重点项目")
    scores = project_scores(ctx)
    if not scores:
        return _missing("项目自评得分", "the project scores")
    mean = sum(scores, Decimal(0)) / len(scores)
    score = mean / HUNDRED * ind.weight
    return Outcome(score, Text(f"{len(scores)} 个项目平均分 {fmt2(mean)} ÷ 100 × {ind.weight} = "
                               f"{fmt2(score)}", f"mean of {len(scores)} projects {fmt2(mean)} "
                               f"÷ 100 × {ind.weight} = {fmt2(score)}"),
                   Text(f"重点项目平均分 {fmt2(mean)}", f"mean project score {fmt2(mean)}"))


def _not_applicable(ind: Indicator, place: tuple[str, str, str], why: Text, basis: Text,
                    actual: str) -> Outcome:
    """Full marks for an indicator that does not apply, with the P007 note saying so."""
    sheet, cell, label = place
    note = finding_at("P007", sheet, cell, label,
                      f"{why.zh}，指标 {ind.code}（{ind.level3}）不适用，按满分 {ind.weight} 计。",
                      f"{why.en}: indicator {ind.code} does not apply and scores full marks.",
                      str(ind.weight), actual)
    return Outcome(ind.weight, Text(f"{basis.zh}，不适用，按满分 {fmt2(ind.weight)} 计",
                                    f"{basis.en}: full marks"), findings=[note])


def _score_cell(ctx: Context, code: str) -> str:
    row = ctx.inputs.table(SCORE_SHEET).row(code)
    return row.get("自评得分").coordinate if row else ""


AUTO_RULES: dict[str, Callable[[Context, Indicator], Outcome]] = {
    "adjustment_bands": rule_adjustment,
    "execution_rate": rule_execution,
    "asset_utilisation": rule_assets,
    "sangong_control": rule_sangong,
    "public_funds_control": rule_public_funds,
    "target_completion": rule_targets,
    "key_task_completion": rule_tasks,
    "key_project_mean": rule_projects,
}


def _share(ctx: Context, label: str) -> Decimal | None:
    part, total = ctx.readable_budget(label, INITIAL), ctx.readable_budget("支出合计", INITIAL)
    return part / total if part is not None and total else None


def ratios(ctx: Context) -> dict[str, Decimal | None]:
    scores = project_scores(ctx)
    return {
        "budget_execution": execution_rate(ctx),
        "budget_adjustment": adjustment_rate(ctx),
        "basic_share": _share(ctx, "基本支出"),
        "project_share": _share(ctx, "项目支出"),
        "sangong_control": control_rate(ctx, "三公经费合计"),
        "public_funds_control": control_rate(ctx, "公用经费"),
        "fixed_asset_utilisation": asset_utilisation(ctx),
        "target_completion": completion_ratio(ctx, TARGETS,
                                              partial_credit(ctx, "target_completion")),
        "key_task_completion": completion_ratio(ctx, TASKS,
                                                partial_credit(ctx, "key_task_completion")),
        "key_project_score": sum(scores, Decimal(0)) / len(scores) / HUNDRED if scores else None,
    }
