"""Build `samples/mazhang_2023.xlsx` from the committed template, as `spec/sample-mazhang-2023.md`
says: the seed report's figures, typed the way a clerk types them.

Run: python tests/build_sample.py  (writes samples/mazhang_2023.xlsx)
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import openpyxl
from openpyxl.workbook.workbook import Workbook

sys.path.insert(0, str(Path(__file__).parent))
from fill import fill_rows, set_cell, set_field

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "workbook_templates" / "selfeval_template.xlsx"
SAMPLE = ROOT / "samples" / "mazhang_2023.xlsx"

NOTE = ("样例说明：本样例按湛江市麻章区科工贸和信息化局《2023年度整体绩效自评报告》填写。"
        "决算数（支出合计812.03、基本支出453.95、项目支出358.08）、绩效目标和重点工作的完成情况、"
        "报告未述及的管理核对项为示意数据，并非公开数据。")

BASIC_FIELDS = {
    "单位名称": "湛江市麻章区科工贸和信息化局", "单位性质": "行政单位",
    "下属单位": "麻章区国有和集体企业管理办公室", "评价年度": 2023,
    "填报日期": dt.datetime(2024, 5, 28), "行政编制数": 11, "事业编制数": 9,
    "年末在职行政人员": 11, "年末在职后勤服务人员": 2, "年末在职事业在编人员": 4,
    "年末在职不在编人员": 2, "离退休人员合计": 30, "外聘合同工人数": 3,
    "主要职能": ("湛江市麻章区科工贸和信息化局贯彻落实党中央和省委、市委关于科技创新、工业、商务和信息化工作的方针政策和决策部署。"
                 "主要职责是：统筹推进全区科技创新体系建设；监测分析工业、商贸流通业运行态势；"
                 "指导企业技术进步、技术创新和技术改造，负责中小企业和民营经济发展的指导和服务；"
                 "对工业、商贸流通业实施行业管理；推进国民经济和社会信息化工作；"
                 "指导国有集体经济发展，推进国有企业和二轻集体企业改革。"),  # condensed from the seed
}
RETIREES = [("局退休", 14), ("乡镇企业服务中心", 3), ("国企办", 4), ("原二轻退休", 9)]
# row label -> (年初预算数, 决算数, 年初预算占比(%)); None = left empty
BUDGET = {
    "收入合计": (902.25, None, None), "一般公共预算拨款": (872.25, None, None),
    "政府性基金拨款": (30, None, None), "支出合计": (902.25, 812.03, None),
    "基本支出": (453.95, 453.95, 50.31), "工资福利支出": (334.38, None, None),
    "对个人和家庭的补助": (104.22, None, None), "商品和服务支出": (15.34, None, None),
    "项目支出": (448.30, 358.08, 49.69), "一般公共预算拨款支出合计": (872.25, None, None),
    "一般公共预算基本支出": (453.95, None, 52.04), "一般公共预算项目支出": (418.30, None, 47.96),
}
FUNDS = {"三公经费合计": (0, 0), "公务接待费": (0, 0), "公用经费": (8.02, 8.02)}
TARGETS = [
    "完成全区企业信息综合数据采集", "完成医药物流产业园征地任务以及项目招投标工作",
    "推进创新驱动和人才引进，提高科技创新水平", "利用外资，推动外资企业全面发展，达到预定目标",
    "促进外贸进出口企业发展，完成考核目标", "服务贸易企业，完成预定目标",
    "实施乡村振兴战略、三产融合发展行动，区、镇、村三级物流共同体系构建工作",
    "完成社消零考核工作，完成全区社消零增长10%的工作任务",
    "电子商务公共服务中心建设及电子商务进农村精准扶贫工作", "完成高新技术企业改造",
]
TASKS = [
    "大力推动工业发展", "着力推进商贸发展", "深入推动科技创新", "全面推动信息化建设",
    "大力推动绿色制造", "深入开展“暖企服务”", "稳步推进国企管理", "狠抓疫情防控",
    "持续加强安全监管", "加强党员干部队伍建设",
]
CHECKLIST = ["A1-1", "A1-2", "A1-3", "A1-4", "A3-1", "A3-2", "B2-1", "B2-2", "B3-1", "B3-2",
             "C1-1", "C1-2", "C1-3", "C2-1", "C2-2", "C2-3", "C3-1", "C3-2"]
SCORES = {"A1": 4, "A2": 4, "A3": 4, "A4": 8, "B1": 9, "B2": 8, "B3": 4, "B4": 6, "B5": 6,
          "B6": 6, "C1": 5, "C2": 6, "C3": 4, "D1": 10, "D2": 10, "D3": 5}


def fill_sample(book: Workbook, set_scores: bool = True) -> None:
    """Fill the data sheets; with `set_scores`, also the default scheme's checklist and scores."""
    _fill_basic(book)
    _fill_budget(book)
    _fill_funds_and_assets(book)
    _fill_targets_and_tasks(book)
    guide = book["填表说明"]
    guide.cell(guide.max_row + 2, 1).value = NOTE
    if not set_scores:
        return
    ws = book["管理核对"]
    for code in CHECKLIST:
        set_cell(ws, "编号", code, "是否符合", "是")
    ws = book["评分表"]
    for code, score in SCORES.items():
        set_cell(ws, "指标编号", code, "自评得分", score)
    set_cell(ws, "指标编号", "B1", "扣分原因", "预算执行率90.00%，按比例扣1分")
    set_cell(ws, "指标编号", "合计", "自评得分", 99)


