"""The rule types of the scheme (`docs/schemes.md`, rule types), one function each, over the
indicator's measure: proportional, bands, control, target, completion, mean_score.

Each gives an `Outcome`: the raw score (the engine clamps it to [0, weight] and rounds it), the
计分依据 with the numbers, the reason shown where the clerk gave none, and any finding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from selfeval_xlsx.checks.context import Context, fmt2, fmt_rate
from selfeval_xlsx.findings import Finding, finding_at
from selfeval_xlsx.scheme.fields import MEAN_SCORE_COLUMNS
from selfeval_xlsx.scheme.measure import Measure
from selfeval_xlsx.scheme.model import Band, Indicator, Rule
from selfeval_xlsx.scoring.key_projects import FED_FUNDS
from selfeval_xlsx.scoring.measures import (
    Measured,
    evaluate,
    field_entry_cell,
    ref_of,
)
from selfeval_xlsx.scoring.target import target_coefficient, target_score
from selfeval_xlsx.template.spec import SCORE_SHEET
from selfeval_xlsx.text import Text

ONE, ZERO, HUNDRED = Decimal(1), Decimal(0), Decimal(100)
NO_REASON = Text("", "")
TABLE_WORDS = {"绩效目标": ("绩效目标", "targets"), "重点工作": ("重点工作", "key tasks"),
               "重点项目": ("部门重点项目", "key projects")}
SYMBOLS = {"<=": "≤", "<": "<", ">=": "≥", ">": ">"}
BEYOND = {"<=": ">", "<": "≥", ">=": "<", ">": "≤"}


@dataclass(frozen=True)
class Outcome:
    raw: Decimal  # before clamping and rounding
    basis: Text
    reason: Text = NO_REASON
    findings: list[Finding] = field(default_factory=list)


ENGLISH_NAMES = {"adjustment_rate": "adjustment rate", "execution_rate": "execution rate",
                 "asset_utilisation": "utilisation", "sangong_control": "control rate",
                 "public_funds_control": "control rate"}
DIRECTIONS_EN = {"正向": "higher is better", "等于": "equal", "反向": "lower is better"}


def english(rule: Rule) -> str:
    """The measure's name in English 计分依据: the default scheme's in English, others as written."""
    return ENGLISH_NAMES.get(rule.standard, rule.name)


def plain(value: Decimal) -> str:
    """A parameter as written: 100, 0.5, 2.5 (no trailing zeros)."""
    return f"{value.normalize():f}"


def _measure(ind: Indicator) -> Measure:
    assert ind.rule.measure is not None, "the loader gives every rule of a measure its measure"
    return ind.rule.measure


def _unit(rate: bool) -> str:
    return "%" if rate else ""


def _show(value: Decimal, rate: bool, thresholds: tuple[Decimal, ...] = ()) -> str:
    if rate:
        return fmt_rate(value, tuple(t / HUNDRED for t in thresholds))
    return plain(value) if value == value.to_integral_value() else fmt2(value)


def _unusable(ind: Indicator, m: Measured) -> Outcome:
    if m.missing:
        what = "、".join(m.missing)
        return Outcome(ZERO, Text(f"{what}缺失或无法读取，按 0 分计",
                                  f"{what} is missing or unreadable: 0 points"),
                       Text(f"{what}缺失", f"{what} missing"))
    below = ref_of(_measure(ind).part(1))
    what = below.display if below else "分母"
    shown = fmt2(m.denominator) if m.denominator is not None else "0"
    return Outcome(ZERO, Text(f"{what}为 {shown}，无法计算{ind.rule.name}，按 0 分计",
                              f"{what} is {shown}: {ind.rule.name} cannot be computed, 0 points"),
                   Text(f"无法计算{ind.rule.name}", f"{ind.rule.name} cannot be computed"))


def _not_applicable_over_zero(ctx: Context, ind: Indicator) -> Outcome:
    """zero_base = "full": the denominator is 0, the indicator does not apply (P007)."""
    below = ref_of(_measure(ind).part(1))
    if below is None:
        place = (SCORE_SHEET, score_cell(ctx, ind.code), ind.code)
        what = "分母"
    else:
        place = (below.sheet, field_entry_cell(ctx, below), below.display)
        what = below.display
    return not_applicable(ind, place, Text(f"{what}为 0", f"{what} is 0"),
                          Text(f"{what}为 0", f"{what} is 0"), "0")


def _undefined(m: Measured) -> bool:
    """The measure gives no value, or a rate over a negative denominator."""
    return m.value is None or (m.denominator is not None and m.denominator < 0)


# ---------------------------------------------------------------- proportional


def proportional(ctx: Context, ind: Indicator) -> Outcome:
    rule = ind.rule
    m = evaluate(ctx, _measure(ind))
    if _undefined(m) or m.value is None:
        if m.over_zero and rule.zero_base == "full":
            return _not_applicable_over_zero(ctx, ind)
        return _unusable(ind, m)
    cap = rule.cap / HUNDRED
    product = min(m.value, cap) * ind.weight
    score = min(product, ind.weight)  # a cap above 100 % never scores above the weight
    shown = fmt_rate(m.value)
    note_zh = f"（超过{plain(rule.cap)}%按{plain(rule.cap)}%计）" if m.value > cap else ""
    note_en = f" (counted as {plain(rule.cap)}%)" if m.value > cap else ""
    limit_zh = f"，不超过分值，得 {fmt2(score)}" if product > score else ""
    limit_en = f", at most the weight: {fmt2(score)}" if product > score else ""
    return Outcome(score, Text(f"{rule.name} {shown}{note_zh} × {ind.weight} = {fmt2(product)}{limit_zh}",
                               f"{english(rule)} {shown}{note_en} × {ind.weight} = {fmt2(product)}"
                               f"{limit_en}"),
                   Text(f"{ind.level3} {shown}", f"{ind.level3} {shown}"))


# ---------------------------------------------------------------- bands


def bands(ctx: Context, ind: Indicator) -> Outcome:
    rule, rate = ind.rule, _measure(ind).is_rate
    m = evaluate(ctx, _measure(ind))
    if _undefined(m) or m.value is None:
        if m.over_zero and rule.zero_base == "full":
            return _not_applicable_over_zero(ctx, ind)
        if m.over_zero and rule.zero_base == "numerator" and m.numerator is not None:
            return _bands_over_zero(ind, m)
        return _unusable(ind, m)
    value = m.value * HUNDRED if rate else m.value
    band = next((b for b in rule.bands if _falls_in(value, b, rule.edge)), None)
    score = band.points if band else rule.otherwise
    shown = _show(m.value, rate, tuple(b.limit for b in rule.bands))
    label = _band_label(rule, band, value, rate)
    return Outcome(score, Text(f"{rule.name} {shown}（{label}）得 {fmt2(score)}",
                               f"{english(rule)} {shown} ({label}): {fmt2(score)}"),
                   Text(f"{ind.level3} {shown}", f"{ind.level3} {shown}"))


def _falls_in(value: Decimal, band: Band, edge: str) -> bool:
    return {"<=": value <= band.limit, "<": value < band.limit, ">=": value >= band.limit,
            ">": value > band.limit}[edge]


def _band_label(rule: Rule, band: Band | None, value: Decimal, rate: bool) -> str:
    unit = _unit(rate)
    if band is None:
        return f"{BEYOND[rule.edge]}{plain(rule.bands[-1].limit)}{unit}" if rule.bands else ""
    if rule.edge == "<=" and band.limit == 0 and value == 0:
        return "=0"
    return f"{SYMBOLS[rule.edge]}{plain(band.limit)}{unit}"


def _bands_over_zero(ind: Indicator, m: Measured) -> Outcome:
    """zero_base = "numerator": 0 ÷ 0 takes the first band, a positive amount over 0 none."""
    rule = ind.rule
    assert m.numerator is not None
    first = m.numerator <= 0 and bool(rule.bands)
    score = rule.bands[0].points if first else rule.otherwise
    which = "按第一档计" if first else "不在任何一档"
    parts = _parts(ind, m)
    return Outcome(score, Text(f"{parts.zh}，{which}，得 {fmt2(score)}", f"{parts.en}: {fmt2(score)}"),
                   Text(f"{ind.level3}：{parts.zh}", f"{ind.level3}: {parts.en}"))


def _parts(ind: Indicator, m: Measured) -> Text:
    """A quotient over 0 in words: 三公经费合计预算数为 0、分子为 1.05."""
    below, above = ref_of(_measure(ind).part(1)), ref_of(_measure(ind).part(0))
    what = below.display if below else "分母"
    top = above.display if above else "分子"
    return Text(f"{what}为 0、{top}为 {fmt2(m.numerator)}",
                f"{what} is 0, {top} is {fmt2(m.numerator)}")


# ---------------------------------------------------------------- control


def control(ctx: Context, ind: Indicator) -> Outcome:
    rule = ind.rule
    m = evaluate(ctx, _measure(ind))
    limit = rule.limit / HUNDRED
    done, spent = rule.terms
    if m.value is None:
        refused = _control_over_zero(ctx, ind, m)
        if refused is not None:
            return refused
    rate = limit if m.value is None else m.value  # 0 ÷ 0 counts as the limit
    shown = fmt_rate(rate, (limit,))
    if rate <= limit:
        parts = f"{done} {fmt2(m.numerator)} ÷ {spent} {fmt2(m.denominator)}"
        done_en, spent_en = ("actual", "budget") if rule.terms == ("实际", "预算") else rule.terms
        parts_en = f"{done_en} {fmt2(m.numerator)} ÷ {spent_en} {fmt2(m.denominator)}"
        return Outcome(ind.weight, Text(f"{rule.name} {shown}（{parts}），≤{plain(rule.limit)}% "
                                        f"得 {fmt2(ind.weight)}",
                                        f"{english(rule)} {shown} ({parts_en}) ≤ "
                                        f"{plain(rule.limit)}%: full marks"))
    over = (rate - limit) * HUNDRED
    score = ind.weight - over * rule.per_point
    kept = fmt2(max(score, ZERO))
    return Outcome(score, Text(f"{rule.name} {shown}，超出 {fmt2(over)} 个百分点，扣 "
                               f"{fmt2(over * rule.per_point)} 分，得 {kept}",
                               f"{english(rule)} {shown}: {fmt2(over)} points over, score {kept}"),
                   Text(f"{ind.level3} {shown}，超过 {plain(rule.limit)}%",
                        f"{ind.level3} {shown}, above {plain(rule.limit)}%"))


def _control_over_zero(ctx: Context, ind: Indicator, m: Measured) -> Outcome | None:
    """No rate: not applicable, unusable, or spending over a budget of 0 (0 points); None
    for 0 ÷ 0 under zero_base = "numerator", which counts as the limit."""
    rule = ind.rule
    done, spent = rule.terms
    if m.over_zero and rule.zero_base == "full":
        return _not_applicable_over_zero(ctx, ind)
    if not (m.over_zero and rule.zero_base == "numerator" and m.numerator is not None):
        return _unusable(ind, m)
    if m.numerator > 0:
        return Outcome(ZERO, Text(f"{spent}为 0、{done} {fmt2(m.numerator)}，得 0.00",
                                  f"{spent} 0 but {done} {fmt2(m.numerator)}: 0"),
                       Text(f"无{spent}而有{done}", f"{done} without {spent}"))
    return None


# ---------------------------------------------------------------- target


def target(ctx: Context, ind: Indicator) -> Outcome:
    rule, rate = ind.rule, _measure(ind).is_rate
    assert rule.target is not None, "a target rule on a measure has its target"
    m = evaluate(ctx, _measure(ind))
    if _undefined(m) or m.value is None:
        if m.over_zero and rule.zero_base == "full":
            return _not_applicable_over_zero(ctx, ind)
        if m.over_zero and rule.zero_base == "numerator" and m.numerator is not None:
            met = m.numerator <= 0
            score = ind.weight if met else ZERO
            parts = _parts(ind, m)
            return Outcome(score, Text(f"{parts.zh}，按{'达到' if met else '未达到'}指标值计，得 {fmt2(score)}",
                                       f"{parts.en}: {fmt2(score)}"))
        return _unusable(ind, m)
    actual = m.value * HUNDRED if rate else m.value
    score = target_score(rule.direction, rule.target, actual, ind.weight)
    shown = _show(m.value, rate, (rule.target,))
    goal = f"{plain(rule.target)}{_unit(rate)}"
    share = fmt_rate(target_coefficient(rule.direction, rule.target, actual))
    return Outcome(score, Text(f"{rule.direction}：{rule.name} {shown}（指标值 {goal}），得分系数 "
                               f"{share} × {ind.weight} = {fmt2(score)}",
                               f"{DIRECTIONS_EN[rule.direction]}: {english(rule)} {shown} "
                               f"(target {goal}), "
                               f"{share} × {ind.weight} = {fmt2(score)}"),
                   Text(f"{ind.level3} {shown}，未达到指标值 {goal}",
                        f"{ind.level3} {shown}, target {goal} missed"))


# ---------------------------------------------------------------- completion


def completion(ctx: Context, ind: Indicator) -> Outcome:
    rule = ind.rule
    table = _measure(ind).table
    what, what_en = TABLE_WORDS.get(table, (table, table))
    done, part, rows = completion_counts(ctx, table)
    if not rows:
        return Outcome(ZERO, Text(f"未填写{what}，得 0.00", f"no {what_en}: 0"),
                       Text(f"未填写{what}", f"no {what_en}"))
    ratio = (done + part * rule.partial) / rows
    score = ratio * ind.weight
    basis = Text(f"（完成 {done} + 部分完成 {part} × {rule.partial}）÷ {rows} = {fmt_rate(ratio)} × "
                 f"{ind.weight} = {fmt2(score)}",
                 f"({done} done + {part} partial × {rule.partial}) ÷ {rows} = {fmt_rate(ratio)} × "
                 f"{ind.weight} = {fmt2(score)}")
    return Outcome(score, basis, Text(f"{what}完成率 {fmt_rate(ratio)}", f"{fmt_rate(ratio)}"))


def completion_counts(ctx: Context, table_name: str) -> tuple[int, int, int]:
    """(完成, 部分完成, rows) of a free table; an empty or unknown status counts as 未完成."""
    rows = ctx.inputs.table(table_name).rows
    statuses = [r.get("完成情况").value for r in rows]
    return statuses.count("完成"), statuses.count("部分完成"), len(rows)


# ---------------------------------------------------------------- mean_score


def mean_score(ctx: Context, ind: Indicator) -> Outcome:
    rule = ind.rule
    table = _measure(ind).table
    what, what_en = TABLE_WORDS.get(table, (table, table))
    if not ctx.inputs.table(table).rows:
        return not_applicable(ind, (SCORE_SHEET, score_cell(ctx, ind.code), ind.code),
                              Text(f"没有{what}", f"no {what_en}"),
                              Text(f"无{what}", f"no {what_en}"), f"无{table}")
    pairs = scored_rows(ctx, table)
    if rule.weighting == "funds":
        pairs = [(s, w) for s, w in pairs if w is not None and w > 0]
    if not pairs:
        column = MEAN_SCORE_COLUMNS[table][0 if rule.weighting == "plain" else 1]
        return _unusable(ind, Measured(None, missing=(column,)))
    if rule.weighting == "funds":
        funds = sum((w for _, w in pairs if w is not None), ZERO)
        mean = sum((s * w for s, w in pairs if w is not None), ZERO) / funds
        how, how_en = "按预算数加权平均分", "funds-weighted mean"
    else:
        mean = sum((s for s, _ in pairs), ZERO) / len(pairs)
        how, how_en = "平均分", "mean"
    score = mean / HUNDRED * ind.weight
    fed = sum(1 for row in ctx.inputs.table(table).rows if FED_FUNDS in row.entries)
    source = (Text(f"（其中 {fed} 个项目的得分按项目支出绩效自评表核定）",
                   f" ({fed} scores computed from the project forms)") if fed else Text("", ""))
    return Outcome(score, Text(f"{len(pairs)} 个项目{how} {fmt2(mean)} ÷ 100 × {ind.weight} = "
                               f"{fmt2(score)}{source.zh}", f"{how_en} of {len(pairs)} projects "
                               f"{fmt2(mean)} ÷ 100 × {ind.weight} = {fmt2(score)}{source.en}"),
                   Text(f"重点项目{how} {fmt2(mean)}", f"{how_en} {fmt2(mean)}"))


def scored_rows(ctx: Context, table: str) -> list[tuple[Decimal, Decimal | None]]:
    """(score, funds) of every row with a usable score in 0..100."""
    score_column, funds_column = MEAN_SCORE_COLUMNS[table]
    found = []
    for row in ctx.inputs.table(table).rows:
        entry = row.get(score_column)
        score = entry.decimal() if entry.valid else None
        if score is not None and ZERO <= score <= HUNDRED:
            fed = row.entries.get(FED_FUNDS)  # a score fed from a project sheet: its 全年预算数
            funds = fed if fed is not None else row.get(funds_column)
            found.append((score, funds.decimal() if funds.valid else None))
    return found


# ---------------------------------------------------------------- shared


def not_applicable(ind: Indicator, place: tuple[str, str, str], why: Text, basis: Text,
                   actual: str) -> Outcome:
    """Full marks for an indicator that does not apply, with the P007 note saying so."""
    sheet, cell, label = place
    note = finding_at("P007", sheet, cell, label,
                      f"{why.zh}，指标 {ind.code}（{ind.level3}）不适用，按满分 {ind.weight} 计。",
                      f"{why.en}: indicator {ind.code} does not apply and scores full marks.",
                      str(ind.weight), actual)
    return Outcome(ind.weight, Text(f"{basis.zh}，不适用，按满分 {fmt2(ind.weight)} 计",
                                    f"{basis.en}: full marks"), findings=[note])


def score_cell(ctx: Context, code: str) -> str:
    row = ctx.inputs.table(SCORE_SHEET).row(code)
    return row.get("自评得分").coordinate if row else ""


RuleFunction = Callable[[Context, Indicator], Outcome]
RULES: dict[str, RuleFunction] = {
    "proportional": proportional, "bands": bands, "control": control, "target": target,
    "completion": completion, "mean_score": mean_score,
}
