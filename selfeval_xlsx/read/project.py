"""Reading the 项目支出绩效自评表: project sheets found by their title, each typed as a Project.

Takes a `LoadedWorkbook`. Gives the names of its project sheets (any sheet whose first rows
hold the title 项目支出绩效自评表), and for each sheet a `Project`: the typed fund rows and the
indicator rows, with 年度指标值 / 实际完成值 read as numbers on 定量 rows (percent signs and a
trailing 计量单位 allowed) and as words on 定性 rows; V findings where a value cannot be read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from selfeval_xlsx.findings import Finding, finding_at
from selfeval_xlsx.read.inputs import Entry, Inputs, TypedRow
from selfeval_xlsx.read.values import normalise_label, normalise_text, parse_percent
from selfeval_xlsx.template.project import (
    FUNDS_TABLE,
    INDICATOR_TABLE,
    PROJECT_TITLE,
    QUALITATIVE,
    QUALITATIVE_WORDS,
)
from selfeval_xlsx.text import Text
from selfeval_xlsx.xlsx.workbook import LoadedWorkbook

TITLE_ROWS = 3  # the title stands in the first rows of a project sheet
DEPARTMENT_SHEETS = ("基本信息", "收支预算", "评分表")  # any of them: a 部门整体 workbook
KIND_ALIASES = {">=": "≥", "=>": "≥", "<=": "≤", "=<": "≤", "≧": "≥", "≦": "≤", "＞": ">",
                "＜": "<", "＝": "=", "定性指标": QUALITATIVE}
POSITIVE, EQUAL, NEGATIVE = "正向", "等于", "反向"
DIRECTIONS = {"≥": POSITIVE, ">": POSITIVE, "=": EQUAL, "≤": NEGATIVE, "<": NEGATIVE}


def project_sheet_names(book: LoadedWorkbook) -> list[str]:
    """The sheets titled 项目支出绩效自评表, in workbook order (none in a 部门整体 workbook)."""
    names = book.sheet_names
    if any(name in names for name in DEPARTMENT_SHEETS):
        return []
    title = normalise_label(PROJECT_TITLE)
    return [name for name in names if any(
        isinstance(value, str) and normalise_label(value) == title
        for (row, _), (value, _, _) in book.sheet(name).cells.items() if row <= TITLE_ROWS)]


@dataclass(frozen=True)
class IndicatorRow:
    """One row of 绩效指标, typed by its 指标性质."""

    row: TypedRow
    kind: str  # ≥ > = ≤ < or 定性; "" when missing or unknown
    target: Decimal | None  # 定量: T
    actual: Decimal | str | None  # 定量: A (a number); 定性: one of QUALITATIVE_WORDS

    @property
    def qualitative(self) -> bool:
        return self.kind == QUALITATIVE

    @property
    def direction(self) -> str:
        return DIRECTIONS.get(self.kind, "")

    def get(self, header: str) -> Entry:
        return self.row.get(header)


@dataclass
class Project:
    """One project sheet as read."""

    sheet: str
    inputs: Inputs
    indicators: list[IndicatorRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def name(self) -> str:
        value = self.inputs.field(self.sheet, "项目名称").value
        return value.strip() if isinstance(value, str) else ""

    def fund(self, label: str, header: str) -> Decimal | None:
        return self.inputs.table(FUNDS_TABLE).amount(label, header)

    def fund_entry(self, label: str, header: str) -> Entry:
        return self.inputs.table(FUNDS_TABLE).entry(label, header)

    def field(self, label: str) -> Entry:
        return self.inputs.field(self.sheet, label)


def read_project(sheet: str, inputs: Inputs) -> Project:
    """The indicator rows of a typed project sheet, with their values read by 指标性质."""
    project = Project(sheet, inputs)
    for row in inputs.table(INDICATOR_TABLE).rows:
        project.indicators.append(_indicator(row, project.findings))
    return project


def _indicator(row: TypedRow, findings: list[Finding]) -> IndicatorRow:
    kind = _kind(row.get("指标性质").value)
    unit = row.get("计量单位").value
    if kind == QUALITATIVE:
        return IndicatorRow(row, kind, None, _word(row, findings))
    target = _number(row, "年度指标值", unit, findings)
    actual = _number(row, "实际完成值", unit, findings)
    return IndicatorRow(row, kind, target, actual)


def _kind(value: object) -> str:
    if not isinstance(value, str):
        return ""
    text = normalise_text(value).replace(" ", "")
    text = KIND_ALIASES.get(text, text)
    return text if text in (*DIRECTIONS, QUALITATIVE) else ""


def _number(row: TypedRow, header: str, unit: object, findings: list[Finding]) -> Decimal | None:
    """A 定量 value: a number, `95%`, or a number followed by the row's 计量单位."""
    entry = row.get(header)
    raw = entry.value
    if raw is None or entry.cell is None:
        return None
    if isinstance(raw, str) and isinstance(unit, str) and unit.strip() and unit.strip() != "%":
        raw = normalise_text(raw).strip().removesuffix(normalise_text(unit).strip())
    parsed = parse_percent(raw, entry.cell.number_format)
    if isinstance(parsed.value, Decimal):
        return parsed.value
    findings.append(_unreadable("V002", entry, header, Text("数字（可带 %）", "a number (% allowed)"),
                                "定量指标的年度指标值和实际完成值须为数字，如 100、95%",
                                "a quantitative row takes numbers, e.g. 100 or 95%"))
    return None


def _word(row: TypedRow, findings: list[Finding]) -> str | None:
    entry = row.get("实际完成值")
    value = entry.value
    if value is None or entry.cell is None:
        return None
    text = normalise_text(str(value)).strip()
    if text in QUALITATIVE_WORDS:
        return text
    words = " / ".join(QUALITATIVE_WORDS)
    findings.append(_unreadable("V004", entry, "实际完成值", Text(words, words),
                                "定性指标的实际完成值只能选：" + "、".join(QUALITATIVE_WORDS),
                                "a qualitative row takes one of: " + ", ".join(QUALITATIVE_WORDS)))
    return None


def _unreadable(rule: str, entry: Entry, header: str, expected: Text, zh: str, en: str) -> Finding:
    shown = str(entry.value)
    sheet = entry.cell.sheet if entry.cell else ""
    return finding_at(rule, sheet, entry.coordinate, entry.label, f"“{shown}”不能识别：{zh}。",
                      f"“{shown}” cannot be read: {en}.", expected, shown, header)
