"""The 项目支出绩效自评表 (`docs/template.md`, 项目支出): 填表说明 and one project sheet.

The clerk copies the project sheet once per project (any sheet name): the reader finds project
sheets by their title. Rows of 绩效指标 are free; 年度指标值 and 实际完成值 are read as numbers
or words by the row's 指标性质 (定量 / 定性), so they are text columns here.
"""

from __future__ import annotations

from functools import cache

from selfeval_xlsx import TEMPLATE_VERSION
from selfeval_xlsx.template.spec import (
    GUIDE,
    PROJECT_FORM,
    Column,
    Field,
    Form,
    Kind,
    Row,
    Sheet,
    Table,
    Template,
)

PROJECT_TITLE = "项目支出绩效自评表"
FUNDS_TABLE = "项目资金（万元）"
GOAL_TABLE = "年度总体目标"
INDICATOR_TABLE = "绩效指标"
TOTAL_ROW = "年度资金总额"
SOURCES = ("其中：当年财政拨款", "上年结转资金", "其他资金")
INITIAL, FULL_YEAR, SPENT = "年初预算数", "全年预算数", "全年执行数"
LEVEL1 = ("产出指标", "效益指标", "满意度指标")
LEVEL2 = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}
KINDS = ("≥", ">", "=", "≤", "<", "定性")
QUALITATIVE = "定性"
QUALITATIVE_WORDS = ("达成年度指标", "部分达成年度指标并具有一定效果", "未达成年度指标且效果较差")
GRADES = ("优", "良", "中", "差")
REASON = "偏差原因分析及改进措施"
DEFAULT_EXECUTION_WEIGHT = 10


def _funds_table(execution_weight: object) -> Table:
    amounts = (INITIAL, FULL_YEAR, SPENT)
    total = Row(TOTAL_ROW, (), (*amounts, "执行率", "得分"), values={"分值": execution_weight})
    rows = (total, *(Row(label, (), amounts, values={h: "—" for h in ("分值", "执行率", "得分")},
                        indent=1) for label in SOURCES))
    return Table(FUNDS_TABLE, (
        Column(FUNDS_TABLE, Kind.TEXT, 22, is_input=False),
        Column(INITIAL, Kind.AMOUNT, 13), Column(FULL_YEAR, Kind.AMOUNT, 13),
        Column(SPENT, Kind.AMOUNT, 13), Column("分值", Kind.SCORE, 8, is_input=False),
        Column("执行率", Kind.PERCENT, 10), Column("得分", Kind.SCORE, 8),
    ), rows)


def _goal_table() -> Table:
    return Table(GOAL_TABLE, (Column("预期目标", Kind.TEXT, span=5, lines=5),
                              Column("实际完成情况", Kind.TEXT, span=5, lines=5)),
                 free_rows=1, caption=GOAL_TABLE)


def _indicator_table() -> Table:
    level2 = tuple(w for words in LEVEL2.values() for w in words)
    return Table(INDICATOR_TABLE, (
        Column("一级指标", Kind.CHOICE, 15, LEVEL1), Column("二级指标", Kind.CHOICE, 13, level2),
        Column("三级指标", Kind.TEXT, 22), Column("指标性质", Kind.CHOICE, 8, KINDS),
        Column("年度指标值", Kind.TEXT, 11), Column("计量单位", Kind.TEXT, 8),
        Column("实际完成值", Kind.TEXT, 14, QUALITATIVE_WORDS), Column("分值", Kind.SCORE, 7),
        Column("得分", Kind.SCORE, 7), Column(REASON, Kind.TEXT, 26),
    ), free_rows=15, caption=INDICATOR_TABLE, stop_labels=("总分",), row_name="三级指标")


def project_sheet(name: str = "项目1", execution_weight: object = DEFAULT_EXECUTION_WEIGHT) -> Sheet:
    """One project sheet; `name` is the sheet's name in a clerk's workbook."""
    header = Form((
        Field("项目名称", Kind.TEXT, True), Field("主管部门", Kind.TEXT, True),
        Field("实施单位", Kind.TEXT, True), Field("项目负责人", Kind.TEXT),
        Field("联系电话", Kind.TEXT),
    ))
    closing = Form((
        Field("总分", Kind.SCORE, note="单位自评的总分；工具另行计算核定总分"),
        Field("评价等级", Kind.CHOICE, choices=GRADES),
        Field("评价结论", Kind.TEXT, lines=4),
    ))
    return Sheet(name, PROJECT_TITLE, "每个项目一张表：复制本工作表后改名（如“项目2”），按项目填写资金、"
                 "年度总体目标和绩效指标。定量指标的年度指标值、实际完成值填数字（可带 %）；定性指标的实际完成值"
                 "从下拉列表中选择，得分须在所选档次的分值范围内。", (
                     header, _funds_table(execution_weight), _goal_table(), _indicator_table(),
                     closing), landscape=True, label_width=22,
                 subtitle=("（", "评价年度", "年度）"), by_title=True)


def _guide_sheet() -> Sheet:
    form = Form((
        Field("模板版本", Kind.COUNT, True, prefilled=TEMPLATE_VERSION),
        Field("表单", Kind.TEXT, prefilled=PROJECT_TITLE),
        Field("评价年度", Kind.YEAR, True, note="如 2023"),
        Field("单位名称", Kind.TEXT, True),
    ))
    return Sheet(GUIDE, "项目支出绩效自评表 填表说明", "", (form,), label_width=14)


GUIDE_LINES = (
    "一、本工作簿用于项目支出绩效自评，每个项目一张“项目支出绩效自评表”。请只在浅黄色单元格中填写。",
    "二、金额单位为万元，保留两位小数；执行率、指标值可填百分数（如 95%）。",
    "三、复制“项目1”工作表（右键→移动或复制→建立副本）即可增加项目；工具按表头“项目支出绩效自评表”识别项目表，"
    "工作表名称不限。",
    "四、绩效指标的分值之和应为 90 分（产出 50、效益 30、满意度 10，以评分方案为准）；项目资金执行率占 10 分。",
    "五、填完后运行：selfeval check 文件.xlsx 校验；selfeval score 文件.xlsx 校验、评分并生成评分结果工作簿。",
    "六、工作表说明：",
)


@cache
def build_project_template(sheet_names: tuple[str, ...] = ("项目1",),
                           execution_weight: object = DEFAULT_EXECUTION_WEIGHT) -> Template:
    """The project workbook with one project sheet per name (the clerk's copies)."""
    sheets = (_guide_sheet(), *(project_sheet(n, execution_weight) for n in sheet_names))
    return Template(TEMPLATE_VERSION, sheets, GUIDE_LINES, form=PROJECT_FORM)
