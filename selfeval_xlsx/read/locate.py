"""The label-anchored reader (`docs/template.md`, 基本规则).

Forms are found by their labels, tables by their header rows and row labels, so inserted rows or
columns and moved blocks still read. The result holds raw cell values; typing happens in `inputs`.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from selfeval_xlsx.errors import InputError, OwnOutputError
from selfeval_xlsx.findings import MISSING, Finding, finding_at
from selfeval_xlsx.read.values import is_blank, normalise_label
from selfeval_xlsx.template.spec import Form, Sheet, Table, Template
from selfeval_xlsx.text import Text, one_line
from selfeval_xlsx.xlsx.cells import MergedDown
from selfeval_xlsx.xlsx.cells import coordinate as cell_coordinate
from selfeval_xlsx.xlsx.workbook import LoadedWorkbook, Resolved

STOP_LABELS = ("合计",)


class RawCell(NamedTuple):
    """A located cell as read (a named tuple: immutable, and cheap to make, ~1,000 a workbook)."""

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
                 wanted: frozenset[str] | None = None, shown: str | None = None) -> None:
        self.book = book
        self.name = name
        self.shown = shown if shown is not None else name  # the sheet name findings give
        sheet = book.sheet(name)
        self.cells = sheet.cells
        self.merged_end = {(r1, c1): c2 for r1, c1, _, c2 in sheet.merged}
        self.merged_down = MergedDown(sheet.merged)
        self.rows = sorted({row for row, _ in sheet.cells})
        self.texts: dict[str, list[tuple[int, int]]] = {}
        for (row, col), (value, _, _) in sorted(self.cells.items()):
            if isinstance(value, str) and value.strip():
                label = normalise_label(value)
                if wanted is None or label in wanted:
                    self.texts.setdefault(label, []).append((row, col))

    def rows_after(self, row: int) -> list[int]:
        """The rows below `row` that hold any cell, in order."""
        return self.rows[bisect.bisect_right(self.rows, row):]

    def find(self, label: str) -> tuple[int, int] | None:
        places = self.texts.get(normalise_label(label))
        return places[0] if places else None

    def cell(self, row: int, col: int) -> RawCell:
        coordinate = cell_coordinate(row, col)
        filled = self.cells.get((row, col))
        if filled is None:
            return RawCell(self.shown, coordinate, None)
        value, number_format, formula = filled
        if value is not None:
            return RawCell(self.shown, coordinate, value, str(number_format or ""))
        if not self.book.has_formulas:
            return RawCell(self.shown, coordinate, None)
        if not formula:  # an empty (styled) cell: what `resolve` would give, without the lookup
            return RawCell(self.shown, coordinate, None, number_format)
        resolved: Resolved = self.book.resolve(self.name, coordinate)
        computed: Any = resolved.value if resolved.error is None else FormulaFailure(
            resolved.formula, resolved.error)
        return RawCell(self.shown, coordinate, computed, resolved.number_format, resolved.computed)

    def right_of(self, row: int, col: int) -> RawCell:
        return self.cell(row, self.merged_end.get((row, col), col) + 1)




@dataclass(frozen=True)
class FormulaFailure:
    """A formula with no cached value that the tool could not compute, and why."""

    formula: str
    reason: Text

    def __str__(self) -> str:
        return self.formula


OUTPUT_SHEETS = (("汇总", "校验结果"), ("汇总", "问题清单"))  # a 评分结果 or a batch 汇总 workbook


def read_workbook(book: LoadedWorkbook, template: Template, file_name: str) -> RawWorkbook:
    if _is_our_output(book.sheet_names, template):
        raise OwnOutputError(_our_output(file_name))
    names = _match_sheets(book.sheet_names, template, file_name)
    if not names:
        raise InputError(_not_template(file_name, book.sheet_names))
    book.preload(list(names.values()))
    raw = RawWorkbook(book.sheet_names, names)
    for sheet in template.sheets:
        if sheet.name not in names:
            raw.findings.append(_missing_sheet(sheet.name, book.sheet_names))
            continue
        _read_sheet(SheetIndex(book, names[sheet.name], _labels_of(sheet), sheet.name), sheet, raw)
    return raw


def refuse_our_output(found: list[str], template: Template, file_name: str) -> None:
    """OwnOutputError when the sheets are those of a workbook this tool wrote."""
    if _is_our_output(found, template):
        raise OwnOutputError(_our_output(file_name))


def _is_our_output(found: list[str], template: Template) -> bool:
    guide = template.sheets[0].name
    return guide not in found and any(all(n in found for n in names) for names in OUTPUT_SHEETS)


def _our_output(file_name: str) -> Text:
    return Text(
        f"“{file_name}”是本工具生成的结果工作簿（评分结果或汇总），不是填写的模板。"
        "请对原来填写的工作簿运行（例如 selfeval check 单位.xlsx），不要对“_评分结果.xlsx”运行。",
        f"'{file_name}' is a workbook this tool wrote (a scored result or a batch summary), not a "
        "filled template. Run the command on the original workbook instead.")


def _labels_of(sheet: Sheet) -> frozenset[str]:
    """The normalised labels the reader looks up on a sheet: form labels and table headers."""
    labels = [f.label for form in sheet.forms for f in form.fields]
    labels += [header for table in sheet.tables for header in table.headers]
    labels += [table.caption for table in sheet.tables if table.caption]
    labels += ROW_NUMBER_HEADERS  # where a numbering column was inserted (S005)
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
    starts = _table_starts(index, sheet)
    for block in sheet.blocks:
        if isinstance(block, Form):
            raw.forms.setdefault(sheet.name, {}).update(_read_form(index, sheet.name, block, raw))
        else:
            table = _read_table(index, sheet.name, block, raw, starts)
            if table is not None:
                raw.tables[block.name] = table


def _table_starts(index: SheetIndex, sheet: Sheet) -> list[int]:
    """The first row of every table found on the sheet (its caption just above its header, or
    the header): a table's rows end where the next table starts (stacked tables, as on a
    project sheet, never read each other's rows)."""
    starts = []
    for table in sheet.tables:
        header = _find_header(index, table)
        if header is None:
            continue
        caption = [r for r, _ in index.texts.get(normalise_label(table.caption), [])
                   if header[0] - 2 <= r < header[0]] if table.caption else []
        starts.append(min([header[0], *caption]))
    return sorted(starts)


