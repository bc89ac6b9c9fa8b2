"""The scoring scheme (评分方案) as values: indicators, checklist items, grades."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

METHODS = ("自动", "核对", "自评")
AUTO_RULES = (
    "adjustment_bands",
    "execution_rate",
    "asset_utilisation",
    "sangong_control",
    "public_funds_control",
    "target_completion",
    "key_task_completion",
    "key_project_mean",
)


@dataclass(frozen=True)
class Indicator:
    code: str
    level1: str
    level2: str
    level3: str
    weight: Decimal
    method: str
    criteria: str
    rule: str = ""
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


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


@dataclass(frozen=True)
class Scheme:
    id: str
    name: str
    indicators: tuple[Indicator, ...]
    checklist: tuple[ChecklistItem, ...]
    grades: tuple[Grade, ...]
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
