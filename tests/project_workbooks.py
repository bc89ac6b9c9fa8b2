"""Project workbooks with one clerk-like defect each, made from `samples/project_2023.xlsx`.

The sample itself has no findings (tests/test_project_sample.py). Every case returns the
findings it must produce as (sheet, cell, rule), located with the independent `fill` helpers.
Run `python tests/project_workbooks.py DIR` to write them all for a look.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

sys.path.insert(0, str(Path(__file__).parent))
from build_project_sample import FUNDS, INDICATORS, PROJECT_SAMPLE
from fill import field_cell, find_text, free_row, header_columns, table_cell

from selfeval_xlsx.api import evaluate_file, write_evaluation
from selfeval_xlsx.evaluate.project import ProjectEvaluation

Expected = list[tuple[str, str, str]]
P1, P2, P3 = "项目1", "项目2", "项目3"
TOTAL, CURRENT, CARRIED = "年度资金总额", "其中：当年财政拨款", "上年结转资金"


def fund(book: Workbook, sheet: str, label: str, header: str, value: Any = "keep") -> str:
    """The coordinate of a fund cell; with `value`, set it first (None clears it)."""
    cell = table_cell(book[sheet], FUNDS, label, header)
    if value != "keep":
        cell.value = value
    return str(cell.coordinate)


def row_cell(ws: Worksheet, number: int, header: str, value: Any = "keep") -> str:
    """The coordinate of `header` on the n-th indicator row; with `value`, set it first."""
    _, columns = header_columns(ws, INDICATORS, [header])
    cell = ws.cell(free_row(ws, INDICATORS, number), columns[header])
    if value != "keep":
        cell.value = value
    return str(cell.coordinate)


def field(book: Workbook, sheet: str, label: str, value: Any = "keep") -> str:
    cell = field_cell(book[sheet], label)
    if value != "keep":
        cell.value = value
    return str(cell.coordinate)


@dataclass(frozen=True)
class Case:
    name: str
    mutate: Callable[[Workbook], Expected]


def _j001(book: Workbook) -> Expected:
    # 池州: the total's 年初预算数 left at 0 while 当年财政拨款 holds 90
    return [(P2, fund(book, P2, TOTAL, "年初预算数", 0), "J001")]


def _two_sources(book: Workbook, carried_budget: float) -> None:
    """项目2's money from two sources; 全年执行数 45 + 44.97 = 89.97 as its total."""
    fund(book, P2, CURRENT, "全年预算数", 45)
    fund(book, P2, CARRIED, "全年预算数", carried_budget)
    fund(book, P2, CURRENT, "全年执行数", 45)
    fund(book, P2, CARRIED, "全年执行数", 44.97)


def _t002(book: Workbook) -> Expected:
    # 全年预算数: 45.00 + 44.98 = 89.98 vs 89.97: 0.01, exactly the bound of two parts (2 x 0.005)
    _two_sources(book, 44.98)
    return [(P2, fund(book, P2, TOTAL, "全年预算数"), "T002")]


def _j001_just_beyond(book: Workbook) -> Expected:
    # 45.00 + 44.99 = 89.99 vs 89.97: 0.02 > 0.01
    _two_sources(book, 44.99)
    return [(P2, fund(book, P2, TOTAL, "全年预算数"), "J001")]


def _j002(book: Workbook) -> Expected:
    # 项目3: 40.32 / 48 = 84 % < 90 %, and 评价结论 cleared
    return [(P3, field(book, P3, "评价结论", None), "J002")]


def _j003(book: Workbook) -> Expected:
    # 项目1: no budget at all (the sources' budgets cleared too, so J001 has nothing to add);
    # execution then scores 0: the clerk's 得分 10 and 总分 100 (computed 90) differ: J010
    for label in (TOTAL, CURRENT):
        for header in ("年初预算数", "全年预算数"):
            fund(book, P1, label, header, None)
    return [(P1, fund(book, P1, TOTAL, "全年预算数"), "J003"),
            (P1, fund(book, P1, TOTAL, "得分"), "J010"), (P1, field(book, P1, "总分"), "J010")]


