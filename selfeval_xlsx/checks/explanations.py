"""Explanations (X rules): a low execution rate, a 否 or an unfinished target needs a 说明."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from selfeval_xlsx.checks.context import Context, execution_rate, fmt_rate
from selfeval_xlsx.findings import EMPTY, Finding, finding_at
from selfeval_xlsx.template.spec import BUDGET, CHECKLIST, TARGETS, TASKS
from selfeval_xlsx.text import Text

EXECUTION_THRESHOLD = Decimal("0.9")


def check_execution_explained(ctx: Context) -> Iterator[Finding]:
    rate = execution_rate(ctx)
    note = ctx.field(BUDGET, "预算执行情况说明")
    if not isinstance(rate, Decimal) or rate >= EXECUTION_THRESHOLD or note.cell is None:
        return
    if note.value is None:
        yield finding_at("X010", BUDGET, note.coordinate, note.label,
                         f"预算执行率为 {fmt_rate(rate, (EXECUTION_THRESHOLD,))}，低于 90%，请在此填写预算执行情况说明（未执行的原因）。",
                         f"the execution rate is {fmt_rate(rate, (EXECUTION_THRESHOLD,))}, below 90%: explain why here.",
                         Text("执行率低于 90% 时填写说明", "an explanation when execution is below 90%"), EMPTY)


def check_answers_explained(ctx: Context) -> Iterator[Finding]:
    for row in ctx.inputs.table(CHECKLIST).rows:
        if row.get("是否符合").value == "否" and row.get("说明").value is None:
            note = row.get("说明")
            yield finding_at("X011", CHECKLIST, note.coordinate, row.label,
                             "核对项选择了“否”，请在“说明”栏写明具体情况。",
                             "the item is answered 否: explain it in 说明.",
                             Text("说明", "an explanation (说明)"), EMPTY, "说明")


def check_unfinished_explained(ctx: Context) -> Iterator[Finding]:
    for name in (TARGETS, TASKS):
        for row in ctx.inputs.table(name).rows:
            status = row.get("完成情况").value
            if status in ("部分完成", "未完成") and row.get("说明").value is None:
                note = row.get("说明")
                yield finding_at("X011", name, note.coordinate, row.label,
                                 f"完成情况为“{status}”，请在“说明”栏写明原因。",
                                 f"the row is '{status}': explain why in 说明.",
                                 Text("说明", "an explanation (说明)"), EMPTY, "说明")


CHECKS = (check_execution_explained, check_answers_explained, check_unfinished_explained)
