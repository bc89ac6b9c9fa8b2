"""The 个性指标 table scored row by row (`target` rule over the table): a 定量 row by its
direction, 年度指标值 and 实际完成值 (`target.target_score`), a 定性 row by the clerk's 自评得分
within [0, 分值]. The indicator's score is the sum of its rows."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from selfeval_xlsx.checks.context import Context, fmt2
from selfeval_xlsx.findings import Finding, finding_at
from selfeval_xlsx.read.inputs import TypedRow
from selfeval_xlsx.read.values import money
from selfeval_xlsx.scheme.model import Indicator
from selfeval_xlsx.scoring.rules import Outcome
from selfeval_xlsx.scoring.target import target_score
from selfeval_xlsx.template.spec import PERSONAL
from selfeval_xlsx.text import Text

ZERO = Decimal(0)
QUANTITATIVE, QUALITATIVE = "定量", "定性"
SELF, REASON, WEIGHT = "自评得分", "偏差原因", "分值"


def row_weight(row: TypedRow) -> Decimal:
    weight = row.get(WEIGHT).decimal()
    return weight if weight is not None and row.get(WEIGHT).valid else ZERO


def computed_score(row: TypedRow) -> Decimal | None:
    """A 定量 row's score from its values; None when the row is not 定量 or a value is missing
    or not a number (the checks report that)."""
    if row.get("指标性质").value != QUANTITATIVE:
        return None
    direction = row.get("方向").value
    goal, actual = row.get("年度指标值").value, row.get("实际完成值").value
    if not isinstance(direction, str) or not isinstance(goal, Decimal) or not isinstance(
            actual, Decimal):
        return None
    return target_score(direction, goal, actual, row_weight(row))


def row_score(row: TypedRow) -> Decimal:
    """The score that counts on one row (0 where it cannot be computed)."""
    computed = computed_score(row)
    if computed is not None:
        return computed
    if row.get("指标性质").value == QUALITATIVE:
        clerk = row.get(SELF).decimal()
        return money(min(max(clerk, ZERO), row_weight(row))) if clerk is not None else ZERO
    return ZERO


def personal_rows(ctx: Context, ind: Indicator) -> Outcome:
    rows = ctx.inputs.table(PERSONAL).rows
    if not rows:
        return Outcome(ZERO, Text(f"未填写{PERSONAL}，得 0.00", "no 个性指标 rows: 0"),
                       Text(f"未填写{PERSONAL}", "no 个性指标 rows"))
    scores = [row_score(row) for row in rows]
    total = sum(scores, ZERO)
    parts = "；".join(f"{row.label} {fmt2(score)}/{fmt2(row_weight(row))}"
                     for row, score in zip(rows, scores, strict=True))
    findings = [f for row, score in zip(rows, scores, strict=True) for f in _row_findings(row, score)]
    return Outcome(total, Text(f"{PERSONAL} {len(rows)} 项：{parts}；合计 {fmt2(total)}",
                               f"{len(rows)} 个性指标 rows: {parts}; total {fmt2(total)}"),
                   Text("部分个性指标未达到指标值", "some 个性指标 targets were missed"), findings)


def _row_findings(row: TypedRow, score: Decimal) -> Iterator[Finding]:
    weight, clerk = row_weight(row), row.get(SELF).decimal()
    reason = row.get(REASON)
    if score < weight and reason.value is None and reason.cell is not None:
        yield finding_at("X011", PERSONAL, reason.coordinate, row.label,
                         f"该指标得分 {fmt2(score)} 低于分值 {fmt2(weight)}，请在“偏差原因”栏写明未达到指标值的原因。",
                         f"the row scores {fmt2(score)} of {fmt2(weight)}: explain the shortfall "
                         "in 偏差原因.", REASON, "（空）", REASON)
    computed = computed_score(row)
    if computed is not None and clerk is not None and money(clerk) != computed:
        yield finding_at("P004", PERSONAL, row.get(SELF).coordinate, row.label,
                         f"自评得分 {fmt2(clerk)} 与工具按年度指标值和实际完成值计算的得分 {fmt2(computed)} 不一致。"
                         "以计算得分为准，请核对完成值或自评得分。",
                         f"the self-assessed score {fmt2(clerk)} differs from the computed "
                         f"{fmt2(computed)}. The computed score counts.",
                         fmt2(computed), fmt2(clerk), SELF)