def _read_form(index: SheetIndex, sheet: str, form: Form, raw: RawWorkbook) -> dict[str, RawCell]:
    values: dict[str, RawCell] = {}
    for spec in form.fields:
        place = index.find(spec.label)
        if place is None:
            if not spec.optional:
                raw.findings.append(_missing_label(sheet, spec.label, "标签", "label"))
            continue
        values[spec.label] = index.right_of(*place)
        if _under_row_numbers(index, values[spec.label]):
            raw.findings.append(_inserted_column(values[spec.label], spec.label))
    return values


ROW_NUMBER_HEADERS = frozenset({"行次", "栏次", "行号"})


def _under_row_numbers(index: SheetIndex, cell: RawCell) -> bool:
    """A small whole number under a 行次-like header: likely a numbering column inserted between
    a label and its value, so the value the clerk meant is further right."""
    value = cell.value
    number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip())
    if number is None or not 0 < number < 1000 or number != int(number):  # also NaN and ±inf
        return False
    row, col = _position(cell.coordinate)
    return any(c == col and r < row for header in ROW_NUMBER_HEADERS
               for r, c in index.texts.get(header, []))


def _position(coordinate: str) -> tuple[int, int]:
    letters = coordinate.rstrip("0123456789")
    col = 0
    for letter in letters:
        col = col * 26 + ord(letter) - 64
    return int(coordinate[len(letters):]), col


def _inserted_column(cell: RawCell, label: str) -> Finding:
    return finding_at(
        "S005", cell.sheet, cell.coordinate, label,
        f"标签右侧的单元格 {cell.coordinate} 是“行次”类编号栏中的 {cell.value}，可能在标签和填写栏之间插入了一列。"
        f"工具读取的是标签右侧第一个单元格的 {cell.value}。请把数值填在标签右侧紧邻的单元格，或删除插入的列。",
        f"the cell right of the label ({cell.coordinate}) holds {cell.value} under a row-number "
        "(行次) header: a column may have been inserted between the label and its value. The "
        f"tool read {cell.value}. Put the value right next to the label, or delete the column.",
        expected=Text("标签右侧紧邻单元格中的数值", "the value right next to the label"),
        actual=str(cell.value))


def _read_table(index: SheetIndex, sheet: str, table: Table, raw: RawWorkbook,
                starts: list[int]) -> RawTable | None:
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
        end = next((row for row in starts if row > header_row), None)
        _read_rows(index, sheet, table, result, label_col, end)
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
               label_col: int, end: int | None) -> None:
    """The rows below the header, up to a stop label or the row `end` where the next table
    starts."""
    known = {normalise_label(r.label): r.label for r in table.rows}
    for row in index.rows_after(result.header_row):  # a row without any cell adds nothing
        if end is not None and row >= end:
            break
        label_cell = index.cell(row, label_col)
        label = normalise_label(label_cell.value) if not label_cell.blank else ""
        cells = {h: index.cell(row, c) for h, c in result.columns.items()}
        if label in STOP_LABELS or label in table.stop_labels or label.startswith("注"):
            result.total = RawRow(label, row, cells)
            break
        if table.free_rows:
            if any(not c.blank for h, c in cells.items() if h != "序号"):  # a row of its own
                cells.update(_merged_down(index, table, result, row, cells))
                result.rows.append(RawRow(_free_row_label(table, cells, label), row, cells))
        elif label in known and result.row(known[label]) is None:
            result.rows.append(RawRow(known[label], row, cells))
        elif label:
            result.extra_rows.append(RawRow(label, row, cells))


def _merged_down(index: SheetIndex, table: Table, result: RawTable, row: int,
                 cells: dict[str, RawCell]) -> dict[str, RawCell]:
    """The blank cells of a row's `merged_down` columns that a range merged down over rows
    covers: the range's first cell (what Excel shows there, and where a finding points)."""
    return {h: index.cell(top, result.columns[h]) for h in table.merged_down
            if h in cells and cells[h].blank
            and (top := index.merged_down.origin(row, result.columns[h])) is not None}


def _free_row_label(table: Table, cells: dict[str, RawCell], label: str) -> str:
    """A free row is named by its `row_name` column, or the first text column after 序号 (the
    target, task or project)."""
    if table.row_name:
        named = cells.get(table.row_name)
        text = "" if named is None or named.blank else str(named.value).strip()
        return text[:24] or label
    if table.label_header != "序号" or len(table.columns) < 2:
        return label
    name = cells.get(table.columns[1].header)
    text = "" if name is None or name.blank else str(name.value).strip()
    return text[:24] or (f"序号{label}" if label else "")


def _missing_label(sheet: str, label: str, what_zh: str, what_en: str) -> Finding:
    return finding_at(
        "S002", sheet, "", label,
        f"找不到{what_zh}“{label}”。请不要修改模板中的标签文字；如已误改或删除，请按模板恢复。",
        f"{what_en} '{label}' is missing. Do not edit the template's labels; restore it as in "
        "the template.",
        expected=label, actual=MISSING,
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
