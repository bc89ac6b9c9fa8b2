"""One workbook per rule code, each made from the sample by one clerk-like defect.

Every case returns the findings it must produce as (sheet, cell, rule), found with the
independent `fill` helpers; the sample's own T002 (its 尾差) and P007 (D3 does not apply: no key
projects) are added unless a case says they are gone. `check` scores too, so a defect that changes
a computed score also raises P004 on the clerk's unchanged 自评得分 of that indicator.
Run `python tests/rule_workbooks.py DIR` to write them all for a look.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.workbook.workbook import Workbook

sys.path.insert(0, str(Path(__file__).parent))
from build_sample import SAMPLE
from fill import (
    fill_rows,
    find_text,
    header_columns,
    insert_column,
    set_cell,
    set_field,
    table_cell,
)

Expected = list[tuple[str, str, str]]
BUDGET, BASIC, FUNDS, SCORES, CHECKS = "收支预算", "基本信息", "经费控制", "评分表", "管理核对"
INITIAL, FINAL, SHARE = "年初预算数", "决算数", "年初预算占比(%)"


def budget(book: Workbook, label: str, header: str, value: object | None = None) -> str:
    cell = table_cell(book[BUDGET], "项目", label, header)
    if value is not None:
        cell.value = value
    return str(cell.coordinate)


def t002(book: Workbook) -> tuple[str, str, str]:
    return (BUDGET, budget(book, "基本支出", INITIAL), "T002")


def p007(book: Workbook) -> tuple[str, str, str]:
    return (SCORES, table_cell(book[SCORES], "指标编号", "D3", "自评得分").coordinate, "P007")


def p004(book: Workbook, code: str) -> tuple[str, str, str]:
    """The clerk's 自评得分 of `code` (the sample's computed score) no longer matches."""
    return (SCORES, table_cell(book[SCORES], "指标编号", code, "自评得分").coordinate, "P004")


@dataclass(frozen=True)
class Case:
    name: str
    mutate: Callable[[Workbook], Expected]
    keeps_t002: bool = True
    keeps_p007: bool = True
    lock_file: bool = False  # a `~$` lock file beside the workbook (it is open in Excel)


def _s001(book: Workbook) -> Expected:
    del book["重点项目"]
    return [("重点项目", "", "S001")]


def _s002(book: Workbook) -> Expected:
    find_text(book[BASIC], "行政编制数").value = "行政编制"
    return [(BASIC, "", "S002")]


def _s003(book: Workbook) -> Expected:
    return [("填表说明", set_field(book["填表说明"], "模板版本", 2), "S003")]


def _s004(book: Workbook) -> Expected:
    return [(SCORES, set_cell(book[SCORES], "指标编号", "A4", "分值", 10), "S004")]


def _s005(book: Workbook) -> Expected:
    ws = book["资产管理"]
    first = find_text(ws, "固定资产总额")
    insert_column(ws, first.column + 1)  # a 行次 column between the labels and their values
    ws.cell(first.row - 1, first.column + 1).value = "行次"
    cells = []
    for number, label in enumerate(("固定资产总额", "实际在用固定资产总额"), start=1):
        cell = ws.cell(find_text(ws, label).row, first.column + 1)
        cell.value = number
        cells.append(("资产管理", str(cell.coordinate), "S005"))
    return [*cells, ("资产管理", cells[1][1], "T008")]  # read as 2 in use of 1 in all


def _s006(book: Workbook) -> Expected:
    return [("", "", "S006")]


def _v001(book: Workbook) -> Expected:
    return [(BASIC, set_field(book[BASIC], "单位名称", None), "V001")]


def _v002(book: Workbook) -> Expected:
    return [("资产管理", set_field(book["资产管理"], "固定资产总额", "八十八万"), "V002"),
            p004(book, "B4")]  # B4's input unreadable: 0 instead of the clerk's 6


def _v002_excel_error(book: Workbook) -> Expected:
    cell = table_cell(book[FUNDS], "项目", "公用经费", "实际支出数")
    cell.value = "#DIV/0!"  # openpyxl stores it as an error cell, as Excel does
    return [(FUNDS, str(cell.coordinate), "V002"),
            p004(book, "B6")]  # B6's input unreadable: 0 instead of the clerk's 6


def _v003(book: Workbook) -> Expected:
    return [(FUNDS, set_cell(book[FUNDS], "项目", "公用经费", "实际支出数", -8.02), "V003")]


def _v004(book: Workbook) -> Expected:
    return [(BASIC, set_field(book[BASIC], "单位性质", "机关"), "V004")]


def _v005_not_after_year(book: Workbook) -> Expected:
    return [(BASIC, set_field(book[BASIC], "填报日期", "2023-12-30"), "V005")]


def _v005_impossible(book: Workbook) -> Expected:
    return [(BASIC, set_field(book[BASIC], "填报日期", "2024年2月30日"), "V005")]


def _v006(book: Workbook) -> Expected:
    # 8.02 / 8.015 = 100.0624 %: 0.0624 points over, B6 = 6 - 0.0624 -> 5.94, not the clerk's 6
    return [(FUNDS, set_cell(book[FUNDS], "项目", "公用经费", "预算数", 8.015), "V006"),
            p004(book, "B6")]


def _v007(book: Workbook) -> Expected:
    basic, project = budget(book, "基本支出", FINAL), budget(book, "项目支出", FINAL)
    return [(BUDGET, budget(book, "支出合计", FINAL, f"={basic}+{project}"), "V007")]


def _v008(book: Workbook) -> Expected:
    return [("资产管理", set_field(book["资产管理"], "固定资产总额", "889400元"), "V008"),
            p004(book, "B4")]  # B4's input in the wrong unit: 0 instead of the clerk's 6


def _v009(book: Workbook) -> Expected:
    return [(BASIC, set_field(book[BASIC], "填报日期", dt.datetime(2025, 3, 1)), "V009")]


def _t001_budget(book: Workbook) -> Expected:
    budget(book, "工资福利支出", INITIAL, 334.48)  # 334.48 + 104.22 + 15.34 = 454.04 vs 453.95
    return [(BUDGET, budget(book, "基本支出", INITIAL), "T001")]


def _t001_retirees(book: Workbook) -> Expected:
    return [(BASIC, set_field(book[BASIC], "离退休人员合计", 31), "T001")]  # 14+3+4+9 = 30


def _t001_sangong(book: Workbook) -> Expected:
    set_cell(book[FUNDS], "项目", "因公出国（境）费", "预算数", 1)  # items 0 + 1 vs stated total 0
    return [(FUNDS, table_cell(book[FUNDS], "项目", "三公经费合计", "预算数").coordinate, "T001")]


def _t003(book: Workbook) -> Expected:
    budget(book, "收入合计", INITIAL, 900.25)
    budget(book, "政府性基金拨款", INITIAL, 28)  # 872.25 + 28 = 900.25: revenue adds up
    return [(BUDGET, budget(book, "支出合计", INITIAL), "T003")]  # 900.25 vs 902.25


def _t004(book: Workbook) -> Expected:
    budget(book, "一般公共预算拨款", INITIAL, 870.25)
    budget(book, "政府性基金拨款", INITIAL, 32)  # 870.25 + 32 = 902.25 still balances
    return [(BUDGET, budget(book, "一般公共预算拨款支出合计", INITIAL), "T004")]


def _t005(book: Workbook) -> Expected:
    budget(book, "一般公共预算基本支出", SHARE, 52.4)  # computed 453.95/872.25 = 52.04%
    budget(book, "一般公共预算项目支出", SHARE, 47.6)  # 418.30/872.25 = 47.96%; sum stays 100
    return [(BUDGET, budget(book, "一般公共预算基本支出", SHARE), "T005"),
            (BUDGET, budget(book, "一般公共预算项目支出", SHARE), "T005")]


def _t005_fraction(book: Workbook) -> Expected:
    budget(book, "基本支出", SHARE, 0.5031)  # a fraction typed for 50.31
    # 0.5031 + 49.69 != 100, but T005 already points at the wrong share: no T006 on its partner
    return [(BUDGET, budget(book, "基本支出", SHARE), "T005")]


def _t006(book: Workbook) -> Expected:
    budget(book, "基本支出", SHARE, 50.32)  # within 0.01 of 50.31
    budget(book, "项目支出", SHARE, 49.70)  # within 0.01 of 49.69; sum 100.02
    return [(BUDGET, budget(book, "项目支出", SHARE), "T006")]


def _t007(book: Workbook) -> Expected:
    budget(book, "项目支出", FINAL, 458.30)  # above 448.30
    budget(book, "支出合计", FINAL, 912.25)  # 453.95 + 458.30; above 902.25
    # B1: 912.25 / 902.25 above 100 % counts as 100 % -> 10, not the clerk's 9
    return [(BUDGET, budget(book, "支出合计", FINAL), "T007"),
            (BUDGET, budget(book, "项目支出", FINAL), "T007"), p004(book, "B1")]


def _t008(book: Workbook) -> Expected:
    return [("资产管理", set_field(book["资产管理"], "实际在用固定资产总额", 90), "T008")]


def _t009(book: Workbook) -> Expected:
    set_cell(book[FUNDS], "项目", "公务接待费", "实际支出数", 1.5)
    # B5: budget 0 and actual 1.5 > 0 -> 0 points, not the clerk's 6
    return [(FUNDS, set_cell(book[FUNDS], "项目", "三公经费合计", "实际支出数", 1.5), "T009"),
            p004(book, "B5")]


def _t010(book: Workbook) -> Expected:
    return [(BASIC, set_field(book[BASIC], "年末在职行政人员", 12), "T010")]


def _x010(book: Workbook) -> Expected:
    budget(book, "支出合计", FINAL, 800)  # 800 / 902.25 = 88.67% < 90%
    budget(book, "项目支出", FINAL, 346.05)  # 453.95 + 346.05 = 800
    # B1: 88.67 % x 10 = 8.87, not the clerk's 9
    return [(BUDGET, table_cell_right_of(book, BUDGET, "预算执行情况说明"), "X010"),
            p004(book, "B1")]


def table_cell_right_of(book: Workbook, sheet: str, label: str) -> str:
    cell = find_text(book[sheet], label)
    return str(book[sheet].cell(cell.row, cell.column + 1).coordinate)


def _x011(book: Workbook) -> Expected:
    set_cell(book[CHECKS], "编号", "C2-3", "是否符合", "否")
    row, columns = header_columns(book["绩效目标"], "序号", ["完成情况", "说明"])
    book["绩效目标"].cell(row + 3, columns["完成情况"]).value = "部分完成"
    return [(CHECKS, table_cell(book[CHECKS], "编号", "C2-3", "说明").coordinate, "X011"),
            ("绩效目标", book["绩效目标"].cell(row + 3, columns["说明"]).coordinate, "X011"),
            p004(book, "C2"),  # C2-3 (2 points) answered 否: 4, not the clerk's 6
            p004(book, "D1")]  # (9 + 0.5 x 1) / 10 x 10 = 9.5, not the clerk's 10


def _p001(book: Workbook) -> Expected:
    return [(SCORES, set_cell(book[SCORES], "指标编号", "A2", "自评得分", 5), "P001"),
            (SCORES, table_cell(book[SCORES], "指标编号", "合计", "自评得分").coordinate, "P009")]


def _p002(book: Workbook) -> Expected:
    set_cell(book[SCORES], "指标编号", "合计", "自评得分", 95)  # the clerk's sum without A2
    return [(SCORES, set_cell(book[SCORES], "指标编号", "A2", "自评得分", None), "P002")]


def _p002_merged_over_two_rows(book: Workbook) -> Expected:
    # A1's 自评得分 merged down over A2's: A2 has no score of its own (P002 at the covered cell,
    # which says so); the clerk's 合计 left at 100 is then 4 above the sum (P009)
    ws = book[SCORES]
    first = table_cell(ws, "指标编号", "A1", "自评得分")
    covered = set_cell(ws, "指标编号", "A2", "自评得分", None)
    ws.merge_cells(f"{first.coordinate}:{covered}")
    return [(SCORES, covered, "P002"),
            (SCORES, table_cell(ws, "指标编号", "合计", "自评得分").coordinate, "P009")]


def _p003(book: Workbook) -> Expected:
    set_cell(book[SCORES], "指标编号", "A2", "自评得分", 3)
    set_cell(book[SCORES], "指标编号", "合计", "自评得分", 98)
    return [(SCORES, table_cell(book[SCORES], "指标编号", "A2", "扣分原因").coordinate, "P003")]


def _p005(book: Workbook) -> Expected:
    # A1: A1-1 (1 point) unanswered scores 0: 3, not the clerk's 4
    return [(CHECKS, set_cell(book[CHECKS], "编号", "A1-1", "是否符合", None), "P005"),
            p004(book, "A1")]


def _p006(book: Workbook) -> Expected:
    fill_rows(book["绩效目标"], "序号", ["绩效目标", "完成情况"], [(None, None)] * 10)
    return [("绩效目标", "", "P006"), p004(book, "D1")]  # D1: no targets, 0 points


def _p008(book: Workbook) -> Expected:
    fill_rows(book["重点工作"], "序号", ["重点工作", "完成情况"], [(None, None)] * 10)
    return [("重点工作", "", "P008"), p004(book, "D2")]  # D2: no key tasks, 0 points


def _p009(book: Workbook) -> Expected:
    return [(SCORES, set_cell(book[SCORES], "指标编号", "合计", "自评得分", 98), "P009")]


CASES = (
    Case("S001_missing_sheet", _s001), Case("S002_renamed_label", _s002),
    Case("S003_old_version", _s003), Case("S004_weight_changed", _s004),
    Case("S005_numbering_column_inserted", _s005), Case("S006_open_in_excel", _s006, lock_file=True),
    Case("V001_unit_name_empty", _v001), Case("V002_assets_in_words", _v002),
    Case("V002_excel_error_value", _v002_excel_error), Case("V003_negative_spending", _v003), Case("V004_unknown_unit_type", _v004),
    Case("V005_date_in_year", _v005_not_after_year), Case("V005_impossible_date", _v005_impossible),
    Case("V006_three_decimals", _v006), Case("V007_formula_without_value", _v007),
    Case("V008_yuan_not_wanyuan", _v008), Case("V009_date_two_years_late", _v009),
    Case("T001_basic_parts_off", _t001_budget, keeps_t002=False),
    Case("T001_retirees_off", _t001_retirees), Case("T001_sangong_items_off", _t001_sangong),
    Case("T003_unbalanced_budget", _t003), Case("T004_general_budget_mismatch", _t004),
    Case("T005_share_wrong", _t005), Case("T005_share_as_fraction", _t005_fraction),
    Case("T006_shares_not_100", _t006), Case("T007_overspent", _t007),
    Case("T008_assets_in_use_too_high", _t008), Case("T009_sangong_without_budget", _t009),
    Case("T010_staff_over_quota", _t010), Case("X010_low_execution_no_note", _x010),
    Case("X011_no_explanation", _x011), Case("P001_score_above_weight", _p001),
    Case("P002_self_score_missing", _p002),
    Case("P002_score_merged_over_two_rows", _p002_merged_over_two_rows), Case("P003_deduction_no_reason", _p003),
    Case("P005_checklist_unanswered", _p005), Case("P006_no_targets", _p006),
    Case("P008_no_key_tasks", _p008), Case("P009_total_differs", _p009),
)


def build_case(case: Case, folder: Path, sample: Path = SAMPLE) -> tuple[Path, Expected]:
    book = openpyxl.load_workbook(sample)
    expected = case.mutate(book)
    if case.keeps_t002:
        expected.append(t002(book))
    if case.keeps_p007:
        expected.append(p007(book))
    path = folder / f"{case.name}.xlsx"
    book.save(path)
    if case.lock_file:
        (folder / f"~${case.name}.xlsx").write_bytes(b"\x00" * 165)  # as Excel writes it
    return path, sorted(expected)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "rule_workbooks")
    out.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        print(build_case(case, out)[0])
