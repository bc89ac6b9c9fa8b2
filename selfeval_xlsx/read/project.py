"""Reading the 项目支出绩效自评表: project sheets found by their title, each typed as a Project.

Takes a `LoadedWorkbook`. Gives the names of its project sheets (any sheet whose first rows
hold the title 项目支出绩效自评表), 填表说明 read once (`read_guide`), and for each sheet a
`Project` (`read_project_sheet`): the sheet read with a template of its own (so the tables of
two sheets never mix and findings name the clerk's sheet), the typed fund rows, and the
indicator rows with 年度指标值 / 实际完成值 read as numbers on 定量 rows (percent signs, a
leading ≥ / ≤ and a trailing 计量单位 allowed; which of them were written as a percentage is
kept) and as words on 定性 rows; V findings where a value cannot be read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from selfeval_xlsx.findings import MISSING, Finding, finding_at
from selfeval_xlsx.read.inputs import COMPARISONS, Entry, Inputs, TypedRow, type_inputs
from selfeval_xlsx.read.locate import RawWorkbook, read_workbook, refuse_our_output
from selfeval_xlsx.read.values import (
    SHORT_LABEL,
    normalise_label,
    normalise_text,
    parse_percent,
    scales_by_100,
)
from selfeval_xlsx.scheme.project import LEVEL2, ProjectScheme
from selfeval_xlsx.template.project import (
    FULL_YEAR,
    FUNDS_TABLE,
    INDICATOR_TABLE,
    INITIAL,
    PROJECT_TITLE,
    QUALITATIVE,
    QUALITATIVE_WORDS,
    SPENT,
    TOTAL_ROW,
    build_project_template,
)
from selfeval_xlsx.template.spec import GUIDE, Template
from selfeval_xlsx.text import Text, one_line
from selfeval_xlsx.xlsx.cells import coordinate
from selfeval_xlsx.xlsx.workbook import LoadedWorkbook

TITLE_ROWS = 10  # the title stands in the first rows of a project sheet (rows may be inserted)
DEPARTMENT_SHEETS = ("基本信息", "收支预算", "评分表")  # any of them: a 部门整体 workbook
KIND_ALIASES = {">=": "≥", "=>": "≥", "<=": "≤", "=<": "≤", "≧": "≥", "≦": "≤", "＞": ">",
                "＜": "<", "＝": "=", "定性指标": QUALITATIVE}
POSITIVE, EQUAL, NEGATIVE = "正向", "等于", "反向"
DIRECTIONS = {"≥": POSITIVE, ">": POSITIVE, "=": EQUAL, "≤": NEGATIVE, "<": NEGATIVE}


def project_sheet_names(book: LoadedWorkbook) -> list[str]:
    """The sheets titled 项目支出绩效自评表 (a cell of their first rows is that title,
    `is_project_title`), in workbook order, 填表说明 aside; none in a 部门整体 workbook (a sheet
    it has by name settles that before any sheet is parsed)."""
    names = book.sheet_names
    if any(name in names for name in DEPARTMENT_SHEETS):
        return []
    return [name for name in _candidates(book) if any(
        is_project_title(value) for (row, _), (value, _, _) in book.sheet(name).cells.items()
        if row <= TITLE_ROWS)]


# The title as clerks retitle it: a prefix (a year, a unit: 2023年度项目支出绩效自评表) and a
# parenthesised suffix (项目支出绩效自评表（农业）) are allowed; a sentence that mentions the form
# (punctuation before it, other words after it: 项目支出绩效自评表的说明) is not a title.
_TITLE_LABEL = normalise_label(PROJECT_TITLE)
_TITLE = re.compile("[^。,;:]*" + re.escape(_TITLE_LABEL) + r"(?:\([^()]*\))?")
PROJECT_LABELS = ("项目名称", INDICATOR_TABLE)  # a sheet with both is a project sheet, titled or not


def is_project_title(value: object) -> bool:
    """A title cell of a project sheet: 项目支出绩效自评表 after label normalisation, with
    the prefix and suffix of `_TITLE` allowed."""
    if not isinstance(value, str) or len(value) > SHORT_LABEL:
        return False
    label = normalise_label(value)
    return _TITLE_LABEL in label and _TITLE.fullmatch(label) is not None


def _candidates(book: LoadedWorkbook) -> list[str]:
    guide = normalise_label(GUIDE)
    return [name for name in book.sheet_names if normalise_label(name) != guide]


def _title_cells(book: LoadedWorkbook, name: str) -> list[tuple[str, str]]:
    """(coordinate, text) of the texts in a sheet's first rows, in reading order."""
    cells = book.sheet(name).cells
    return [(coordinate(row, col), value) for (row, col), (value, _, _) in sorted(
        (k, v) for k, v in cells.items() if k[0] <= TITLE_ROWS)
        if isinstance(value, str) and value.strip()]


