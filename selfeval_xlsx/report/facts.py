"""Shared pieces of the report text: blocks, the facts they draw on, number formatting."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from selfeval_xlsx.checks.context import Context
from selfeval_xlsx.evaluate import Result
from selfeval_xlsx.findings import REVIEW_NAMES, Finding, Severity
from selfeval_xlsx.read.inputs import Inputs, TypedRow
from selfeval_xlsx.read.values import format_money
from selfeval_xlsx.scoring.results import IndicatorScore, Scoring
from selfeval_xlsx.template.spec import (
    BASIC,
    BUDGET,
    INITIAL,
)

DRAFT_MARK = "草稿（校验未通过）"
SCORE_TAIL = re.compile(r"[，,。]?\s*(得\s*[0-9.]+)?[。]?$")  # a basis's own "，得 0.00"
TITLE = "整体绩效自评报告"
DONE = "完成"


class Kind(StrEnum):
    DRAFT = "draft"  # the draft mark and its note, first page
    TITLE = "title"
    META = "meta"  # 评价年度 / 评价单位 / 填报日期 under the title
    PAGE_BREAK = "page_break"
    HEADING1 = "heading1"  # 一、
    HEADING2 = "heading2"  # （一）
    HEADING3 = "heading3"  # 1.
    BODY = "body"
    ITEM = "item"  # one entry of a numbered list
    TABLE = "table"
    SIGNATURE = "signature"


@dataclass(frozen=True)
class Block:
    kind: Kind
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Facts:
    """What the sentences read: the typed inputs, the result and the scoring."""

    inputs: Inputs
    ctx: Context
    result: Result

    @property
    def scoring(self) -> Scoring | None:
        return self.result.scoring

    def text(self, label: str, sheet: str = BASIC) -> str | None:
        value = self.inputs.field(sheet, label).value
        return value if isinstance(value, str) and value else None

    def count(self, label: str) -> int | None:
        value = self.inputs.field(BASIC, label).value
        return value if isinstance(value, int) else None

    def amount(self, label: str, column: str = INITIAL) -> Decimal | None:
        return self.inputs.table(BUDGET).amount(label, column)

    @property
    def unit(self) -> str:
        return self.text("单位名称") or fill("单位名称")

    @property
    def year(self) -> str:
        year = self.inputs.field(BASIC, "评价年度").value
        return str(year) if isinstance(year, int) else fill("评价年度")

    @property
    def filed_on(self) -> str:
        return long_date(self.inputs.field(BASIC, "填报日期").value)

    def deductions(self) -> list[IndicatorScore]:
        items = self.scoring.indicators if self.scoring else ()
        return [i for i in items if i.score < i.indicator.weight]

    def flagged(self) -> list[Finding]:
        """Errors and warnings of the data checks; the reviewers' rules (R) are hints for the
        bureau's reviewers (the output's 复核提示), not problems the unit reports on."""
        serious = (Severity.ERROR, Severity.WARNING)
        return [f for f in self.result.findings
                if f.severity in serious and f.rule not in REVIEW_NAMES]


def fill(what: str) -> str:
    return f"【请填写：{what}】"


def wan(value: Decimal | None, what: str = "金额") -> str:
    return f"{format_money(value)}万元" if value is not None else fill(what)


def points(value: Decimal) -> str:
    """A weight as written in the scheme: 4, 4.5."""
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


def quoted(text: str) -> str:
    return re.sub(r'"([^"]*)"', r"“\1”", text)


def sentence(text: str) -> str:
    text = quoted(text.strip())
    return text if text.endswith(("。", "；", "！", "？", ".", "!", "?")) else f"{text}。"


def ordinal(number: int) -> str:
    digits = "一二三四五六七八九"
    tens, ones = divmod(number, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else f"{digits[tens - 1]}十")
    return head + (digits[ones - 1] if ones else "")


def cell_text(row: TypedRow, header: str) -> str:
    value = row.get(header).value
    return str(value) if value is not None else row.label


def long_date(value: object) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if isinstance(value, date) else fill("填报日期")


