"""Broken, ambiguous and pathological packages of `hostile_inventory.md`: one function per case.

Built from the sample by editing its XML (`package_edit`), as the programs that write such files
would: values a clerk typed, formulas saved without cached values, damaged or duplicated zip
members, and content far larger than what a filled template holds. Each builder gets a work
folder and the sample and returns the input path and the `-o` output path.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from package_edit import (
    SHEET_PARTS,
    add_merges,
    append_rows,
    edit_sheet,
    flip_member_byte,
    members,
    rezip,
    set_sheet_cell,
    shift_rows,
    with_shared_strings,
)

Built = tuple[Path, Path | None]
ASSETS = "资产管理"  # B3 固定资产总额 = 88.94, B4 实际在用固定资产总额 = 88.94
CHAIN_START = 10  # chains of formulas go below the 资产管理 form, in column Z


def _out(folder: Path, name: str) -> Path:
    return folder / f"{name}_out.xlsx"


def _assets(folder: Path, sample: Path, name: str, change: object) -> Built:
    path = edit_sheet(sample, folder / f"{name}.xlsx", ASSETS, change)  # type: ignore[arg-type]
    return path, _out(folder, name)


def _formula(reference: str, text: str) -> str:
    return f'<c r="{reference}" s="20"><f>{text}</f></c>'


def _column_z(formulas: list[str], first_value: str) -> str:
    """Rows from CHAIN_START: Z10 holds `first_value`, the next rows the formulas."""
    rows = [f'<row r="{CHAIN_START}"><c r="Z{CHAIN_START}"><v>{first_value}</v></c></row>']
    rows += [f'<row r="{CHAIN_START + i}">{_formula(f"Z{CHAIN_START + i}", text)}</row>'
             for i, text in enumerate(formulas, start=1)]
    return "".join(rows)


# --- values and formulas -------------------------------------------------------------------


def date_typed_as_number(folder: Path, sample: Path) -> Built:
    """填报日期 typed as 20240528 in its date-formatted cell (serial 45440 = 2024-05-28)."""
    path = edit_sheet(sample, folder / "date_number.xlsx", "基本信息",
                      lambda xml: xml.replace("<v>45440</v>", "<v>20240528</v>", 1))
    return path, _out(folder, "date_number")


def formula_chain(folder: Path, sample: Path) -> Built:
    """固定资产总额 = Z5010, where Z11 = Z10+0, ..., Z5010 = Z5009+0 and Z10 = 88.94."""
    count = 5000
    chain = [f"Z{CHAIN_START + i - 1}+0" for i in range(1, count + 1)]
    return _assets(folder, sample, "chain", lambda xml: append_rows(
        set_sheet_cell(xml, "B3", _formula("B3", f"Z{CHAIN_START + count}")),
        _column_z(chain, "88.94")))


def formula_doubling(folder: Path, sample: Path) -> Built:
    """Z(k) = Z(k-1)+Z(k-1) sixty times (2^60 evaluations unmemoised); B3 = MIN(Z70, 88.94)."""
    doubling = [f"Z{CHAIN_START + i - 1}+Z{CHAIN_START + i - 1}" for i in range(1, 61)]
    return _assets(folder, sample, "doubling", lambda xml: append_rows(
        set_sheet_cell(xml, "B3", _formula("B3", f"MIN(Z{CHAIN_START + 60},88.94)")),
        _column_z(doubling, "1")))


def formula_cycle(folder: Path, sample: Path) -> Built:
    """固定资产总额 = B4+0 and 实际在用固定资产总额 = B3*1, neither with a cached value."""
    return _assets(folder, sample, "cycle", lambda xml: set_sheet_cell(
        set_sheet_cell(xml, "B3", _formula("B3", "B4+0")), "B4", _formula("B4", "B3*1")))


def number_past_float_range(folder: Path, sample: Path) -> Built:
    """A number of 400 digits (past what a float holds, ~1.8E308) as 固定资产总额 and in Z60."""
    digits = "9" * 400
    return _assets(folder, sample, "past_float", lambda xml: append_rows(
        set_sheet_cell(xml, "B3", f'<c r="B3" s="20"><v>{digits}</v></c>'),
        f'<row r="60"><c r="Z60"><v>{digits}</v></c></row>'))


def round_digits_out_of_range(folder: Path, sample: Path) -> Built:
    return _assets(folder, sample, "round", lambda xml: set_sheet_cell(
        xml, "B3", _formula("B3", "ROUND(88.94,-1E30)+ROUND(1,1E999999999)")))


# --- sizes: what the XML declares or repeats ----------------------------------------------------


def huge_column_range(folder: Path, sample: Path) -> Built:
    """A 24 KB-sized trick: <col min="-1000000000" max="16384"> with a custom width."""
    return _assets(folder, sample, "columns", lambda xml: re.sub(
        "<cols>.*?</cols>", '<cols><col width="9" customWidth="1" min="-1000000000" '
        'max="16384" /></cols>', xml, count=1))


def million_empty_rows(folder: Path, sample: Path) -> Built:
    """1,000,000 empty rows under 重点项目 and 1,000,000 formatted empty rows under 重点工作."""
    plain = "".join(f'<row r="{r}" spans="1:6"/>' for r in range(40, 1_000_040))
    tall = "".join(f'<row r="{r}" ht="20" customHeight="1"/>' for r in range(40, 1_000_040))

    def edit(name: str, data: bytes) -> bytes:
        if name == SHEET_PARTS["重点项目"]:
            return append_rows(data.decode(), plain).encode()
        if name == SHEET_PARTS["重点工作"]:
            return append_rows(data.decode(), tall).encode()
        return data
    return rezip(sample, folder / "empty_rows.xlsx", edit), _out(folder, "empty_rows")


def huge_string_table(folder: Path, sample: Path) -> Built:
    """150,000 shared strings no cell uses (the limit is 200,000)."""
    path = with_shared_strings(sample, folder / "strings.xlsx",
                               (f"s{i:07d}" for i in range(150_000)))
    return path, _out(folder, "strings")


def too_many_shared_strings(folder: Path, sample: Path) -> Built:
    path = with_shared_strings(sample, folder / "too_many_strings.xlsx",
                               ("" for _ in range(250_000)))
    return path, _out(folder, "too_many_strings")


def scoring_rows_past_row_5000(folder: Path, sample: Path) -> Built:
    """评分表 moved 5,000 rows down (the reader once stopped at row 5,000)."""
    path = edit_sheet(sample, folder / "far_rows.xlsx", "评分表", lambda xml: shift_rows(xml, 5000))
    return path, _out(folder, "far_rows")


def cell_at_the_last_position(folder: Path, sample: Path) -> Built:
    """A note in XFD1048576 of 资产管理: read, and copied to the output, not the whole grid."""
    cell = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>备注</t></is></c></row>'
    return _assets(folder, sample, "far_cell", lambda xml: append_rows(xml, cell))


def whole_sheet_merge(folder: Path, sample: Path) -> Built:
    return _assets(folder, sample, "big_merge", lambda xml: add_merges(xml, "D10:XFD1048576"))


# --- damaged, ambiguous or incomplete packages -------------------------------------------------


def damaged_member_crc(folder: Path, sample: Path) -> Built:
    """A 200 KB picture (never parsed) stored uncompressed, a byte changed after its first
    64 KB: only reading it to the end shows the bad CRC."""
    picture = "docProps/thumbnail.jpeg"
    path = rezip(sample, folder / "crc.xlsx", extra=[(picture, random.Random(7).randbytes(200_000))],
                 stored=frozenset({picture}))
    flip_member_byte(path, picture, offset=150_000)
    return path, _out(folder, "crc")


def corrupt_deflate(folder: Path, sample: Path) -> Built:
    """资产管理 with 3,000 notes of random digits (a part of about 150 KB compressed), a byte of
    its deflate stream changed near the end."""
    digits = random.Random(11)
    notes = "".join(f'<row r="{r}"><c r="Z{r}" t="inlineStr"><is><t>{digits.getrandbits(160)}'
                    "</t></is></c></row>" for r in range(10, 3010))
    path = edit_sheet(sample, folder / "deflate.xlsx", ASSETS, lambda xml: append_rows(xml, notes))
    flip_member_byte(path, SHEET_PARTS[ASSETS], offset=-200)
    return path, _out(folder, "deflate")


def duplicate_member(folder: Path, sample: Path) -> Built:
    """Two members named like 资产管理's part, the second with other figures."""
    part = SHEET_PARTS[ASSETS]
    second = dict(members(sample))[part].replace(b"<v>88.94</v>", b"<v>1.00</v>")
    path = rezip(sample, folder / "twin_member.xlsx", extra=[(part, second)])
    return path, _out(folder, "twin_member")


