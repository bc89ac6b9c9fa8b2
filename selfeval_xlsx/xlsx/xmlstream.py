"""Stream an XML part of the package through a parser target, within a budget.

No part is ever held as a tree: the C parser calls a target's `start`/`end`/`data` as it reads
64 KiB chunks of the zip member, and the target keeps only what the tool uses. What a part
claims (dimensions, counts) is never trusted; what it holds is bounded as it streams: the
elements parsed per workbook, the cells, the characters of text kept, the length of any one
token (a text or attribute of more than 1 MiB between two tags is refused before the parser
buffers it). A limit passed raises `Refusal`, which says which limit, in Chinese and English.
"""

from __future__ import annotations

import re
import zipfile
from typing import Any, Protocol

# The C parser of the standard library: `guard` has already refused any part that declares a
# DOCTYPE or entities (the only way to an entity expansion).
from xml.parsers import expat

from selfeval_xlsx.text import one_line

CHUNK_BYTES = 64 * 1024
MAX_TOKEN_BYTES = 1 << 20  # between two "<": no Excel cell text (32,767 characters) comes near
MAX_ELEMENTS = 4_000_000  # per workbook: a few seconds of parsing; a filled template has ~3,000
MAX_CELLS = 100_000  # per workbook: a filled template has about a thousand
MAX_TEXT_CHARS = 4_000_000  # characters of text kept per workbook (strings, formulas)
MAX_CELL_CHARS = 32_767  # Excel's limit for the text of one cell
MAX_DEPTH = 64  # element nesting; a worksheet nests about 6 deep
# Two or more empty rows in a row, each a self-closing <row .../>: one row of them is enough to
# read the sheet (see `_collapse_empty_rows`), and a generator's million of them then parse in
# well under a second.
_EMPTY_ROWS = re.compile(rb"(?:<row\b[^<>]*/>\s*){2,}")
_RUN_HINTS = (b"/><row", b"/>\n<row", b"/>\r\n<row", b"/> <row")
_ROW_NUMBER = re.compile(rb'\sr="[0-9]+"')
_CDATA = b"<![CDATA["
LAST_ROW = "selfevalLastRow"  # set by `_collapse_empty_rows` on a row standing for a run


