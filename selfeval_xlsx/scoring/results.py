"""Score values: what the scoring produced, shared by the console, JSON and the output workbook."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from selfeval_xlsx.scheme.model import Indicator
from selfeval_xlsx.text import Text

RATIO_KEYS = (
    "budget_execution",
    "budget_adjustment",
    "basic_share",
    "project_share",
    "sangong_control",
    "public_funds_control",
    "fixed_asset_utilisation",
    "target_completion",
    "key_task_completion",
    "key_project_score",
)
RATIO_NAMES = {
    "budget_execution": "预算执行率",
    "budget_adjustment": "预算调整率",
    "basic_share": "基本支出占比",
    "project_share": "项目支出占比",
    "sangong_control": "\"三公\"经费控制率",
    "public_funds_control": "公用经费控制率",
    "fixed_asset_utilisation": "固定资产利用率",
    "target_completion": "绩效目标实现率",
    "key_task_completion": "重点工作完成率",
    "key_project_score": "重点项目平均得分率",
}


@dataclass(frozen=True)
class IndicatorScore:
    """One indicator: the clerk's score, the score that counts (核定得分) and how it came about."""

    indicator: Indicator
    score: Decimal  # rounded half-up to 0.01, within [0, weight]
    basis: Text  # 计分依据, with the numbers
    self_score: Decimal | None = None  # the clerk's 自评得分 as typed
    reason: str = ""  # 扣分原因: the clerk's text, or the tool's where the clerk gave none


@dataclass(frozen=True)
class GroupScore:
    name: str  # 一级指标
    weight: Decimal
    score: Decimal


@dataclass(frozen=True)
class Scoring:
    indicators: tuple[IndicatorScore, ...]
    total: Decimal  # the sum of the scores, or the R004 cap below it
    grade: str
    ratios: dict[str, Decimal | None]
    uncapped: Decimal | None = None  # the sum of the scores where R004 capped the total

    @property
    def groups(self) -> tuple[GroupScore, ...]:
        order: dict[str, list[IndicatorScore]] = {}
        for item in self.indicators:
            order.setdefault(item.indicator.level1, []).append(item)
        return tuple(
            GroupScore(name, sum((i.indicator.weight for i in items), Decimal(0)),
                       sum((i.score for i in items), Decimal(0)))
            for name, items in order.items()
        )


def _number(value: Decimal, places: str = "0.01") -> float:
    return float(value.quantize(Decimal(places), rounding=ROUND_HALF_UP))


def scoring_json(scoring: Scoring, lang: str = "zh") -> dict[str, Any]:
    """The scoring part of the JSON result (`docs/json.md`, README)."""
    return {
        "total": _number(scoring.total),
        "grade": scoring.grade,
        "groups": [{"name": g.name, "weight": _number(g.weight), "score": _number(g.score)}
                   for g in scoring.groups],
        "indicators": [
            {"code": s.indicator.code, "name": s.indicator.level3,
             "weight": _number(s.indicator.weight), "method": s.indicator.method,
             "self_score": None if s.self_score is None else _number(s.self_score),
             "score": _number(s.score), "basis": s.basis.render(lang)}
            for s in scoring.indicators
        ],
        "ratios": {k: None if v is None else _number(v, "0.000001")
                   for k, v in scoring.ratios.items()},
    }
