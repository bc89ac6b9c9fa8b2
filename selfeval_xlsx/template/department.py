"""Template version 1: every sheet, label, table, row and column of `docs/template.md`."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from selfeval_xlsx import TEMPLATE_VERSION
from selfeval_xlsx.scheme.fields import normalise_name
from selfeval_xlsx.scheme.load import load_scheme
from selfeval_xlsx.scheme.model import Scheme
from selfeval_xlsx.template.spec import (
    ADJUSTED,
    AMOUNT_COLUMNS,
    ASSETS,
    BASIC,
    BUDGET,
    CHECKLIST,
    COMPLETION,
    DIRECTIONS,
    FINAL,
    FUNDS,
    GUIDE,
    INITIAL,
    NATURES,
    PERSONAL,
    PROJECTS,
    RETIREES,
    SCORE_SHEET,
    SHARE,
    TARGETS,
    TASKS,
    UNIT_TYPES,
    YES_NO,
    Column,
    Field,
    Form,
    Kind,
    Row,
    Sheet,
    Table,
    Template,
)

REVENUE_SOURCES = ("一般公共预算拨款", "政府性基金拨款", "国有资本经营预算拨款", "财政专户管理资金", "单位资金")
BASIC_PARTS = ("工资福利支出", "对个人和家庭的补助", "商品和服务支出", "资本性支出")
GENERAL_PARTS = ("一般公共预算基本支出", "一般公共预算项目支出")
SANGONG_ITEMS = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")
AMOUNTS_AND_SHARE = (*AMOUNT_COLUMNS, SHARE)
EXPENDITURE_ROWS = ("支出合计", "基本支出", *BASIC_PARTS, "项目支出", "一般公共预算拨款支出合计",
                    *GENERAL_PARTS)
KINDS = {"amount": Kind.AMOUNT, "count": Kind.COUNT, "text": Kind.TEXT}


def optional_fields(scheme: Scheme, sheet: str) -> tuple[Field, ...]:
    """The catalogue's optional fields of `sheet` that `scheme` uses. A field a measure reads
    must be in the workbook (S002 when its label is missing); one asked for otherwise (by
    `fields`, or 预算调整情况说明 for R003) may be missing from a workbook made before."""
    measured, threshold = scheme.measured_fields, scheme.review_rule("R003").threshold
    r003 = f"{(threshold if threshold is not None else Decimal(0)).normalize():f}"
    return tuple(Field(f.row, KINDS[f.kind], note=f.note.format(r003=r003),
                       optional=normalise_name(f.name) not in measured,
                       lines=4 if f.kind == "text" else 1)  # free text: a large input area
                 for f in scheme.optional_fields if f.sheet == sheet)


def _basic_sheet(extra: tuple[Field, ...]) -> Sheet:
    form = Form((
        Field("单位名称", Kind.TEXT, True),
        Field("单位性质", Kind.CHOICE, True, UNIT_TYPES),
        Field("主管部门", Kind.TEXT),
        Field("下属单位", Kind.TEXT, note="可填写多个，用顿号分隔"),
        Field("评价年度", Kind.YEAR, True, note="如 2023"),
        Field("填报日期", Kind.DATE, True, note="如 2024-05-28，应在评价年度之后"),
        Field("联系人", Kind.TEXT),
        Field("联系电话", Kind.TEXT),
        Field("行政编制数", Kind.COUNT, True, note="人"),
        Field("事业编制数", Kind.COUNT, True, note="人"),
        Field("年末在职行政人员", Kind.COUNT, True, note="人"),
        Field("年末在职后勤服务人员", Kind.COUNT, note="人"),
        Field("年末在职事业在编人员", Kind.COUNT, True, note="人"),
        Field("年末在职不在编人员", Kind.COUNT, note="人"),
        Field("离退休人员合计", Kind.COUNT, True, note="人，应等于下表人数之和"),
        Field("外聘合同工人数", Kind.COUNT, note="人"),
        Field("主要职能", Kind.TEXT, note="选填：单位的主要职能（三定方案所列职责），用于自评报告的“部门职能”部分",
              lines=6, optional=True),
        *(f for f in extra if f.label != "主要职能"),  # 主要职能 is always on the sheet (the report)
    ))
    retirees = Table(RETIREES, (Column("类别", Kind.TEXT, 26), Column("人数", Kind.COUNT, 14)),
                     free_rows=8, caption="离退休人员构成（按类别填写人数）")
    return Sheet(BASIC, "基本信息", "填写单位名称、性质、评价年度、填报日期、编制和人员情况；"
                 "下方《离退休人员构成》按类别逐行填写人数，合计应等于“离退休人员合计”。",
                 (form, retirees), label_width=24)


def _budget_rows() -> tuple[Row, ...]:
    required = {"收入合计": (INITIAL,), "支出合计": (INITIAL, FINAL), "基本支出": (INITIAL,),
                "项目支出": (INITIAL,)}
    share_rows = {"基本支出", "项目支出", *GENERAL_PARTS}
    labels = ("收入合计", *REVENUE_SOURCES, "支出合计", "基本支出", *BASIC_PARTS, "项目支出",
              "一般公共预算拨款支出合计", *GENERAL_PARTS)
    indents = {**dict.fromkeys(REVENUE_SOURCES, 1), "基本支出": 1, "项目支出": 1,
               **dict.fromkeys(BASIC_PARTS, 2), **dict.fromkeys(GENERAL_PARTS, 1)}
    return tuple(
        Row(label, required.get(label, ()),
            AMOUNTS_AND_SHARE if label in share_rows else AMOUNT_COLUMNS, indent=indents.get(label, 0))
        for label in labels
    )


def _budget_sheet(extra: tuple[Field, ...]) -> Sheet:
    table = Table(BUDGET, (
        Column("项目", Kind.TEXT, 30, is_input=False),
        Column(INITIAL, Kind.AMOUNT, 15),
        Column(ADJUSTED, Kind.AMOUNT, 15),
        Column(FINAL, Kind.AMOUNT, 15),
        Column(SHARE, Kind.PERCENT, 16),
    ), _budget_rows())
    form = Form((Field("预算执行情况说明", Kind.TEXT, note="预算执行率低于90%时必须填写原因", lines=5),
                 *extra))
    amounts = "、".join(f"“{f.label}”" for f in extra if f.kind is not Kind.TEXT)
    texts = "".join(f"{f.note}（“{f.label}”）。" for f in extra if f.kind is Kind.TEXT)
    guide = ("按预算批复填写年初预算数；有预算调整的填写调整后预算数（未调整的留空）；按决算报表填写决算数。"
             "占比栏填写年初预算占比（%），如 50.31。预算执行率低于90%时须填写“预算执行情况说明”。"
             + texts + (f"另按决算报表和政府采购数据填写{amounts}（万元）。" if amounts else ""))
    return Sheet(BUDGET, "收支预算（单位：万元）", guide, (table, form), label_width=30)


def _funds_sheet(extra: tuple[Field, ...]) -> Sheet:
    both = ("预算数", "实际支出数")
    rows = (Row("三公经费合计", both), *(Row(i, indent=1) for i in SANGONG_ITEMS),
            Row("公用经费", both))
    table = Table(FUNDS, (Column("项目", Kind.TEXT, 30, is_input=False),
                          Column("预算数", Kind.AMOUNT, 16), Column("实际支出数", Kind.AMOUNT, 16)),
                  rows)
    blocks = (table, Form(extra)) if extra else (table,)
    return Sheet(FUNDS, "经费控制（单位：万元）", "填写“三公”经费及其四个明细项、公用经费的预算数和实际支出数；"
                 "没有预算或支出的填 0。", blocks)


def _assets_sheet() -> Sheet:
    form = Form((Field("固定资产总额", Kind.AMOUNT, True, note="万元"),
                 Field("实际在用固定资产总额", Kind.AMOUNT, True, note="万元")))
    return Sheet(ASSETS, "资产管理（单位：万元）", "按年末资产报表填写固定资产总额和实际在用固定资产总额。", (form,))


def _targets_sheet() -> Sheet:
    table = Table(TARGETS, (
        Column("序号", Kind.TEXT, 6), Column("绩效目标", Kind.TEXT, 34), Column("指标值", Kind.TEXT, 12),
        Column("计量单位", Kind.TEXT, 10), Column("实际完成值", Kind.TEXT, 12),
        Column("完成情况", Kind.CHOICE, 12, COMPLETION), Column("说明", Kind.TEXT, 30),
    ), free_rows=20, required=("完成情况",))
    return Sheet(TARGETS, "部门整体支出绩效目标完成情况", "每个绩效目标填一行，选择完成情况；"
                 "未完成或部分完成的在“说明”栏写明原因。", (table,), landscape=True)


def _tasks_sheet() -> Sheet:
    table = Table(TASKS, (Column("序号", Kind.TEXT, 6), Column("重点工作", Kind.TEXT, 44),
                          Column("完成情况", Kind.CHOICE, 12, COMPLETION), Column("说明", Kind.TEXT, 34)),
                  free_rows=20, required=("完成情况",))
    return Sheet(TASKS, "年度重点工作完成情况", "每项重点工作填一行，选择完成情况；未完成或部分完成的写明原因。",
                 (table,))


def _projects_sheet() -> Sheet:
    table = Table(PROJECTS, (
        Column("序号", Kind.TEXT, 6), Column("项目名称", Kind.TEXT, 34), Column("预算数", Kind.AMOUNT, 14),
        Column("实际支出数", Kind.AMOUNT, 14), Column("项目自评得分", Kind.SCORE, 14),
        Column("说明", Kind.TEXT, 28),
    ), free_rows=15, required=("项目自评得分",))
    return Sheet(PROJECTS, "部门重点项目支出绩效（单位：万元）", "每个部门重点项目填一行，项目自评得分为0～100分；"
                 "没有部门重点项目的本表留空。", (table,), landscape=True)


def _personal_sheet() -> Sheet:
    table = Table(PERSONAL, (
        Column("指标名称", Kind.TEXT, 28), Column("指标性质", Kind.CHOICE, 9, NATURES),
        Column("方向", Kind.CHOICE, 8, DIRECTIONS), Column("计量单位", Kind.TEXT, 8),
        Column("年度指标值", Kind.QUANTITY, 11), Column("实际完成值", Kind.QUANTITY, 11),
        Column("分值", Kind.SCORE, 7), Column("自评得分", Kind.SCORE, 9),
        Column("偏差原因", Kind.TEXT, 30),
    ), free_rows=20, required=("指标性质", "分值"))
    return Sheet(PERSONAL, "个性指标（部门特性指标）完成情况", "每个个性指标填一行，各行分值之和应等于评分表中"
                 "个性指标的分值。定量指标选择方向（正向：越大越好；反向：越小越好；等于：以达到为准），"
                 "填写年度指标值和实际完成值（数字，百分数可写 95%），工具按完成值计分；定性指标填写自评得分。"
                 "未达到指标值的写明偏差原因。", (table,), landscape=True)


def _checklist_sheet(scheme: Scheme) -> Sheet:
    rows = tuple(Row(item.code, values={"对应指标": item.indicator, "核对内容": item.content,
                                        "分值": item.points}) for item in scheme.checklist)
    table = Table(CHECKLIST, (
        Column("编号", Kind.TEXT, 8, is_input=False), Column("对应指标", Kind.TEXT, 9, is_input=False),
        Column("核对内容", Kind.TEXT, 40, is_input=False), Column("分值", Kind.SCORE, 7, is_input=False),
        Column("是否符合", Kind.CHOICE, 10, YES_NO), Column("说明", Kind.TEXT, 34),
    ), rows)
    return Sheet(CHECKLIST, "管理核对", "逐项选择“是”或“否”；选“否”的在“说明”栏写明情况。", (table,),
                 landscape=True)


def _score_sheet(scheme: Scheme) -> Sheet:
    rows = tuple(Row(ind.code, values={"一级指标": ind.level1, "二级指标": ind.level2,
                                       "三级指标": ind.level3, "分值": ind.weight,
                                       "评分标准": ind.criteria, "计分方式": ind.method})
                 for ind in scheme.indicators)
    table = Table(SCORE_SHEET, (
        Column("指标编号", Kind.TEXT, 8, is_input=False), Column("一级指标", Kind.TEXT, 11, is_input=False),
        Column("二级指标", Kind.TEXT, 12, is_input=False), Column("三级指标", Kind.TEXT, 18, is_input=False),
        Column("分值", Kind.SCORE, 6, is_input=False), Column("评分标准", Kind.TEXT, 44, is_input=False),
        Column("计分方式", Kind.TEXT, 8, is_input=False), Column("自评得分", Kind.SCORE, 9),
        Column("扣分原因", Kind.TEXT, 28),
    ), rows, total_row="合计")
    return Sheet(SCORE_SHEET, "部门整体支出绩效自评指标评分表", "填写每个指标的自评得分；低于分值的须写扣分原因。"
                 "计分方式为“自动”“核对”的指标由工具根据数据表和管理核对计算，自评得分仅作对照。",
                 (table,), landscape=True)


def _guide_sheet(scheme: Scheme) -> Sheet:
    form = Form((
        Field("模板版本", Kind.COUNT, True, prefilled=TEMPLATE_VERSION),
        Field(SCHEME_ID, Kind.TEXT, prefilled=scheme.id, optional=True),
        Field(SCHEME_DIGEST, Kind.TEXT, prefilled=scheme.digest, optional=True),
    ))
    return Sheet(GUIDE, "部门整体支出绩效自评数据表 填表说明", "", (form,), label_width=14)


SCHEME_ID = "评分方案"
SCHEME_DIGEST = "方案校验码"
DEFAULT_SCHEME = "default"


def _guide_lines(scheme: Scheme) -> tuple[str, ...]:
    """The guide, with the commands as this workbook needs them (`--scheme` for a bureau's)."""
    option = "" if scheme.id == DEFAULT_SCHEME else f" --scheme {scheme.source}"
    run = (f"五、填完后运行：selfeval check 文件.xlsx{option} 校验；selfeval score 文件.xlsx{option} "
           "校验、评分并生成评分结果工作簿。")
    if option:
        run += f"本模板按评分方案“{scheme.name}”（{scheme.id}）生成，评分时须使用同一方案文件。"
    return (*GUIDE_LINES[:4], run, GUIDE_LINES[5])


GUIDE_LINES = (
    "一、本工作簿用于部门整体支出绩效自评。请只在浅黄色单元格中填写，其他单元格已锁定"
    "（工作表保护未设密码，如需调整可在“审阅”中撤销保护）。",
    "二、金额单位为万元，保留两位小数；人数填整数；百分比填百分数（如 50.31）。",
    "三、年初预算数、调整后预算数来自预算批复；决算数、实际支出数来自年度决算报表；"
    "固定资产来自资产报表。",
    "四、可以插入行或列，但请不要修改项目名称和表头文字，工具按文字查找数据。",
    "五、填完后运行：selfeval check 文件.xlsx 校验；selfeval score 文件.xlsx 校验、评分并生成评分结果工作簿。",
    "六、各工作表说明：",
)


@cache
def build_template(scheme: Scheme | None = None) -> Template:
    scheme = scheme or load_scheme()
    personal = (_personal_sheet(),) if scheme.uses_personal else ()
    sheets = (_guide_sheet(scheme), _basic_sheet(optional_fields(scheme, BASIC)),
              _budget_sheet(optional_fields(scheme, BUDGET)),
              _funds_sheet(optional_fields(scheme, FUNDS)), _assets_sheet(), _targets_sheet(),
              _tasks_sheet(), _projects_sheet(), *personal, _checklist_sheet(scheme),
              _score_sheet(scheme))
    return Template(TEMPLATE_VERSION, sheets, _guide_lines(scheme))
