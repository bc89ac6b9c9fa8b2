"""The 个性指标 table (a scheme's unit-defined indicators, scored row by row): its rows are read,
typed and checked like every table (V, P, S004, X011), scored by the target formulas, and
watched by R005. The workbooks are made from the 重庆 2021 scheme's template (个性指标 60)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fill import header_columns
from openpyxl.utils.cell import get_column_letter
from openpyxl.workbook.workbook import Workbook
from scheme_workbooks import PERSONAL_HEADERS, personal_rows, scheme_file, scheme_workbook

from selfeval_xlsx.evaluate import Result, evaluate_workbook
from selfeval_xlsx.scheme.load import load_scheme

SHEET = "个性指标"
# six rows of 10 (= the scheme's 60), each meeting its target: no finding
BASE: list[list[Any]] = [[f"指标{i}", "定量", "正向", "次", 10, 10, 10, None, None]
                         for i in range(1, 7)]


def cell(book: Workbook, number: int, header: str) -> str:
    head, columns = header_columns(book[SHEET], "指标名称", PERSONAL_HEADERS)
    return f"{get_column_letter(columns[header])}{head + number}"


def evaluated(tmp_path: Path, change: Callable[[list[list[Any]]], None]) -> tuple[Result, Workbook]:
    rows = [list(r) for r in BASE]
    change(rows)
    kept: dict[str, Workbook] = {}

    def fill(book: Workbook) -> None:
        personal_rows(book, rows)
        kept["book"] = book
    path = scheme_workbook("chongqing_2021", tmp_path, fill)
    return evaluate_workbook(path, load_scheme(scheme_file("chongqing_2021"))).result, kept["book"]


def on_sheet(result: Result) -> list[tuple[str, str]]:
    return sorted((f.cell, f.rule) for f in result.findings if f.sheet == SHEET)


def personal_score(result: Result) -> Decimal:
    assert result.scoring is not None
    return next(s.score for s in result.scoring.indicators if s.indicator.code == "P1")


def test_rows_meeting_their_targets_score_full_marks(tmp_path: Path) -> None:
    result, _ = evaluated(tmp_path, lambda rows: None)
    assert on_sheet(result) == [] and personal_score(result) == 60


def set_value(number: int, header: str, value: object) -> Callable[[list[list[Any]]], None]:
    def change(rows: list[list[Any]]) -> None:
        rows[number - 1][PERSONAL_HEADERS.index(header)] = value
    return change


@pytest.mark.parametrize(("number", "header", "value", "rules", "score"), [
    # 定量 without a direction: it cannot be scored (0 of 10)
    (2, "方向", None, [("方向", "V001"), ("偏差原因", "X011")], "50"),
    # 定量 with a word for its target
    (3, "年度指标值", "较多", [("年度指标值", "V002"), ("偏差原因", "X011")], "50"),
    # no 指标性质 (required on every row)
    (4, "指标性质", None, [("指标性质", "V001"), ("偏差原因", "X011")], "50"),
    # a clerk's score above its 分值 (and differing from the computed 10)
    (1, "自评得分", 12, [("自评得分", "P001"), ("自评得分", "P004")], "60"),
    # a clerk's 9.99 on a row computed 10.00: P004 compares to the cent, no tolerance
    (1, "自评得分", 9.99, [("自评得分", "P004")], "60"),
    # rows adding up to 55, not 60: S004 at the first row's 分值
    (6, "分值", 5, [("分值", "S004")], "55"),
])
def test_row_defects(tmp_path: Path, number: int, header: str, value: object,
                     rules: list[tuple[str, str]], score: str) -> None:
    result, book = evaluated(tmp_path, set_value(number, header, value))
    row = 1 if rules[0][1] == "S004" else number
    assert on_sheet(result) == sorted((cell(book, row, h), rule) for h, rule in rules)
    assert personal_score(result) == Decimal(score)


def test_a_qualitative_row_counts_the_clerks_score_and_needs_one(tmp_path: Path) -> None:
    def qualitative(score: object) -> Callable[[list[list[Any]]], None]:
        def change(rows: list[list[Any]]) -> None:
            rows[4] = ["业务保障能力提升", "定性", None, None, "提升", "有所提升", 10, score, None]
        return change
    result, book = evaluated(tmp_path, qualitative(8))
    # 50 from the five 定量 rows + 8; below 10 without 偏差原因: X011
    assert personal_score(result) == Decimal(58)
    assert on_sheet(result) == [(cell(book, 5, "偏差原因"), "X011")]
    result, book = evaluated(tmp_path, qualitative(None))
    assert personal_score(result) == Decimal(50)
    assert on_sheet(result) == sorted([(cell(book, 5, "自评得分"), "P002"),
                                       (cell(book, 5, "偏差原因"), "X011")])


def test_a_qualitative_score_above_its_weight_counts_as_the_weight(tmp_path: Path) -> None:
    def changes(rows: list[list[Any]]) -> None:
        rows[1][5], rows[1][8] = 8, "两次活动取消"  # a 定量 row at 8 of 10
        rows[4] = ["业务保障能力提升", "定性", None, None, "提升", "明显提升", 10, 12, None]
    # scoring.md: outside [0, 分值] is P001 and counts as the nearest bound: 40 + 8 + 10 = 58
    # (not 40 + 8 + 12 = 60)
    result, book = evaluated(tmp_path, changes)
    assert personal_score(result) == Decimal(58)
    assert on_sheet(result) == [(cell(book, 5, "自评得分"), "P001")]


def test_a_missed_target_with_a_full_self_score_is_r005(tmp_path: Path) -> None:
    def missed(rows: list[list[Any]]) -> None:
        rows[1][5] = 8  # 8 of 10: 8 / 10 × 10 = 8.00
        rows[1][7] = 10  # the clerk's full marks
        rows[1][8] = "两次活动取消"
    result, book = evaluated(tmp_path, missed)
    assert personal_score(result) == Decimal(58)
    assert on_sheet(result) == sorted([(cell(book, 2, "自评得分"), "P004"),
                                       (cell(book, 2, "自评得分"), "R005")])
    r005 = next(f for f in result.findings if f.rule == "R005")
    assert "实际完成值 8 未达到指标值 10" in r005.message.zh


def test_percent_targets_compare_on_one_scale(tmp_path: Path) -> None:
    def percent(rows: list[list[Any]]) -> None:
        rows[0] = ["满意度", "定量", "正向", "%", "≥95%", 0.9, 10, None, "样本偏少"]
    # "≥95%" reads as 95; 0.9 typed in a plain cell reads as 0.9, not 90%: 0.9 / 95 × 10 = 0.09
    result, _ = evaluated(tmp_path, percent)
    assert personal_score(result) == Decimal("50.09")