def _fill_basic(book: Workbook) -> None:
    ws = book["基本信息"]
    for label, value in BASIC_FIELDS.items():
        set_field(ws, label, value)
    fill_rows(ws, "类别", ["类别", "人数"], RETIREES)


def _fill_budget(book: Workbook) -> None:
    ws = book["收支预算"]
    for label, (initial, final, share) in BUDGET.items():
        for header, value in (("年初预算数", initial), ("决算数", final), ("年初预算占比(%)", share)):
            if value is not None:
                set_cell(ws, "项目", label, header, value)


def _fill_funds_and_assets(book: Workbook) -> None:
    ws = book["经费控制"]
    for label, (budget, actual) in FUNDS.items():
        set_cell(ws, "项目", label, "预算数", budget)
        set_cell(ws, "项目", label, "实际支出数", actual)
    ws = book["资产管理"]
    set_field(ws, "固定资产总额", 88.94)
    set_field(ws, "实际在用固定资产总额", 88.94)


def _fill_targets_and_tasks(book: Workbook) -> None:
    rows = [(i, text, "完成") for i, text in enumerate(TARGETS, start=1)]
    fill_rows(book["绩效目标"], "序号", ["序号", "绩效目标", "完成情况"], rows)
    rows = [(i, text, "完成") for i, text in enumerate(TASKS, start=1)]
    fill_rows(book["重点工作"], "序号", ["序号", "重点工作", "完成情况"], rows)


def build_sample(target: Path, template: Path = TEMPLATE) -> None:
    book = openpyxl.load_workbook(template)
    fill_sample(book)
    book.save(target)


def assert_same_values(committed: Path, rebuilt: Path) -> None:
    """The committed sample and one built again hold the same sheets, sizes and cell values."""
    old, new = openpyxl.load_workbook(committed), openpyxl.load_workbook(rebuilt)
    assert old.sheetnames == new.sheetnames
    for name in old.sheetnames:
        a, b = old[name], new[name]
        assert (a.max_row, a.max_column) == (b.max_row, b.max_column), name
        for row_a, row_b in zip(a.iter_rows(), b.iter_rows(), strict=True):
            assert [c.value for c in row_a] == [c.value for c in row_b], name


if __name__ == "__main__":
    build_sample(SAMPLE)
    print(f"written {SAMPLE}")
