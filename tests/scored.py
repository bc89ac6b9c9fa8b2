"""Scored outputs shared by the output tests: the sample turned into a failing workbook, and an
evaluation written at a fixed generation time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from fill import header_columns, set_cell, set_field

from selfeval_xlsx.evaluate import Evaluation
from selfeval_xlsx.output.workbook import write_output

GENERATED_AT = dt.datetime(2024, 3, 1, 9, 30, 0)
BUDGET, BASIC = "收支预算", "基本信息"


def build_failing(sample: Path, path: Path) -> Path:
    """The sample with errors (text in an amount, a formula without a value) and every
    checklist item answered 否: 未通过, grade 中, negative 差异."""
    book = openpyxl.load_workbook(sample)
    set_cell(book[BUDGET], "项目", "收入合计", "年初预算数", "九百")
    set_field(book[BASIC], "联系电话", '=HYPERLINK("x")')
    checklist = book["管理核对"]
    head, columns = header_columns(checklist, "编号", ["是否符合"])
    for row in range(head + 1, checklist.max_row + 1):
        if checklist.cell(row, columns["编号"]).value:
            checklist.cell(row, columns["是否符合"]).value = "否"
    book.save(path)
    return path


def write(evaluation: Evaluation, path: Path) -> Path:
    write_output(evaluation, path, GENERATED_AT)
    return path