def _j004_met(book: Workbook) -> Expected:
    # 云南: 整治村庄数量 12 of 12, yet 9 of 10 without a reason: J004, J009 (9 < 10, no reason),
    # J010 (computed 10); the 总分 100 still equals the computed one
    ws = book[P1]
    return [(P1, row_cell(ws, 1, "得分", 9), "J004"), (P1, row_cell(ws, 1, "得分"), "J010"),
            (P1, row_cell(ws, 1, "偏差原因分析及改进措施"), "J009")]


def _j004_missed(book: Workbook) -> Expected:
    # 重庆: 72.74 % against 100 %, full marks 20: computed 72.74 / 100 x 20 = 14.548 -> 14.55;
    # 总分 100 vs 94.55: J010; 14.55 < 20 without a reason: J009
    ws = book[P1]
    row_cell(ws, 3, "实际完成值", "72.74%")
    return [(P1, row_cell(ws, 3, "得分"), "J004"), (P1, row_cell(ws, 3, "得分"), "J010"),
            (P1, row_cell(ws, 3, "偏差原因分析及改进措施"), "J009"),
            (P1, field(book, P1, "总分"), "J010")]


def _j005(book: Workbook) -> Expected:
    # 项目2 种粮农民收入: 达成 allows [12, 15] of 15; 11 counts as 12; 总分 99 vs 97: J010
    ws = book[P2]
    return [(P2, row_cell(ws, 4, "得分", 11), "J005"), (P2, field(book, P2, "总分"), "J010")]


def _j006_name(book: Workbook) -> Expected:
    return [(P1, field(book, P1, "项目名称", None), "J006")]


def _j006_value(book: Workbook) -> Expected:
    # 项目3 检测结果准确率 without 实际完成值: the row scores 0 (15 less): 总分 90.85 vs 75.85
    # (J010), grade 中 vs the clerk's 优 (J010)
    ws = book[P3]
    return [(P3, row_cell(ws, 2, "实际完成值", None), "J006"),
            (P3, field(book, P3, "总分"), "J010"), (P3, field(book, P3, "评价等级"), "J010")]


def _j006_qualitative_score(book: Workbook) -> Expected:
    # 项目2 耕地地力保护意识 (定性) without 得分: 0 of 15; 总分 99 vs 84 and grade 良 vs 优
    ws = book[P2]
    return [(P2, row_cell(ws, 5, "得分", None), "J006"),
            (P2, field(book, P2, "总分"), "J010"), (P2, field(book, P2, "评价等级"), "J010")]


def _j007(book: Workbook) -> Expected:
    # 项目1 满意度: 108 % of a 90 % target is exactly 120 %
    return [(P1, row_cell(book[P1], 5, "实际完成值", "108%"), "J007")]


def _j008(book: Workbook) -> Expected:
    # 项目2 补贴发放面积 25 points: 产出 55 instead of 50; its score 25 makes the total 104
    ws = book[P2]
    row_cell(ws, 1, "得分", 25)
    return [(P2, row_cell(ws, 1, "分值", 25), "J008"), (P2, field(book, P2, "总分"), "J010")]


def _j009(book: Workbook) -> Expected:
    # 项目3 检测样品数量 19.17 of 20 without its reason
    return [(P3, row_cell(book[P3], 1, "偏差原因分析及改进措施", None), "J009")]


def _j010(book: Workbook) -> Expected:
    # 项目3 满意度: 88 / 90 x 10 = 9.777... -> 9.78, the clerk wrote 9.5 (a reason is given)
    return [(P3, row_cell(book[P3], 6, "得分", 9.5), "J010")]


