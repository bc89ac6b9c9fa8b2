"""The scoring scheme (评分方案) as values: indicators with their rules, checklist items, grades,
and the reviewers' rules (复核规则)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from selfeval_xlsx.scheme.fields import (
    OPTIONAL_FIELDS,
    TARGET_ROWS,
    FieldRef,
    normalise_name,
)
from selfeval_xlsx.scheme.measure import Measure, refs

METHODS = ("自动", "核对", "自评")
MEASURE_RULES = ("proportional", "bands", "control", "target", "completion", "mean_score")
METHOD_RULES = {"核对": "checklist", "自评": "self"}  # the rule type of the other two methods
RULE_TYPES = (*MEASURE_RULES, *METHOD_RULES.values())
RULE_NAMES = {"proportional": "按比例", "bands": "分档", "control": "控制率扣分", "target": "目标值",
              "completion": "完成率", "mean_score": "平均分", "checklist": "核对清单", "self": "自评"}
DIRECTIONS = ("正向", "等于", "反向")
EDGES = ("<=", "<", ">=", ">")
HUNDRED = Decimal(100)
EXECUTION_CAPS = ((Decimal(80), Decimal(89)), (Decimal(70), Decimal(79)), (Decimal(60), Decimal(69)),
                  (Decimal(50), Decimal(59)))
REVIEW_CODES = ("R001", "R002", "R003", "R004", "R005", "R006")
ADJUSTMENT_NOTE = "预算调整情况说明"  # the field R003 asks for


class Band(NamedTuple):
    limit: Decimal  # in percent for a rate, in the measure's unit otherwise
    points: Decimal


class Rule(NamedTuple):
    """How an indicator is scored: its rule type, its measure and the type's parameters.

    Limits, caps and targets are written in percent when the measure is a rate."""

    kind: str  # one of RULE_TYPES
    measure: Measure | None = None
    name: str = ""  # the measure's name in 计分依据 (执行率); the indicator's 三级指标 by default
    cap: Decimal = HUNDRED  # proportional
    bands: tuple[Band, ...] = ()  # bands
    edge: str = "<="  # bands: how a value falls in a band
    otherwise: Decimal = Decimal(0)  # bands: the points when no band takes the value
    limit: Decimal = HUNDRED  # control
    per_point: Decimal = Decimal(1)  # control: points off per percentage point over the limit
    terms: tuple[str, str] = ("实际", "预算")  # control: the measure's two parts in 计分依据
    direction: str = ""  # target: 正向 / 等于 / 反向
    target: Decimal | None = None  # target: the target value (None: row by row, 个性指标)
    partial: Decimal = Decimal("0.5")  # completion: credit of one 部分完成
    weighting: str = "plain"  # mean_score: plain / funds
    mode: str = "sum"  # checklist: sum (Σ points of 是) / deduct (weight − points of 否)
    per_no: Decimal = Decimal(1)  # checklist, deduct mode: points off per item answered 否
    zero_base: str = "zero"  # a rate over 0: zero (0 points) / full (不适用) / numerator
    standard: str = ""  # the name of a STANDARD_MEASURES entry this measure equals

    @property
    def rows(self) -> bool:
        """A target rule over the 个性指标 table, scored row by row."""
        return self.kind == "target" and self.measure is not None and (
            self.measure.table == TARGET_ROWS)


SELF_RULE = Rule("self")


@dataclass(frozen=True)
class Indicator:
    code: str
    level1: str
    level2: str
    level3: str
    weight: Decimal
    method: str
    criteria: str
    rule: Rule = SELF_RULE

    @property
    def standard(self) -> str:
        return self.rule.standard


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    indicator: str
    content: str
    points: Decimal


@dataclass(frozen=True)
class Grade:
    name: str
    min: Decimal


class ReviewRule(NamedTuple):
    """One reviewers' rule (R001..R006 of the catalogue) as the scheme sets it."""

    code: str
    enabled: bool
    threshold: Decimal | None = None  # percent: R001 gap, R002 execution, R003 adjustment
    indicator: str = ""  # R001: the execution indicator ("" = found by its measure)
    caps: tuple[tuple[Decimal, Decimal], ...] = ()  # R004: (执行率 below %, highest total)


DEFAULT_REVIEW = (
    ReviewRule("R001", True, Decimal(5)), ReviewRule("R002", True, Decimal(80)),
    ReviewRule("R003", True, Decimal(30)), ReviewRule("R004", False, caps=EXECUTION_CAPS),
    ReviewRule("R005", True), ReviewRule("R006", True),
)


@dataclass(frozen=True)
class Scheme:
    id: str
    name: str
    indicators: tuple[Indicator, ...]
    checklist: tuple[ChecklistItem, ...]
    grades: tuple[Grade, ...]
    total: Decimal = HUNDRED  # the declared total the weights add up to
    fields: tuple[str, ...] = ()  # optional fields asked for by name (normalised)
    review: tuple[ReviewRule, ...] = DEFAULT_REVIEW
    digest: str = ""  # SHA-256 of the scheme file's bytes (first 16 hex digits)
    source: str = ""  # the file name it was read from

    @property
    def total_weight(self) -> Decimal:
        return sum((i.weight for i in self.indicators), Decimal(0))

    def indicator(self, code: str) -> Indicator | None:
        return next((i for i in self.indicators if i.code == code), None)

    def groups(self) -> list[tuple[str, Decimal]]:
        """一级指标 in scheme order with their total weight."""
        totals: dict[str, Decimal] = {}
        for ind in self.indicators:
            totals[ind.level1] = totals.get(ind.level1, Decimal(0)) + ind.weight
        return list(totals.items())

    def grade_for(self, total: Decimal) -> str:
        for grade in self.grades:
            if total >= grade.min:
                return grade.name
        return self.grades[-1].name

    def review_rule(self, code: str) -> ReviewRule:
        return next(r for r in self.review if r.code == code)

    @property
    def measured_fields(self) -> frozenset[str]:
        """The fields (normalised names) that the indicators' measures read."""
        return frozenset(name for i in self.indicators if i.rule.measure is not None
                         for name in refs(i.rule.measure.node))

    @property
    def optional_fields(self) -> tuple[FieldRef, ...]:
        """The catalogue's optional fields this scheme's template needs, in catalogue order:
        those its measures read, those it names in `fields`, and 预算调整情况说明 for R003."""
        wanted = set(self.measured_fields) | set(self.fields)
        if self.review_rule("R003").enabled:
            wanted.add(normalise_name(ADJUSTMENT_NOTE))
        return tuple(f for f in OPTIONAL_FIELDS if normalise_name(f.name) in wanted)

    @property
    def uses_personal(self) -> bool:
        """Whether an indicator scores the 个性指标 table (the template then has that sheet)."""
        return any(i.rule.rows for i in self.indicators)

    @property
    def execution_indicator(self) -> Indicator | None:
        """R001's execution indicator: the one the scheme names, else the first 自动 indicator
        whose measure is 支出合计.决算数 / 支出合计.调整后预算数."""
        named = self.review_rule("R001").indicator
        if named:
            return self.indicator(named)
        return next((i for i in self.indicators if i.standard == "execution_rate"), None)

