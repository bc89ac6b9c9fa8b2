"""Project workbooks built from the committed project template with `fill` (independent of the
reader): sheets of indicator rows and fund figures given by the test."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl

sys.path.insert(0, str(Path(__file__).parent))
from build_project_sample import FUNDS, INDICATORS, PROJECT_TEMPLATE, ROW_HEADERS
from fill import fill_rows, set_cell, set_field

Rows = Sequence[Sequence[Any]]  # 一级, 二级, 三级, 指标性质, 年度指标值, 计量单位, 实际完成值, 分值, 得分, 偏差原因
FULL = (100, 100, 100)  # 年初预算数, 全年预算数, 全年执行数


def project_book(path: Path, sheets: Mapping[str, Rows], funds: tuple[Any, Any, Any] = FULL,
                 formats: Mapping[tuple[str, int, str], str] | None = None,
                 fields: Mapping[str, Any] | None = None) -> Path:
    """One project sheet per entry of `sheets` (named so), each with its rows; the total row
    and 当年财政拨款 carry `funds`; `formats` sets number formats ((sheet, row, header) -> fmt)."""
    book = openpyxl.load_workbook(PROJECT_TEMPLATE)
    guide = book["填表说明"]
    set_field(guide, "评价年度", 2023)
    set_field(guide, "单位名称", "测试单位")
    first = book["项目1"]
    copies = [first] + [book.copy_worksheet(first) for _ in list(sheets)[1:]]
    for ws, (name, rows) in zip(copies, sheets.items(), strict=True):
        ws.title = name
        set_field(ws, "项目名称", f"{name}项目")
        set_field(ws, "主管部门", "测试部门")
        set_field(ws, "实施单位", "测试单位")
        for field, value in (fields or {}).items():
            set_field(ws, field, value)
        for label in ("年度资金总额", "其中：当年财政拨款"):
            for header, value in zip(("年初预算数", "全年预算数", "全年执行数"), funds, strict=True):
                set_cell(ws, FUNDS, label, header, value)
        written = fill_rows(ws, INDICATORS, ROW_HEADERS,
                            [[*r, *([None] * (len(ROW_HEADERS) - len(r)))] for r in rows])
        for (sheet, number, header), fmt in (formats or {}).items():
            if sheet == name:
                column = ROW_HEADERS.index(header) + 1
                ws.cell(written[number - 1], column).number_format = fmt
    book.save(path)
    return path
