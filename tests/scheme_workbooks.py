"""Workbooks filled for a scheme: the template generated from the scheme, the sample's data
sheets (`build_sample.fill_sample`), then what the test sets, as a clerk would, by labels."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.workbook.workbook import Workbook

sys.path.insert(0, str(Path(__file__).parent))
from build_sample import ROOT, fill_sample
from fill import fill_rows, set_cell, set_field

from selfeval_xlsx.api import write_blank_template

SCHEMES = ROOT / "selfeval_xlsx" / "scheme" / "schemes"
PERSONAL_HEADERS = ("指标名称", "指标性质", "方向", "计量单位", "年度指标值", "实际完成值", "分值",
                    "自评得分", "偏差原因")


def scheme_file(scheme: str | Path) -> Path:
    return SCHEMES / f"{scheme}.toml" if isinstance(scheme, str) else scheme


def scheme_workbook(scheme: str | Path, folder: Path, fill: Callable[[Workbook], None],
                    name: str = "filled") -> Path:
    """The scheme's blank template, filled with the sample's data and then by `fill`."""
    template = folder / f"{name}_template.xlsx"
    write_blank_template(template, scheme_file(scheme))
    book = openpyxl.load_workbook(template)
    fill_sample(book, set_scores=False)
    fill(book)
    path = folder / f"{name}.xlsx"
    book.save(path)
    return path


def self_scores(book: Workbook, scores: Mapping[str, float],
                reasons: Mapping[str, str] | None = None) -> None:
    for code, score in scores.items():
        set_cell(book["评分表"], "指标编号", code, "自评得分", score)
    for code, reason in (reasons or {}).items():
        set_cell(book["评分表"], "指标编号", code, "扣分原因", reason)


def answers(book: Workbook, given: Mapping[str, str], notes: Mapping[str, str] | None = None) -> None:
    for code, answer in given.items():
        set_cell(book["管理核对"], "编号", code, "是否符合", answer)
    for code, note in (notes or {}).items():
        set_cell(book["管理核对"], "编号", code, "说明", note)


def personal_rows(book: Workbook, rows: Sequence[Sequence[Any]]) -> None:
    """Rows of 个性指标, each in PERSONAL_HEADERS order (None leaves a cell empty)."""
    fill_rows(book["个性指标"], "指标名称", list(PERSONAL_HEADERS), rows)


def fields(book: Workbook, sheet: str, values: Mapping[str, object]) -> None:
    for label, value in values.items():
        set_field(book[sheet], label, value)
