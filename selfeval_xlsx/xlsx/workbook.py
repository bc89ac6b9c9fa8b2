"""Open a workbook for reading: one snapshot of its bytes, safety checks first, cached values,
formulas computed on demand.

Takes a path and a `CellNumber` (how a cell that a formula refers to reads as a number: the
value parser of the `read` stage); gives a `LoadedWorkbook` whose `resolve()` returns each
cell's value, computing formulas saved without a cached value. The file is read once: the guard,
the SHA-256 of the result and every value come from the same bytes."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from xml.parsers.expat import ExpatError

from selfeval_xlsx.errors import InputError
from selfeval_xlsx.text import Text
from selfeval_xlsx.xlsx.evaluator import CellNumber, FormulaEngine
from selfeval_xlsx.xlsx.formula_arithmetic import FormulaError
from selfeval_xlsx.xlsx.guard import ZIP_DAMAGE, read_workbook
from selfeval_xlsx.xlsx.guard_messages import damaged, display, refuse
from selfeval_xlsx.xlsx.package import REFERENCE, Package, Refusal, SheetValues, column_number

__all__ = ["CellNumber", "LoadedWorkbook", "Resolved", "load"]
T = TypeVar("T")


class Resolved:
    """A cell's value as the tool reads it; `error` says why a formula could not be computed."""

    __slots__ = ("computed", "error", "formula", "number_format", "value")

    def __init__(self, value: object, number_format: str, formula: str = "",
                 computed: bool = False, error: Text | None = None) -> None:
        self.value = value
        self.number_format = number_format
        self.formula = formula
        self.computed = computed
        self.error = error


class LoadedWorkbook:
    """Cached values of a workbook, with formulas that have no cached value computed.

    Values, formats, merged ranges, sizes and cell looks come from the fast reader (`package`),
    over the bytes read once; formulas from the `FormulaEngine` (`evaluator`)."""

    def __init__(self, path: Path, cell_number: CellNumber, data: bytes,
                 archive: zipfile.ZipFile) -> None:
        self.path = path
        self.sha256 = hashlib.sha256(data).hexdigest()
        self._name = display(path.name)
        self._package = self._guarded(lambda: Package(archive))
        self._engine = FormulaEngine(self._sheet_or_none, cell_number)

    @property
    def has_formulas(self) -> bool:
        """Whether a sheet read so far has a formula without a cached value."""
        return self._package.uncached

    @property
    def sheet_names(self) -> list[str]:
        return list(self._package.parts)

    def preload(self, names: list[str]) -> None:
        self._guarded(lambda: self._package.read(names))

    def sheet(self, name: str) -> SheetValues:
        return self._guarded(lambda: self._package.sheet(name))

    def look(self, style: int) -> dict[str, Any]:
        """The look (number format, bold, size, wrap, alignment, border) of a cell style."""
        looks = self._package.looks
        return looks[style] if 0 <= style < len(looks) else {}

    def resolve(self, sheet: str, coordinate: str) -> Resolved:
        match = REFERENCE.fullmatch(coordinate)
        if match is None:
            return Resolved(None, "")
        row, col = int(match[2]), column_number(match[1])
        cell = self.sheet(sheet).cells.get((row, col))
        if cell is None:
            return Resolved(None, "")
        value, fmt, formula = cell
        if value is not None or not formula:
            return Resolved(value, fmt)
        try:
            return Resolved(self._engine.value(sheet, row, col), fmt, formula, computed=True)
        except FormulaError as exc:  # the message shows the formula (a shared one translated)
            text = self._engine.formula((sheet, row, col))
            return Resolved(None, fmt, text, error=Text(exc.zh, str(exc)))

    def _sheet_or_none(self, name: str) -> SheetValues | None:
        return self.sheet(name) if name in self._package.parts else None

    def _guarded(self, read: Callable[[], T]) -> T:
        """Reading a broken package raises many kinds of exception: one clear message for all."""
        try:
            return read()
        except Refusal as exc:
            raise refuse(self._name, exc.zh, exc.en) from None
        except (KeyError, IndexError, ExpatError, *ZIP_DAMAGE) as exc:
            raise _damaged(self._name, exc) from exc


def _damaged(name: str, exc: Exception) -> InputError:
    if not isinstance(exc, ExpatError | KeyError):
        return damaged(name)
    return InputError(Text(
        f"无法读取“{name}”：文件已损坏或不是有效的 Excel 工作簿（内部部件缺失或格式错误）。"
        "请在 Excel 或 WPS 中打开并另存为 .xlsx 后再试。",
        f"Cannot read '{name}': the file is damaged or not a valid Excel workbook (a part is "
        "missing or malformed). Open it in Excel or WPS, save it as .xlsx and try again.",
    ))


def load(path: Path, cell_number: CellNumber) -> LoadedWorkbook:
    """Read `path` once, inspect it (`guard`), and open it as a package of cells."""
    data, archive = read_workbook(path)
    return LoadedWorkbook(path, cell_number, data, archive)
