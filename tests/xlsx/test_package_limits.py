"""No silent cuts, no picking one reading of an ambiguous package: rows and columns anywhere in
Excel's grid are read, scored and copied; what cannot be read one way is refused."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from package_edit import (
    SHEET_PARTS,
    append_rows,
    edit_member,
    edit_sheet,
    members,
    rezip,
    shift_columns,
    shift_rows,
)

from selfeval_xlsx.api import score_file
from selfeval_xlsx.errors import InputError
from selfeval_xlsx.evaluate import check_workbook, evaluate_workbook
from selfeval_xlsx.xlsx.cells import MergedDown, SheetValues, first_overlap
from selfeval_xlsx.xlsx.sheet_part import CellContext, SheetReader
from selfeval_xlsx.xlsx.xmlstream import Budget, parse_part

Findings = list[tuple[str, str, str]]


def findings(path: Path) -> Findings:
    return sorted((f.sheet, f.label, f.rule) for f in check_workbook(path).findings)


@pytest.fixture(scope="module")
def sample_findings(sample: Path) -> Findings:
    return findings(sample)


def test_scoring_rows_past_row_5000_are_scored(sample: Path, tmp_path: Path) -> None:
    path = edit_sheet(sample, tmp_path / "far.xlsx", "评分表", lambda xml: shift_rows(xml, 5000))
    evaluation = evaluate_workbook(path)
    assert evaluation.result.scoring is not None
    assert str(evaluation.result.scoring.total) == "99.00"  # the sample's total
    # the sample's own findings (R001: 9/10 vs 90/90), no S002, no P004
    assert {f.rule for f in evaluation.result.findings} == {"T002", "P007", "R001"}


def test_rows_past_row_5000_are_read_and_copied(sample: Path, tmp_path: Path,
                                                 sample_findings: Findings) -> None:
    path = edit_sheet(sample, tmp_path / "far.xlsx", "管理核对", lambda xml: shift_rows(xml, 5000))
    assert findings(path) == sample_findings
    out = tmp_path / "out.xlsx"
    score_file(path, out)
    copy = openpyxl.load_workbook(out, read_only=True)["管理核对"]
    copy.reset_dimensions()
    texts = [row for row in copy.iter_rows(min_row=5001, values_only=True) if any(row)]
    assert len(texts) > 10 and any("编号" in str(c) for c in texts[1] if c)  # its header, moved


def test_columns_past_column_200_are_read(sample: Path, tmp_path: Path,
                                          sample_findings: Findings) -> None:
    path = edit_sheet(sample, tmp_path / "wide.xlsx", "绩效目标",
                      lambda xml: shift_columns(xml, 250))
    assert findings(path) == sample_findings


def test_a_cell_at_the_last_position_is_copied(sample: Path, tmp_path: Path) -> None:
    cell = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>末格</t></is></c></row>'
    path = edit_sheet(sample, tmp_path / "last.xlsx", "资产管理",
                      lambda xml: append_rows(xml, cell))
    out = tmp_path / "out.xlsx"
    score_file(path, out)
    with zipfile.ZipFile(out) as archive:
        names = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        sheets = b"".join(archive.read(n) for n in names)
    assert b'r="XFD1048576"' in sheets
    assert out.stat().st_size < 200_000  # one cell, not the grid up to it


@pytest.mark.parametrize(("xml", "phrase"), [
    ('<row r="3"><c r="B3"><v>1</v></c><c r="B3"><v>2</v></c></row>', "出现了两次"),
    ('<row r="3"><c r="XFE3"><v>1</v></c></row>', "最后一列"),
    ('<row r="1048577"><c r="A1048577"><v>1</v></c></row>', "行号"),
    ('<row r="3"><c r="B3" s="-1"><v>1</v></c></row>', "样式编号"),
])
def test_a_sheet_that_reads_two_ways_is_refused(sample: Path, tmp_path: Path, xml: str,
                                                phrase: str) -> None:
    path = edit_sheet(sample, tmp_path / "bad.xlsx", "资产管理",
                      lambda text: append_rows(text, xml).replace('<row r="3">', '<row r="30">', 1))
    with pytest.raises(InputError) as caught:
        check_workbook(path)
    assert phrase in caught.value.text.zh and "bad.xlsx" in caught.value.text.zh


def test_two_sheets_that_both_read_as_one_template_sheet_are_refused(sample: Path,
                                                                     tmp_path: Path) -> None:
    part = SHEET_PARTS["资产管理"]
    twin = dict(members(sample))[part]

    def edit(name: str, data: bytes) -> bytes:
        if name == "xl/workbook.xml":
            return data.replace(b"</sheets>", '<sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" name="资产 管理" sheetId="11" r:id="rId99" />'
                                .encode() + b"</sheets>")
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", b'<Relationship Type="http://schemas.'
                                b'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                                b'Target="/xl/worksheets/sheet11.xml" Id="rId99" /></Relationships>')
        return data

    path = rezip(sample, tmp_path / "twins.xlsx", edit, [("xl/worksheets/sheet11.xml", twin)])
    with pytest.raises(InputError) as caught:
        check_workbook(path)
    assert "都对应模板的“资产管理”" in caught.value.text.zh


def read_sheet(xml: str) -> SheetValues:
    archive = zipfile.ZipFile(io.BytesIO(_zip({"s.xml": xml})))
    sheet = SheetValues("表")
    reader = SheetReader(sheet, CellContext([], [], None), Budget())  # type: ignore[arg-type]
    return parse_part(archive, "s.xml", reader, worksheet=True)  # type: ignore[no-any-return]


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def worksheet(rows: str) -> str:
    return ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{rows}</sheetData></worksheet>")


@pytest.mark.parametrize(("rows", "cells"), [
    # empty rows with numbers: collapsed to the last, which keeps the numbering
    ('<row r="5"/><row r="6" spans="1:3"/> <row r="7"/><row r="8"><c r="A8"><v>1</v></c></row>',
     {(8, 1)}),
    # without numbers each row counts: nothing is collapsed
    ('<row/><row/><row><c><v>1</v></c></row>', {(3, 1)}),
    ('<row r="2"/><row/><row/><row><c><v>1</v></c></row>', {(5, 1)}),
])
def test_collapsed_empty_rows_leave_the_cells_where_they_were(rows: str,
                                                              cells: set[tuple[int, int]]) -> None:
    assert set(read_sheet(worksheet(rows)).cells) == cells


def test_formatted_empty_rows_keep_their_heights_as_one_run() -> None:
    rows = "".join(f'<row r="{r}" ht="20" customHeight="1"/>' for r in range(10, 5000))
    sheet = read_sheet(worksheet(rows + '<row r="6000"><c r="A6000"><v>1</v></c></row>'))
    assert sheet.height_runs == [(10, 4999, 20.0)]
    assert set(sheet.cells) == {(6000, 1)}


def test_a_cdata_section_in_a_sheet_is_refused() -> None:
    from selfeval_xlsx.xlsx.xmlstream import Refusal

    with pytest.raises(Refusal) as caught:
        read_sheet(worksheet('<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[x]]></t></is>'
                             "</c></row>"))
    assert "CDATA" in caught.value.zh


@pytest.mark.parametrize(("ranges", "overlap"), [
    ([(1, 1, 1, 3), (1, 4, 1, 6), (2, 1, 3, 6)], False),  # side by side, then below
    ([(1, 1, 1, 3), (1, 3, 2, 4)], True),  # share C1
    ([(1, 1, 10, 1), (5, 1, 5, 1)], True),  # one inside the other
    ([(1, 2, 3, 2), (2, 1, 2, 3)], True),  # a cross
    ([(r, c, r, c) for r in range(1, 60) for c in range(1, 60)], False),  # single cells
])
def test_first_overlap(ranges: list[tuple[int, int, int, int]], overlap: bool) -> None:
    assert (first_overlap(ranges) is not None) is overlap


def test_merged_down_finds_the_range_above_a_cell_in_its_first_column() -> None:
    # A21:A23 and A25:B27 span rows, C5:E5 spans columns only, A30:A30 is one cell
    down = MergedDown([(25, 1, 27, 2), (21, 1, 23, 1), (5, 3, 5, 5), (30, 1, 30, 1)])
    assert [down.origin(row, 1) for row in range(20, 32)] == [
        None, None, 21, 21, None, None, 25, 25, None, None, None, None]  # rows 20..31
    assert down.origin(26, 2) is None  # B26 is covered, but the range's first column is A
    assert down.origin(5, 4) is None and down.origin(6, 3) is None


NOT_WELL_FORMED = [
    ("xl/workbook.xml", lambda xml: xml.replace("</sheets>", "</sheet>", 1)),  # a mismatched tag
    ("xl/worksheets/sheet3.xml", lambda xml: xml.replace("</sheetData>", "<row>", 1)),
    ("xl/worksheets/sheet10.xml", lambda xml: xml.replace("<v>", "<v>&nosuch;", 1)),  # no DTD
    ("xl/worksheets/sheet2.xml", lambda xml: xml.replace("<t>", "<t>&#1;", 1)),  # no XML char
    ("xl/styles.xml", lambda xml: xml[:len(xml) // 2]),  # cut in the middle
]


@pytest.mark.parametrize(("member", "change"), NOT_WELL_FORMED,
                         ids=["workbook", "sheet-tag", "entity", "char-ref", "styles-cut"])
def test_a_part_that_is_not_well_formed_is_one_clear_refusal(
        sample: Path, tmp_path: Path, member: str, change: Callable[[str], str]) -> None:
    """Whatever the XML parser raises for a broken part becomes the damaged-file message."""
    path = edit_member(sample, tmp_path / "broken.xlsx", member, change)
    assert members(path) != members(sample)  # the edit took
    with pytest.raises(InputError) as raised:
        check_workbook(path)
    assert "文件已损坏或不是有效的 Excel 工作簿（内部部件缺失或格式错误）" in raised.value.text.zh
