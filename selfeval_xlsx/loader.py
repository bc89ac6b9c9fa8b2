"""Open a workbook for reading: safety checks first, cached values, formulas computed on demand."""

from __future__ import annotations

import re
import warnings
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from selfeval_xlsx.errors import InputError
from selfeval_xlsx.formulas import FormulaError, evaluate
from selfeval_xlsx.guard import inspect_workbook_file
from selfeval_xlsx.text import Text
from selfeval_xlsx.values import parse_amount

FORMULA_TAG = re.compile(rb"<f[ >/]")


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
    """Cached values of a workbook, with formulas that have no cached value computed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.values = _open(path, data_only=True)
        self._has_formulas = _has_formula_tags(path)
        self._formulas: Any = None
        self._resolving: set[tuple[str, str]] = set()

    @property
    def sheet_names(self) -> list[str]:
        return list(self.values.sheetnames)

    def resolve(self, sheet: str, coordinate: str) -> Resolved:
        cell = self.values[sheet][coordinate]
        fmt = str(cell.number_format or "")
        if cell.value is not None or not self._has_formulas:
            return Resolved(cell.value, fmt)
        formula = self._formula(sheet, coordinate)
        if not formula:
            return Resolved(None, fmt)
        try:
            return Resolved(self._compute(sheet, coordinate, formula), fmt, formula, computed=True)
        except FormulaError as exc:
            return Resolved(None, fmt, formula, error=str(exc))

    def _formula(self, sheet: str, coordinate: str) -> str:
        if self._formulas is None:
            self._formulas = _open(self.path, data_only=False)
        if sheet not in self._formulas.sheetnames:
            return ""
        value = self._formulas[sheet][coordinate].value
        text = getattr(value, "text", value)  # ArrayFormula keeps its text in .text
        return text if isinstance(text, str) and text.startswith("=") else ""

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
        if sheet not in self.values.sheetnames:
            raise FormulaError(f"unknown sheet {sheet}")
        resolved = self.resolve(sheet, coordinate)
        if resolved.error:
            raise FormulaError(resolved.error)
        parsed = parse_amount(resolved.value, resolved.number_format)
        if parsed.issues and parsed.value is None:
            raise FormulaError(f"{sheet}!{coordinate} is not a number")
        value = parsed.value
        return value if isinstance(value, Decimal) else None


def _open(path: Path, data_only: bool) -> Any:
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, data_only=data_only, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InputError(Text(
            f"无法读取“{path.name}”：文件已损坏或不是有效的 Excel 工作簿（{type(exc).__name__}）。"
            "请在 Excel 或 WPS 中打开并另存为 .xlsx 后再试。",
            f"Cannot read '{path.name}': the file is damaged or not a valid Excel workbook "
            f"({type(exc).__name__}). Open it in Excel or WPS, save it as .xlsx and try again.",
        )) from exc


def _has_formula_tags(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                with archive.open(info) as stream:
                    if _stream_has_formula(stream):
                        return True
    return False


def _stream_has_formula(stream: Any) -> bool:
    tail = b""
    while chunk := stream.read(1 << 16):
        if FORMULA_TAG.search(tail + chunk):
            return True
        tail = chunk[-8:]
    return False


def load(path: Path) -> LoadedWorkbook:
    inspect_workbook_file(path)
    return LoadedWorkbook(path)
