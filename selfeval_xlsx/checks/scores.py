"""Scoring-sheet rules that need only the workbook: P001, P002, P003, P005, P006, P008, P009."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from selfeval_xlsx.checks.context import Context, fmt2
from selfeval_xlsx.findings import EMPTY, Finding, finding_at
from selfeval_xlsx.read.values import money
from selfeval_xlsx.template.spec import CHECKLIST, PERSONAL, SCORE_SHEET, TARGETS, TASKS
from selfeval_xlsx.text import Text

SELF = "自评得分"
REASON = "扣分原因"


def check_score_ranges(ctx: Context) -> Iterator[Finding]:
    for row in ctx.inputs.table(SCORE_SHEET).rows:
        indicator = ctx.scheme.indicator(row.label)
        entry = row.get(SELF)
        score = entry.decimal()
        if indicator is None or score is None or 0 <= score <= indicator.weight:
            continue
        yield finding_at("P001", SCORE_SHEET, entry.coordinate, row.label,
                         f"自评得分 {score} 超出该指标分值范围 0～{indicator.weight}，请修改。",
                         f"the score {score} is outside 0–{indicator.weight}.",
                         f"0～{indicator.weight}", f"{score}", SELF)


def check_self_scores(ctx: Context) -> Iterator[Finding]:
    for row in ctx.inputs.table(SCORE_SHEET).rows:
        indicator = ctx.scheme.indicator(row.label)
        if indicator is None or indicator.method != "自评":
            continue
        entry, reason = row.get(SELF), row.get(REASON)
        score = entry.decimal()
        if score is None and entry.valid and entry.cell is not None:
            yield finding_at("P002", SCORE_SHEET, entry.coordinate, row.label,
                             "这是自评指标，必须填写自评得分（未填按 0 分计）。",
                             "this is a self-assessed indicator: enter a score (empty scores 0).",
                             f"0～{indicator.weight}", EMPTY, SELF)
        elif score is not None and score < indicator.weight and reason.value is None:
            yield finding_at("P003", SCORE_SHEET, reason.coordinate, row.label,
                             f"自评得分 {score} 低于分值 {indicator.weight}，请在“扣分原因”栏写明扣分理由。",
                             f"the score {score} is below the weight {indicator.weight}: give the "
                             "reason for the deduction.", Text("扣分原因", "a reason (扣分原因)"), EMPTY, REASON)


def check_checklist_answers(ctx: Context) -> Iterator[Finding]:
    for row in ctx.inputs.table(CHECKLIST).rows:
        entry = row.get("是否符合")
        if entry.cell is not None and entry.value is None and entry.valid:
            yield finding_at("P005", CHECKLIST, entry.coordinate, row.label,
                             "核对项未作答（未答按 0 分计），请选择“是”或“否”。",
                             "the item is not answered (it scores 0): choose 是 or 否.",
                             "是 / 否", EMPTY, "是否符合")


def check_targets_present(ctx: Context) -> Iterator[Finding]:
    for name, rule in ((TARGETS, "P006"), (TASKS, "P008")):
        table = ctx.inputs.table(name)
        if table.found and not table.rows:
            what = "绩效目标" if name == TARGETS else "重点工作"
            yield finding_at(rule, name, "", "",
                             f"未填写任何{what}，相应指标将得 0 分。请逐行填写{what}及其完成情况。",
                             f"no {name} rows are filled; the indicator scores 0. Fill one row "
                             "each.", Text(f"至少一行{what}", f"at least one {name} row"),
                             Text("0 行", "0 rows"))


def check_clerk_total(ctx: Context) -> Iterator[Finding]:
    table = ctx.inputs.table(SCORE_SHEET)
    if table.total is None:
        return
    entry = table.total.get(SELF)
    stated = entry.decimal()
    if stated is None:
        return
    typed = [s for r in table.rows if (s := r.get(SELF).decimal()) is not None]
    computed = money(sum(typed, Decimal(0)))
    if money(stated) != computed:
        yield finding_at("P009", SCORE_SHEET, entry.coordinate, "合计",
                         f"填写的合计 {fmt2(stated)} 与各指标自评得分之和 {fmt2(computed)} 不一致，请核对。",
                         f"the stated total {fmt2(stated)} differs from the sum of the scores "
                         f"{fmt2(computed)}.", fmt2(computed), fmt2(stated), SELF)


def check_personal_scores(ctx: Context) -> Iterator[Finding]:
    """个性指标 rows: a 自评得分 within [0, 分值] (P001); a 定性 row needs one (P002)."""
    for row in ctx.inputs.table(PERSONAL).rows:
        entry, weight = row.get(SELF), row.get("分值").decimal()
        score = entry.decimal()
        if score is not None and weight is not None and not 0 <= score <= weight:
            yield finding_at("P001", PERSONAL, entry.coordinate, row.label,
                             f"自评得分 {score} 超出该指标分值范围 0～{weight}，请修改。",
                             f"the score {score} is outside 0–{weight}.", f"0～{weight}",
                             f"{score}", SELF)
        elif score is None and entry.valid and entry.cell is not None and (
                row.get("指标性质").value == "定性"):
            yield finding_at("P002", PERSONAL, entry.coordinate, row.label,
                             "定性指标按自评得分计分，必须填写自评得分（未填按 0 分计）。",
                             "a qualitative row is scored by its self-assessed score: enter one "
                             "(empty scores 0).", f"0～{weight if weight is not None else ''}",
                             "（空）", SELF)


CHECKS = (check_score_ranges, check_self_scores, check_checklist_answers, check_targets_present,
          check_clerk_total, check_personal_scores)
