"""A data cell with several findings is highlighted for the worst of them (`outputs.md`: the
copies show "the cells that have findings highlighted"; an error must not look like a note)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from edges import BUDGET, INITIAL, amounts, budget_cell, build

from selfeval_xlsx.api import score_file


def fill_of(cell: object) -> str:
    return str(cell.fill.fgColor.rgb)  # type: ignore[attr-defined]


def test_a_cell_with_a_warning_and_a_note_is_marked_as_a_warning(sample: Path,
                                                                 tmp_path: Path) -> None:
    # 基本支出 年初 453.945: three decimals (V006, warning) and its parts 453.94 are within the
    # 尾差 bound of 0.015 (T002, info): both findings on one cell
    path, book = build(sample, tmp_path, amounts({("基本支出", INITIAL): 453.945}))
    cell = budget_cell(book, "基本支出", INITIAL)
    out = tmp_path / "out.xlsx"
    score_file(path, out)
    result = openpyxl.load_workbook(out)
    listed = [r for r in result["校验结果"].iter_rows(min_row=4) if r[4].value == cell
              and r[3].value == BUDGET]
    assert sorted(r[2].value for r in listed) == ["T002", "V006"]
    warning_fill = next(fill_of(r[1]) for r in listed if r[1].value == "警告")
    note_fill = next(fill_of(r[1]) for r in listed if r[1].value == "提示")
    assert warning_fill != note_fill
    assert fill_of(result[BUDGET][cell]) == warning_fill