def untitled_project_sheets(book: LoadedWorkbook, titled: list[str]) -> list[Finding]:
    """S002 on every sheet that has the labels of a project sheet (项目名称 and the 绩效指标
    table) but no title `is_project_title` takes: it is not read or scored, and the clerk is
    told so rather than the sheet left out silently. The sheets were parsed by
    `project_sheet_names` already."""
    wanted = {normalise_label(label) for label in PROJECT_LABELS}
    return [_untitled(name, _title_cells(book, name)) for name in _candidates(book)
            if name not in titled and wanted <= {
                normalise_label(v) for v, _, _ in book.sheet(name).cells.values()
                if isinstance(v, str) and len(v) <= SHORT_LABEL}]


def _untitled(sheet: str, texts: list[tuple[str, str]]) -> Finding:
    """At the first text of the sheet (where the title stood, retitled), if any."""
    place, found = texts[0] if texts else ("", "")
    shown = one_line(found)[:40]
    zh = f"{place}写的是“{shown}”" if found else f"前 {TITLE_ROWS} 行没有文字"
    en = f"{place} says '{shown}'" if found else f"the first {TITLE_ROWS} rows hold no text"
    return finding_at(
        "S002", sheet, place, "标题",
        f"找不到标题“{PROJECT_TITLE}”（{zh}）。这张表有“项目名称”和《绩效指标》，像是项目表，"
        f"但工具按标题识别项目表，这张表没有读取，也没有评分。请把标题恢复为“{PROJECT_TITLE}”"
        "（前面可加年度，如“2023年度项目支出绩效自评表”）。",
        f"the title '{PROJECT_TITLE}' is missing ({en}). The sheet has 项目名称 and the 绩效指标 "
        "table, so it looks like a project sheet, but project sheets are found by their title: "
        f"it was neither read nor scored. Restore the title {PROJECT_TITLE}.",
        expected=PROJECT_TITLE, actual=shown or MISSING)


@dataclass(frozen=True)
class IndicatorRow:
    """One row of 绩效指标, typed by its 指标性质."""

    row: TypedRow
    kind: str  # ≥ > = ≤ < or 定性; "" when missing or unknown
    target: Decimal | None  # 定量: T
    actual: Decimal | str | None  # 定量: A (a number); 定性: one of QUALITATIVE_WORDS
    # 定量: the headers (年度指标值, 实际完成值) whose value was written as a percentage: a text
    # with a percent sign (95%, ≥95%) or a number in a %-formatted cell (0.95 showing 95%)
    written_as_percent: frozenset[str] = frozenset()

    @property
    def qualitative(self) -> bool:
        return self.kind == QUALITATIVE

    @property
    def direction(self) -> str:
        return DIRECTIONS.get(self.kind, "")

    @property
    def label(self) -> str:
        return self.row.label

    @property
    def in_percent(self) -> bool:
        """A row measured in percent: its 计量单位 is % (NFKC: ％ too), or a value of it was
        written as a percentage."""
        return normalise_text(self.text("计量单位")) == "%" or bool(self.written_as_percent)

    def get(self, header: str) -> Entry:
        return self.row.get(header)

    def text(self, header: str) -> str:
        value = self.get(header).value
        return value.strip() if isinstance(value, str) else ""

    def number(self, header: str) -> Decimal | None:
        entry = self.get(header)
        return entry.decimal() if entry.valid else None