def duplicate_sheet_name(folder: Path, sample: Path) -> Built:
    """A second sheet named 资产管理 (with other figures) listed after the first."""
    part = SHEET_PARTS[ASSETS]
    second = dict(members(sample))[part].replace(b"<v>88.94</v>", b"<v>1.00</v>")

    def edit(name: str, data: bytes) -> bytes:
        if name == "xl/workbook.xml":
            return data.replace(b"</sheets>", '<sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" name="资产管理" sheetId="11" r:id="rId99" />'
                                .encode() + b"</sheets>")
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", b'<Relationship Type="http://schemas.'
                                b'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                                b'Target="/xl/worksheets/sheet11.xml" Id="rId99" />'
                                b"</Relationships>")
        return data
    path = rezip(sample, folder / "twin_sheet.xlsx", edit, [("xl/worksheets/sheet11.xml", second)])
    return path, _out(folder, "twin_sheet")


def missing_sheet_part(folder: Path, sample: Path) -> Built:
    path = rezip(sample, folder / "no_part.xlsx",
                 lambda name, data: None if name == SHEET_PARTS["经费控制"] else data)
    return path, _out(folder, "no_part")


def missing_content_types(folder: Path, sample: Path) -> Built:
    path = rezip(sample, folder / "no_types.xlsx",
                 lambda name, data: None if name == "[Content_Types].xml" else data)
    return path, _out(folder, "no_types")


