"""Typed inputs: every located cell parsed by its kind, with the V findings that parsing raises."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from selfeval_xlsx.findings import Finding, finding_at
from selfeval_xlsx.read.locate import FormulaFailure, RawCell, RawRow, RawTable, RawWorkbook
from selfeval_xlsx.read.values import (
    Issue,
    Parsed,
    format_money,
    parse_amount,
    parse_choice,
    parse_count,
    parse_date,
    parse_percent,
    parse_score,
    parse_text,
    parse_year,
)
from selfeval_xlsx.template.spec import Column, Field, Kind, Table, Template
from selfeval_xlsx.text import Text, one_line

Value = Decimal | int | str | date | None


class Entry(NamedTuple):
    """One typed value and where it came from. `cell` is None when its label was not found.
    (A named tuple: immutable, and cheap to make, one per located cell.)"""

    value: Value
    cell: RawCell | None
    label: str
    blank: bool = True
    valid: bool = True

    @property
    def filled(self) -> bool:
        return self.value is not None

    @property
    def coordinate(self) -> str:
        return self.cell.coordinate if self.cell else ""

    def decimal(self) -> Decimal | None:
        return self.value if isinstance(self.value, Decimal) else (
            Decimal(self.value) if isinstance(self.value, int) else None)


MISSING = Entry(None, None, "")


@dataclass
class TypedRow:
    label: str
    row: int
    entries: dict[str, Entry]

    def get(self, header: str) -> Entry:
        return self.entries.get(header, MISSING)

    def amount(self, header: str) -> Decimal | None:
        return self.get(header).decimal()


@dataclass
class TypedTable:
    name: str
    found: bool
    rows: list[TypedRow] = field(default_factory=list)
    total: TypedRow | None = None
    extra_rows: list[TypedRow] = field(default_factory=list)

    def row(self, label: str) -> TypedRow | None:
        return next((r for r in self.rows if r.label == label), None)

    def entry(self, label: str, header: str) -> Entry:
        row = self.row(label)
        return row.get(header) if row else MISSING

    def amount(self, label: str, header: str) -> Decimal | None:
        return self.entry(label, header).decimal()


@dataclass
class Inputs:
    fields: dict[tuple[str, str], Entry]
    tables: dict[str, TypedTable]
    findings: list[Finding]

    def field(self, sheet: str, label: str) -> Entry:
        return self.fields.get((sheet, label), MISSING)

    def table(self, name: str) -> TypedTable:
        table = self.tables.get(name)  # the default made only when asked for: checks ask often
        return table if table is not None else TypedTable(name, False)


def type_inputs(raw: RawWorkbook, template: Template) -> Inputs:
    findings: list[Finding] = []
    fields: dict[tuple[str, str], Entry] = {}
    for sheet in template.sheets:
        for form in sheet.forms:
            for spec in form.fields:
                cell = raw.field(sheet.name, spec.label)
                fields[(sheet.name, spec.label)] = _typed(cell, spec.label, _field_parser(spec),
                                                          findings)
    tables = {t.name: _type_table(raw.tables.get(t.name), t, findings)
              for s in template.sheets for t in s.tables}
    return Inputs(fields, tables, findings)


def _type_table(raw: RawTable | None, table: Table, findings: list[Finding]) -> TypedTable:
    if raw is None:
        return TypedTable(table.name, False)
    parsers = {c.header: _column_parser(c) for c in table.columns}
    seen: set[str] = set()  # a cell merged down over rows is typed on each: reported at its first

    def typed_row(row: RawRow, report: bool) -> TypedRow:
        entries = {}
        for header, cell in row.cells.items():
            repeated = cell is not None and cell.coordinate in seen
            if cell is not None:
                seen.add(cell.coordinate)
            sink = findings if report and not repeated else []
            entries[header] = _typed(cell, row.label, parsers[header], sink, header)
        return TypedRow(row.label, row.row, entries)

    result = TypedTable(table.name, True, [typed_row(r, True) for r in raw.rows])
    result.extra_rows = [typed_row(r, False) for r in raw.extra_rows]
    if raw.total is not None and raw.total.label == table.total_row:
        result.total = typed_row(raw.total, True)
    return result


Parser = Callable[[object, str], Parsed]


def _field_parser(spec: Field) -> Parser:
    return _parser(spec.kind, spec.choices)


def _column_parser(column: Column) -> Parser:
    return _parser(column.kind, column.choices)


def _parser(kind: Kind, choices: tuple[str, ...]) -> Parser:
    simple: dict[Kind, Callable[[object], Parsed]] = {
        Kind.TEXT: parse_text, Kind.YEAR: parse_year, Kind.DATE: parse_date,
        Kind.COUNT: parse_count, Kind.SCORE: parse_score,
    }
    if kind is Kind.AMOUNT:
        return parse_amount
    if kind is Kind.PERCENT:
        return parse_percent
    if kind is Kind.QUANTITY:
        return parse_quantity
    if kind is Kind.CHOICE:
        return lambda raw, _fmt: parse_choice(raw, choices)
    one = simple[kind]
    return lambda raw, _fmt: one(raw)


COMPARISONS = ("≥", "≤", ">=", "<=", ">", "<", "=", "＞", "＜", "＝")


def parse_quantity(raw: object, number_format: str = "") -> Parsed:
    """A target or an actual value: a number (a percentage such as 95% counts as 95; a leading
    ≥/≤/= is dropped) when it reads as one, else its text (qualitative: 高, 好). Never an issue:
    the checks decide where text is wrong (a 定量 row)."""
    text = raw.strip() if isinstance(raw, str) else raw
    if isinstance(text, str):
        text = text.removeprefix(next((c for c in COMPARISONS if text.startswith(c)), "")).strip()
    number = parse_percent(text, number_format)
    if not number.issues:
        return number
    return parse_text(raw)


def _typed(cell: RawCell | None, label: str, parser: Parser, findings: list[Finding],
           column: str = "") -> Entry:
    if cell is None:
        return Entry(None, None, label)
    value = cell.value
    if value is None and not cell.computed:  # an empty cell: blank for every kind
        return Entry(None, cell, label)
    if isinstance(value, FormulaFailure):
        findings.append(_formula_failed(cell, label, column, value))
        return Entry(None, cell, label, False, False)
    parsed = parser(value, cell.number_format)
    if cell.computed:
        findings.append(_computed(cell, label, column, parsed.value))
    if not parsed.issues:
        return Entry(parsed.value, cell, label, parsed.blank, True)
    for issue in parsed.issues:
        findings.append(_issue_finding(cell, label, column, issue))
    fatal = any(i.rule != "V006" and i.rule != "V003" for i in parsed.issues)
    return Entry(parsed.value, cell, label, parsed.blank, not fatal)


def _issue_finding(cell: RawCell, label: str, column: str, issue: Issue) -> Finding:
    return finding_at(issue.rule, cell.sheet, cell.coordinate, label, issue.message.zh,
                      issue.message.en, issue.expected, issue.actual, column)


def _computed(cell: RawCell, label: str, column: str, value: object) -> Finding:
    """V007: a formula saved without its value, computed by the tool (shown as the field reads
    it: an amount to two decimals)."""
    shown = _shown(value)
    return finding_at(
        "V007", cell.sheet, cell.coordinate, label,
        f"公式没有保存计算结果（文件可能由程序生成），工具已自行计算，结果为 {shown}。"
        "如需消除此提示，请在 Excel/WPS 中打开后保存。",
        f"the formula has no cached value (the file was probably saved by a program); the tool "
        f"computed it as {shown}. Open and save the file in Excel/WPS to remove this note.",
        actual=shown, column=column,
    )


def _shown(value: object) -> str:
    if isinstance(value, Decimal):
        return format_money(value)
    return "" if value is None else str(value)


def _formula_failed(cell: RawCell, label: str, column: str, failure: FormulaFailure) -> Finding:
    formula = one_line(failure.formula if len(failure.formula) <= 80 else
                       failure.formula[:80] + "…")
    place = f"{cell.sheet}!{cell.coordinate}"
    return finding_at(
        "V002", cell.sheet, cell.coordinate, label,
        f"公式无法计算：{failure.reason.zh}。{place} 的公式 {formula} 没有保存计算结果，"
        "工具也无法算出。请在 Excel/WPS 中打开并保存，或直接填写数值。",
        f"the formula cannot be computed: {failure.reason.en}. The formula {formula} in "
        f"{place} has no cached value and the tool cannot compute it. Open and save the file "
        "in Excel/WPS, or type the value.",
        expected=Text("数值", "a number"), actual=formula, column=column,
    )
