"""A scheme as text lines: its indicator tree with weights and rules, grades, reviewers' rules
and what its template adds (`selfeval scheme check`)."""

from __future__ import annotations

from decimal import Decimal

from selfeval_xlsx.scheme.fields import PERSONAL
from selfeval_xlsx.scheme.model import RULE_NAMES, Indicator, Scheme
from selfeval_xlsx.text import Text

REVIEW_TITLES = {"R001": Text("高分低执行", "high score, low execution"),
                 "R002": Text("执行率低于", "execution below"),
                 "R003": Text("调整率高于", "adjustment above"),
                 "R004": Text("按执行率封顶", "cap by execution"),
                 "R005": Text("未达指标值却满分", "target missed, full marks"),
                 "R006": Text("无预算有支出", "spending without a budget")}


def plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def describe(scheme: Scheme, lang: str = "zh") -> list[str]:
    en = lang == "en"
    head = (f"Scheme {scheme.id}: {scheme.name}" if en else f"评分方案 {scheme.id}：{scheme.name}")
    count = (f"total {plain(scheme.total)}, {len(scheme.indicators)} indicators, "
             f"{len(scheme.checklist)} checklist items" if en else
             f"总分 {plain(scheme.total)} 分，指标 {len(scheme.indicators)} 个，核对项 {len(scheme.checklist)} 个")
    return [head, count, *_tree(scheme, en), _grades(scheme, en), _review(scheme, en),
            _template(scheme, en), "The scheme is valid." if en else "方案有效。"]


def _tree(scheme: Scheme, en: bool) -> list[str]:
    lines: list[str] = []
    for level1, weight in scheme.groups():
        lines.append(f"{level1} {plain(weight)}")
        members = [i for i in scheme.indicators if i.level1 == level1]
        for level2 in dict.fromkeys(i.level2 for i in members):
            inner = [i for i in members if i.level2 == level2]
            lines.append(f"  {level2} {plain(sum((i.weight for i in inner), Decimal(0)))}")
            lines.extend(f"    {_indicator(i, scheme, en)}" for i in inner)
    return lines


def _indicator(ind: Indicator, scheme: Scheme, en: bool) -> str:
    rule = ind.rule
    text = f"{ind.code} {ind.level3} {plain(ind.weight)} {ind.method}"
    if rule.kind == "checklist":
        items = [i.code for i in scheme.checklist if i.indicator == ind.code]
        mode = "deduct" if rule.mode == "deduct" else "sum"
        return f"{text} checklist/{mode}: {', '.join(items)}" if en else (
            f"{text} {RULE_NAMES['checklist']}（{'按否扣分' if mode == 'deduct' else '按是计分'}）："
            f"{'、'.join(items)}")
    if rule.kind == "self":
        return text
    measure = rule.measure.text if rule.measure else ""
    return f"{text} {rule.kind}: {measure}" if en else (
        f"{text} {rule.kind}（{RULE_NAMES[rule.kind]}）：{measure}")


def _grades(scheme: Scheme, en: bool) -> str:
    *upper, lowest = scheme.grades
    parts = [f"{g.name} ≥ {plain(g.min)}" for g in upper] + [lowest.name]
    return ("Grades: " if en else "绩效等级：") + ("; " if en else "；").join(parts)


def _review(scheme: Scheme, en: bool) -> str:
    parts = []
    for rule in scheme.review:
        title = REVIEW_TITLES[rule.code].render("en" if en else "zh")
        state = ("on" if en else "开") if rule.enabled else ("off" if en else "关")
        detail = f" {plain(rule.threshold)}%" if rule.threshold is not None and rule.enabled else ""
        if rule.code == "R004" and rule.enabled:
            detail = " " + ", ".join(f"<{plain(a)}%→{plain(b)}" for a, b in rule.caps)
        if rule.code == "R001" and rule.enabled and scheme.execution_indicator is None:
            state = "on, but no execution indicator" if en else "开（方案无执行率指标，不适用）"
        parts.append(f"{rule.code} {title}{detail} {state}")
    return ("Reviewers' rules: " if en else "复核规则：") + ("; " if en else "；").join(parts)


def _template(scheme: Scheme, en: bool) -> str:
    added = [f.name for f in scheme.optional_fields]
    if scheme.uses_personal:
        added.append(f"sheet {PERSONAL}" if en else f"工作表《{PERSONAL}》")
    if en:
        return "The template adds: " + (", ".join(added) or "nothing")
    return "模板另加：" + ("、".join(added) or "无")
