"""The sentences of the 整体绩效自评报告: an outline of blocks built from one Evaluation.

Every figure is read from the workbook or computed from it (amounts as 万元 with two decimals,
rates as the scoring shows them); what the workbook cannot know is a 【请填写：…】 placeholder.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from selfeval_xlsx.checks.context import Context, fmt_rate
from selfeval_xlsx.evaluate import Evaluation, Result
from selfeval_xlsx.findings import Finding, Severity
from selfeval_xlsx.inputs import Inputs, TypedRow
from selfeval_xlsx.scheme import Indicator
from selfeval_xlsx.scores import IndicatorScore, Scoring
from selfeval_xlsx.template_spec import (
    ADJUSTED,
    ASSETS,
    BASIC,
    BUDGET,
    CHECKLIST,
    FINAL,
    FUNDS,
    INITIAL,
    PROJECTS,
    RETIREES,
    SCORE_SHEET,
    TARGETS,
    TASKS,
)
from selfeval_xlsx.template_v1 import BASIC_PARTS, REVENUE_SOURCES, SANGONG_ITEMS
from selfeval_xlsx.values import format_money, money

DRAFT_MARK = "草稿（校验未通过）"
SCORE_TAIL = re.compile(r"[，,。]?\s*(得\s*[0-9.]+)?[。]?$")  # a basis's own "，得 0.00"
TITLE = "整体绩效自评报告"
DONE = "完成"


class Kind(StrEnum):
    DRAFT = "draft"  # the draft mark and its note, first page
    TITLE = "title"
    META = "meta"  # 评价年度 / 评价单位 / 填报日期 under the title
    PAGE_BREAK = "page_break"
    HEADING1 = "heading1"  # 一、
    HEADING2 = "heading2"  # （一）
    HEADING3 = "heading3"  # 1.
    BODY = "body"
    ITEM = "item"  # one entry of a numbered list
    TABLE = "table"
    SIGNATURE = "signature"


@dataclass(frozen=True)
class Block:
    kind: Kind
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Facts:
    """What the sentences read: the typed inputs, the result and the scoring."""

    inputs: Inputs
    ctx: Context
    result: Result

    @property
    def scoring(self) -> Scoring | None:
        return self.result.scoring

    def text(self, label: str, sheet: str = BASIC) -> str | None:
        value = self.inputs.field(sheet, label).value
        return value if isinstance(value, str) and value else None

    def count(self, label: str) -> int | None:
        value = self.inputs.field(BASIC, label).value
        return value if isinstance(value, int) else None

    def amount(self, label: str, column: str = INITIAL) -> Decimal | None:
        return self.inputs.table(BUDGET).amount(label, column)

    @property
    def unit(self) -> str:
        return self.text("单位名称") or fill("单位名称")

    @property
    def year(self) -> str:
        year = self.inputs.field(BASIC, "评价年度").value
        return str(year) if isinstance(year, int) else fill("评价年度")

    @property
    def filed_on(self) -> str:
        return long_date(self.inputs.field(BASIC, "填报日期").value)

    def deductions(self) -> list[IndicatorScore]:
        items = self.scoring.indicators if self.scoring else ()
        return [i for i in items if i.score < i.indicator.weight]

    def flagged(self) -> list[Finding]:
        serious = (Severity.ERROR, Severity.WARNING)
        return [f for f in self.result.findings if f.severity in serious]


def fill(what: str) -> str:
    return f"【请填写：{what}】"


def wan(value: Decimal | None, what: str = "金额") -> str:
    return f"{format_money(value)}万元" if value is not None else fill(what)


def points(value: Decimal) -> str:
    """A weight as written in the scheme: 4, 4.5."""
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


def quoted(text: str) -> str:
    return re.sub(r'"([^"]*)"', r"“\1”", text)


def sentence(text: str) -> str:
    text = quoted(text.strip())
    return text if text.endswith(("。", "；", "！", "？", ".", "!", "?")) else f"{text}。"


def ordinal(number: int) -> str:
    digits = "一二三四五六七八九"
    tens, ones = divmod(number, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else f"{digits[tens - 1]}十")
    return head + (digits[ones - 1] if ones else "")


def cell_text(row: TypedRow, header: str) -> str:
    value = row.get(header).value
    return str(value) if value is not None else row.label


def long_date(value: object) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if isinstance(value, date) else fill("填报日期")


# ---------------------------------------------------------------- front page


def front(f: Facts) -> Iterator[Block]:
    if not f.result.passed:
        errors = f.result.counts[Severity.ERROR.value]
        yield Block(Kind.DRAFT, DRAFT_MARK)
        yield Block(Kind.DRAFT, f"本稿依据未通过校验的数据表生成，数据表尚有{errors}个错误，"
                    "请修正后重新生成，不得作为正式报告报送。")
    yield Block(Kind.TITLE, TITLE)
    yield Block(Kind.META, f"评价年度：{f.year}年度")
    yield Block(Kind.META, f"评价单位：{f.unit}")
    if parent := f.text("主管部门"):
        yield Block(Kind.META, f"主管部门：{parent}")
    yield Block(Kind.META, f"填报日期：{f.filed_on}")
    yield Block(Kind.PAGE_BREAK)
    yield Block(Kind.BODY, f"根据{fill('财政部门关于开展绩效自评工作的通知名称及文号')}的要求，我单位及时布置"
                "自评工作，成立自评工作小组，明确分工，落实责任，经查阅、核实有关账务及项目执行情况，"
                f"填写自评数据表和评分表并综合分析，形成本报告。现将{f.year}年度{f.unit}部门整体支出"
                "绩效自评情况报告如下：")


def signature(f: Facts) -> Iterator[Block]:
    yield Block(Kind.SIGNATURE, f"{f.unit}\n{f.filed_on}")


# ---------------------------------------------------------------- 一、单位基本情况

IN_POST = (("年末在职行政人员", "行政人员", True), ("年末在职后勤服务人员", "后勤服务人员", False),
           ("年末在职事业在编人员", "事业在编人员", True), ("年末在职不在编人员", "不在编人员", False))


def people(f: Facts, label: str) -> str:
    number = f.count(label)
    return f"{number}名" if number is not None else fill(label)


def organisation(f: Facts) -> str:
    nature = f.text("单位性质") or fill("单位性质")
    parent = f.text("主管部门")
    head = f"{f.unit}是{nature}" + (f"，主管部门为{parent}" if parent else "")
    below = f.text("下属单位")
    head += f"，下属单位有：{below}。" if below else "。"
    staff = [f"{name}{people(f, label)}" for label, name, required in IN_POST
             if required or f.count(label) is not None]
    contract = f.count("外聘合同工人数")
    return (f"{head}经机构编制部门核定，我单位行政编制{people(f, '行政编制数')}，事业编制"
            f"{people(f, '事业编制数')}。年末在职人员中，{'，'.join(staff)}。{retired(f)}"
            + (f"外聘合同工{contract}名。" if contract is not None else ""))


def retired(f: Facts) -> str:
    rows = f.inputs.table(RETIREES).rows
    parts = [f"{cell_text(r, '类别')}{r.get('人数').value}名" for r in rows
             if isinstance(r.get("人数").value, int)]
    detail = f"（其中：{'，'.join(parts)}）" if parts else ""
    return f"离退休人员{people(f, '离退休人员合计')}{detail}。"


def numbered(lines: list[str]) -> Iterator[Block]:
    for number, line in enumerate(lines, start=1):
        yield Block(Kind.ITEM, f"{number}.{sentence(line)}")


def tasks(f: Facts) -> Iterator[Block]:
    names = [cell_text(r, "重点工作") for r in f.inputs.table(TASKS).rows]
    if not names:
        yield Block(Kind.BODY, f"数据表未填写年度重点工作。{fill('年度重点工作')}")
    yield from numbered(names)


def targets(f: Facts) -> Iterator[Block]:
    rows = f.inputs.table(TARGETS).rows
    if not rows:
        yield Block(Kind.BODY, f"数据表未填写部门整体支出绩效目标。{fill('绩效目标')}")
        return
    yield Block(Kind.BODY, f"{f.year}年本单位的部门整体支出绩效目标如下：")
    yield from numbered([cell_text(r, "绩效目标") + _target_value(r) for r in rows])


def _target_value(row: TypedRow) -> str:
    value, unit = row.get("指标值").value, row.get("计量单位").value
    return f"（指标值：{value}{unit or ''}）" if value is not None else ""


def revenue(f: Facts) -> str:
    sources = [f"{s}{wan(v)}" for s in REVENUE_SOURCES if (v := f.amount(s))]
    detail = f"，其中：{'，'.join(sources)}" if sources else ""
    return f"{f.year}年收入预算{wan(f.amount('收入合计'), '收入合计年初预算数')}{detail}。"


def share(f: Facts, part: str, total: str, name: str) -> str:
    amount, whole = f.amount(part), f.amount(total)
    ratio = f"，占{fmt_rate(amount / whole)}" if amount is not None and whole else ""
    return f"{name}{wan(amount, part + '年初预算数')}{ratio}"


def expenditure(f: Facts) -> str:
    parts = [f"{p}{wan(v)}" for p in BASIC_PARTS if (v := f.amount(p)) is not None]
    detail = f"。其中：{'，'.join(parts)}；" if parts else "；"
    return (f"{f.year}年支出预算{wan(f.amount('支出合计'), '支出合计年初预算数')}。支出预算按用途划分，"
            f"{share(f, '基本支出', '支出合计', '基本支出预算')}{detail}"
            f"{share(f, '项目支出', '支出合计', '项目支出预算')}。")


def general_funds(f: Facts) -> str:
    total = "一般公共预算拨款支出合计"
    if f.amount(total) is None:
        return ""
    return (f"一般公共预算拨款支出预算{wan(f.amount(total))}，按用途划分，"
            f"{share(f, '一般公共预算基本支出', total, '基本支出预算')}；"
            f"{share(f, '一般公共预算项目支出', total, '项目支出预算')}。")


def adjustment(f: Facts) -> str:
    adjusted, initial = f.amount("支出合计", ADJUSTED), f.amount("支出合计")
    rate = f.scoring.ratios.get("budget_adjustment") if f.scoring else None
    if adjusted is None or adjusted == initial or rate is None:
        return ""
    return f"年度中支出预算调整为{wan(adjusted)}，预算调整率{adjustment_rate(f, rate)}。"


def adjustment_rate(f: Facts, rate: Decimal) -> str:
    rule = next((i for i in f.ctx.scheme.indicators if i.rule == "adjustment_bands"), None)
    bands = rule.params.get("bands", []) if rule else []
    return fmt_rate(rate, tuple(Decimal(str(bound)) / 100 for bound, _ in bands))


def spending(f: Facts) -> str:
    final = f.amount("支出合计", FINAL)
    if final is None:
        return f"{f.year}年支出决算数{fill('支出合计决算数')}。"
    parts = [f"{p}{wan(v)}" for p in ("基本支出", "项目支出") if (v := f.amount(p, FINAL)) is not None]
    detail = f"，其中：{'，'.join(parts)}" if parts else ""
    rate = f.scoring.ratios.get("budget_execution") if f.scoring else None
    shown = f"；预算执行率为{fmt_rate(rate)}" if rate is not None else ""
    note = f.text("预算执行情况说明", BUDGET)
    return f"{f.year}年支出决算数{wan(final)}{detail}{shown}。" + (
        f"预算执行情况说明：{sentence(note)}" if note else "")


def basics(f: Facts) -> Iterator[Block]:
    yield Block(Kind.HEADING1, "一、单位基本情况")
    yield Block(Kind.HEADING2, "（一）机构设置和人员情况")
    yield Block(Kind.BODY, organisation(f))
    yield Block(Kind.HEADING2, "（二）年度重点工作")
    yield from tasks(f)
    yield Block(Kind.HEADING2, "（三）部门整体支出绩效目标")
    yield from targets(f)
    yield Block(Kind.HEADING2, "（四）部门整体支出情况")
    for text in (revenue(f), expenditure(f) + general_funds(f), adjustment(f) + spending(f)):
        yield Block(Kind.BODY, text)


# ---------------------------------------------------------------- 二、自评工作开展情况


def work(f: Facts) -> Iterator[Block]:
    groups = "、".join(name for name, _ in f.ctx.scheme.groups())
    yield Block(Kind.HEADING1, "二、自评工作开展情况")
    yield Block(Kind.HEADING2, "（一）评价小组情况")
    yield Block(Kind.BODY, f"我单位于{fill('评价小组成立时间')}成立绩效自评工作小组，"
                f"{fill('评价小组人员构成和分工')}。")
    yield Block(Kind.HEADING2, "（二）自评工作过程")
    yield Block(Kind.BODY, f"自评工作小组采取听取情况介绍、查阅相关资料、核对财务会计记录等方式，对照部门整体"
                f"支出绩效自评指标，从{groups}等方面逐项分析计分，对{f.year}年度部门整体支出进行了全面"
                f"梳理和自我评价。{fill('自评工作的具体过程和方法')}")
    yield Block(Kind.HEADING2, "（三）自评材料报送情况")
    yield Block(Kind.BODY, f"我单位于{fill('自评材料报送日期')}向财政部门报送整体绩效自评材料，对所报送材料的"
                f"真实性、完整性、一致性和规范性负责。{fill('所报送材料与公开的自评报告、数据表、评分表是否一致')}")


# ---------------------------------------------------------------- 三、绩效自评情况


def result_blocks(f: Facts) -> Iterator[Block]:
    yield Block(Kind.HEADING2, "（一）自评结果")
    if f.scoring is None:
        yield Block(Kind.BODY, "数据表未能评分，请修正后重新生成。")
        return
    caveat = "" if f.result.passed else "数据表未通过校验，以下得分仅供参考，请修正数据后重新评分。"
    yield Block(Kind.BODY, f"经自评，{f.year}年度我单位部门整体支出绩效自评得分为"
                f"{format_money(f.scoring.total)}分，绩效等级为{f.scoring.grade}。{caveat}"
                "各一级指标得分情况如下表：")
    rows = [(g.name, points(g.weight), format_money(g.score)) for g in f.scoring.groups]
    total = sum((g.weight for g in f.scoring.groups), Decimal(0))
    yield Block(Kind.TABLE, rows=(("一级指标", "分值", "自评得分"), *rows,
                                  ("合计", points(total), format_money(f.scoring.total))))


def analysis(f: Facts) -> Iterator[Block]:
    yield Block(Kind.HEADING2, "（二）部门整体支出绩效指标分析")
    if f.scoring is None:
        return
    yield Block(Kind.BODY, "对照部门整体支出绩效自评指标评分表，逐项分析各指标完成情况如下。")
    for number, group in enumerate(f.scoring.groups, start=1):
        items = [i for i in f.scoring.indicators if i.indicator.level1 == group.name]
        yield Block(Kind.HEADING3, f"{number}.{group.name}情况")
        yield Block(Kind.BODY, f"该部分满分{points(group.weight)}分，自评得分{format_money(group.score)}"
                    "分。" + "".join(indicator_sentence(f, i) for i in items))


def indicator_sentence(f: Facts, item: IndicatorScore) -> str:
    ind = item.indicator
    return (f"{quoted(ind.level3)}（满分{points(ind.weight)}分）：{detail(f, item)}，"
            f"得{format_money(item.score)}分。")


def detail(f: Facts, item: IndicatorScore) -> str:
    ind = item.indicator
    if ind.method == "核对":
        return checklist_detail(f, ind)
    if ind.method == "自评":
        return "按单位自评计分"
    rule = AUTO_DETAILS.get(ind.rule)
    text = rule(f) if rule else None
    return text or SCORE_TAIL.sub("", quoted(item.basis.zh))


def checklist_detail(f: Facts, ind: Indicator) -> str:
    passed, failed = checklist_parts(f, ind)
    return "经核对，" + "；".join(p for p in ("，".join(passed), "；".join(failed)) if p)


def checklist_parts(f: Facts, ind: Indicator) -> tuple[list[str], list[str]]:
    """The 核对内容 answered 是, and a phrase for each item answered 否 or not at all."""
    table = f.inputs.table(CHECKLIST)
    passed, failed = [], []
    for item in (c for c in f.ctx.scheme.checklist if c.indicator == ind.code):
        row = table.row(item.code)
        if row is not None and row.get("是否符合").value == "是":
            passed.append(quoted(item.content))
        else:
            failed.append(checklist_problem(item.content, row))
    return passed, failed


def checklist_problem(content: str, row: TypedRow | None) -> str:
    answer = row.get("是否符合").value if row else None
    note = row.get("说明").value if row else None
    if answer != "否":
        return f"“{quoted(content)}”一项未作核对"
    return f"“{quoted(content)}”一项不符合" + (f"（{quoted(str(note))}）" if note else "")


def ratio(f: Facts, key: str) -> Decimal | None:
    return f.scoring.ratios.get(key) if f.scoring else None


def adjustment_detail(f: Facts) -> str | None:
    rate = ratio(f, "budget_adjustment")
    if rate is None:
        return None
    if rate == 0:
        return f"年度支出预算未作调整，预算调整率{adjustment_rate(f, rate)}"
    return (f"支出合计年初预算数{wan(f.amount('支出合计'))}，调整后预算数"
            f"{wan(f.amount('支出合计', ADJUSTED))}，预算调整率{adjustment_rate(f, rate)}")


def execution_detail(f: Facts) -> str | None:
    rate = ratio(f, "budget_execution")
    if rate is None:
        return None
    budget = f.ctx.budget("支出合计", ADJUSTED)
    name = "调整后预算数" if f.amount("支出合计", ADJUSTED) is not None else "预算数"
    return (f"支出合计{name}{wan(budget)}，决算数{wan(f.amount('支出合计', FINAL))}，"
            f"预算执行率{fmt_rate(rate)}")


def assets_detail(f: Facts) -> str | None:
    total = f.inputs.field(ASSETS, "固定资产总额").decimal()
    if total == 0:
        return "本单位无固定资产，该指标不适用，按满分计"
    rate = ratio(f, "fixed_asset_utilisation")
    if rate is None:
        return None
    used = f.inputs.field(ASSETS, "实际在用固定资产总额").decimal()
    return (f"截至{f.year}年12月31日，固定资产总额{wan(total)}，实际在用固定资产总额{wan(used)}，"
            f"固定资产利用率{fmt_rate(rate)}")


def control_detail(f: Facts, label: str, name: str, key: str, items: tuple[str, ...]) -> str | None:
    table = f.inputs.table(FUNDS)
    budget, actual = table.amount(label, "预算数"), table.amount(label, "实际支出数")
    if budget is None or actual is None:
        return None
    rate = ratio(f, key)
    shown = f"控制率{fmt_rate(rate, (Decimal(1),))}" if rate is not None else "无预算而有实际支出"
    parts = [f"{i}预算{wan(b)}、实际支出{wan(a)}" for i in items
             if (b := table.amount(i, "预算数")) is not None and (a := table.amount(i, "实际支出数")) is not None]
    detail = f"（其中：{'；'.join(parts)}）" if parts else ""
    return f"{name}预算安排数{wan(budget)}，实际支出数{wan(actual)}{detail}，{shown}"


def completion_detail(f: Facts, table: str, key: str, what: str) -> str | None:
    rows = f.inputs.table(table).rows
    rate = ratio(f, key)
    if not rows:
        return f"数据表未填写{what.removeprefix('设定')}"
    if rate is None:
        return None
    statuses = [r.get("完成情况").value for r in rows]
    done, part = statuses.count(DONE), statuses.count("部分完成")
    counts = f"{what}{len(rows)}项，完成{done}项"
    counts += f"，部分完成{part}项" if part else ""
    counts += f"，未完成{len(rows) - done - part}项" if len(rows) - done - part else ""
    return f"{counts}，{'实现率' if table == TARGETS else '完成率'}{fmt_rate(rate)}"


def projects_detail(f: Facts) -> str | None:
    rows = f.inputs.table(PROJECTS).rows
    if not rows:
        return "本单位无部门重点项目，该指标不适用，按满分计"
    mean = ratio(f, "key_project_score")
    if mean is None:
        return None
    listed = "；".join(f"{cell_text(r, '项目名称')}{project_figures(r)}" for r in rows)
    return f"部门重点项目{len(rows)}个（{listed}），项目自评平均分{format_money(mean * 100)}分"


def project_figures(row: TypedRow) -> str:
    parts = [f"{h}{wan(v)}" for h in ("预算数", "实际支出数") if (v := row.amount(h)) is not None]
    score = row.amount("项目自评得分")
    parts += [f"自评得分{format_money(score)}分"] if score is not None else []
    return f"：{'，'.join(parts)}" if parts else ""


AUTO_DETAILS: dict[str, Callable[[Facts], str | None]] = {
    "adjustment_bands": adjustment_detail,
    "execution_rate": execution_detail,
    "asset_utilisation": assets_detail,
    "sangong_control": lambda f: control_detail(f, "三公经费合计", "“三公”经费", "sangong_control",
                                                SANGONG_ITEMS),
    "public_funds_control": lambda f: control_detail(f, "公用经费", "公用经费", "public_funds_control",
                                                     ()),
    "target_completion": lambda f: completion_detail(f, TARGETS, "target_completion", "设定绩效目标"),
    "key_task_completion": lambda f: completion_detail(f, TASKS, "key_task_completion", "年度重点工作"),
    "key_project_mean": projects_detail,
}


# ---------------------------------------------------------------- 存在问题 and 改进措施

MEASURES = {
    "A1": "科学合理地设置部门整体绩效目标，使目标与部门职能和年度工作任务相符，并按规定审核、按时报送。",
    "A2": "科学合理地设置绩效指标，做到量化和细化，有效衡量和考核绩效目标实现程度。",
    "A3": "提高预算编制的规范性和精准度，按时完成部门预算编制和项目库填报，扎实打好预算绩效管理工作基础。",
    "A4": "加强预算编制的前瞻性和准确性，严格控制年度中预算调整，降低预算调整率。",
    "B1": "在保证资金使用合理、合规、合法的基础上，加强预算执行进度管理，提高预算执行率和支出完成率。",
    "B2": "规范项目申报、批复、调整和验收程序，涉及政府采购的支出严格执行政府采购规定。",
    "B3": "健全资产管理制度，明确专人负责资产登记、清查盘点和处置报批。",
    "B4": "加强固定资产日常管理，及时盘活或处置闲置资产，提高固定资产利用率。",
    "B5": "严格执行“三公”经费管理规定，从严控制“三公”经费支出，确保不超预算。",
    "B6": "厉行节约，严格控制公用经费支出，确保公用经费支出控制在预算以内。",
    "C1": "健全财务管理、“三重一大”决策、政府采购及内部控制等制度，并严格执行。",
    "C2": "加强资金使用监管，严格执行开支标准，杜绝截留、挤占、挪用资金和虚列支出等情况。",
    "C3": "按规定及时公开部门预算、决算信息，主动接受社会监督。",
    "D1": "加强绩效目标执行监控，对未完成的绩效目标分析原因、落实整改，确保绩效目标按期实现。",
    "D2": "加强年度重点工作的统筹调度和跟踪督办，确保重点工作按时按质完成。",
    "D3": "加强部门重点项目全过程绩效管理，提高项目资金使用效益。",
}
DATA_QUALITY = "加强对财务人员的业务培训，提高数据填报质量，确保自评数据真实、准确、完整。"


def measure(ind: Indicator) -> str:
    return MEASURES.get(ind.code) or (f"针对“{quoted(ind.level3)}”指标扣分情况，认真分析原因，"
                                      "落实整改措施，提高管理水平。")


def deduction(f: Facts, item: IndicatorScore) -> str:
    ind = item.indicator
    head = (f"{quoted(ind.level3)}得{format_money(item.score)}分（满分{points(ind.weight)}分），"
            f"扣{format_money(ind.weight - item.score)}分。")
    if ind.method == "核对":
        head += sentence("经核对，" + "；".join(checklist_parts(f, ind)[1]))
    else:
        head += f"计分依据：{sentence(item.basis.zh)}"
    return head + clerk_reason(f, item) + unfinished(f, ind)


def clerk_reason(f: Facts, item: IndicatorScore) -> str:
    """The clerk's 扣分原因, when the clerk's own score is the one that counts (otherwise it
    explains a score the tool did not give, and the P004 warning says so)."""
    row = f.inputs.table(SCORE_SHEET).row(item.indicator.code)
    reason = row.get("扣分原因").value if row else None
    agrees = item.self_score is not None and money(item.self_score) == item.score
    return f"扣分原因：{sentence(reason)}" if isinstance(reason, str) and reason and agrees else ""


def unfinished(f: Facts, ind: Indicator) -> str:
    table, header = {"target_completion": (TARGETS, "绩效目标"),
                     "key_task_completion": (TASKS, "重点工作")}.get(ind.rule, ("", ""))
    listed = [f"{cell_text(r, header)}（{status_note(r)}）" for r in f.inputs.table(table).rows
              if r.get("完成情况").value != DONE]
    return f"未完成或部分完成的有：{'；'.join(listed)}。" if listed else ""


def status_note(row: TypedRow) -> str:
    status = row.get("完成情况").value or "未填写完成情况"
    note = row.get("说明").value
    return f"{status}，{note}" if note else str(status)


def problems(f: Facts) -> Iterator[Block]:
    yield Block(Kind.HEADING2, "（三）存在问题")
    deductions, flagged = f.deductions(), f.flagged()
    if not deductions and not flagged:
        yield Block(Kind.BODY, "经自评，各项指标均得满分，数据表校验未发现错误或警告，未发现需要说明的问题。")
    if deductions:
        yield Block(Kind.BODY, "经自评，以下指标未得满分：")
        for number, item in enumerate(deductions, start=1):
            yield Block(Kind.ITEM, f"（{number}）{deduction(f, item)}")
    if flagged:
        yield Block(Kind.BODY, "数据表校验发现以下问题，需核实处理：")
        for number, finding in enumerate(flagged, start=1):
            yield Block(Kind.ITEM, f"（{number}）{finding.severity.zh}：{sentence(finding.message.zh)}")


def measures(f: Facts) -> Iterator[Block]:
    yield Block(Kind.HEADING2, "（四）改进措施")
    chosen = list(dict.fromkeys(measure(i.indicator) for i in f.deductions()))
    chosen += [DATA_QUALITY] if f.flagged() else []
    if not chosen:
        yield Block(Kind.BODY, "本年度各项指标均得满分，未发现需要整改的问题，无需专项改进措施。")
        return
    yield Block(Kind.BODY, "针对上述问题，我单位将采取以下改进措施：")
    for number, text in enumerate(chosen, start=1):
        yield Block(Kind.ITEM, f"{ordinal(number)}是{text}")


def performance(f: Facts) -> Iterator[Block]:
    yield Block(Kind.HEADING1, "三、绩效自评情况")
    yield from result_blocks(f)
    yield from analysis(f)
    yield from problems(f)
    yield from measures(f)


# ---------------------------------------------------------------- 四、其他自评情况


def rounding_note(finding: Finding) -> str:
    difference = abs(Decimal(finding.expected) - Decimal(finding.actual))
    return (f"《{finding.sheet}》中“{finding.label}”{finding.column}各分项之和为{finding.expected}万元，"
            f"填报数为{finding.actual}万元，相差{format_money(difference)}万元，系分项四舍五入形成的尾差，"
            "在允许范围内。")


def not_applicable_note(f: Facts, finding: Finding) -> str:
    scheme = f.ctx.scheme
    ind = scheme.indicator(finding.label) or next(
        (i for i in scheme.indicators if i.rule == "asset_utilisation"), None)
    if ind is None:
        return sentence(finding.detail.zh)
    cause = "本单位无部门重点项目" if ind.rule == "key_project_mean" else "本单位无固定资产"
    return f"{cause}，“{quoted(ind.level3)}”指标不适用，按满分计。"


def others(f: Facts) -> Iterator[Block]:
    yield Block(Kind.HEADING1, "四、其他自评情况")
    notes = [rounding_note(x) if x.rule == "T002" else not_applicable_note(f, x)
             for x in f.result.findings if x.rule in ("T002", "P007")]
    for text in notes or ["无。"]:
        yield Block(Kind.BODY, text)


def outline(evaluation: Evaluation) -> list[Block]:
    """The report as blocks, in reading order."""
    inputs = evaluation.inputs
    ctx = Context(inputs, evaluation.raw, evaluation.scheme, evaluation.template)
    f = Facts(inputs, ctx, evaluation.result)
    return [*front(f), *basics(f), *work(f), *performance(f), *others(f), *signature(f)]
