"""The label-anchored reader (principle 1 of `spec/workbook.md`).

Forms are found by their labels, tables by their header rows and row labels, so inserted rows or
columns and moved blocks still read. The result holds raw cell values; typing happens in `inputs`.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from openpyxl.utils.cell import get_column_letter

from selfeval_xlsx.errors import InputError
from selfeval_xlsx.findings import Finding, finding_at
from selfeval_xlsx.read.values import is_blank, normalise_label
from selfeval_xlsx.template.spec import Form, Sheet, Table, Template
from selfeval_xlsx.text import Text, one_line
from selfeval_xlsx.xlsx.workbook import LoadedWorkbook, Resolved

STOP_LABELS = ("合计",)


@dataclass(frozen=True)
class RawCell:
    sheet: str
    coordinate: str
    value: object
    number_format: str = ""
    computed: bool = False

    @property
    def blank(self) -> bool:
        return is_blank(self.value)


@dataclass
class RawRow:
    label: str
    row: int
    cells: dict[str, RawCell]


@dataclass
class RawTable:
    name: str
    sheet: str
    header_row: int
    columns: dict[str, int]
    rows: list[RawRow] = field(default_factory=list)
    extra_rows: list[RawRow] = field(default_factory=list)
    total: RawRow | None = None

    def row(self, label: str) -> RawRow | None:
        return next((r for r in self.rows if r.label == label), None)


@dataclass
class RawWorkbook:
    sheet_names: list[str]
    sheet_map: dict[str, str] = field(default_factory=dict)  # template name -> name in the file
    forms: dict[str, dict[str, RawCell]] = field(default_factory=dict)
    tables: dict[str, RawTable] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def field(self, sheet: str, label: str) -> RawCell | None:
        return self.forms.get(sheet, {}).get(label)


class SheetIndex:
    """Where each normalised text stands on one sheet (only the `wanted` labels, when given: a
    sheet of 100,000 texts is not indexed whole), and its merged ranges."""

    def __init__(self, book: LoadedWorkbook, name: str,
                 wanted: frozenset[str] | None = None) -> None:
        self.book = book
        self.name = name
        sheet = book.sheet(name)
        self.cells = sheet.cells
        self.merged_end = {(r1, c1): c2 for r1, c1, _, c2 in sheet.merged}
        self.rows = sorted({row for row, _ in sheet.cells})
        self.texts: dict[str, list[tuple[int, int]]] = {}
        for (row, col), (value, _, _) in sorted(self.cells.items()):
            if isinstance(value, str) and value.strip():
                label = _label(value)
                if wanted is None or label in wanted:
                    self.texts.setdefault(label, []).append((row, col))

    def rows_after(self, row: int) -> list[int]:
        """The rows below `row` that hold any cell, in order."""
        return self.rows[bisect.bisect_right(self.rows, row):]

    def find(self, label: str) -> tuple[int, int] | None:
        places = self.texts.get(_label(label))
        return places[0] if places else None

    def cell(self, row: int, col: int) -> RawCell:
        coordinate = f"{get_column_letter(col)}{row}"
        filled = self.cells.get((row, col))
        if filled is not None and filled[0] is not None:
            return RawCell(self.name, coordinate, filled[0], str(filled[1] or ""))
        if not self.book.has_formulas:
            return RawCell(self.name, coordinate, None)
        resolved: Resolved = self.book.resolve(self.name, coordinate)
        if resolved.error is not None:
            value: Any = FormulaFailure(resolved.formula, resolved.error)
        else:
            value = resolved.value
        return RawCell(self.name, coordinate, value, resolved.number_format, resolved.computed)

    def right_of(self, row: int, col: int) -> RawCell:
        return self.cell(row, self.merged_end.get((row, col), col) + 1)


def _label(text: str) -> str:
    """The label of a cell's text; short texts (every label is) are cached across workbooks,
    long ones are not, so a batch worker's cache stays small whatever the workbooks hold."""
    return _short_label(text) if len(text) <= 64 else normalise_label(text)


@lru_cache(maxsize=8192)
def _short_label(text: str) -> str:
    return normalise_label(text)


@dataclass(frozen=True)
class FormulaFailure:
    """A formula with no cached value that the tool could not compute, and why."""

    formula: str
    reason: Text

    def __str__(self) -> str:
        return self.formula


