"""三、绩效自评情况: the result, each 一级指标's figures, 存在问题 and 改进措施."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

from selfeval_xlsx.checks.context import fmt_rate
from selfeval_xlsx.findings import Finding
from selfeval_xlsx.read.inputs import TypedRow
from selfeval_xlsx.read.values import format_money, money
from selfeval_xlsx.report.basics import adjustment_rate
from selfeval_xlsx.report.facts import (
    DONE,
    SCORE_TAIL,
    Block,
    Facts,
    Kind,
    cell_text,
    ordinal,
    points,
    quoted,
    sentence,
    wan,
)
from selfeval_xlsx.scheme.model import Indicator
from selfeval_xlsx.scoring.key_projects import FED_FUNDS
from selfeval_xlsx.scoring.results import IndicatorScore
from selfeval_xlsx.template.department import SANGONG_ITEMS
from selfeval_xlsx.template.spec import (
    ADJUSTED,
    ASSETS,
    CHECKLIST,
    FINAL,
    FUNDS,
    PROJECTS,
    SCORE_SHEET,
    TARGETS,
    TASKS,
)

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
        if any(i.indicator.standard == "target_completion" for i in items):
            yield from target_table(f)


def target_table(f: Facts) -> Iterator[Block]:
    """Target by target: 指标值, 实际完成值 and 完成情况 as the workbook states them."""
    rows = f.inputs.table(TARGETS).rows
    if not rows:
        return
    yield Block(Kind.BODY, "各项绩效目标的完成情况如下表：")
    yield Block(Kind.TABLE, rows=(("序号", "绩效目标", "指标值", "实际完成值", "完成情况"), *(
        (str(number), cell_text(r, "绩效目标"), _with_unit(r, "指标值"), _achieved(r),
         str(r.get("完成情况").value or "【请核实：未填写完成情况】"))
        for number, r in enumerate(rows, start=1))))


def _with_unit(row: TypedRow, header: str) -> str:
    value, unit = row.get(header).value, row.get("计量单位").value
    return f"{value}{unit or ''}" if value is not None else "—"


def _achieved(row: TypedRow) -> str:
    if row.get("实际完成值").value is None:
        return "【请核实：未填写实际完成值】" if row.get("指标值").value is not None else "—"
    return _with_unit(row, "实际完成值")


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
    rule = AUTO_DETAILS.get(ind.standard)
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
    fed = sum(1 for r in rows if FED_FUNDS in r.entries)
    if fed:
        how = "各项目得分" if fed == len(rows) else f"其中{fed}个项目的得分"
        return (f"部门重点项目{len(rows)}个（{listed}），{how}按《项目支出绩效自评表》逐项核定，"
                f"平均分{format_money(mean * 100)}分")
    return f"部门重点项目{len(rows)}个（{listed}），项目自评平均分{format_money(mean * 100)}分"


def project_figures(row: TypedRow) -> str:
    """A project's money and score; a score computed from its 项目支出绩效自评表 is 核定得分."""
    parts = [f"{h}{wan(v)}" for h in ("预算数", "实际支出数") if (v := row.amount(h)) is not None]
    score = row.amount("项目自评得分")
    word = "核定得分" if FED_FUNDS in row.entries else "自评得分"
    parts += [f"{word}{format_money(score)}分"] if score is not None else []
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
    elif ind.method == "自动":
        head += sentence(detail(f, item))
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
                     "key_task_completion": (TASKS, "重点工作")}.get(ind.standard, ("", ""))
    listed = [f"{cell_text(r, header)}（{status_note(r)}）" for r in f.inputs.table(table).rows
              if r.get("完成情况").value != DONE]
    return f"未完成或部分完成的有：{'；'.join(listed)}。" if listed else ""


def status_note(row: TypedRow) -> str:
    status = row.get("完成情况").value or "未填写完成情况"
    note = row.get("说明").value
    return f"{status}，{note}" if note else str(status)


PROBLEMS = {  # the family of a rule -> how a report names the problem (no codes, no cells)
    "S": "数据表与模板不一致", "V": "数据填写不规范", "X": "缺少必要的说明", "P": "评分填写有误",
    "R": "数据的合理性需要复核",
}
RULE_PROBLEMS = {
    "T001": "各分项之和与合计数不一致", "T002": "分项与合计存在尾差", "T003": "收入预算与支出预算不平衡",
    "T004": "一般公共预算拨款收入与支出不一致", "T005": "占比与金额不符", "T006": "两项占比之和不为100%",
    "T007": "决算数超过预算数", "T008": "在用固定资产大于固定资产总额", "T009": "无预算发生“三公”经费支出",
    "T010": "在职人数超过编制数", "X010": "未说明预算执行率偏低的原因",
    "X011": "未说明未完成或不符合事项的原因", "P001": "超出分值范围", "P002": "未填写",
    "P003": "低于分值但未写扣分原因", "P004": "与按数据计算的得分不一致", "P005": "未作答",
    "P006": "未填写绩效目标", "P008": "未填写重点工作", "P009": "与各项自评得分之和不一致",
}


def to_verify(f: Facts, finding: Finding) -> str:
    """A finding as the report may say it: a highlighted 【请核实：…】 naming the table, the row
    and the column, never a cell reference or a rule code."""
    problem = RULE_PROBLEMS.get(finding.rule) or PROBLEMS.get(finding.rule[:1], "需要核实")
    label = finding.label
    if finding.sheet == SCORE_SHEET and (ind := f.ctx.scheme.indicator(label)) is not None:
        label = ind.level3  # the indicator's name, not its code
    where = f"《{finding.sheet}》" if finding.sheet else ""
    where += f"中“{quoted(label)}”" if label else ""
    where += f"的{finding.column}" if finding.column else ""
    return f"【请核实：{where}{problem}】"


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
        yield Block(Kind.BODY, "自评数据中以下事项需要核实：")
        texts = dict.fromkeys(to_verify(f, finding) for finding in flagged)
        for number, text in enumerate(texts, start=1):
            yield Block(Kind.ITEM, f"（{number}）{text}")


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


