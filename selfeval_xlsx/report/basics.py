"""一、单位基本情况: organisation, people, tasks, targets and the budget figures."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from selfeval_xlsx.checks.context import fmt_rate
from selfeval_xlsx.read.inputs import TypedRow
from selfeval_xlsx.report.facts import (
    Block,
    Facts,
    Kind,
    cell_text,
    fill,
    sentence,
    wan,
)
from selfeval_xlsx.template.department import BASIC_PARTS, REVENUE_SOURCES
from selfeval_xlsx.template.spec import (
    ADJUSTED,
    BUDGET,
    FINAL,
    RETIREES,
    TARGETS,
    TASKS,
)

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


def funding(f: Facts) -> str:
    """The expenditure budget by source, as the seed report writes it: 一般公共预算拨款 from its
    own 支出合计 row, the other sources as budgeted on the revenue side (a balanced budget)."""
    general, total = f.amount("一般公共预算拨款支出合计"), f.amount("支出合计")
    if general is None or total is None:
        return ""
    parts = [f"一般公共预算拨款{wan(general)}"]
    if f.amount("收入合计") == total:
        parts += [f"{s}{wan(v)}" for s in REVENUE_SOURCES[1:] if (v := f.amount(s))]
    elif total != general:
        parts.append(f"其他资金{wan(total - general)}")
    return f"，其中：{'，'.join(parts)}"


def expenditure(f: Facts) -> str:
    parts = [f"{p}{wan(v)}" for p in BASIC_PARTS if (v := f.amount(p)) is not None]
    detail = f"。其中：{'，'.join(parts)}；" if parts else "；"
    return (f"{f.year}年支出预算{wan(f.amount('支出合计'), '支出合计年初预算数')}{funding(f)}。"
            "支出预算按用途划分，"
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
    rule = next((i.rule for i in f.ctx.scheme.indicators if i.standard == "adjustment_rate"), None)
    bands = rule.bands if rule else ()
    return fmt_rate(rate, tuple(band.limit / 100 for band in bands))


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


def functions(f: Facts) -> str:
    """部门职能: the clerk's 主要职能, else a placeholder."""
    text = f.text("主要职能")
    return sentence(text) if text else f"{f.unit}的主要职能是：{fill('部门主要职能（三定方案所列职责）')}"


def basics(f: Facts) -> Iterator[Block]:
    yield Block(Kind.HEADING1, "一、单位基本情况")
    yield Block(Kind.HEADING2, "（一）单位机构设置、部门职能情况")
    yield Block(Kind.BODY, organisation(f))
    yield Block(Kind.BODY, functions(f))
    yield Block(Kind.HEADING2, "（二）年度重点工作")
    yield from tasks(f)
    yield Block(Kind.HEADING2, "（三）部门整体支出绩效目标")
    yield from targets(f)
    yield Block(Kind.HEADING2, "（四）部门整体支出情况")
    for text in (revenue(f), expenditure(f) + general_funds(f), adjustment(f) + spending(f)):
        yield Block(Kind.BODY, text)