@dataclass
class Project:
    """One project sheet as read: its template, what was located and typed, its rows."""

    sheet: str
    inputs: Inputs
    template: Template | None = None
    raw: RawWorkbook | None = None
    indicators: list[IndicatorRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # located, typed, read

    @property
    def name(self) -> str:
        value = self.inputs.field(self.sheet, "项目名称").value
        return value.strip() if isinstance(value, str) else ""

    def fund(self, label: str, header: str) -> Decimal | None:
        entry = self.fund_entry(label, header)
        return entry.decimal() if entry.valid else None

    def fund_entry(self, label: str, header: str) -> Entry:
        return self.inputs.table(FUNDS_TABLE).entry(label, header)

    def field(self, label: str) -> Entry:
        return self.inputs.field(self.sheet, label)

    @property
    def budget(self) -> Decimal | None:
        """全年预算数 of 年度资金总额; empty: its 年初预算数."""
        full = self.fund(TOTAL_ROW, FULL_YEAR)
        if full is None and self.fund_entry(TOTAL_ROW, FULL_YEAR).valid:
            return self.fund(TOTAL_ROW, INITIAL)
        return full

    @property
    def spent(self) -> Decimal | None:
        return self.fund(TOTAL_ROW, SPENT)


@dataclass
class Guide:
    """填表说明 as read once per workbook (None where the sheet is missing)."""

    raw: RawWorkbook | None
    inputs: Inputs
    findings: list[Finding]

    def value(self, label: str) -> object:
        return self.inputs.field(GUIDE, label).value

    def recorded(self, labels: tuple[str, str]) -> tuple[str, str] | None:
        """(id, digest) of the scheme the template was made from, if it records one."""
        if self.raw is None:
            return None
        cells = [self.raw.field(GUIDE, label) for label in labels]
        values = ["" if c is None or c.blank else str(c.value).strip() for c in cells]
        return (values[0], values[1]) if values[0] else None


def read_guide(book: LoadedWorkbook, file_name: str) -> Guide:
    """填表说明 of a project workbook; S001 where it is missing (the projects still read)."""
    template = build_project_template(())
    if not any(normalise_label(n) == normalise_label(GUIDE) for n in book.sheet_names):
        refuse_our_output(book.sheet_names, template, file_name)
        listed = "、".join(book.sheet_names)
        missing = finding_at("S001", GUIDE, "", "",
                             f"缺少工作表“{GUIDE}”（工作簿中的工作表：{listed}），评价年度和单位名称无从读取。"
                             "请使用本工具的项目表模板，不要删除“填表说明”。",
                             f"sheet '{GUIDE}' is missing (sheets found: {', '.join(book.sheet_names)}), "
                             "so the year and the unit are unknown. Use the tool's project template.",
                             expected=GUIDE, actual=listed)
        return Guide(None, Inputs({}, {}, []), [missing])
    raw = read_workbook(book, template, file_name)
    inputs = type_inputs(raw, template)
    return Guide(raw, inputs, [*raw.findings, *inputs.findings])


def read_project_sheet(book: LoadedWorkbook, sheet: str, scheme: ProjectScheme,
                       file_name: str) -> Project:
    """One project sheet read with a template of its own (its name, the scheme's grades)."""
    template = build_project_template((sheet,), scheme)
    own = Template(template.version, template.sheets[1:], (), form=template.form)
    raw = read_workbook(book, own, file_name)
    inputs = type_inputs(raw, own)
    project = Project(sheet, inputs, own, raw, findings=[*raw.findings, *inputs.findings])
    for row in inputs.table(INDICATOR_TABLE).rows:
        project.indicators.append(_indicator(row, sheet, project.findings))
    return project


def _indicator(row: TypedRow, sheet: str, findings: list[Finding]) -> IndicatorRow:
    _check_level2(row, sheet, findings)
    kind = _kind(row.get("指标性质").value)
    if row.get("指标性质").value is not None and not kind:
        findings.append(_unreadable("V004", row.get("指标性质"), sheet, "指标性质",
                                    Text("≥ > = ≤ < 定性", "≥ > = ≤ < 定性"),
                                    "指标性质只能选：≥、>、=、≤、<、定性",
                                    "指标性质 takes one of: ≥ > = ≤ < 定性"))
    unit = row.get("计量单位").value
    if kind == QUALITATIVE:
        return IndicatorRow(row, kind, None, _word(row, sheet, findings))
    if not kind:
        return IndicatorRow(row, kind, None, None)
    target = _number(row, "年度指标值", unit, sheet, findings)
    actual = _number(row, "实际完成值", unit, sheet, findings)
    percent = frozenset(h for h in ("年度指标值", "实际完成值") if _written_as_percent(row.get(h)))
    return IndicatorRow(row, kind, target, actual, percent)


def _check_level2(row: TypedRow, sheet: str, findings: list[Finding]) -> None:
    """二级指标 belongs to its 一级指标 (产出 has 数量 / 质量 / 时效 / 成本, ...)."""
    level1, entry = row.get("一级指标").value, row.get("二级指标")
    allowed = LEVEL2.get(level1) if isinstance(level1, str) else None
    if allowed and isinstance(entry.value, str) and entry.value not in allowed:
        words = "、".join(allowed)
        findings.append(_unreadable("V004", entry, sheet, "二级指标", Text(words, words),
                                    f"{level1}下的二级指标只能选：{words}",
                                    f"under {level1} the 二级指标 is one of: {words}"))


def _kind(value: object) -> str:
    if not isinstance(value, str):
        return ""
    text = normalise_text(value).replace(" ", "")
    text = KIND_ALIASES.get(text, text)
    return text if text in (*DIRECTIONS, QUALITATIVE) else ""


def _number(row: TypedRow, header: str, unit: object, sheet: str,
            findings: list[Finding]) -> Decimal | None:
    """A 定量 value: a number, `95%`, `≥95%`, or a number followed by the row's 计量单位. The
    cell's own value is parsed (a 95 % cell holds 0.95 and shows 95%)."""
    entry = row.get(header)
    if entry.cell is None or entry.value is None:
        return None
    raw = entry.cell.value
    if isinstance(raw, str):
        raw = normalise_text(raw).strip()
        raw = raw.removeprefix(next((c for c in COMPARISONS if raw.startswith(c)), "")).strip()
        if isinstance(unit, str) and unit.strip() and unit.strip() != "%":
            raw = raw.removesuffix(normalise_text(unit).strip()).strip()
    parsed = parse_percent(raw, entry.cell.number_format)
    if isinstance(parsed.value, Decimal):
        return parsed.value
    findings.append(_unreadable("V002", entry, sheet, header, Text("数字（可带 %）", "a number (% allowed)"),
                                "定量指标的年度指标值和实际完成值须为数字，如 100、95%；文字描述的指标请把指标性质改为定性",
                                "a quantitative row takes numbers, e.g. 100 or 95%; make a row "
                                "described in words 定性"))
    return None


def _written_as_percent(entry: Entry) -> bool:
    """The cell shows its value as a percentage: a text ending in % (95%, ≥95%, full-width ％
    too), or a number whose format multiplies it by 100 (`0%`: 0.95 shows 95%)."""
    if entry.cell is None or entry.value is None:
        return False
    raw = entry.cell.value
    if isinstance(raw, str):
        return normalise_text(raw).endswith("%")
    return scales_by_100(entry.cell.number_format)


def _word(row: TypedRow, sheet: str, findings: list[Finding]) -> str | None:
    entry = row.get("实际完成值")
    value = entry.value
    if value is None or entry.cell is None:
        return None
    text = normalise_text(str(value)).strip().replace(" ", "")
    if text in QUALITATIVE_WORDS:
        return text
    words = " / ".join(QUALITATIVE_WORDS)
    findings.append(_unreadable("V004", entry, sheet, "实际完成值", Text(words, words),
                                "定性指标的实际完成值只能选：" + "、".join(QUALITATIVE_WORDS),
                                "a qualitative row takes one of: " + ", ".join(QUALITATIVE_WORDS)))
    return None


def _unreadable(rule: str, entry: Entry, sheet: str, header: str, expected: Text, zh: str,
                en: str) -> Finding:
    shown = str(entry.value) if entry.value is not None else MISSING.zh
    return finding_at(rule, sheet, entry.coordinate, entry.label, f"“{shown}”不能识别：{zh}。",
                      f"“{shown}” cannot be read: {en}.", expected, shown, header)
