"""The project template (项目支出绩效自评表): generated from its one description, committed,
with drop-downs, input styling and A4 landscape printing; found by its title under any name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import ROOT
from fill import field_cell, find_text, set_field
from openpyxl.worksheet.worksheet import Worksheet

from selfeval_xlsx.api import check_file, write_blank_template
from selfeval_xlsx.evaluate.project import ProjectResult

PROJECT_TEMPLATE = ROOT / "workbook_templates" / "project_template.xlsx"
INPUT_FILL = "FFFFF2CC"


def facts(ws: Worksheet) -> tuple[Any, ...]:
    cells = [(c.coordinate, c.value, c.number_format, c.protection.locked, c.fill.fgColor.rgb,
              c.font.name) for row in ws.iter_rows() for c in row]
    validations = sorted((str(v.sqref), v.formula1, v.type, v.errorStyle)
                         for v in ws.data_validations.dataValidation)
    return (cells, validations, sorted(map(str, ws.merged_cells.ranges)), ws.protection.sheet,
            ws.page_setup.paperSize, ws.page_setup.orientation, ws.print_title_rows,
            {k: d.width for k, d in ws.column_dimensions.items()})


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("project-template") / "project.xlsx"
    write_blank_template(path, form="project")
    return path


def test_committed_project_template_equals_a_fresh_one(fresh: Path) -> None:
    old, new = openpyxl.load_workbook(PROJECT_TEMPLATE), openpyxl.load_workbook(fresh)
    assert old.sheetnames == new.sheetnames == ["填表说明", "项目1"]
    for name in old.sheetnames:
        assert facts(old[name]) == facts(new[name]), name


def test_project_sheet_has_the_labels_of_the_form() -> None:
    ws = openpyxl.load_workbook(PROJECT_TEMPLATE)["项目1"]
    for label in ("项目支出绩效自评表", "项目名称", "主管部门", "实施单位", "项目负责人", "联系电话",
                  "项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分",
                  "年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金", "年度总体目标",
                  "预期目标", "实际完成情况", "绩效指标", "一级指标", "二级指标", "三级指标", "指标性质",
                  "年度指标值", "计量单位", "实际完成值", "偏差原因分析及改进措施", "总分", "评价等级",
                  "评价结论"):
        find_text(ws, label)
    # 分值 10 on 年度资金总额 only; the source rows show —
    total = find_text(ws, "年度资金总额")
    weight_col = find_text(ws, "分值").column
    assert ws.cell(total.row, weight_col).value == 10
    assert ws.cell(total.row + 1, weight_col).value == "—"


def test_drop_downs_for_levels_kinds_words_and_grade() -> None:
    ws = openpyxl.load_workbook(PROJECT_TEMPLATE)["项目1"]
    lists = {v.formula1: (v.errorStyle or "stop") for v in ws.data_validations.dataValidation}
    assert lists['"产出指标,效益指标,满意度指标"'] == "stop"
    assert lists['"≥,>,=,≤,<,定性"'] == "information"  # >= and <= may be typed too
    assert lists['"达成年度指标,部分达成年度指标并具有一定效果,未达成年度指标且效果较差"'] == "information"
    assert lists['"优,良,中,差"'] == "stop"
    level2 = next(f for f in lists if "数量指标" in f)
    assert "服务对象满意度指标" in level2 and "可持续影响指标" in level2


def test_inputs_are_yellow_and_unlocked_and_the_sheet_prints_landscape_on_a4() -> None:
    book = openpyxl.load_workbook(PROJECT_TEMPLATE)
    ws = book["项目1"]
    name = field_cell(ws, "项目名称")
    assert name.fill.fgColor.rgb == INPUT_FILL and not name.protection.locked
    assert find_text(ws, "项目名称").protection.locked
    for sheet in book.worksheets:
        assert sheet.page_setup.paperSize == 9 and sheet.protection.sheet
        assert not sheet.protection.password
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows


def test_guide_states_the_split_and_the_commands() -> None:
    ws = openpyxl.load_workbook(PROJECT_TEMPLATE)["填表说明"]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "90 分（产出 50、效益 30、满意度 10）" in text and "占 10 分" in text
    assert "--projects" in text and "《项目1》" in text


def test_hubei_template_gives_execution_twenty(tmp_path: Path) -> None:
    path = tmp_path / "hubei.xlsx"
    write_blank_template(path, Path("project_hubei"), form="project")
    book = openpyxl.load_workbook(path)
    ws = book["项目1"]
    total = find_text(ws, "年度资金总额")
    assert ws.cell(total.row, find_text(ws, "分值").column).value == 20
    text = "\n".join(str(c.value) for row in book["填表说明"].iter_rows() for c in row if c.value)
    assert "80 分" in text and "--scheme project_hubei" in text


def test_a_copied_sheet_under_any_name_is_a_project(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(PROJECT_TEMPLATE)
    copy = book.copy_worksheet(book["项目1"])
    copy.title = "乡村振兴 补助"
    set_field(book["项目1"], "项目名称", "甲项目")
    set_field(copy, "项目名称", "乙项目")
    path = tmp_path / "copied.xlsx"
    book.save(path)
    result = check_file(path)
    assert isinstance(result, ProjectResult)
    assert [(p.sheet, p.name) for p in result.projects] == [("项目1", "甲项目"), ("乡村振兴 补助", "乙项目")]
    # findings name the clerk's sheet
    assert {f.sheet for f in result.findings} >= {"项目1", "乡村振兴 补助", "填表说明"}


def test_blank_project_template_reads_without_structure_findings() -> None:
    result = check_file(PROJECT_TEMPLATE)
    assert isinstance(result, ProjectResult)
    rules = {f.rule for f in result.findings}
    assert not rules & {"S001", "S002", "S003", "S004"}
    assert {"V001", "J006", "J003", "J008"} <= rules  # empty, as a blank template is