def read_workbook(book: LoadedWorkbook, template: Template, file_name: str) -> RawWorkbook:
    names = _match_sheets(book.sheet_names, template, file_name)
    if not names:
        raise InputError(_not_template(file_name, book.sheet_names))
    book.preload(list(names.values()))
    raw = RawWorkbook(book.sheet_names, names)
    for sheet in template.sheets:
        if sheet.name not in names:
            raw.findings.append(_missing_sheet(sheet.name, book.sheet_names))
            continue
        _read_sheet(SheetIndex(book, names[sheet.name], _labels_of(sheet)), sheet, raw)
    raw.findings.extend(_formula_findings(raw))
    return raw


def _labels_of(sheet: Sheet) -> frozenset[str]:
    """The normalised labels the reader looks up on a sheet: form labels and table headers."""
    labels = [f.label for form in sheet.forms for f in form.fields]
    labels += [header for table in sheet.tables for header in table.headers]
    return frozenset(normalise_label(label) for label in labels)


def _match_sheets(found: list[str], template: Template, file_name: str) -> dict[str, str]:
    """Template sheet -> the file's sheet of that name (compared as labels). Two sheets of the
    file that both read as one template sheet ("收支预算" and "收支预算 ") leave it open which
    one the clerk filled: the workbook is refused rather than one of them scored."""
    by_norm: dict[str, list[str]] = {}
    for name in found:
        by_norm.setdefault(normalise_label(name), []).append(name)
    matched: dict[str, str] = {}
    for sheet in template.sheets:
        candidates = by_norm.get(normalise_label(sheet.name), [])
        if len(candidates) > 1:
            raise InputError(_ambiguous_sheet(file_name, sheet.name, candidates))
        if candidates:
            matched[sheet.name] = candidates[0]
    return matched


def _read_sheet(index: SheetIndex, sheet: Sheet, raw: RawWorkbook) -> None:
    for block in sheet.blocks:
        if isinstance(block, Form):
            raw.forms.setdefault(sheet.name, {}).update(_read_form(index, sheet.name, block, raw))
        else:
            table = _read_table(index, sheet.name, block, raw)
            if table is not None:
                raw.tables[block.name] = table


def _read_form(index: SheetIndex, sheet: str, form: Form, raw: RawWorkbook) -> dict[str, RawCell]:
    values: dict[str, RawCell] = {}
    for spec in form.fields:
        place = index.find(spec.label)
        if place is None:
            raw.findings.append(_missing_label(sheet, spec.label, "标签", "label"))
            continue
        values[spec.label] = _relabel(index.right_of(*place), sheet)
    return values


def _relabel(cell: RawCell, sheet: str) -> RawCell:
    """Findings name the template's sheet name even where the clerk's differs in spacing."""
    return RawCell(sheet, cell.coordinate, cell.value, cell.number_format, cell.computed)


def _read_table(index: SheetIndex, sheet: str, table: Table, raw: RawWorkbook) -> RawTable | None:
    header = _find_header(index, table)
    if header is None:
        raw.findings.append(_missing_label(sheet, table.label_header, f"《{table.name}》的表头",
                                           f"the header row of table {table.name}"))
        return None
    header_row, columns = header
    for missing in (h for h in table.headers if h not in columns):
        raw.findings.append(_missing_label(sheet, missing, f"《{table.name}》的表头",
                                           f"a header of table {table.name}"))
    result = RawTable(table.name, sheet, header_row, columns)
    label_col = columns.get(table.label_header)
    if label_col is not None:
        _read_rows(index, sheet, table, result, label_col)
    if not table.free_rows:
        for spec in table.rows:
            if result.row(spec.label) is None:
                raw.findings.append(_missing_label(sheet, spec.label, f"《{table.name}》的行项目",
                                                   f"a row of table {table.name}"))
    return result


def _find_header(index: SheetIndex, table: Table) -> tuple[int, dict[str, int]] | None:
    best: tuple[int, dict[str, int]] | None = None
    for row, _col in index.texts.get(normalise_label(table.label_header), []):
        columns = _header_columns(index, row, table)
        if best is None or len(columns) > len(best[1]):
            best = (row, columns)
        if len(columns) == len(table.headers):
            break
    return best


def _header_columns(index: SheetIndex, row: int, table: Table) -> dict[str, int]:
    wanted = {normalise_label(h): h for h in table.headers}
    columns: dict[str, int] = {}
    for text, places in index.texts.items():
        if text in wanted:
            cols = [c for r, c in places if r == row]
            if cols:
                columns[wanted[text]] = cols[0]
    return columns


