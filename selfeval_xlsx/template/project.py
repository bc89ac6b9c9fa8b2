"""The 项目支出绩效自评表 (`docs/template.md`, 项目支出): 填表说明 and one project sheet.

The clerk copies the project sheet once per project (any sheet name): the reader finds project
sheets by their title. Rows of 绩效指标 are free; 年度指标值 and 实际完成值 are read as numbers
or words by the row's 指标性质 (定量 / 定性), so they are text columns here.
"""

from __future__ import annotations

from functools import cache

from selfeval_xlsx import TEMPLATE_VERSION
from selfeval_xlsx.scheme.project import (
    KINDS,
    LEVEL1,
    LEVEL2,
    QUALITATIVE,
    QUALITATIVE_WORDS,
    ProjectScheme,
    load_project_scheme,
)
from selfeval_xlsx.template.department import SCHEME_DIGEST, SCHEME_ID
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
REASON = "偏差原因分析及改进措施"
CONCLUSION = "评价结论"
__all__ = ["KINDS", "LEVEL1", "LEVEL2", "QUALITATIVE", "QUALITATIVE_WORDS"]


def _funds_table(execution_weight: object) -> Table:
    amounts = (INITIAL, FULL_YEAR, SPENT)
    total = Row(TOTAL_ROW, (SPENT,), (*amounts, "执行率", "得分"), values={"分值": execution_weight})
    rows = (total, *(Row(label, (), amounts, values={h: "—" for h in ("分值", "执行率", "得分")},
                        indent=1) for label in SOURCES))
    return Table(FUNDS_TABLE, (
        Column(FUNDS_TABLE, Kind.TEXT, 24, is_input=False),
        Column(INITIAL, Kind.AMOUNT, 13), Column(FULL_YEAR, Kind.AMOUNT, 13),
        Column(SPENT, Kind.AMOUNT, 13), Column("分值", Kind.SCORE, 8, is_input=False),
        Column("执行率", Kind.PERCENT, 10), Column("得分", Kind.SCORE, 8),
    ), rows)


def _goal_table() -> Table:
    return Table(GOAL_TABLE, (Column("预期目标", Kind.TEXT, span=5, lines=4),
                              Column("实际完成情况", Kind.TEXT, span=5, lines=4)),
                 free_rows=1, caption=GOAL_TABLE)


def _indicator_table() -> Table:
    """Real forms merge 一级指标 (and 二级指标) over their rows: the word columns read a merged
    cell on every row it covers (`merged_down`); 年度指标值, 实际完成值, 分值 and 得分 hold
    numbers and do not (a covered row reads them as empty, J006)."""
    level2 = tuple(w for words in LEVEL2.values() for w in words)
    return Table(INDICATOR_TABLE, (
        Column("一级指标", Kind.CHOICE, 20, LEVEL1, merged_down=True),
        Column("二级指标", Kind.CHOICE, 13, level2, merged_down=True),
        Column("三级指标", Kind.TEXT, 22, merged_down=True),
        Column("指标性质", Kind.TEXT, 8, KINDS, merged_down=True,
               hint="从列表中选择 ≥ > = ≤ < 或 定性（也可写 >=、<=）"),
        Column("年度指标值", Kind.TEXT, 11), Column("计量单位", Kind.TEXT, 8, merged_down=True),
        Column("实际完成值", Kind.TEXT, 14, QUALITATIVE_WORDS), Column("分值", Kind.SCORE, 7),
        Column("得分", Kind.SCORE, 7), Column(REASON, Kind.TEXT, 26, merged_down=True),
    ), free_rows=10, caption=INDICATOR_TABLE, stop_labels=("总分",), row_name="三级指标")


