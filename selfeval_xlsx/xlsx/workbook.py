"""Open a workbook for reading: safety checks first, cached values, formulas computed on demand.

Takes a path and a `CellNumber` (how a cell that a formula refers to reads as a number: the
value parser of the `read` stage); gives a `LoadedWorkbook` whose `resolve()` returns each
cell's value, computing formulas saved without a cached value."""

from __future__ import annotations

import posixpath
import re
import warnings
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from defusedxml import ElementTree

from selfeval_xlsx.errors import InputError
from selfeval_xlsx.text import Text
from selfeval_xlsx.xlsx.formula_arithmetic import FormulaError
from selfeval_xlsx.xlsx.formulas import evaluate
from selfeval_xlsx.xlsx.guard import inspect_workbook_file
from selfeval_xlsx.xlsx.package import REFERENCE, Package, SheetValues, column_number

T = TypeVar("T")
CellNumber = Callable[[object, str], Decimal | None]
"""The number in a cell (value, number format); None when empty; ValueError when not a number."""
MAX_ROWS = 5000
MAX_COLUMNS = 200
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")
CELL_TAG = re.compile(rb"<(?:\w+:)?c[ >/]")
MAX_CELLS = 200_000  # a filled template has about a thousand; openpyxl holds every cell in memory
NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class Resolved:
    """A cell's value as the tool reads it."""

    __slots__ = ("computed", "error", "formula", "number_format", "value")

    def __init__(self, value: object, number_format: str, formula: str = "",
                 computed: bool = False, error: str = "") -> None:
        self.value = value
        self.number_format = number_format
        self.formula = formula
        self.computed = computed
        self.error = error


class LoadedWorkbook:
    """Cached values of a workbook, with formulas that have no cached value computed.

    Values, formats, merged ranges, sizes and cell looks come from the fast reader
    (`package`); openpyxl opens the file only where a shared formula lacks its text."""

    def __init__(self, path: Path, cell_number: CellNumber) -> None:
        self.path = path
        self._cell_number = cell_number
        self._has_formulas = _scan_sheets(path)
        self._package = _guarded(path, lambda: _read_package(path))
        self._formulas: Any = None
        self._resolving: set[tuple[str, str]] = set()

    @property
    def has_formulas(self) -> bool:
        return self._has_formulas

    @property
    def sheet_names(self) -> list[str]:
        return list(self._package.parts)

    def preload(self, names: list[str]) -> None:
        _guarded(self.path, lambda: self._package.read(self.path, names, MAX_ROWS, MAX_COLUMNS))

    def sheet(self, name: str) -> SheetValues:
        return _guarded(self.path,
                        lambda: self._package.sheet(self.path, name, MAX_ROWS, MAX_COLUMNS))

    def look(self, style: int) -> dict[str, Any]:
        """The look (number format, bold, size, wrap, alignment, border) of a cell style."""
        looks = self._package.looks
        return looks[style] if style < len(looks) else {}

    def resolve(self, sheet: str, coordinate: str) -> Resolved:
        match = REFERENCE.fullmatch(coordinate)
        if match is None:
            return Resolved(None, "")
        cell = self.sheet(sheet).cells.get((int(match[2]), column_number(match[1])))
        if cell is None:
            return Resolved(None, "")
        value, fmt, formula = cell
        if value is not None or not formula:
            return Resolved(value, fmt)
        if formula == "=?":
            formula = self._shared_formula(sheet, coordinate)
        try:
            return Resolved(self._compute(sheet, coordinate, formula), fmt, formula, computed=True)
        except FormulaError as exc:
            return Resolved(None, fmt, formula, error=str(exc))

    def _shared_formula(self, sheet: str, coordinate: str) -> str:
        """openpyxl expands a shared formula for each cell it covers."""
        if self._formulas is None:
            self._formulas = _open(self.path, data_only=False)
        value = self._formulas[sheet][coordinate].value
        text = getattr(value, "text", value)  # ArrayFormula keeps its text in .text
        return text if isinstance(text, str) and text.startswith("=") else "=?"

    def _compute(self, sheet: str, coordinate: str, formula: str) -> Decimal:
        key = (sheet, coordinate)
        if key in self._resolving:
            raise FormulaError("circular reference")
        self._resolving.add(key)
        try:
            return evaluate(formula, sheet, self._lookup)
        finally:
            self._resolving.discard(key)

    def _lookup(self, sheet: str, coordinate: str) -> Decimal | None:
        if sheet not in self._package.parts:
            raise FormulaError(f"unknown sheet {sheet}")
        resolved = self.resolve(sheet, coordinate)
        if resolved.error:
            raise FormulaError(resolved.error)
        try:
            return self._cell_number(resolved.value, resolved.number_format)
        except ValueError:
            raise FormulaError(f"{sheet}!{coordinate} is not a number") from None


