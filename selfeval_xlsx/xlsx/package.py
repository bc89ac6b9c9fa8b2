"""A fast reader of cell values from an .xlsx/.xlsm package: what the checks need, nothing more.

openpyxl builds a full object model (styles, fonts, borders) of every sheet; reading a filled
template that way costs about 50 ms, most of a workbook's evaluation. This module reads only
values, number formats, formulas, merged ranges, custom sizes and the few cell looks the output
workbook copies (bold, size, wrap, alignment, border), with the C XML parser, bounded to the rows
and columns a template can use.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The C parser of the standard library, not defusedxml's slower Python-level one: `guard` has
# already refused any part that declares a DOCTYPE or entities (the only way to an entity
# expansion), and expat (2.4+) limits amplification besides.
from xml.etree import ElementTree

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
REFERENCE = re.compile(r"([A-Z]{1,3})(\d+)")
ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})


@dataclass
class SheetValues:
    """Cells with a value or a formula: (row, col) -> (value, number format, formula)."""

    name: str
    cells: dict[tuple[int, int], tuple[object, str, str]] = field(default_factory=dict)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    styles: dict[tuple[int, int], int] = field(default_factory=dict)  # cell -> cellXfs index
    widths: dict[int, float] = field(default_factory=dict)  # column -> custom width
    heights: dict[int, float] = field(default_factory=dict)  # row -> custom height


def column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


class Package:
    """The workbook-level parts: sheet names and parts, shared strings, number formats."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive  # open only while the package is read; see `sheet`
        workbook = self._xml("xl/workbook.xml")
        self.parts = self._sheet_parts(workbook)
        properties = workbook.find(f"{MAIN}workbookPr")
        date1904 = properties is not None and properties.get("date1904") in ("1", "true")
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        self.strings = self._shared_strings()
        self.formats: list[str] = []
        self.looks: list[dict[str, Any]] = []  # per cellXfs index: the look worth copying
        self._read_styles()
        self.sheets: dict[str, SheetValues] = {}

    def sheet(self, path: Path, name: str, max_rows: int, max_cols: int) -> SheetValues:
        """The values of one sheet (read once; empty for a sheet without a worksheet part)."""
        if name not in self.sheets:
            self.read(path, [name], max_rows, max_cols)
        return self.sheets[name]

    def read(self, path: Path, names: list[str], max_rows: int, max_cols: int) -> None:
        """Read these sheets with one opening of the package."""
        with zipfile.ZipFile(path) as archive:
            self.archive = archive
            members = set(archive.namelist())
            for name in (n for n in names if n not in self.sheets):
                part = self.parts.get(name, "")
                self.sheets[name] = (_read_sheet(self, name, part, max_rows, max_cols)
                                     if part in members else SheetValues(name))

    def _xml(self, part: str) -> Any:
        return ElementTree.fromstring(self.archive.read(part))

    def _sheet_parts(self, workbook: Any) -> dict[str, str]:
        rels = self._xml(_rels_of("xl/workbook.xml"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{PKG}Relationship")}
        return {s.get("name", ""): _resolve("xl", targets.get(s.get(f"{REL}id"), ""))
                for s in workbook.iter(f"{MAIN}sheet")}

    def _shared_strings(self) -> list[str]:
        part = self._related("sharedStrings")
        if part is None:
            return []
        return [_text_of(item) for item in self._xml(part).iter(f"{MAIN}si")]

    def _read_styles(self) -> None:
        part = self._related("styles")
        if part is None:
            return
        styles = self._xml(part)
        custom = {int(n.get("numFmtId", "0")): n.get("formatCode", "")
                  for n in styles.iter(f"{MAIN}numFmt")}
        fonts = [_font(f) for f in _children(styles, "fonts", "font")]
        borders = [_has_border(b) for b in _children(styles, "borders", "border")]
        for xf in _children(styles, "cellXfs", "xf"):
            number = int(xf.get("numFmtId", "0"))
            fmt = custom.get(number) or BUILTIN_FORMATS.get(number, "General")
            self.formats.append(fmt)
            self.looks.append(_look(xf, fmt, fonts, borders))

    def _related(self, kind: str) -> str | None:
        rels = self._xml(_rels_of("xl/workbook.xml"))
        for rel in rels.iter(f"{PKG}Relationship"):
            if rel.get("Type", "").endswith("/" + kind):
                part = _resolve("xl", rel.get("Target", ""))
                return part if part in self.archive.namelist() else None
        return None


def _read_sheet(package: Package, name: str, part: str, max_rows: int,
                max_cols: int) -> SheetValues:
    root = ElementTree.fromstring(package.archive.read(part))
    sheet = SheetValues(name)
    data = root.find(f"{MAIN}sheetData")
    _dimensions(root, sheet, max_rows, max_cols)
    for row_number, row in _rows(data if data is not None else []):
        if row_number > max_rows:
            break
        if row.get("customHeight") in ("1", "true") and row.get("ht"):
            sheet.heights[row_number] = float(row.get("ht"))
        _read_row(package, sheet, row_number, row, max_cols)
    for merge in root.iter(f"{MAIN}mergeCell"):
        first, _, last = merge.get("ref", "").partition(":")
        a, b = REFERENCE.fullmatch(first), REFERENCE.fullmatch(last or first)
        if a and b:
            sheet.merged.append((int(a[2]), column_number(a[1]), int(b[2]), column_number(b[1])))
    return sheet


def _children(root: Any, group: str, item: str) -> list[Any]:
    node = root.find(f"{MAIN}{group}")
    return [] if node is None else list(node.iter(f"{MAIN}{item}"))


def _font(font: Any) -> dict[str, Any]:
    look: dict[str, Any] = {}
    bold = font.find(f"{MAIN}b")
    if bold is not None and bold.get("val", "1") not in ("0", "false"):
        look["bold"] = True
    size = font.find(f"{MAIN}sz")
    if size is not None and size.get("val") and float(size.get("val")) != 11:
        look["font_size"] = float(size.get("val"))
    return look


def _has_border(border: Any) -> bool:
    return any((side := border.find(f"{MAIN}{name}")) is not None and side.get("style")
               for name in ("left", "right", "top", "bottom"))


def _look(xf: Any, fmt: str, fonts: list[dict[str, Any]], borders: list[bool]) -> dict[str, Any]:
    """Number format, bold, size, wrap, alignment and border of one cell style."""
    look: dict[str, Any] = {"num_format": fmt} if fmt and fmt != "General" else {}
    font_id, border_id = int(xf.get("fontId", "0")), int(xf.get("borderId", "0"))
    look.update(fonts[font_id] if font_id < len(fonts) else {})
    alignment = xf.find(f"{MAIN}alignment")
    if alignment is not None and alignment.get("wrapText") in ("1", "true"):
        look["text_wrap"] = True
    if alignment is not None and alignment.get("horizontal") in ("left", "center", "right"):
        look["align"] = alignment.get("horizontal")
    if border_id < len(borders) and borders[border_id]:
        look["border"] = 1
    return look


def _dimensions(root: Any, sheet: SheetValues, max_rows: int, max_cols: int) -> None:
    for col in root.iter(f"{MAIN}col"):
        if col.get("customWidth") in ("1", "true") and col.get("width"):
            for number in range(int(col.get("min", "1")), min(int(col.get("max", "1")),
                                                              max_cols) + 1):
                sheet.widths[number] = float(col.get("width"))


def _rows(data: Any) -> Any:
    number = 0
    for row in data:
        number = int(row.get("r") or number + 1)
        yield number, row


def _read_row(package: Package, sheet: SheetValues, row_number: int, row: Any,
              max_cols: int) -> None:
    col = 0
    for cell in row:
        match = REFERENCE.fullmatch(cell.get("r") or "")
        col = column_number(match[1]) if match else col + 1
        if col > max_cols:
            break
        if cell.get("s") not in (None, "0"):
            sheet.styles[(row_number, col)] = int(cell.get("s"))
        value, fmt, formula = _cell(package, cell)
        if value is not None or formula:
            sheet.cells[(row_number, col)] = (value, fmt, formula)


def _cell(package: Package, cell: Any) -> tuple[object, str, str]:
    style = int(cell.get("s") or 0)
    fmt = package.formats[style] if style < len(package.formats) else "General"
    kind = cell.get("t", "n")
    formula_node = cell.find(f"{MAIN}f")
    formula = "=" + formula_node.text if formula_node is not None and formula_node.text else ""
    if formula_node is not None and not formula:
        formula = "=?"  # a shared formula without text: only its cached value is used
    raw = cell.findtext(f"{MAIN}v")
    if kind == "inlineStr":
        node = cell.find(f"{MAIN}is")
        return (_text_of(node) if node is not None else None), fmt, formula
    if raw is None or (not raw and kind not in ("str", "s")):
        return None, fmt, formula
    return _typed(package, kind, raw, fmt), fmt, formula


def _typed(package: Package, kind: str, raw: str, fmt: str) -> object:
    if kind == "s":
        index = int(raw)
        return package.strings[index] if index < len(package.strings) else None
    if kind in ("str", "e"):
        return raw
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "d":  # an ISO 8601 date cell (strict OOXML, some writers)
        try:
            return dt.datetime.fromisoformat(raw.strip().rstrip("Z"))
        except ValueError:
            return raw
    try:
        number: float | int = float(raw) if any(ch in raw for ch in ".eEnN") else int(raw)
    except ValueError:  # a writer that put text in a number cell: keep the text
        return raw
    if is_date_format(fmt):
        converted: dt.datetime | dt.date | dt.time | dt.timedelta | None = from_excel(
            number, package.epoch)
        return converted
    return number


def _text_of(node: Any) -> str:
    """The text of a shared or inline string, rich-text runs joined, phonetic runs left out."""
    direct = node.find(f"{MAIN}t")
    if direct is not None:
        return direct.text or ""
    return "".join(r.findtext(f"{MAIN}t") or "" for r in node.iter(f"{MAIN}r"))


def _rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _resolve(folder: str, target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(
        posixpath.join(folder, target))
