"""Build the project samples from the committed project template, typed as a clerk types them:

- `samples/project_2023.xlsx`: three projects of one (illustrative) unit. 项目1 carries the
  fund figures of the published 云南 2020 form (7.29 / 7.29 / 7.29: 100 %, 10.00) and its
  layout of indicators whose actuals equal their targets, scored as they should be (full marks);
  项目2 the 池州 2022 fund figures (90 / 89.974 / 89.974, rounded to 89.97 as the form asks)
  with the 年度资金总额 row summed; 项目3 is illustrative, with a 反向 row, an 等于 row with
  target 0, two 定性 rows, a missed target and an execution rate of 84 % explained.
- `samples/project_chizhou_unsummed.xlsx`: the 池州 form as published, its 年度资金总额 row left
  at 0 0 0 while 本年财政拨款 holds 90 / 89.974 / 89.974 (J001 in every column, J003).

Run: python tests/build_project_sample.py  (writes both files)
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

sys.path.insert(0, str(Path(__file__).parent))
from fill import fill_rows, set_cell, set_field

ROOT = Path(__file__).resolve().parent.parent
PROJECT_TEMPLATE = ROOT / "workbook_templates" / "project_template.xlsx"
PROJECT_SAMPLE = ROOT / "samples" / "project_2023.xlsx"
UNSUMMED_SAMPLE = ROOT / "samples" / "project_chizhou_unsummed.xlsx"
FUNDS, INDICATORS = "项目资金（万元）", "一级指标"
ROW_HEADERS = ("一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "计量单位", "实际完成值",
               "分值", "得分", "偏差原因分析及改进措施")

NOTE = ("样例说明：项目1的资金数（7.29/7.29/7.29）和“完成值等于指标值”的指标结构取自云南省2020年公开的项目支出绩效"
        "自评表，项目2的资金数（年初90、全年及执行89.974，按两位小数填为89.97）取自安徽池州2022年公开的自评表；"
        "单位名称、项目名称、各指标及其数值、项目3的全部数据均为示意数据，并非公开数据。")
UNSUMMED_NOTE = ("样例说明：按安徽池州2022年公开的项目支出绩效自评表的资金栏填写：年度资金总额一行为 0 0 0，"
                 "本年财政拨款为 90 / 89.974 / 89.974（合计行未求和）。项目名称和绩效指标为示意数据。")

Funds = dict[str, tuple[Any, Any, Any]]  # row label -> (年初预算数, 全年预算数, 全年执行数)


def _project(ws: Worksheet, header: dict[str, str], funds: Funds, clerk: tuple[Any, Any],
             rows: Sequence[Sequence[Any]], closing: dict[str, Any]) -> None:
    for label, value in header.items():
        set_field(ws, label, value)
    for label, values in funds.items():
        for column, value in zip(("年初预算数", "全年预算数", "全年执行数"), values, strict=True):
            if value is not None:
                set_cell(ws, FUNDS, label, column, value)
    rate, score = clerk
    set_cell(ws, FUNDS, "年度资金总额", "执行率", rate)
    set_cell(ws, FUNDS, "年度资金总额", "得分", score)
    fill_rows(ws, INDICATORS, ROW_HEADERS, [[*row, *([None] * (len(ROW_HEADERS) - len(row)))]
                                           for row in rows])
    for label, value in closing.items():
        set_field(ws, label, value)


YUNNAN = dict(
    header={"项目名称": "农村人居环境整治项目", "主管部门": "示例县农业农村局", "实施单位": "示例县农业农村局"},
    funds={"年度资金总额": (7.29, 7.29, 7.29), "其中：当年财政拨款": (7.29, 7.29, 7.29)},
    clerk=(100, 10),
    rows=[("产出指标", "数量指标", "整治村庄数量", "≥", 12, "个", 12, 10, 10),
          ("产出指标", "质量指标", "项目验收合格率", "≥", "100%", "%", "100%", 20, 20),
          ("产出指标", "时效指标", "项目完成及时率", "≥", "100%", "%", "100%", 20, 20),
          ("效益指标", "社会效益指标", "受益农户数", "≥", 850, "户", 850, 30, 30),
          ("满意度指标", "服务对象满意度指标", "受益群众满意度", "≥", "90%", "%", "95%", 10, 10)],
    closing={"总分": 100, "评价等级": "优", "评价结论": "项目按计划完成，资金全部执行，各项指标均达到年度指标值。"},
)
CHIZHOU = dict(
    header={"项目名称": "耕地地力保护补贴项目", "主管部门": "示例县农业农村局", "实施单位": "示例县农业农村局"},
    funds={"年度资金总额": (90, 89.97, 89.97), "其中：当年财政拨款": (90, 89.97, 89.97)},
    clerk=(100, 10),
    rows=[("产出指标", "数量指标", "补贴发放面积", "≥", 3.2, "万亩", 3.25, 20, 20),
          ("产出指标", "质量指标", "补贴资金兑付准确率", "=", "100%", "%", "100%", 15, 15),
          ("产出指标", "时效指标", "补贴资金兑付完成时间", "≤", 10, "月", 9, 15, 15),
          ("效益指标", "经济效益指标", "种粮农民收入", "定性", "稳定增加", None, "达成年度指标", 15, 14,
           "部分农户反映补贴标准偏低，将加强政策宣传"),
          ("效益指标", "可持续影响指标", "耕地地力保护意识", "定性", "明显增强", None, "达成年度指标", 15, 15),
          ("满意度指标", "服务对象满意度指标", "补贴对象满意度", "≥", "90%", "%", "96%", 10, 10)],
    closing={"总分": 99, "评价等级": "优"},
)
ILLUSTRATIVE = dict(
    header={"项目名称": "农产品质量安全检测项目", "主管部门": "示例县农业农村局",
            "实施单位": "示例县农产品质量安全检测站", "项目负责人": "王某"},
    funds={"年度资金总额": (50, 48, 40.32), "其中：当年财政拨款": (45, 43, 36.32),
           "上年结转资金": (5, 5, 4)},
    clerk=(84, 8.4),
    rows=[("产出指标", "数量指标", "检测样品数量", "≥", 1200, "批次", 1150, 20, 19.17,
           "部分乡镇送检不及时，将建立按月送检制度"),
          ("产出指标", "质量指标", "检测结果准确率", "≥", "98%", "%", "99%", 15, 15),
          ("产出指标", "成本指标", "单批次检测成本", "≤", 300, "元", 330, 15, 13.5,
           "试剂涨价致成本上升，将通过集中采购降低成本"),
          ("效益指标", "社会效益指标", "农产品质量安全事件", "=", 0, "起", 0, 15, 15),
          ("效益指标", "社会效益指标", "群众食品安全意识", "定性", "明显提高", None, "部分达成年度指标并具有一定效果",
           15, 10, "宣传覆盖面不足，将增加进村宣传场次"),
          ("满意度指标", "服务对象满意度指标", "生产经营主体满意度", "≥", "90%", "%", "88%", 10, 9.78,
           "检测报告出具偏慢，将压缩出具时限")],
    closing={"总分": 90.85, "评价等级": "优",
             "评价结论": "执行率84%：检测设备采购因招标流标顺延至次年，7.68万元未支出；将提前开展采购。"},
)
UNSUMMED = dict(
    header={"项目名称": "耕地地力保护补贴项目", "主管部门": "示例县农业农村局", "实施单位": "示例县农业农村局"},
    funds={"年度资金总额": (0, 0, 0), "其中：当年财政拨款": (90, 89.974, 89.974)},
    clerk=(0, 0),
    rows=CHIZHOU["rows"],
    closing={"总分": 89, "评价等级": "良"},
)


def _guide(book: Workbook, note: str) -> None:
    guide = book["填表说明"]
    set_field(guide, "评价年度", 2023)
    set_field(guide, "单位名称", "示例县农业农村局")
    guide.cell(guide.max_row + 2, 1).value = note


def build_project_sample(target: Path, template: Path = PROJECT_TEMPLATE) -> None:
    book = openpyxl.load_workbook(template)
    _guide(book, NOTE)
    first = book["项目1"]
    sheets = [first]
    for number in (2, 3):
        copy = book.copy_worksheet(first)
        copy.title = f"项目{number}"
        sheets.append(copy)
    for ws, data in zip(sheets, (YUNNAN, CHIZHOU, ILLUSTRATIVE), strict=True):
        _project(ws, **data)  # type: ignore[arg-type]
    book.save(target)


def build_unsummed_sample(target: Path, template: Path = PROJECT_TEMPLATE) -> None:
    book = openpyxl.load_workbook(template)
    _guide(book, UNSUMMED_NOTE)
    _project(book["项目1"], **UNSUMMED)  # type: ignore[arg-type]
    book.save(target)


if __name__ == "__main__":
    build_project_sample(PROJECT_SAMPLE)
    build_unsummed_sample(UNSUMMED_SAMPLE)
    print(f"written {PROJECT_SAMPLE} and {UNSUMMED_SAMPLE}")
