"""A fast reader of cell values from an .xlsx/.xlsm package: what the checks need, nothing more.

openpyxl builds a full object model (styles, fonts, borders) of every sheet; reading a filled
template that way costs about 50 ms, most of a workbook's evaluation. This module reads only
values, number formats, formulas, merged ranges, custom sizes and the few cell looks the output
workbook copies (bold, size, wrap, alignment, border), streaming every part through the C XML
parser (`xmlstream`) within one budget per workbook, so memory follows what the file holds, not
what it declares. A sheet named in the workbook whose part is missing, two sheets of one name, a
shared string that does not exist: the package is refused (`Refusal`), never read one way.
"""

from __future__ import annotations

import posixpath
import zipfile
from typing import Any

from selfeval_xlsx.text import one_line
from selfeval_xlsx.xlsx.cells import REFERENCE, SheetValues, column_number
from selfeval_xlsx.xlsx.number_formats import MAC_EPOCH, WINDOWS_EPOCH, builtin_format
from selfeval_xlsx.xlsx.sheet_part import TRUE, CellContext, SheetReader
from selfeval_xlsx.xlsx.xmlstream import Budget, Collector, Refusal, parse_part

__all__ = ["REFERENCE", "Package", "Refusal", "SheetValues", "column_number"]
MAX_SHEETS = 10_000  # as many as the zip may have members
MAX_STYLES = 65_536  # Excel keeps at most 64,000 cell formats
MAX_SHARED_STRINGS = 200_000  # twice the cells a workbook may have (100,000)
MAX_RELATIONSHIPS = 100_000
WORKBOOK_PART = "xl/workbook.xml"


