"""The key ratios of the JSON result and the output's 汇总 (`docs/json.md`): fixed formulas,
whatever the scheme's indicators are; a completion ratio uses the partial credit of the scheme's
indicator on that table (0.5 when the scheme has none)."""

from __future__ import annotations

from decimal import Decimal

from selfeval_xlsx.checks.context import Context, execution_rate
from selfeval_xlsx.read.inputs import Entry
from selfeval_xlsx.scheme.fields import ASSETS, FUNDS, PROJECTS, TARGETS, TASKS
from selfeval_xlsx.scoring.rules import completion_counts, scored_rows
from selfeval_xlsx.template.spec import ADJUSTED, INITIAL

ONE, HUNDRED = Decimal(1), Decimal(100)


def adjustment_rate(ctx: Context) -> Decimal | None:
    initial, adjusted = ctx.readable_budget("支出合计", INITIAL), ctx.readable_budget("支出合计", ADJUSTED)
    if initial is None or adjusted is None or initial <= 0:
        return None
    return abs(adjusted - initial) / initial


def control_rate(ctx: Context, label: str) -> Decimal | None:
    table = ctx.inputs.table(FUNDS)
    budget, actual = (_valid(table.entry(label, "预算数")), _valid(table.entry(label, "实际支出数")))
    if budget is None or actual is None:
        return None
    if budget == 0:
        return ONE if actual == 0 else None
    return actual / budget


def asset_utilisation(ctx: Context) -> Decimal | None:
    total = _valid(ctx.field(ASSETS, "固定资产总额"))
    used = _valid(ctx.field(ASSETS, "实际在用固定资产总额"))
    if total is None or used is None or total <= 0:
        return None
    return used / total


def _valid(entry: Entry) -> Decimal | None:
    return entry.decimal() if entry.valid else None


def partial_credit(ctx: Context, table: str) -> Decimal:
    for ind in ctx.scheme.indicators:
        measure = ind.rule.measure
        if ind.rule.kind == "completion" and measure is not None and measure.table == table:
            return ind.rule.partial
    return Decimal("0.5")


def completion_ratio(ctx: Context, table: str) -> Decimal | None:
    done, part, rows = completion_counts(ctx, table)
    return (done + part * partial_credit(ctx, table)) / rows if rows else None


def _share(ctx: Context, label: str) -> Decimal | None:
    part, total = ctx.readable_budget(label, INITIAL), ctx.readable_budget("支出合计", INITIAL)
    return part / total if part is not None and total else None


def ratios(ctx: Context) -> dict[str, Decimal | None]:
    scores = [score for score, _ in scored_rows(ctx, PROJECTS)]
    return {
        "budget_execution": execution_rate(ctx),
        "budget_adjustment": adjustment_rate(ctx),
        "basic_share": _share(ctx, "基本支出"),
        "project_share": _share(ctx, "项目支出"),
        "sangong_control": control_rate(ctx, "三公经费合计"),
        "public_funds_control": control_rate(ctx, "公用经费"),
        "fixed_asset_utilisation": asset_utilisation(ctx),
        "target_completion": completion_ratio(ctx, TARGETS),
        "key_task_completion": completion_ratio(ctx, TASKS),
        "key_project_score": sum(scores, Decimal(0)) / len(scores) / HUNDRED if scores else None,
    }