def _read_package(path: Path) -> Package:
    with zipfile.ZipFile(path) as archive:
        return Package(archive)


def _guarded(path: Path, read: Callable[[], T]) -> T:
    """Reading a damaged package raises many kinds of exception: one clear message for all."""
    try:
        return read()
    except (KeyError, ValueError, IndexError, OSError, zipfile.BadZipFile,
            ElementTree.ParseError) as exc:
        raise _damaged(path, exc) from exc


def _damaged(path: Path, exc: Exception) -> InputError:
    return InputError(Text(
        f"无法读取“{path.name}”：文件已损坏或不是有效的 Excel 工作簿（{type(exc).__name__}）。"
        "请在 Excel 或 WPS 中打开并另存为 .xlsx 后再试。",
        f"Cannot read '{path.name}': the file is damaged or not a valid Excel workbook "
        f"({type(exc).__name__}). Open it in Excel or WPS, save it as .xlsx and try again.",
    ))


def _open(path: Path, data_only: bool) -> Any:
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, data_only=data_only, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _damaged(path, exc) from exc


def _scan_sheets(path: Path) -> bool:
    """Stream every worksheet part once: refuse a workbook too large to be a filled template
    before openpyxl loads it (in time and memory), and say whether any formula exists."""
    formulas, total, largest = False, 0, ("", 0)
    with zipfile.ZipFile(path) as archive:
        for name, part in _sheet_parts(archive).items():
            if part not in archive.namelist():
                continue
            with archive.open(part) as stream:
                has_formula, cells = _scan_stream(stream)
            formulas, total = formulas or has_formula, total + cells
            largest = max(largest, (name, cells), key=lambda item: item[1])
            if total > MAX_CELLS:
                raise _too_many_cells(path.name, *largest)
    return formulas


def _scan_stream(stream: Any) -> tuple[bool, int]:
    formula, cells, tail = False, 0, b""
    while chunk := stream.read(1 << 16):
        window = tail + chunk
        cut = len(window) - 8
        formula = formula or FORMULA_TAG.search(window) is not None
        cells += sum(1 for match in CELL_TAG.finditer(window) if match.start() < cut)
        tail = window[cut:]
    return formula, cells + len(CELL_TAG.findall(tail))


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet name -> its part in the zip, from workbook.xml and its relationships."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{NS_PKG}Relationship")}
    parts: dict[str, str] = {}
    for sheet in workbook.iter(f"{NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{NS_REL}id"), "")
        parts[sheet.get("name", "")] = (target.lstrip("/") if target.startswith("/") else
                                        posixpath.normpath(posixpath.join("xl", target)))
    return parts


def _too_many_cells(file_name: str, sheet: str, cells: int) -> InputError:
    return InputError(Text(
        f"无法读取“{file_name}”：工作簿的单元格超过 {MAX_CELLS:,} 个（工作表“{sheet}”有约 {cells:,} 个），"
        "不像是填写好的自评模板。请删除多余的工作表或行后再试。",
        f"Cannot read '{file_name}': the workbook has more than {MAX_CELLS:,} cells (sheet "
        f"'{sheet}' has about {cells:,}), too many for a filled template. Remove the extra "
        "sheets or rows and try again.",
    ))


def load(path: Path, cell_number: CellNumber) -> LoadedWorkbook:
    inspect_workbook_file(path)
    return LoadedWorkbook(path, cell_number)
