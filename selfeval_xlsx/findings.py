"""Findings are values: what a check found, where, and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from selfeval_xlsx.text import Text


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def zh(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


RULE_SEVERITY: dict[str, Severity] = {
    "S001": Severity.ERROR,
    "S002": Severity.ERROR,
    "S003": Severity.WARNING,
    "S004": Severity.ERROR,
    "S005": Severity.WARNING,
    "S006": Severity.WARNING,
    "V001": Severity.ERROR,
    "V002": Severity.ERROR,
    "V003": Severity.ERROR,
    "V004": Severity.ERROR,
    "V005": Severity.ERROR,
    "V006": Severity.WARNING,
    "V007": Severity.INFO,
    "V008": Severity.ERROR,
    "V009": Severity.WARNING,
    "T001": Severity.ERROR,
    "T002": Severity.INFO,
    "T003": Severity.ERROR,
    "T004": Severity.ERROR,
    "T005": Severity.ERROR,
    "T006": Severity.ERROR,
    "T007": Severity.WARNING,
    "T008": Severity.ERROR,
    "T009": Severity.WARNING,
    "T010": Severity.WARNING,
    "P001": Severity.ERROR,
    "P002": Severity.ERROR,
    "P003": Severity.ERROR,
    "P004": Severity.WARNING,
    "P005": Severity.ERROR,
    "P006": Severity.ERROR,
    "P007": Severity.INFO,
    "P008": Severity.WARNING,
    "P009": Severity.WARNING,
    "X010": Severity.WARNING,
    "X011": Severity.WARNING,
    "R001": Severity.WARNING,
    "R002": Severity.WARNING,
    "R003": Severity.WARNING,
    "R004": Severity.INFO,
    "R005": Severity.WARNING,
    "R006": Severity.WARNING,
    # the 项目支出绩效自评表 (docs/rules.md, J)
    "J001": Severity.ERROR,
    "J002": Severity.WARNING,
    "J003": Severity.ERROR,
    "J004": Severity.WARNING,
    "J005": Severity.ERROR,
    "J006": Severity.ERROR,
    "J007": Severity.WARNING,
    "J008": Severity.ERROR,
    "J009": Severity.ERROR,
    "J010": Severity.WARNING,
    "J011": Severity.WARNING,  # --projects: a 重点项目 row with no project sheet
    "J012": Severity.INFO,  # --projects: a project sheet with no 重点项目 row
    "J013": Severity.WARNING,  # two project sheets of one workbook with the same 项目名称
    "J014": Severity.WARNING,  # a percentage typed as a fraction (0.95 beside 95) on a % row
}
REVIEW_NAMES = {  # the reviewers' rules (复核提示) by their short names
    "R001": Text("高分低执行", "high score, low execution"),
    "R002": Text("执行率偏低", "low execution"),
    "R003": Text("预算调整率高且未说明", "large adjustment unexplained"),
    "R004": Text("按执行率封顶", "total capped by execution"),
    "R005": Text("未达指标值却自评满分", "target missed, full marks"),
    "R006": Text("无预算有支出", "spending without a budget"),
}


Shown = str | Text  # an expected or actual value: data as it is, or words in both languages
EMPTY = Text("（空）", "(empty)")
MISSING = Text("（缺失）", "(missing)")
REQUIRED = Text("必填", "required")


def shown(value: Shown, lang: str = "zh") -> str:
    return value.render(lang) if isinstance(value, Text) else value


@dataclass(frozen=True)
class Finding:
    """One finding. `cell` is an A1 reference on `sheet` ("" when the finding has no cell);
    `detail` says what was found and what to do; `message` adds the place in front."""

    rule: str
    sheet: str
    cell: str
    label: str
    detail: Text
    expected: Shown = ""
    actual: Shown = ""
    column: str = ""

    @property
    def severity(self) -> Severity:
        return RULE_SEVERITY[self.rule]

    @property
    def location(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    @property
    def described(self) -> Text:
        """The row label and column, then the detail (the message without the place)."""
        parts = [p for p in dict.fromkeys((self.label, self.column)) if p]  # 总分，总分 once
        what, what_en = "，".join(parts), ", ".join(parts)
        zh = f"{what}：{self.detail.zh}" if what else self.detail.zh
        en = f"{what_en}: {self.detail.en}" if what else self.detail.en
        return Text(zh, en)

    @property
    def message(self) -> Text:
        """`表名!单元格 行项目，栏目：detail`."""
        described = self.described
        return Text(f"{self.location} {described.zh}", f"{self.location} {described.en}")

    def to_json(self, lang: str = "zh") -> dict[str, str]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "sheet": self.sheet,
            "cell": self.cell,
            "label": self.label,
            "message": self.message.render(lang),
            "expected": shown(self.expected, lang),
            "actual": shown(self.actual, lang),
        }


def count_by_severity(findings: list[Finding]) -> dict[str, int]:
    counts = {s.value: 0 for s in Severity}
    for finding in findings:
        counts[finding.severity.value] += 1
    return counts


class Verdict:
    """What a result's findings decide (a result of either form has `findings` and `strict`):
    the counts per severity, passed (no error, and with `strict` no warning either), and the
    exit code (0 when passed, else 1)."""

    findings: list[Finding]
    strict: bool  # `--strict`: a warning fails the workbook too

    @property
    def counts(self) -> dict[str, int]:
        return count_by_severity(self.findings)

    @property
    def passed(self) -> bool:
        counts = self.counts
        return counts[Severity.ERROR.value] == 0 and not (
            self.strict and counts[Severity.WARNING.value] > 0)

    def exit_code(self) -> int:
        return 0 if self.passed else 1


def finding_at(rule: str, sheet: str, cell: str, label: str, zh: str, en: str,
               expected: Shown = "", actual: Shown = "", column: str = "") -> Finding:
    """A finding built from its parts; the message is composed with the place in front."""
    return Finding(rule, sheet, cell, label, Text(zh, en), expected, actual, column)
