"""The template: generated from the one description, committed, and good to fill."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import TEMPLATE
from openpyxl.worksheet.worksheet import Worksheet

from selfeval_xlsx.api import write_blank_template
from selfeval_xlsx.evaluate import check_workbook
from selfeval_xlsx.template.department import build_template
from selfeval_xlsx.template.spec import Kind

SHEETS = ["填表说明", "基本信息", "收支预算", "经费控制", "资产管理", "绩效目标", "重点工作",
          "重点项目", "管理核对", "评分表"]
INPUT_FILL = "FFFFF2CC"


def cell_facts(ws: Worksheet) -> list[tuple[Any, ...]]:
    return [(c.coordinate, c.value, c.number_format, c.protection.locked, c.fill.fgColor.rgb,
             c.font.name, c.font.b) for row in ws.iter_rows() for c in row]


def sheet_facts(ws: Worksheet) -> tuple[Any, ...]:
    validations = sorted((str(v.sqref), v.formula1, v.type) for v in ws.data_validations.dataValidation)
    return (sorted(map(str, ws.merged_cells.ranges)), validations, ws.protection.sheet,
            ws.protection.password, ws.page_setup.paperSize, ws.page_setup.orientation,
            ws.page_setup.fitToWidth, ws.print_title_rows, ws.oddFooter.center.text,
            {k: d.width for k, d in ws.column_dimensions.items()},
            {k: d.height for k, d in ws.row_dimensions.items() if d.height is not None})


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.xlsx"
    write_blank_template(path)
    return path


def test_committed_template_equals_a_fresh_one_cell_by_cell(regenerated: Path) -> None:
    old, new = openpyxl.load_workbook(TEMPLATE), openpyxl.load_workbook(regenerated)
    assert old.sheetnames == new.sheetnames == SHEETS
    for name in SHEETS:
        assert cell_facts(old[name]) == cell_facts(new[name]), name
        assert sheet_facts(old[name]) == sheet_facts(new[name]), name


@pytest.mark.parametrize(("form", "committed"), [
    ("department", TEMPLATE), ("project", TEMPLATE.with_name("project_template.xlsx"))])
def test_committed_templates_are_the_files_the_command_writes(form: str, committed: Path,
                                                              tmp_path: Path) -> None:
    """`selfeval template` writes the committed file (outputs.md): every part, byte for byte
    (the template's creation time is fixed, so nothing in it is volatile)."""
    fresh = tmp_path / f"{form}.xlsx"
    write_blank_template(fresh, form=form)
    with zipfile.ZipFile(committed) as old, zipfile.ZipFile(fresh) as new:
        assert old.namelist() == new.namelist()
        assert [n for n in old.namelist() if old.read(n) != new.read(n)] == []


def test_template_carries_version_one() -> None:
    ws = openpyxl.load_workbook(TEMPLATE)["填表说明"]
    label = next(c for row in ws.iter_rows() for c in row if c.value == "模板版本")
    assert ws.cell(label.row, label.column + 1).value == 1


def test_every_choice_field_has_a_drop_down() -> None:
    book = openpyxl.load_workbook(TEMPLATE)
    template = build_template()
    expected_lists = {'"行政单位,事业单位,参照公务员法管理事业单位,其他"', '"完成,部分完成,未完成"', '"是,否"'}
    found: set[str] = set()
    for sheet in template.sheets:
        validations = book[sheet.name].data_validations.dataValidation
        found |= {v.formula1 for v in validations}
        kinds = [f.kind for form in sheet.forms for f in form.fields] + [
            c.kind for t in sheet.tables for c in t.columns if c.is_input]
        assert (Kind.CHOICE in kinds) == bool(validations), sheet.name
    assert found == expected_lists
    checklist = book["管理核对"].data_validations.dataValidation
    assert sum(len(list(v.sqref.ranges)) for v in checklist) == 18  # one per checklist item


def test_sheets_are_protected_without_password_and_print_on_a4() -> None:
    book = openpyxl.load_workbook(TEMPLATE)
    for ws in book.worksheets:
        assert ws.protection.sheet and not ws.protection.password, ws.title
        assert ws.page_setup.paperSize == 9, ws.title
        # fit to one page wide (OOXML's default fitToWidth is 1), any number of pages tall
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (ws.page_setup.fitToWidth or 1) == 1 and ws.page_setup.fitToHeight == 0
        assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"


def test_input_cells_are_yellow_and_unlocked_the_rest_locked() -> None:
    ws = openpyxl.load_workbook(TEMPLATE)["收支预算"]
    inputs = [c for row in ws.iter_rows() for c in row if c.fill.fgColor.rgb == INPUT_FILL]
    assert inputs and all(not c.protection.locked for c in inputs)
    labels = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert labels and all(c.protection.locked for c in labels)
    # 16 rows x 3 amount columns + 4 share cells + the two 说明 fields (预算执行情况说明, and
    # 预算调整情况说明: the default scheme has R003 on)
    assert len(inputs) == 16 * 3 + 4 + 2


def test_guide_explains_every_sheet() -> None:
    ws = openpyxl.load_workbook(TEMPLATE)["填表说明"]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    for name in SHEETS[1:]:
        assert f"《{name}》" in text


def test_blank_template_reads_without_structure_findings() -> None:
    result = check_workbook(TEMPLATE)
    rules = {f.rule for f in result.findings}
    assert not rules & {"S001", "S002", "S003", "S004"}
    assert {"V001", "P002", "P005", "P006"} <= rules  # empty, as a blank template is


def test_file_names_in_the_repository_are_ascii() -> None:
    import subprocess

    root = TEMPLATE.parent.parent
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True)
    tracked = [name for name in listed.stdout.decode().split("\0") if name]
    assert "workbook_templates/selfeval_template.xlsx" in tracked
    assert [name for name in tracked if not name.isascii()] == []
