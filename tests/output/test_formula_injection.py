"""Clerk text that looks like a formula stays text in every workbook we write (`outputs.md`: "a
clerk's cell that starts with `=` never becomes a formula in the output").

Read at the XML level, not through a library that could hide it: each text below must arrive as
a string cell (shared or inline string) and no cell of the output may hold a `<f>` made from it.
Texts start with each of `=`, `+`, `-`, `@`, the characters spreadsheets take as a formula start.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
import xlsxwriter
from fill import fill_rows, header_columns, set_cell, set_field

from selfeval_xlsx.api import score_file
from selfeval_xlsx.batch import BatchOptions, batch_files
from selfeval_xlsx.output.sheets import write_value
from selfeval_xlsx.output.workbook import workbook_options
from selfeval_xlsx.template.writer import Formats

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
UNIT = "=1+1"
FIELDS = {"单位名称": UNIT, "主管部门": "+1", "联系人": "-1", "下属单位": "@SUM(A1)"}
TASK = '=HYPERLINK("http://example.com","点击")'
REASON = "=SUM(A1:A2)"
CLERK_TEXTS = (*FIELDS.values(), TASK, REASON)


def as_text(cell: object, value: str) -> None:
    cell.value = value  # type: ignore[attr-defined]
    cell.data_type = "s"  # type: ignore[attr-defined]  # typed as text in Excel, not a formula


@pytest.fixture(scope="module")
def clerk_input(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    book = openpyxl.load_workbook(sample)
    for label, text in FIELDS.items():
        as_text(book["基本信息"][set_field(book["基本信息"], label, None)], text)
    (task_row,) = fill_rows(book["重点工作"], "序号", ["重点工作"], [(None,)])
    _, columns = header_columns(book["重点工作"], "序号", ["重点工作"])
    as_text(book["重点工作"].cell(task_row, columns["重点工作"]), TASK)
    set_cell(book["评分表"], "指标编号", "A2", "自评得分", 3)
    set_cell(book["评分表"], "指标编号", "合计", "自评得分", 98)
    as_text(book["评分表"][set_cell(book["评分表"], "指标编号", "A2", "扣分原因", None)], REASON)
    path = tmp_path_factory.mktemp("injection") / "formula_text.xlsx"
    book.save(path)
    return path


def sheet_cells(path: Path) -> dict[str, list[tuple[str, str | None, str | None]]]:
    """Per sheet name: (cell, string value or None, formula or None) of every cell."""
    with zipfile.ZipFile(path) as archive:
        strings = _shared_strings(archive)
        targets = {r.get("Id"): r.get("Target") for r in ElementTree.fromstring(
            archive.read("xl/_rels/workbook.xml.rels")).iter(f"{PKG}Relationship")}
        result = {}
        for sheet in ElementTree.fromstring(archive.read("xl/workbook.xml")).iter(f"{MAIN}sheet"):
            part = posixpath.normpath(posixpath.join("xl", targets[sheet.get(REL)]))
            result[sheet.get("name", "")] = [_cell(c, strings) for c in ElementTree.fromstring(
                archive.read(part)).iter(f"{MAIN}c")]
    return result


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iter(f"{MAIN}t")) for si in root.iter(f"{MAIN}si")]


def _cell(c: ElementTree.Element, strings: list[str]) -> tuple[str, str | None, str | None]:
    formula = c.find(f"{MAIN}f")
    text = None
    if c.get("t") == "s":
        text = strings[int(c.findtext(f"{MAIN}v") or 0)]
    elif c.get("t") == "inlineStr":
        text = "".join(t.text or "" for t in c.iter(f"{MAIN}t"))
    return c.get("r", ""), text, None if formula is None else (formula.text or "")


def assert_text_not_formula(cells: dict[str, list[tuple[str, str | None, str | None]]],
                            expected: dict[str, tuple[str, ...]]) -> None:
    as_formula = {text.removeprefix("=") for text in CLERK_TEXTS}
    for sheet, found in cells.items():
        formulas = {f for _, _, f in found if f is not None}
        assert not formulas & as_formula, (sheet, formulas & as_formula)
        assert not any(f.startswith(("HYPERLINK", "SUM(A1")) for f in formulas), sheet
    for sheet, texts in expected.items():
        strings = {text for _, text, formula in cells[sheet] if text is not None and formula is None}
        assert set(texts) <= strings, (sheet, set(texts) - strings)


def test_result_workbook_and_its_sheet_copies(clerk_input: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    score_file(clerk_input, out)
    assert_text_not_formula(sheet_cells(out), {
        "汇总": (UNIT,),  # 单位名称 on the summary
        "评分表": (REASON,),  # the clerk's 扣分原因
        "基本信息": tuple(FIELDS.values()),  # the copy of the data sheet
        "重点工作": (TASK,),
    })


def test_batch_workbook(clerk_input: Path, tmp_path: Path) -> None:
    out = tmp_path / "汇总.xlsx"
    batch_files([clerk_input], BatchOptions(output=out, jobs=1))
    assert_text_not_formula(sheet_cells(out), {"汇总": (UNIT,), "问题清单": (UNIT,)})


# Two guards stand between clerk text and a formula; each holds on its own.

def test_write_value_writes_text_as_text_even_where_write_would_not(tmp_path: Path) -> None:
    path = tmp_path / "plain.xlsx"
    book = xlsxwriter.Workbook(str(path))  # xlsxwriter's defaults: write() makes "=..." a formula
    sheet = book.add_worksheet("文字")
    for number, text in enumerate(CLERK_TEXTS):
        write_value(sheet, Formats(book), number, 0, text)
    book.close()
    cells = sheet_cells(path)["文字"]
    assert [f for _, _, f in cells] == [None] * len(CLERK_TEXTS)
    assert [t for _, t, _ in cells] == list(CLERK_TEXTS)


def test_our_workbooks_keep_text_as_text_even_through_write(tmp_path: Path) -> None:
    path = tmp_path / "options.xlsx"
    book = xlsxwriter.Workbook(str(path), workbook_options())
    sheet = book.add_worksheet("文字")
    for number, text in enumerate(CLERK_TEXTS):
        sheet.write(number, 0, text)
    book.close()
    cells = sheet_cells(path)["文字"]
    assert [f for _, _, f in cells] == [None] * len(CLERK_TEXTS)
    assert [t for _, t, _ in cells] == list(CLERK_TEXTS)