def _unit_name_as_shared_string(folder: Path, sample: Path, name: str, index: str) -> Built:
    cell = f'<c r="B3" s="17" t="s"><v>{index}</v></c>'

    def edit(member: str, data: bytes) -> bytes:
        if member == SHEET_PARTS["基本信息"]:
            return set_sheet_cell(data.decode(), "B3", cell).encode()
        return data
    path = with_shared_strings(sample, folder / f"{name}.xlsx", ["甲单位", "乙单位"], edit)
    return path, _out(folder, name)


def shared_string_negative(folder: Path, sample: Path) -> Built:
    return _unit_name_as_shared_string(folder, sample, "sst_negative", "-1")


def shared_string_out_of_range(folder: Path, sample: Path) -> Built:
    return _unit_name_as_shared_string(folder, sample, "sst_beyond", "2")


def overlapping_merges(folder: Path, sample: Path) -> Built:
    """资产管理 has A1:C1 merged; B1:D2 overlaps it."""
    return _assets(folder, sample, "overlap", lambda xml: add_merges(xml, "B1:D2"))


def newline_in_file_name(folder: Path, sample: Path) -> Built:
    """A workbook that is not the template (every sheet renamed), named with a newline."""
    def rename(name: str, data: bytes) -> bytes:
        return re.sub(rb'name="[^"]*"', lambda m: b'name="S%d"' % m.start(), data) if (
            name == "xl/workbook.xml") else data
    return rezip(sample, folder / "第一行\n第二行.xlsx", rename), None


def long_token(folder: Path, sample: Path) -> Built:
    """An attribute value of 3 MiB in 资产管理 (no Excel file has one over 1 MiB)."""
    return _assets(folder, sample, "token", lambda xml: xml.replace(
        "<sheetData>", f'<sheetData><!-- --><row r="1" x="{"a" * (3 << 20)}"/>', 1))


# --- at the limits (the benchmark's pathological section and the memory test) ------------------


def _grid(rows: int, cell: object) -> str:
    """Rows of ten cells D..M from row 10, each `cell(reference, number)` (XML text)."""
    columns = "DEFGHIJKLM"
    return "".join(f'<row r="{r}">' + "".join(cell(f"{c}{r}", (r - 10) * 10 + i)  # type: ignore[operator]
                                              for i, c in enumerate(columns)) + "</row>"
                   for r in range(10, 10 + rows))


def most_distinct_texts(folder: Path, sample: Path) -> Built:
    """99,000 cells of 40 distinct four-byte characters each (3,960,000 characters): as much
    text as a workbook may hold, in the widest characters."""
    chooser = random.Random(5)

    def text(reference: str, number: int) -> str:
        return (f'<c r="{reference}" t="inlineStr"><is><t>'
                + "".join(chr(0x1F600 + chooser.randrange(80)) for _ in range(40)) + "</t></is></c>")
    return _assets(folder, sample, "texts", lambda xml: append_rows(xml, _grid(9_900, text)))


def most_formula_cells(folder: Path, sample: Path) -> Built:
    """99,000 formulas without cached values, each column a chain of 9,900 (the work budget
    ends the computing)."""
    def formula(reference: str, number: int) -> str:
        column, row = reference[0], int(reference[1:])
        body = f"<f>{column}{row - 1}+1</f>" if row > 10 else "<v>1</v>"
        return f'<c r="{reference}">{body}</c>'
    return _assets(folder, sample, "formulas", lambda xml: append_rows(xml, _grid(9_900, formula)))


def huge_declared_dimension(folder: Path, sample: Path) -> Built:
    """A sheet that declares A1:XFD1048576 and widths for all 16,384 columns, holding 10 cells."""
    return _assets(folder, sample, "dimension", lambda xml: re.sub(
        '<dimension ref="[^"]*" />', '<dimension ref="A1:XFD1048576" />', re.sub(
            "<cols>.*?</cols>", '<cols><col width="12" customWidth="1" min="1" max="16384" />'
            "</cols>", xml, count=1), count=1))