def project_sheet(name: str = "项目1", scheme: ProjectScheme | None = None) -> Sheet:
    """One project sheet; `name` is the sheet's name in a clerk's workbook."""
    scheme = scheme or load_project_scheme()
    header = Form((
        Field("项目名称", Kind.TEXT, True), Field("主管部门", Kind.TEXT, True),
        Field("实施单位", Kind.TEXT, True), Field("项目负责人", Kind.TEXT),
        Field("联系电话", Kind.TEXT),
    ), span=3)
    closing = Form((
        Field("总分", Kind.SCORE, note="单位自评的总分；工具另行计算核定总分"),
        Field("评价等级", Kind.CHOICE, choices=tuple(g.name for g in scheme.grades)),
        Field(CONCLUSION, Kind.TEXT, lines=3,
              note=f"执行率低于 {scheme.low_execution:g}% 时须在此说明原因"),
    ), span=3)
    return Sheet(name, PROJECT_TITLE, "每个项目一张表：复制本工作表后改名（如“项目2”），按项目填写资金、"
                 "年度总体目标和绩效指标。定量指标的年度指标值、实际完成值填数字（可带 %）；定性指标的实际完成值"
                 "从下拉列表中选择，得分须在所选档次的分值范围内。", (
                     header, _funds_table(scheme.execution), _goal_table(), _indicator_table(),
                     closing), landscape=True, label_width=24,
                 subtitle=("（", "评价年度", "年度）"), by_title=True)


def _guide_sheet(scheme: ProjectScheme) -> Sheet:
    form = Form((
        Field("模板版本", Kind.COUNT, True, prefilled=TEMPLATE_VERSION),
        Field("表单", Kind.TEXT, prefilled=PROJECT_TITLE),
        Field(SCHEME_ID, Kind.TEXT, prefilled=scheme.id, optional=True),
        Field(SCHEME_DIGEST, Kind.TEXT, prefilled=scheme.digest, optional=True),
        Field("评价年度", Kind.YEAR, True, note="如 2023"),
        Field("单位名称", Kind.TEXT, True),
    ))
    return Sheet(GUIDE, "项目支出绩效自评表 填表说明", "", (form,), label_width=14)


DEFAULT_PROJECT_SCHEME = "project_default"


def _guide_lines(scheme: ProjectScheme) -> tuple[str, ...]:
    split = "、".join(f"{name.removesuffix('指标')} {weight:g}" for name, weight in scheme.groups)
    if scheme.split_check == "groups":
        points = f"四、绩效指标的分值之和应为 {scheme.indicator_points:g} 分（{split}）"
    else:
        points = (f"四、绩效指标的分值之和应为 {scheme.indicator_points:g} 分"
                  + (f"（各一级指标的分值按项目确定，可参考：{split}）" if split else ""))
    option = "" if scheme.id == DEFAULT_PROJECT_SCHEME else f" --scheme {scheme.source.removesuffix('.toml')}"
    return (
        "一、本工作簿用于项目支出绩效自评，每个项目一张“项目支出绩效自评表”。请只在浅黄色单元格中填写。",
        "二、金额单位为万元，保留两位小数；执行率、指标值可填百分数（如 95%）。全年预算数未调整的可不填，"
        "按年初预算数计。",
        "三、复制“项目1”工作表（右键→移动或复制→建立副本）即可增加项目；工具按表头“项目支出绩效自评表”识别项目表，"
        "工作表名称不限。",
        f"{points}；项目资金执行率（全年执行数 ÷ 全年预算数）占 {scheme.execution:g} 分。"
        f"定性指标的得分：达成年度指标 {scheme.qualitative[0]:g}%～100%，部分达成 {scheme.qualitative[1]:g}%～"
        f"{scheme.qualitative[0]:g}%，未达成 {scheme.qualitative[1]:g}% 以下（按分值计）。",
        f"五、填完后运行：selfeval check 文件.xlsx{option} 校验；selfeval score 文件.xlsx{option} "
        "校验、评分并生成评分结果工作簿；把项目得分填入部门整体自评的重点项目：selfeval score 整体.xlsx "
        "--projects 文件.xlsx。",
        "六、工作表说明：",
    )


@cache
def build_project_template(sheet_names: tuple[str, ...] = ("项目1",),
                           scheme: ProjectScheme | None = None) -> Template:
    """The project workbook with one project sheet per name (the clerk's copies)."""
    scheme = scheme or load_project_scheme()
    sheets = (_guide_sheet(scheme), *(project_sheet(n, scheme) for n in sheet_names))
    return Template(TEMPLATE_VERSION, sheets, _guide_lines(scheme), form=PROJECT_FORM)
