"""One `[[indicators]]` table: its keys, its rule type, its measure and the type's parameters,
each checked strictly (an unknown key, a parameter of another rule type, an unknown field)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from functools import cache
from itertools import pairwise
from typing import Any

from selfeval_xlsx.scheme.fields import (
    COMPLETION_TABLES,
    MEAN_SCORE_COLUMNS,
    STANDARD_MEASURES,
    TARGET_ROWS,
    normalise_name,
)
from selfeval_xlsx.scheme.measure import Measure, MeasureError, parse_expression
from selfeval_xlsx.scheme.model import (
    DIRECTIONS,
    EDGES,
    MEASURE_RULES,
    METHOD_RULES,
    METHODS,
    RULE_TYPES,
    Band,
    Indicator,
    Rule,
)
from selfeval_xlsx.scheme.problems import (
    Path,
    Problems,
    Table,
    boolean,
    choice,
    number,
    text,
    to_decimal,
    within,
)
from selfeval_xlsx.text import Text

ZERO = Decimal(0)
BASE_KEYS = frozenset({"code", "level1", "level2", "level3", "weight", "method", "criteria",
                       "enabled", "rule", "measure", "measure_name"})
PARAMS: dict[str, tuple[str, ...]] = {
    "proportional": ("cap", "zero_base"),
    "bands": ("bands", "edge", "otherwise", "zero_base"),
    "control": ("limit", "points_per_percent_over", "terms", "zero_base"),
    "target": ("direction", "target", "zero_base"),
    "completion": ("partial_credit",),
    "mean_score": ("weighting",),
    "checklist": ("mode", "points_per_no"),
    "self": (),
}
ALL_PARAMS = frozenset(p for params in PARAMS.values() for p in params)
ZERO_BASES = {"proportional": ("zero", "full"), "bands": ("zero", "full", "numerator"),
              "control": ("numerator", "zero", "full"), "target": ("numerator", "zero", "full")}


def load_indicator(data: Table, path: Path, p: Problems) -> tuple[Indicator, bool]:
    """The indicator of one table, and whether it is enabled."""
    code = text(data, "code", path, p) or f"#{path[-1]}"
    method = choice(data, "method", path, p, METHODS, "自评")
    kind = _kind(data, method, path, p)
    p.unknown_keys(data, path, BASE_KEYS | ALL_PARAMS, Text(f"指标 {code} 中", f"indicator {code}"),
                   BASE_KEYS | set(PARAMS.get(kind, ())))
    weight = within(number(data, "weight", path, p, None), ZERO, None, "weight", path, p)
    indicator = Indicator(
        code=code, level1=text(data, "level1", path, p), level2=text(data, "level2", path, p),
        level3=text(data, "level3", path, p), weight=weight or ZERO, method=method,
        criteria=_criteria(data, path, p), rule=Rule("self"))
    rule = _rule(data, kind, indicator, path, p) if kind else Rule("self")
    return replace(indicator, rule=rule), boolean(data, "enabled", path, p, True)


def _criteria(data: Table, path: Path, p: Problems) -> str:
    value = data.get("criteria", "")
    if not isinstance(value, str):
        p.add((*path, "criteria"), "criteria 须为文字", "'criteria' must be text")
        return ""
    return value


def _kind(data: Table, method: str, path: Path, p: Problems) -> str:
    """The rule type: `rule` of a 自动 indicator; checklist for 核对, self for 自评."""
    given = data.get("rule")
    if method in METHOD_RULES:
        if given is not None and given != METHOD_RULES[method]:
            p.add((*path, "rule"), f"计分方式为{method}的指标，rule 只能是 \"{METHOD_RULES[method]}\"或不写",
                  f"a {method} indicator's rule can only be '{METHOD_RULES[method]}'")
        return METHOD_RULES[method]
    if given not in MEASURE_RULES:
        shown = "缺少 rule" if given is None else f"rule “{given}”无效"
        p.add((*path, "rule"), f"自动指标{shown}，可选：{'、'.join(MEASURE_RULES)}",
              f"an automatic indicator needs a rule, one of {', '.join(MEASURE_RULES)}")
        return ""
    return str(given)


def _rule(data: Table, kind: str, ind: Indicator, path: Path, p: Problems) -> Rule:
    for key in sorted(ALL_PARAMS & set(data) - set(PARAMS[kind])):
        owners = [k for k in RULE_TYPES if key in PARAMS[k]]
        p.add((*path, key), f"{key} 是 {'、'.join(owners)} 规则的参数，不能用于 {kind} 规则的指标 "
              f"{ind.code}（{kind} 可用的参数：{'、'.join(PARAMS[kind]) or '无'}）",
              f"'{key}' is a parameter of the {', '.join(owners)} rule, not of {kind} (indicator "
              f"{ind.code}; {kind} takes: {', '.join(PARAMS[kind]) or 'none'})")
    measure = _measure(data, kind, ind.code, path, p)
    rule = Rule(kind, measure, _name(data, ind, path, p))
    rule = _PARAMETERS[kind](data, rule, ind, path, p)
    if kind in ZERO_BASES:
        rule = rule._replace(zero_base=choice(data, "zero_base", path, p, ZERO_BASES[kind],
                                              ZERO_BASES[kind][0]))
    return rule._replace(standard=_standard(measure))


def _name(data: Table, ind: Indicator, path: Path, p: Problems) -> str:
    if "measure_name" not in data:
        return ind.level3
    if ind.method != "自动":
        p.add((*path, "measure_name"), f"measure_name 只用于自动指标（{ind.code} 为{ind.method}）",
              f"'measure_name' is for automatic indicators only ({ind.code})")
    return text(data, "measure_name", path, p)


def _measure(data: Table, kind: str, code: str, path: Path, p: Problems) -> Measure | None:
    written = data.get("measure")
    key = (*path, "measure")
    if kind not in MEASURE_RULES:
        if written is not None:
            p.add(key, f"measure 只用于自动指标（{code} 的规则为 {kind}）",
                  f"'measure' is for automatic indicators only ({code} is {kind})")
        return None
    if not isinstance(written, str) or not written.strip():
        p.add(key, f"自动指标 {code} 缺少 measure（计算所用的字段，如 支出合计.决算数 / 支出合计.调整后预算数）",
              f"automatic indicator {code} needs a 'measure' (e.g. 支出合计.决算数 / 支出合计.调整后预算数)")
        return None
    try:
        return parse_measure(kind, written)
    except MeasureError as exc:
        p.add(key, f"指标 {code} 的 measure 有误：{exc.text.zh}", f"indicator {code}: bad measure: "
              f"{exc.text.en}")
        return None


def parse_measure(kind: str, written: str) -> Measure:
    """A measure as the rule type takes it: a table for completion and mean_score (and for the
    row-based target rule), a quotient for proportional and control, any expression otherwise."""
    key = normalise_name(written)
    if kind == "completion":
        if key not in COMPLETION_TABLES:
            raise MeasureError(_table_choice(COMPLETION_TABLES, written))
        return Measure(written, table=key)
    if kind == "mean_score":
        columns = {f"{t}.{c[0]}": t for t, c in MEAN_SCORE_COLUMNS.items()}
        if key not in columns:
            raise MeasureError(_table_choice(tuple(columns), written))
        return Measure(written, table=columns[key])
    if kind == "target" and key == TARGET_ROWS:
        return Measure(written, table=TARGET_ROWS)
    measure = parse_expression(written)
    if kind in ("proportional", "control") and not measure.is_rate:
        raise MeasureError(Text(f"{kind} 规则的 measure 须为比率（甲 / 乙）",
                                f"a {kind} rule's measure must be a quotient (a / b)"))
    return measure


def _table_choice(allowed: tuple[str, ...], written: str) -> Text:
    return Text(f"只能是 {'、'.join(allowed)}（写的是“{written}”）",
                f"must be one of {', '.join(allowed)} (found '{written}')")


@cache
def _standards() -> dict[str, str]:
    found = {}
    for name, written in STANDARD_MEASURES.items():
        kind = {"target_completion": "completion", "key_task_completion": "completion",
                "key_project_mean": "mean_score"}.get(name, "bands")
        found[parse_measure(kind, written).canonical] = name
    return found


def _standard(measure: Measure | None) -> str:
    return "" if measure is None else _standards().get(measure.canonical, "")


# ---- the parameters of each rule type ----

def _proportional(data: Table, rule: Rule, ind: Indicator, path: Path, p: Problems) -> Rule:
    cap = within(number(data, "cap", path, p, rule.cap), Decimal("0.01"), None, "cap", path, p)
    return rule._replace(cap=cap or rule.cap)


def _bands(data: Table, rule: Rule, ind: Indicator, path: Path, p: Problems) -> Rule:
    edge = choice(data, "edge", path, p, EDGES, "<=")
    otherwise = within(number(data, "otherwise", path, p, ZERO), ZERO, ind.weight, "otherwise",
                       path, p)
    bands = _band_list(data.get("bands"), edge, ind, (*path, "bands"), p)
    return rule._replace(bands=bands, edge=edge, otherwise=otherwise or ZERO)


def _band_list(value: Any, edge: str, ind: Indicator, path: Path, p: Problems) -> tuple[Band, ...]:
    written = value if isinstance(value, list) else []
    pairs = [(to_decimal(v[0]), to_decimal(v[1])) for v in written
             if isinstance(v, list) and len(v) == 2]
    bands = tuple(Band(a, b) for a, b in pairs if a is not None and b is not None)
    rising = edge in ("<=", "<")
    limits = [b.limit for b in bands]
    ordered = all((x < y) if rising else (x > y) for x, y in pairwise(limits))
    if not bands or len(bands) != len(written) or not ordered or any(
            not ZERO <= b.points <= ind.weight for b in bands):
        order = "递增" if rising else "递减"
        p.add(path, f"指标 {ind.code} 的 bands 须为 [界限, 得分] 的列表，界限按{order}排列（edge 为 {edge}），"
              f"得分在 0～{ind.weight} 之间", f"indicator {ind.code}: bands must be [limit, points] "
              f"pairs, limits {'rising' if rising else 'falling'} (edge {edge}), points within "
              f"0-{ind.weight}")
        return ()
    return bands


def _control(data: Table, rule: Rule, ind: Indicator, path: Path, p: Problems) -> Rule:
    limit = number(data, "limit", path, p, rule.limit)
    per = within(number(data, "points_per_percent_over", path, p, rule.per_point), ZERO, None,
                 "points_per_percent_over", path, p)
    terms = data.get("terms", list(rule.terms))
    if not (isinstance(terms, list) and len(terms) == 2 and all(
            isinstance(t, str) and t.strip() for t in terms)):
        p.add((*path, "terms"), "terms 须为两个词的列表，如 [\"实际\", \"预算\"]",
              "'terms' must be a list of two words, e.g. [\"实际\", \"预算\"]")
        terms = list(rule.terms)
    return rule._replace(limit=limit if limit is not None else rule.limit,
                   per_point=per if per is not None else rule.per_point,
                   terms=(terms[0].strip(), terms[1].strip()))


def _target(data: Table, rule: Rule, ind: Indicator, path: Path, p: Problems) -> Rule:
    if rule.measure is not None and rule.measure.table == TARGET_ROWS:
        for key in ("direction", "target"):
            if key in data:
                p.add((*path, key), f"按《{TARGET_ROWS}》逐行计分时，方向和指标值取自各行，不写 {key}",
                      f"scored row by row on {TARGET_ROWS}, '{key}' comes from each row")
        return rule
    direction = choice(data, "direction", path, p, DIRECTIONS, "正向")
    if "direction" not in data:
        p.add((*path, "direction"), f"target 规则的指标 {ind.code} 缺少 direction（正向、等于或反向）",
              f"target indicator {ind.code} needs a 'direction' (正向, 等于 or 反向)")
    return rule._replace(direction=direction, target=number(data, "target", path, p, None))


def _completion(data: Table, rule: Rule, ind: Indicator, path: Path, p: Problems) -> Rule:
    partial = within(number(data, "partial_credit", path, p, rule.partial), ZERO, Decimal(1),
                     "partial_credit", path, p)
    return rule._replace(partial=partial if partial is not None else rule.partial)


def _mean(data: Table, rule: Rule, ind: Indicator, path: Path, p: Problems) -> Rule:
    return rule._replace(weighting=choice(data, "weighting", path, p, ("plain", "funds"), "plain"))


def _checklist(data: Table, rule: Rule, ind: Indicator, path: Path, p: Problems) -> Rule:
    mode = choice(data, "mode", path, p, ("sum", "deduct"), "sum")
    if mode == "sum" and "points_per_no" in data:
        p.add((*path, "points_per_no"), "points_per_no 只用于 mode = \"deduct\"（按“否”扣分）",
              "'points_per_no' only applies with mode = \"deduct\"")
    per = within(number(data, "points_per_no", path, p, rule.per_no), ZERO, None, "points_per_no",
                 path, p)
    return rule._replace(mode=mode, per_no=per if per is not None else rule.per_no)


def _self(data: Table, rule: Rule, ind: Indicator, path: Path, p: Problems) -> Rule:
    return rule


_PARAMETERS = {"proportional": _proportional, "bands": _bands, "control": _control,
               "target": _target, "completion": _completion, "mean_score": _mean,
               "checklist": _checklist, "self": _self}