def _read_rows(index: SheetIndex, sheet: str, table: Table, result: RawTable,
               label_col: int) -> None:
    known = {normalise_label(r.label): r.label for r in table.rows}
    for row in index.rows_after(result.header_row):  # a row without any cell adds nothing
        label_cell = index.cell(row, label_col)
        label = normalise_label(label_cell.value) if not label_cell.blank else ""
        cells = {h: _relabel(index.cell(row, c), sheet) for h, c in result.columns.items()}
        if label in STOP_LABELS or label.startswith("注"):
            result.total = RawRow(label, row, cells)
            break
        if table.free_rows:
            if any(not c.blank for h, c in cells.items() if h != "序号"):
                result.rows.append(RawRow(_free_row_label(table, cells, label), row, cells))
        elif label in known and result.row(known[label]) is None:
            result.rows.append(RawRow(known[label], row, cells))
        elif label:
            result.extra_rows.append(RawRow(label, row, cells))


def _free_row_label(table: Table, cells: dict[str, RawCell], label: str) -> str:
    """A free row is named by its first text column after 序号 (the target, task or project)."""
    if table.label_header != "序号" or len(table.columns) < 2:
        return label
    name = cells.get(table.columns[1].header)
    text = "" if name is None or name.blank else str(name.value).strip()
    return text[:24] or (f"序号{label}" if label else "")


def _formula_findings(raw: RawWorkbook) -> list[Finding]:
    cells = [c for form in raw.forms.values() for c in form.values()]
    for table in raw.tables.values():
        for row in [*table.rows, *([table.total] if table.total else [])]:
            cells.extend(row.cells.values())
    return [_computed(c) for c in cells if c.computed]


def _computed(cell: RawCell) -> Finding:
    return finding_at(
        "V007", cell.sheet, cell.coordinate, "",
        f"公式没有保存计算结果（文件可能由程序生成），工具已自行计算，结果为 {cell.value}。"
        "如需消除此提示，请在 Excel/WPS 中打开后保存。",
        f"the formula has no cached value (the file was probably saved by a program); the tool "
        f"computed it as {cell.value}. Open and save the file in Excel/WPS to remove this note.",
        actual=str(cell.value),
    )


def _missing_label(sheet: str, label: str, what_zh: str, what_en: str) -> Finding:
    return finding_at(
        "S002", sheet, "", label,
        f"找不到{what_zh}“{label}”。请不要修改模板中的标签文字；如已误改或删除，请按模板恢复。",
        f"{what_en} '{label}' is missing. Do not edit the template's labels; restore it as in "
        "the template.",
        expected=label, actual="（缺失）",
    )


def _missing_sheet(name: str, found: list[str]) -> Finding:
    listed = "、".join(found)
    return finding_at(
        "S001", name, "", "",
        f"缺少工作表“{name}”（工作簿中的工作表：{listed}）。请使用本工具的模板，"
        "不要删除或改名工作表。",
        f"sheet '{name}' is missing (sheets found: {', '.join(found)}). Use the tool's "
        "template and do not delete or rename its sheets.",
        expected=name, actual=listed,
    )


def _ambiguous_sheet(file_name: str, name: str, candidates: list[str]) -> Text:
    listed = "”“".join(one_line(c) for c in candidates)
    return Text(
        f"无法读取“{one_line(file_name)}”：有 {len(candidates)} 个工作表（“{listed}”）都对应模板的"
        f"“{name}”，无法确定应读取哪一个。请删除或改名多余的工作表后再试。",
        f"Cannot read '{one_line(file_name)}': {len(candidates)} sheets (\"{listed}\") all "
        f"read as the template's '{name}', so which one to read is ambiguous. Delete or rename "
        "the extra sheets and try again.",
    )


def _not_template(file_name: str, found: list[str]) -> Text:
    shown = [one_line(name) for name in found[:20]] + (["……"] if len(found) > 20 else [])
    return Text(
        f"“{one_line(file_name)}”不是部门整体支出绩效自评模板：没有找到模板的任何工作表"
        f"（找到：{'、'.join(shown)}）。请用 selfeval template 生成模板，填写后再试。",
        f"'{one_line(file_name)}' is not a self-evaluation template: none of the template's "
        f"sheets was found (found: {', '.join(shown)}). Create one with `selfeval template`, "
        "fill it and retry.",
    )