class Refusal(Exception):
    """The package passes a limit or is inconsistent: `zh` and `en` say what, without the file
    name (the loader puts the file name in front)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


class Target(Protocol):
    def start(self, tag: str, attrib: dict[str, str]) -> None: ...
    def end(self, tag: str) -> None: ...
    def data(self, text: str) -> None: ...
    def close(self) -> Any: ...


class Budget:
    """What one workbook may cost to read, counted over every part parsed."""

    def __init__(self) -> None:
        self.elements = 0
        self.cells = 0
        self.text = 0

    def element(self) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise Refusal(
                f"文件中的 XML 元素超过 {MAX_ELEMENTS:,} 个（空行、空单元格或其他内容过多），"
                "不像是填写好的自评模板，已停止读取。请删除多余的行和工作表后重新保存再试。",
                f"the file holds more than {MAX_ELEMENTS:,} XML elements (too many empty rows, "
                "cells or other content) for a filled template; reading stopped. Remove the "
                "extra rows and sheets, save it again and try again.",
            )

    def cell(self, sheet: str) -> None:
        self.cells += 1
        if self.cells > MAX_CELLS:
            raise Refusal(
                f"工作簿的单元格超过 {MAX_CELLS:,} 个（读到工作表“{sheet}”时超过），"
                "不像是填写好的自评模板。请删除多余的工作表或行后再试。",
                f"the workbook has more than {MAX_CELLS:,} cells (passed in sheet '{sheet}'), "
                "too many for a filled template. Remove the extra sheets or rows and try again.",
            )

    def keep_text(self, length: int) -> None:
        self.text += length
        if self.text > MAX_TEXT_CHARS:
            raise Refusal(
                f"工作簿中的文字超过 {MAX_TEXT_CHARS:,} 个字符，不像是填写好的自评模板。"
                "请删除多余的内容后再试。",
                f"the workbook holds more than {MAX_TEXT_CHARS:,} characters of text, too "
                "many for a filled template. Remove the extra content and try again.",
            )


def local(tag: str) -> str:
    """`namespace}name` (as the parser gives tags) -> `name` (transitional and strict OOXML
    alike)."""
    return tag.rpartition("}")[2]


def parse_part(archive: zipfile.ZipFile, part: str, target: Target,
               worksheet: bool = False) -> Any:
    """Feed the member `part` to `target` chunk by chunk; return what `target.close()` gives.
    A worksheet's runs of empty rows are collapsed first (it may hold no CDATA section then).

    Raises Refusal (a limit), expat.ExpatError (not well-formed), KeyError (no such
    member) or what zipfile raises for a damaged member."""
    parser = expat.ParserCreate(namespace_separator="}")  # tags "uri}name": `local` as before
    parser.buffer_text = True  # a text's runs between references in one call, not one each
    parser.StartElementHandler, parser.EndElementHandler = target.start, target.end
    parser.CharacterDataHandler = target.data
    run, tail = 0, b""
    with archive.open(part) as stream:
        while chunk := stream.read(CHUNK_BYTES):
            run = _longest_run(chunk, run, part)
            if worksheet:
                if _CDATA in tail + chunk[:len(_CDATA)] or _CDATA in chunk:
                    raise _cdata(part)
                tail = chunk[-len(_CDATA):]
                if any(hint in chunk for hint in _RUN_HINTS):
                    chunk = _EMPTY_ROWS.sub(_collapse_empty_rows, chunk)
            parser.Parse(chunk, False)
    parser.Parse(b"", True)
    return target.close()


def _collapse_empty_rows(run: re.Match[bytes]) -> bytes:
    """Empty rows say nothing but their number and height. When each gives its number
    (r="..") and none sets a height, the last one alone leaves the sheet as it was; when they
    are alike but for their consecutive numbers, the first one with `LAST_ROW` (the number of
    the last) does."""
    text = run.group()
    count = text.count(b"/>")
    if text.count(b' r="') != count:
        return text
    if b"customHeight" not in text:
        return text[text.rindex(b"<", 0, len(text.rstrip()) - 1):]
    first, last = _row_number(text, text.index(b' r="')), _row_number(text, text.rindex(b' r="'))
    elements = _ROW_NUMBER.sub(b"", text).split(b"/>")[:-1]
    if last - first + 1 != count or len({e.strip() for e in elements}) != 1:
        return text
    end = text.index(b"/>")
    return text[:end] + b' %s="%d"/>' % (LAST_ROW.encode(), last)


def _row_number(text: bytes, attribute: int) -> int:
    start = attribute + 4
    digits = text[start:text.find(b'"', start)]
    return int(digits) if digits.isdigit() else -1


def _cdata(part: str) -> Refusal:
    shown = one_line(part)
    return Refusal(
        f"工作表部件“{shown}”中有 CDATA 段，不是 Excel 或 WPS 保存的正常文件，已拒绝读取。"
        "请在 Excel 或 WPS 中打开后重新保存为 .xlsx 再试。",
        f'the sheet part "{shown}" holds a CDATA section, which no Excel or WPS file has; it '
        "was refused. Open it in Excel or WPS, save it again as .xlsx and try again.",
    )


def _longest_run(chunk: bytes, carried: int, part: str) -> int:
    """The run of bytes without "<" that the chunk ends with; Refusal for one over the limit.
    A run inside one chunk is shorter than the chunk, so only runs across chunks can pass it."""
    first = chunk.find(b"<")
    if first < 0:
        run = carried + len(chunk)
    elif carried + first > MAX_TOKEN_BYTES:
        run = carried + first
    else:
        run = len(chunk) - chunk.rfind(b"<") - 1
    if run > MAX_TOKEN_BYTES:
        raise Refusal(
            f"XML 部件“{one_line(part)}”中有超过 1 MiB 的连续文字或属性，不是 Excel 或 WPS 保存的"
            "正常文件，已拒绝读取。请在 Excel 或 WPS 中打开后重新保存为 .xlsx 再试。",
            f'the XML part "{one_line(part)}" holds a text or attribute of more than 1 MiB, which no '
            "Excel or WPS file has; it was refused. Open it in Excel or WPS, save it again "
            "as .xlsx and try again.",
        )
    return run


LOCAL_NAMES: dict[str, str] = {}  # tag -> local name: a part repeats a few dozen tags


class Collector:
    """Base of the targets: an element stack (local names, under a "" sentinel) within
    MAX_DEPTH, elements counted against the budget, and text gathered only while `capture` is
    set. Subclasses call `push` first in `start` and `stack.pop()` in `end`; both run once per
    element, so they are kept short."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.stack: list[str] = [""]
        self.capture: list[str] | None = None
        self.captured = 0
        self.elements = 0
        self.element_limit = MAX_ELEMENTS - budget.elements

    def push(self, tag: str) -> tuple[str, str]:
        """Count the element, push it; return (its local name, its parent's)."""
        name = LOCAL_NAMES.get(tag)
        if name is None:
            name = local(tag)
            if len(LOCAL_NAMES) < 4096:
                LOCAL_NAMES[tag] = name
        stack = self.stack
        parent = stack[-1]
        stack.append(name)
        self.elements += 1
        if self.elements > self.element_limit or len(stack) > MAX_DEPTH:
            self._too_many()
        return name, parent

    def _too_many(self) -> None:
        if len(self.stack) > MAX_DEPTH:
            raise Refusal(
                f"XML 元素嵌套超过 {MAX_DEPTH} 层，不是 Excel 或 WPS 保存的正常文件。",
                f"XML elements are nested more than {MAX_DEPTH} deep, which no Excel or WPS "
                "file does.",
            )
        self.budget.elements = MAX_ELEMENTS
        self.budget.element()

    def finish(self) -> None:
        """Add this part's elements to the workbook's budget (call in `close`)."""
        self.budget.elements += self.elements
        self.elements = 0
        self.element_limit = MAX_ELEMENTS - self.budget.elements

    def data(self, text: str) -> None:
        if self.capture is not None:
            self.capture.append(text)
            self.captured += len(text)
            if self.captured > MAX_CELL_CHARS:
                raise Refusal(
                    f"有单元格的文字超过 {MAX_CELL_CHARS:,} 个字符（Excel 的上限），"
                    "不是 Excel 或 WPS 保存的正常文件。请删减该单元格的文字后重新保存再试。",
                    f"a cell holds more than {MAX_CELL_CHARS:,} characters (Excel's limit), "
                    "which no Excel or WPS file does. Shorten its text, save and try again.",
                )

    def begin_text(self) -> None:
        self.capture, self.captured = [], 0

    def end_text(self) -> str:
        text = "".join(self.capture or ())
        self.capture, self.captured = None, 0
        self.budget.keep_text(len(text))
        return text