def _t007(book: Workbook) -> Expected:
    # 项目3: 全年执行数 50 above 全年预算数 48 on the total, 46 above 43 on 当年财政拨款; the
    # rate 50 / 48 counts as 100 %: 执行率 84 and 得分 8.40 differ (J010), 总分 90.85 vs 92.45
    fund(book, P3, TOTAL, "全年执行数", 50)
    fund(book, P3, CURRENT, "全年执行数", 46)
    return [(P3, fund(book, P3, TOTAL, "全年执行数"), "T007"),
            (P3, fund(book, P3, CURRENT, "全年执行数"), "T007"),
            (P3, fund(book, P3, TOTAL, "执行率"), "J010"), (P3, fund(book, P3, TOTAL, "得分"), "J010"),
            (P3, field(book, P3, "总分"), "J010")]


def _t007_rate_as_counted(book: Workbook) -> Expected:
    # as _t007, with the 执行率 written as 100, the rate that counts (50 / 48 = 104.17 % counts
    # as 100 %): no J010 on it; 得分 8.40 (not 10) and 总分 still differ
    expected = _t007(book)
    rate = fund(book, P3, TOTAL, "执行率", 100)
    return [e for e in expected if e != (P3, rate, "J010")]


def _v002(book: Workbook) -> Expected:
    # 项目1 整治村庄数量 written in words: the row cannot be scored (0 of 10): 总分 100 vs 90
    return [(P1, row_cell(book[P1], 1, "实际完成值", "十二"), "V002"),
            (P1, field(book, P1, "总分"), "J010")]


def _v004(book: Workbook) -> Expected:
    # a 定性 word that is not one of the three: the clerk's 14 counts (within 0..15)
    return [(P2, row_cell(book[P2], 4, "实际完成值", "基本达成"), "V004")]


def _v004_kind(book: Workbook) -> Expected:
    # 指标性质 "大于" is not a sign: the row cannot be scored (0 of 15): 总分 90.85 vs 75.85, 中
    ws = book[P3]
    return [(P3, row_cell(ws, 2, "指标性质", "大于"), "V004"),
            (P3, field(book, P3, "总分"), "J010"), (P3, field(book, P3, "评价等级"), "J010")]


def _s004(book: Workbook) -> Expected:
    # the execution row says 20 (a Hubei form) while project_default gives 10
    return [(P1, fund(book, P1, TOTAL, "分值", 20), "S004")]


def _s001(book: Workbook) -> Expected:
    del book["填表说明"]
    return [("填表说明", "", "S001")]


def _s002_title(book: Workbook) -> Expected:
    # 项目1 retitled beyond recognition: it has 项目名称 and 绩效指标, so it is named, not dropped
    title = find_text(book[P1], "项目支出绩效自评表")
    title.value = "绩效自评"
    return [(P1, str(title.coordinate), "S002")]


def _j013(book: Workbook) -> Expected:
    # 项目3 copied from 项目1 and its name left (with spaces, which label comparison ignores):
    # both are scored, 项目3 is named
    name = str(field_cell(book[P1], "项目名称").value)
    return [(P3, field(book, P3, "项目名称", f" {name[:2]} {name[2:]}"), "J013")]


def _v004_merged_down(book: Workbook) -> Expected:
    # 项目1's three 产出 rows under one 一级指标 cell merged down, with a word cut short: one V004
    # at the merged cell (not one per row it covers); none of the three counts under 产出, so the
    # 产出 split is 0 of 50 (J008 at the 分值 header)
    ws = book[P1]
    top = free_row(ws, INDICATORS, 1)
    _, columns = header_columns(ws, INDICATORS, ["一级指标", "分值"])
    column = columns["一级指标"]
    ws.cell(top, column).value = "产出指"
    for row in (top + 1, top + 2):
        ws.cell(row, column).value = None
    ws.merge_cells(start_row=top, start_column=column, end_row=top + 2, end_column=column)
    header = ws.cell(top - 1, columns["分值"]).coordinate
    return [(P1, ws.cell(top, column).coordinate, "V004"), (P1, header, "J008")]


