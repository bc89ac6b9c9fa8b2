"""Build broken and pathological packages from the sample by editing its zip members directly.

openpyxl would repair what these tests need broken (duplicate members, missing parts, bad
indexes), and is slow for million-row sheets; here the XML of a member is edited as text and the
zip rewritten. `SHEET_PARTS` maps the sample's sheet names to their members.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET_PARTS = {
    "填表说明": "xl/worksheets/sheet1.xml", "基本信息": "xl/worksheets/sheet2.xml",
    "收支预算": "xl/worksheets/sheet3.xml", "经费控制": "xl/worksheets/sheet4.xml",
    "资产管理": "xl/worksheets/sheet5.xml", "绩效目标": "xl/worksheets/sheet6.xml",
    "重点工作": "xl/worksheets/sheet7.xml", "重点项目": "xl/worksheets/sheet8.xml",
    "管理核对": "xl/worksheets/sheet9.xml", "评分表": "xl/worksheets/sheet10.xml",
}
Edit = Callable[[str, bytes], bytes | None]  # member, data -> new data (None: drop the member)


def members(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def write_members(target: Path, items: Iterable[tuple[str, bytes]],
                  stored: frozenset[str] = frozenset()) -> Path:
    """A zip of `items` in order (duplicates kept); members in `stored` are not compressed."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive, \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": some cases want one
        for name, data in items:
            method = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = method
            archive.writestr(info, data)
    return target


def rezip(source: Path, target: Path, edit: Edit | None = None,
          extra: Iterable[tuple[str, bytes]] = (), stored: frozenset[str] = frozenset()) -> Path:
    """`source` with every member passed through `edit`, then `extra` members appended."""
    items = []
    for name, data in members(source):
        new = edit(name, data) if edit else data
        if new is not None:
            items.append((name, new))
    return write_members(target, [*items, *extra], stored)


def edit_member(source: Path, target: Path, member: str, change: Callable[[str], str]) -> Path:
    """`source` with the XML text of one member changed."""
    def edit(name: str, data: bytes) -> bytes:
        return change(data.decode("utf-8")).encode("utf-8") if name == member else data
    return rezip(source, target, edit)


def edit_sheet(source: Path, target: Path, sheet: str, change: Callable[[str], str]) -> Path:
    return edit_member(source, target, SHEET_PARTS[sheet], change)


def append_rows(xml: str, rows: str) -> str:
    """The sheet XML with `rows` (XML text of <row> elements) added at the end of sheetData."""
    return xml.replace("</sheetData>", rows + "</sheetData>", 1)


def add_merges(xml: str, *refs: str) -> str:
    cells = "".join(f'<mergeCell ref="{ref}" />' for ref in refs)
    if "</mergeCells>" in xml:
        return xml.replace("</mergeCells>", cells + "</mergeCells>", 1)
    return xml.replace("</sheetData>", f"</sheetData><mergeCells>{cells}</mergeCells>", 1)


def shift_rows(xml: str, by: int) -> str:
    """Every row, cell reference and merged range of a sheet moved down by `by` rows."""
    xml = re.sub(r'<row r="(\d+)"', lambda m: f'<row r="{int(m[1]) + by}"', xml)
    xml = re.sub(r' r="([A-Z]+)(\d+)"', lambda m: f' r="{m[1]}{int(m[2]) + by}"', xml)
    return re.sub(r'ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"',
                  lambda m: f'ref="{m[1]}{int(m[2]) + by}:{m[3]}{int(m[4]) + by}"', xml)


def shift_columns(xml: str, by: int) -> str:
    """Every cell reference, merged range and column width of a sheet moved right by `by`."""
    from openpyxl.utils.cell import column_index_from_string, get_column_letter

    def moved(letters: str) -> str:
        return get_column_letter(column_index_from_string(letters) + by)

    xml = re.sub(r' r="([A-Z]+)(\d+)"', lambda m: f' r="{moved(m[1])}{m[2]}"', xml)
    xml = re.sub(r'ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"',
                 lambda m: f'ref="{moved(m[1])}{m[2]}:{moved(m[3])}{m[4]}"', xml)
    return re.sub(r'min="(\d+)" max="(\d+)"',
                  lambda m: f'min="{int(m[1]) + by}" max="{int(m[2]) + by}"', xml)


def with_shared_strings(source: Path, target: Path, strings: Iterable[str],
                        edit: Edit | None = None) -> Path:
    """`source` with a shared-string table (and its relationship and content type) added."""
    body = "".join(f"<si><t>{text}</t></si>" for text in strings)
    sst = f'<sst xmlns="{MAIN_NS}">{body}</sst>'.encode()
    rel = ('<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
           'relationships/sharedStrings" Target="sharedStrings.xml" Id="rIdSst" />')
    override = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')

    def add(name: str, data: bytes) -> bytes | None:
        if name == "xl/_rels/workbook.xml.rels":
            data = data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
        elif name == "[Content_Types].xml":
            data = data.replace(b"</Types>", override.encode() + b"</Types>")
        return edit(name, data) if edit else data

    return rezip(source, target, add, [("xl/sharedStrings.xml", sst)])


def set_sheet_cell(xml: str, reference: str, cell: str) -> str:
    """The sheet XML with the <c> element of `reference` replaced by `cell` (XML text)."""
    pattern = re.compile(rf'<c r="{reference}"[^>]*?(?:/>|>.*?</c>)')
    assert pattern.search(xml), reference
    return pattern.sub(cell, xml, count=1)


def flip_member_byte(path: Path, member: str, offset: int = 40) -> None:
    """Corrupt one byte of a member's stored data in place (its local header stays valid); a
    negative offset counts from the end of the data."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    data = bytearray(path.read_bytes())
    name_length = int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little")
    extra_length = int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    position = offset if offset >= 0 else info.compress_size + offset
    data[start + min(position, info.compress_size - 1)] ^= 0xFF
    path.write_bytes(bytes(data))
