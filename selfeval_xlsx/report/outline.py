"""The sentences of the 整体绩效自评报告: an outline of blocks built from one Evaluation.

Every figure is read from the workbook or computed from it (amounts as 万元 with two decimals,
rates as the scoring shows them); what the workbook cannot know is a 【请填写：…】 placeholder.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from selfeval_xlsx.checks.context import Context
from selfeval_xlsx.evaluate import Evaluation
from selfeval_xlsx.findings import Finding, Severity
from selfeval_xlsx.read.values import format_money
from selfeval_xlsx.report.basics import basics
from selfeval_xlsx.report.facts import (
    DRAFT_MARK,
    TITLE,
    Block,
    Facts,
    Kind,
    fill,
    quoted,
    sentence,
)
from selfeval_xlsx.report.results import performance

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



# ---------------------------------------------------------------- 四、其他自评情况


def rounding_note(finding: Finding) -> str:
    difference = abs(Decimal(finding.expected) - Decimal(finding.actual))
    return (f"《{finding.sheet}》中“{finding.label}”{finding.column}各分项之和为{finding.expected}万元，"
            f"填报数为{finding.actual}万元，相差{format_money(difference)}万元，系分项四舍五入形成的尾差，"
            "在允许范围内。")


def not_applicable_note(f: Facts, finding: Finding) -> str:
    scheme = f.ctx.scheme
    ind = scheme.indicator(finding.label) or next(
        (i for i in scheme.indicators if i.standard == "asset_utilisation"), None)
    if ind is None:
        return sentence(finding.detail.zh)
    cause = "本单位无部门重点项目" if ind.standard == "key_project_mean" else "本单位无固定资产"
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