def _j006_weight_merged_down(book: Workbook) -> Expected:
    # 项目1's first two 分值 merged down: the second row (分值 20, 得分 20) has no 分值 of its
    # own (J006 at the covered cell, which says so) and scores 0, leaving 产出 at 30 of 50 (J008
    # at the first 分值); its clerk's 得分 20 against 0 (J010), 总分 100 against 80 (J010) and
    # the grade 优 against 良 (J010)
    ws = book[P1]
    first, covered = row_cell(ws, 1, "分值"), row_cell(ws, 2, "分值", None)
    ws.merge_cells(f"{first}:{covered}")
    return [(P1, covered, "J006"), (P1, first, "J008"), (P1, row_cell(ws, 2, "得分"), "J010"),
            (P1, field(book, P1, "总分"), "J010"), (P1, field(book, P1, "评价等级"), "J010")]


def _j014(book: Workbook) -> Expected:
    # 项目1 受益群众满意度 (T 90%, W 10, the clerk's 10) with 实际完成值 0.95 for 95%: J014 at
    # it; scored as written, 0.95 ÷ 90 × 10 = 0.1055… -> 0.11, so the clerk's 10 is J004 (missed,
    # full marks) and J010, the empty reason J009, and 总分 100 against 100 - 10 + 0.11 = 90.11
    # J010 (still 优)
    ws = book[P1]
    row = find_text(ws, "受益群众满意度").row
    (actual,) = [c for c in ws[row] if c.value == "95%"]
    actual.value = 0.95
    score, reason = row_cell(ws, 5, "得分"), row_cell(ws, 5, "偏差原因分析及改进措施")
    assert int(score[1:]) == row  # the fifth indicator row
    return [(P1, str(actual.coordinate), "J014"), (P1, score, "J004"), (P1, score, "J010"),
            (P1, reason, "J009"), (P1, field(book, P1, "总分"), "J010")]


CASES = [
    Case("J001_total_row_not_summed", _j001), Case("J001_just_beyond_the_bound", _j001_just_beyond),
    Case("T002_within_the_bound", _t002), Case("J002_low_execution_unexplained", _j002),
    Case("J003_no_budget", _j003), Case("J004_met_target_points_off", _j004_met),
    Case("J004_missed_target_full_marks", _j004_missed), Case("J005_score_outside_band", _j005),
    Case("J006_no_project_name", _j006_name), Case("J006_no_actual_value", _j006_value),
    Case("J006_qualitative_without_score", _j006_qualitative_score),
    Case("J007_over_achievement_at_120", _j007), Case("J008_split_off", _j008),
    Case("J009_points_off_unexplained", _j009), Case("J010_clerk_score_differs", _j010),
    Case("T007_overspent", _t007), Case("T007_overspent_rate_as_counted", _t007_rate_as_counted), Case("V002_words_in_a_number", _v002),
    Case("V004_unknown_qualitative_word", _v004), Case("V004_unknown_kind", _v004_kind),
    Case("S004_execution_weight", _s004), Case("S001_no_guide", _s001),
    Case("S002_title_edited", _s002_title), Case("J013_project_name_given_twice", _j013),
    Case("V004_wrong_word_merged_down", _v004_merged_down),
    Case("J006_weight_merged_down", _j006_weight_merged_down),
    Case("J014_percent_typed_as_a_fraction", _j014),
]


def build_case(case: Case, folder: Path) -> tuple[Path, Expected]:
    book = openpyxl.load_workbook(PROJECT_SAMPLE)
    expected = case.mutate(book)
    path = folder / f"{case.name}.xlsx"
    book.save(path)
    return path, sorted(expected)


SCORED_AT = dt.datetime(2024, 3, 1, 9, 30)  # a fixed generation time: outputs compare as they are


def scored_output(source: Path, target: Path) -> Path:
    """The project output workbook of `source`, written to `target` at SCORED_AT."""
    evaluation = evaluate_file(source)
    assert isinstance(evaluation, ProjectEvaluation)
    write_evaluation(evaluation, target, SCORED_AT)
    return target


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    for item in CASES:
        print(build_case(item, target)[0])