class Package:
    """The workbook-level parts: sheet names and parts, shared strings, number formats."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive  # over the bytes of the file, read once
        self.budget = Budget()
        self.members = set(archive.namelist())
        book = parse_part(archive, WORKBOOK_PART, WorkbookTarget(self.budget))
        rels = self._relationships(WORKBOOK_PART)
        self.parts = self._sheet_parts(book.sheets, rels)
        epoch = MAC_EPOCH if book.date1904 else WINDOWS_EPOCH
        strings = self._parse(_related(rels, "sharedStrings"), StringsTarget(self.budget), [])
        styles = self._parse(_related(rels, "styles"), StylesTarget(self.budget), None)
        self.formats: list[str] = styles.formats if styles else []
        self.looks: list[dict[str, Any]] = styles.looks if styles else []
        self.context = CellContext(strings, self.formats, epoch)
        self.sheets: dict[str, SheetValues] = {}
        self.uncached = False  # a sheet read so far has a formula without a cached value

    def sheet(self, name: str) -> SheetValues:
        """The values of one sheet (read once; empty for a sheet without a worksheet part)."""
        if name not in self.sheets:
            self.read([name])
        return self.sheets[name]

    def read(self, names: list[str]) -> None:
        for name in (n for n in names if n not in self.sheets):
            sheet = SheetValues(name)
            part = self.parts.get(name)
            if part is not None:
                parse_part(self.archive, part, SheetReader(sheet, self.context, self.budget),
                           worksheet=True)
            self.uncached = self.uncached or any(
                value is None and formula for value, _, formula in sheet.cells.values())
            self.sheets[name] = sheet

    def _parse(self, part: str | None, target: Any, default: Any) -> Any:
        return default if part is None or part not in self.members else parse_part(
            self.archive, part, target)

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Id -> (type, target part) of the relationships of `part`."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", name + ".rels")
        found: dict[str, tuple[str, str]] = parse_part(self.archive, rels, RelsTarget(self.budget))
        return {key: (kind, _resolve(folder, target)) for key, (kind, target) in found.items()}

    def _sheet_parts(self, sheets: list[tuple[str, str]],
                     rels: dict[str, tuple[str, str]]) -> dict[str, str]:
        """Sheet name -> its part; every sheet named must be there, once."""
        parts: dict[str, str] = {}
        seen: set[str] = set()
        for name, rel in sheets:
            if name.casefold() in seen:
                raise _broken(f"工作簿中有两个名为“{one_line(name)}”的工作表，无法确定应读取哪一个",
                              f"the workbook has two sheets named '{one_line(name)}': which "
                              "one to read is ambiguous")
            seen.add(name.casefold())
            target = rels.get(rel, ("", ""))[1]
            if target not in self.members:
                raise _broken(f"工作表“{one_line(name)}”的内容（{one_line(target or rel)}）不存在",
                              f"the content of sheet '{one_line(name)}' "
                              f"({one_line(target or rel)}) is missing")
            parts[name] = target
        return parts


def _related(rels: dict[str, tuple[str, str]], kind: str) -> str | None:
    for rel_type, target in rels.values():
        if rel_type.endswith("/" + kind):
            return target
    return None


def _resolve(folder: str, target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(
        posixpath.join(folder, target))


def _too_many_strings() -> Refusal:
    return Refusal(f"共享字符串表超过 {MAX_SHARED_STRINGS:,} 项，不像是填写好的自评模板。"
                   "请删除多余的内容后重新保存再试。",
                   f"the shared-string table has more than {MAX_SHARED_STRINGS:,} items, too "
                   "many for a filled template. Remove the extra content, save and try again.")


def _broken(zh: str, en: str) -> Refusal:
    return Refusal(f"文件已损坏或不完整：{zh}。请在 Excel 或 WPS 中打开后重新保存为 .xlsx 再试。",
                   f"the file is damaged or incomplete: {en}. Open it in Excel or WPS, save it "
                   "again as .xlsx and try again.")


# --- the targets of the workbook-level parts ---------------------------------------------------


class WorkbookTarget(Collector):
    """xl/workbook.xml: the sheets (name, relationship id) in order, and the date system."""

    def __init__(self, budget: Budget) -> None:
        super().__init__(budget)
        self.sheets: list[tuple[str, str]] = []
        self.date1904 = False

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        name, parent = self.push(tag)
        if name == "sheet" and parent == "sheets":
            rel = next((v for k, v in attrib.items() if k.endswith("}id")), "")
            self.sheets.append((attrib.get("name", ""), rel))
            if len(self.sheets) > MAX_SHEETS:
                raise _broken(f"工作表超过 {MAX_SHEETS:,} 个", f"more than {MAX_SHEETS:,} sheets")
        elif name == "workbookPr":
            self.date1904 = attrib.get("date1904") in TRUE

    def end(self, tag: str) -> None:
        self.stack.pop()

    def close(self) -> WorkbookTarget:
        self.finish()
        return self


class RelsTarget(Collector):
    """A .rels part: Id -> (Type, Target), external targets left out."""

    def __init__(self, budget: Budget) -> None:
        super().__init__(budget)
        self.found: dict[str, tuple[str, str]] = {}

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        name, _ = self.push(tag)
        if name == "Relationship" and attrib.get("TargetMode") != "External":
            key = attrib.get("Id", "")
            if key in self.found or len(self.found) >= MAX_RELATIONSHIPS:
                raise _broken(f"关系部件中的编号“{one_line(key[:40])}”重复或关系过多",
                              f"the relationship id '{one_line(key[:40])}' is repeated, or "
                              "there are too many relationships")
            self.found[key] = (attrib.get("Type", ""), attrib.get("Target", ""))

    def end(self, tag: str) -> None:
        self.stack.pop()

    def close(self) -> dict[str, tuple[str, str]]:
        self.finish()
        return self.found


class StringsTarget(Collector):
    """xl/sharedStrings.xml: each <si> as text (rich-text runs joined, phonetic runs left out)."""

    def __init__(self, budget: Budget) -> None:
        super().__init__(budget)
        self.strings: list[str] = []
        self.direct: str | None = None
        self.runs: list[str] = []

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        name, parent = self.push(tag)
        if name == "si":
            if len(self.strings) >= MAX_SHARED_STRINGS:
                raise _too_many_strings()
            self.direct, self.runs = None, []
        elif name == "sst" and _int(attrib.get("uniqueCount")) > MAX_SHARED_STRINGS:
            raise _too_many_strings()  # as declared: no need to read them all to know
        elif name == "t" and (parent == "si" or (parent == "r" and self.stack[-3:-2] == ["si"])):
            self.begin_text()

    def end(self, tag: str) -> None:
        name = self.stack.pop()
        parent = self.stack[-1]
        if name == "t" and self.capture is not None:
            text = self.end_text()
            if parent == "si":
                self.direct = text
            else:
                self.runs.append(text)
        elif name == "si":
            self.strings.append(self.direct if self.direct is not None else "".join(self.runs))

    def close(self) -> list[str]:
        self.finish()
        return self.strings


class StylesTarget(Collector):
    """xl/styles.xml: per cellXfs index, the number format and the look worth copying."""

    def __init__(self, budget: Budget) -> None:
        super().__init__(budget)
        self.custom: dict[int, str] = {}
        self.fonts: list[dict[str, Any]] = []
        self.borders: list[bool] = []
        self.xfs: list[dict[str, str]] = []
        self.formats: list[str] = []
        self.looks: list[dict[str, Any]] = []

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        name, parent = self.push(tag)
        if name == "numFmt" and parent == "numFmts":
            self.custom[_int(attrib.get("numFmtId"))] = attrib.get("formatCode", "")
        elif name == "font" and parent == "fonts":
            self._count(self.fonts).append({})
        elif parent == "font" and self.stack[-3:-2] == ["fonts"] and self.fonts:
            _font_property(self.fonts[-1], name, attrib)
        elif name == "border" and parent == "borders":
            self._count(self.borders).append(False)
        elif parent == "border" and self.stack[-3:-2] == ["borders"] and attrib.get("style"):
            if name in ("left", "right", "top", "bottom") and self.borders:
                self.borders[-1] = True
        elif name == "xf" and parent == "cellXfs":
            self._count(self.xfs).append(dict(attrib))
        elif name == "alignment" and parent == "xf" and self.stack[-3:-2] == ["cellXfs"]:
            self.xfs[-1].update({"wrap": attrib.get("wrapText", ""),
                                 "align": attrib.get("horizontal", "")})

    def end(self, tag: str) -> None:
        self.stack.pop()

    def _count(self, items: list[Any]) -> list[Any]:
        if len(items) >= MAX_STYLES:
            raise _broken(f"样式表中的格式超过 {MAX_STYLES:,} 种（Excel 最多 64,000 种）",
                          f"the styles hold more than {MAX_STYLES:,} formats (Excel allows 64,000)")
        return items

    def close(self) -> StylesTarget:
        self.finish()
        for xf in self.xfs:
            number = _int(xf.get("numFmtId"))
            fmt = self.custom.get(number) or builtin_format(number)
            self.formats.append(fmt)
            self.looks.append(_look(xf, fmt, self.fonts, self.borders))
        return self


def _int(raw: str | None) -> int:
    try:
        return int(raw or "0")
    except ValueError:
        return 0


def _font_property(font: dict[str, Any], name: str, attrib: dict[str, str]) -> None:
    if name == "b" and attrib.get("val", "1") not in ("0", "false"):
        font["bold"] = True
    elif name == "sz" and attrib.get("val"):
        try:
            size = float(attrib["val"])
        except ValueError:
            return
        if 1 <= size <= 409 and size != 11:
            font["font_size"] = size


def _look(xf: dict[str, str], fmt: str, fonts: list[dict[str, Any]],
          borders: list[bool]) -> dict[str, Any]:
    """Number format, bold, size, wrap, alignment and border of one cell style."""
    look: dict[str, Any] = {"num_format": fmt} if fmt and fmt != "General" else {}
    font_id, border_id = _int(xf.get("fontId")), _int(xf.get("borderId"))
    look.update(fonts[font_id] if 0 <= font_id < len(fonts) else {})
    if xf.get("wrap") in TRUE:
        look["text_wrap"] = True
    if xf.get("align") in ("left", "center", "right"):
        look["align"] = xf["align"]
    if 0 <= border_id < len(borders) and borders[border_id]:
        look["border"] = 1
    return look
