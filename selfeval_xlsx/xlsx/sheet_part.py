"""One worksheet part, streamed: cell values, number formats, formulas, merged ranges, sizes.

`SheetReader` is the parser target of a worksheet (`xmlstream.parse_part`). It keeps cells with a
value or a formula, the style index of styled cells, merged ranges, custom column widths and row
heights (as runs, so a million formatted empty rows cost one entry), and the shared formulas a
cell without a cached value needs. Whatever is inconsistent in a way that leaves a value open
(a shared-string index out of range, a cell given twice, overlapping merged ranges, a position
outside Excel's grid) raises `Refusal`: the tool never picks one reading of a broken file.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from selfeval_xlsx.text import one_line
from selfeval_xlsx.xlsx.cells import (
    COLUMNS,
    EXCEL_COLUMNS,
    EXCEL_ROWS,
    REFERENCE,
    SheetValues,
    column_number,
    column_widths,
    coordinate,
    first_overlap,
    range_text,
)
from selfeval_xlsx.xlsx.number_formats import from_serial, is_date_format
from selfeval_xlsx.xlsx.xmlstream import (
    LAST_ROW,
    LOCAL_NAMES,
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_DEPTH,
    Budget,
    Collector,
    Refusal,
)

DIGITS = "0123456789"
NO_FORMULA = ("", "")
MAX_WIDTH = 255.0  # Excel's widest column (characters)
MAX_HEIGHT = 409.0  # Excel's tallest row (points)
TRUE = ("1", "true")


@dataclass(frozen=True)
class CellContext:
    """What typing a cell needs from the workbook: shared strings, number formats, epoch."""

    strings: list[str]
    formats: list[str]
    epoch: dt.datetime


class SheetReader(Collector):
    """The parser target of one worksheet part."""

    def __init__(self, sheet: SheetValues, context: CellContext, budget: Budget) -> None:
        super().__init__(budget)
        self.sheet, self.context = sheet, context
        self.row = self.col = 0
        self.text_depth = 0
        self.columns: list[tuple[int, int, float]] = []
        self._new_cell("n", 0)

    def _new_cell(self, kind: str, style: int) -> None:
        self.kind, self.style = kind, style
        self.value_text: str | None = None
        self.formula_text: str | None = None
        self.formula_attrs: tuple[str, str] = NO_FORMULA  # t, si
        self.inline: list[str] | None = None  # runs of an inline string
        self.inline_direct: str | None = None

    # --- parser target ---

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        name = LOCAL_NAMES.get(tag)  # `Collector.push`, inlined: this runs for every element
        stack = self.stack
        if name is None or len(stack) >= MAX_DEPTH or self.elements >= self.element_limit:
            name, parent = self.push(tag)
        else:
            parent = stack[-1]
            stack.append(name)
            self.elements += 1
        if name == "c":
            if parent == "row":
                self._start_cell(attrib)
        elif name == "v":
            if parent == "c":
                self._begin()
        elif name == "row":
            if parent == "sheetData":
                self._start_row(attrib)
        elif name == "f" and parent == "c":
            self._begin()
            self.formula_attrs = (attrib.get("t", ""), attrib.get("si", ""))
        elif name == "is" and parent == "c":
            self.inline = []
        elif name == "t" and self.inline is not None and parent in ("is", "r"):
            self._begin()
        elif name == "col" and parent == "cols":
            self._column(attrib)
        elif name == "mergeCell" and parent == "mergeCells":
            self._merge(attrib.get("ref", ""))

    def end(self, tag: str) -> None:
        stack = self.stack
        if self.capture is not None and len(stack) == self.text_depth:
            self._text_end(stack[-1], stack[-2])
        if stack.pop() == "c" and stack[-1] == "row":
            self._end_cell()

    def close(self) -> SheetValues:
        self.finish()
        self.sheet.widths = column_widths(self.columns)
        overlap = first_overlap(self.sheet.merged)
        if overlap is not None:
            first, second = (range_text(m) for m in overlap)
            raise self._broken(f"合并单元格区域 {first} 与 {second} 重叠",
                               f"the merged ranges {first} and {second} overlap")
        return self.sheet

    # --- rows and cells ---

    def _begin(self) -> None:
        self.begin_text()
        self.text_depth = len(self.stack)

    def _text_end(self, name: str, parent: str) -> None:
        text = self.end_text()
        if name == "v":
            self.value_text = text
        elif name == "f":
            self.formula_text = text
        elif parent == "is":
            self.inline_direct = text
        elif self.inline is not None:
            self.inline.append(text)

    def _start_row(self, attrib: dict[str, str]) -> None:
        raw = attrib.get("r")
        try:
            row = int(raw) if raw else self.row + 1
        except ValueError:
            row = 0
        if not 0 < row <= EXCEL_ROWS:
            row = self._number(raw, 0, EXCEL_ROWS, ("行号", "row number"))
        self.row, self.col = row, 0
        last = row
        if LAST_ROW in attrib:  # a run of alike empty rows, collapsed as it was read
            last = self.row = self._number(attrib[LAST_ROW], 0, EXCEL_ROWS, ("行号", "row number"),
                                           low=row)
        if "customHeight" in attrib and attrib["customHeight"] in TRUE:
            height = _size(attrib.get("ht"), MAX_HEIGHT)
            if height is not None:
                self._height(row, last, height)

    def _height(self, first: int, last: int, height: float) -> None:
        runs = self.sheet.height_runs
        if runs and runs[-1][1] == first - 1 and runs[-1][2] == height:
            runs[-1] = (runs[-1][0], last, height)
        else:
            self.budget.cell(self.sheet.name)
            runs.append((first, last, height))

    def _start_cell(self, attrib: dict[str, str]) -> None:
        budget = self.budget
        budget.cells += 1
        if budget.cells > MAX_CELLS:
            budget.cell(self.sheet.name)
        reference = attrib.get("r")
        letters = reference.rstrip(DIGITS) if reference else ""
        col = COLUMNS.get(letters) if letters != reference else None
        if col is None:
            match = REFERENCE.fullmatch(reference or "")
            col = column_number(match[1]) if match else self.col + 1
        self.col = col
        if col > EXCEL_COLUMNS:
            raise self._broken(f"第 {self.row} 行的单元格超出了 Excel 的最后一列 XFD",
                               f"a cell of row {self.row} lies beyond Excel's last column XFD")
        raw_style = attrib.get("s")
        style = 0 if raw_style is None or raw_style == "0" else self._number(
            raw_style or None, 0, 1 << 31, ("样式编号", "style number"), low=0)
        if style:
            self.sheet.styles[(self.row, col)] = style
        self.kind, self.style = attrib.get("t", "n"), style
        self.value_text = self.formula_text = self.inline = self.inline_direct = None
        self.formula_attrs = NO_FORMULA

    def _end_cell(self) -> None:
        value, formula = self._value(), self._formula()
        if value is None and not formula:
            return
        place = (self.row, self.col)
        if place in self.sheet.cells:
            raise self._broken(f"单元格 {coordinate(*place)} 出现了两次，无法确定应读取哪一个值",
                               f"cell {coordinate(*place)} is given twice: which value counts "
                               "is ambiguous")
        formats = self.context.formats
        fmt = formats[self.style] if self.style < len(formats) else "General"
        self.sheet.cells[place] = (self._typed(value, fmt) if value is not None else None, fmt,
                                   formula)
        if formula == "=?" and value is None and self.formula_attrs[0] == "shared":
            self.sheet.shared[place] = self.formula_attrs[1]

    def _formula(self) -> str:
        text, (kind, si) = self.formula_text, self.formula_attrs
        if text is None:
            return ""
        if not text:
            return "=?"  # a shared formula's follower, a data table: only a cached value counts
        if kind == "shared" and si and si not in self.sheet.masters:
            self.sheet.masters[si] = (text, self.row, self.col)
        return "=" + text

    def _value(self) -> str | None:
        """The raw text of the value (None when the cell has none)."""
        if self.kind == "inlineStr":
            if self.inline is None:
                return None
            text = self.inline_direct if self.inline_direct is not None else "".join(self.inline)
            if len(text) > MAX_CELL_CHARS:
                raise self._broken(f"单元格 {coordinate(self.row, self.col)} 的文字超过 "
                                   f"{MAX_CELL_CHARS:,} 个字符（Excel 的上限）",
                                   f"cell {coordinate(self.row, self.col)} holds more than "
                                   f"{MAX_CELL_CHARS:,} characters (Excel's limit)")
            return text
        raw = self.value_text
        if raw is None or (not raw and self.kind not in ("str", "s")):
            return None
        return raw

    def _typed(self, raw: str, fmt: str) -> object:
        if self.kind == "inlineStr":
            return raw
        if self.kind == "s":
            return self._shared_string(raw)
        if self.kind in ("str", "e"):
            return raw
        if self.kind == "b":
            return raw.strip() in TRUE
        if self.kind == "d":  # an ISO 8601 date cell (strict OOXML, some writers)
            try:
                return dt.datetime.fromisoformat(raw.strip().rstrip("Z"))
            except ValueError:
                return raw
        return _number(raw, fmt, self.context.epoch)

    def _shared_string(self, raw: str) -> str:
        strings = self.context.strings
        try:
            index = int(raw.strip())
        except ValueError:
            index = -1
        if not 0 <= index < len(strings):
            raise self._broken(
                f"单元格 {coordinate(self.row, self.col)} 引用了不存在的共享字符串（编号 "
                f"{one_line(raw[:20])}，共有 {len(strings)} 个）",
                f"cell {coordinate(self.row, self.col)} refers to a shared string that does not "
                f"exist (number {one_line(raw[:20])} of {len(strings)})")
        return strings[index]

    # --- sizes and merged ranges ---

    def _column(self, attrib: dict[str, str]) -> None:
        if attrib.get("customWidth") not in TRUE:
            return
        width = _size(attrib.get("width"), MAX_WIDTH)
        try:
            first, last = int(attrib.get("min", "1")), int(attrib.get("max", "1"))
        except ValueError:
            return  # a width is only a look: an unreadable one is left out
        if width is not None:
            self.columns.append((max(first, 1), min(last, EXCEL_COLUMNS), width))

    def _merge(self, ref: str) -> None:
        first, _, last = ref.partition(":")
        a, b = REFERENCE.fullmatch(first), REFERENCE.fullmatch(last or first)
        if a is None or b is None:
            return  # not a range: nothing is merged
        self.budget.cell(self.sheet.name)
        rows = sorted((int(a[2]), int(b[2])))
        cols = sorted((column_number(a[1]), column_number(b[1])))
        if rows[0] < 1 or rows[1] > EXCEL_ROWS or cols[1] > EXCEL_COLUMNS:
            raise self._broken(f"合并单元格区域 {one_line(ref[:40])} 超出了 Excel 的范围",
                               f"the merged range {one_line(ref[:40])} lies outside Excel's grid")
        self.sheet.merged.append((rows[0], cols[0], rows[1], cols[1]))

    # --- helpers ---

    def _number(self, raw: str | None, default: int, high: int, what: tuple[str, str],
                low: int = 1) -> int:
        try:
            number = default if raw is None else int(raw)
        except ValueError:
            number = low - 1
        if not low <= number <= high:
            shown = one_line((raw or str(number))[:20])
            raise self._broken(f"{what[0]}“{shown}”无效", f"the {what[1]} '{shown}' is invalid")
        return number

    def _broken(self, zh: str, en: str) -> Refusal:
        sheet = one_line(self.sheet.name)
        return Refusal(f"文件已损坏：工作表“{sheet}”中{zh}。请在 Excel 或 WPS 中打开后重新保存为 "
                       ".xlsx 再试。",
                       f"the file is damaged: in sheet '{sheet}', {en}. Open it in Excel or WPS, "
                       "save it again as .xlsx and try again.")


def _number(raw: str, fmt: str, epoch: dt.datetime) -> object:
    try:
        number: float | int = int(raw) if raw.isdigit() else (
            float(raw) if any(ch in raw for ch in ".eEnN") else int(raw))
    except ValueError:  # a writer that put text in a number cell (or 5,000 digits): the text
        return raw
    if type(number) is float and not math.isfinite(number):  # 1E400, NaN: shown as written,
        return raw  # not as inf or nan
    if is_date_format(fmt):
        try:
            converted: object = from_serial(number, epoch)
        except (OverflowError, ValueError, TypeError):  # 20240528 as a serial: year 57000
            return number
        return converted
    return number


def _size(raw: str | None, high: float) -> float | None:
    try:
        size = float(raw or "")
    except ValueError:
        return None
    return size if math.isfinite(size) and 0 < size <= high else None
