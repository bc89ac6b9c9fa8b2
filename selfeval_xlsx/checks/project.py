"""The rules of the 项目支出绩效自评表 that need only the sheet (`docs/rules.md`, J): the fund
rows (J001 sums, J003 budget, T007 over-spending, J002 low execution unexplained), required
cells (J006, and V001 for the other required fields), 定性 scores in their band (J005),
over-achievement (J007) and the split of the indicator points (J008); across the workbook's
project sheets, a 项目名称 given twice (J013). The rules that compare scores (J004, J009, J010)
are in `scoring.project`.

Each check is a pure function of a `ProjectContext` yielding findings that name the clerk's
sheet, the cell, the row (the 三级指标 of an indicator row), what was expected and found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from selfeval_xlsx.checks.context import fmt2, fmt_exact, fmt_rate
from selfeval_xlsx.findings import EMPTY, REQUIRED, Finding, finding_at
from selfeval_xlsx.read.inputs import Entry
from selfeval_xlsx.read.locate import RawCell
from selfeval_xlsx.read.project import Guide, IndicatorRow, Project
from selfeval_xlsx.read.values import normalise_label
from selfeval_xlsx.scheme.project import ACHIEVED, PARTLY, ProjectScheme
from selfeval_xlsx.template.project import (
    CONCLUSION,
    FULL_YEAR,
    INDICATOR_TABLE,
    INITIAL,
    SOURCES,
    SPENT,
    TOTAL_ROW,
)
from selfeval_xlsx.template.spec import GUIDE
from selfeval_xlsx.text import Text
from selfeval_xlsx.xlsx.cells import coordinate

HALF_CENT = Decimal("0.005")
SPLIT_TOLERANCE = Decimal("0.01")
HUNDRED = Decimal(100)
ROW_REQUIRED = ("一级指标", "指标性质", "年度指标值", "实际完成值", "分值")
WORD_SHORT = {ACHIEVED: "达成", PARTLY: "部分达成"}


@dataclass(frozen=True)
class ProjectContext:
    project: Project
    scheme: ProjectScheme

    @property
    def sheet(self) -> str:
        return self.project.sheet


def plain(value: Decimal) -> str:
    """A number as the clerk wrote it: 95, 7.29, -5 (no exponent, no trailing zeros)."""
    text = f"{value.normalize():f}"
    return text if "." not in text else text.rstrip("0").rstrip(".")


def at(rule: str, sheet: str, entry: Entry, label: str, zh: str, en: str,
       expected: str | Text = "", actual: str | Text = "", column: str = "") -> Finding:
    return finding_at(rule, sheet, entry.coordinate, label, zh, en, expected, actual, column)


# ---- fund rows ----

def check_fund_sums(ctx: ProjectContext) -> Iterator[Finding]:
    """J001 (T002 within the 尾差 bound): 年度资金总额 = Σ of its sources, per column where any
    of the four cells is filled; an empty 全年预算数 counts with the row's 年初预算数."""
    p = ctx.project
    labels = (TOTAL_ROW, *SOURCES)
    for column in (INITIAL, FULL_YEAR, SPENT):
        entries = [p.fund_entry(label, column) for label in labels]
        if not any(e.value is not None for e in entries) or not all(e.valid for e in entries):
            continue
        values = [_effective(p, label, column) for label in labels]
        stated, parts = values[0], [v for v in values[1:] if v is not None]
        yield from _compare_total(ctx.sheet, entries[0], column, stated, sum(parts, Decimal(0)),
                                  len(parts))


def _effective(project: Project, label: str, column: str) -> Decimal | None:
    value = project.fund(label, column)
    if value is None and column == FULL_YEAR:
        return project.fund(label, INITIAL)
    return value


def _compare_total(sheet: str, entry: Entry, column: str, stated: Decimal | None,
                   computed: Decimal, count: int) -> Iterator[Finding]:
    gap = None if stated is None else abs(computed - stated)
    if gap == 0:
        return
    bound = HALF_CENT * count
    shown = "（空）" if stated is None else fmt_exact(stated)
    if gap is not None and gap <= bound:
        yield at("T002", sheet, entry, TOTAL_ROW,
                 f"{count} 个资金来源之和为 {fmt_exact(computed)}，年度资金总额为 {shown}，相差 {fmt_exact(gap)}，"
                 f"在四舍五入尾差范围（±{bound.normalize():f}）内，无需修改。",
                 f"the {count} sources add up to {fmt_exact(computed)}, the total is {shown}; "
                 f"the difference is within the rounding bound (±{bound.normalize():f}).",
                 fmt2(computed), fmt2(stated), column)
        return
    yield at("J001", sheet, entry, TOTAL_ROW,
             f"其中各资金来源之和为 {fmt_exact(computed)}，年度资金总额填的是 {shown}，超出尾差范围"
             f"（±{bound.normalize():f}）。年度资金总额应为当年财政拨款、上年结转资金和其他资金之和"
             "（执行率按年度资金总额计算）；请填写合计数，或核对各来源金额。",
             f"the sources add up to {fmt_exact(computed)} but the total is {shown}, beyond "
             f"the rounding bound (±{bound.normalize():f}). The total (which the execution rate "
             "uses) must be the sum of its sources: fill it in, or check the sources.",
             fmt2(computed), fmt2(stated) or EMPTY, column)


def check_budget_present(ctx: ProjectContext) -> Iterator[Finding]:
    """J003: neither 全年预算数 nor 年初预算数 on 年度资金总额 (or both 0)."""
    p = ctx.project
    full, initial = p.fund_entry(TOTAL_ROW, FULL_YEAR), p.fund_entry(TOTAL_ROW, INITIAL)
    if full.cell is None or not (full.valid and initial.valid) or p.budget:
        return
    yield at("J003", ctx.sheet, full, TOTAL_ROW,
             "年度资金总额的全年预算数和年初预算数都为空或为 0，无法计算执行率，项目资金执行率按 0 分计。"
             "请填写全年预算数（未调整的填年初预算数）。",
             "the total row has no budget (全年预算数 and 年初预算数 empty or 0): the execution "
             "rate cannot be computed and scores 0. Fill in the budget.",
             Text("预算数 > 0", "a budget above 0"), fmt2(p.budget) or EMPTY, FULL_YEAR)


def check_overspending(ctx: ProjectContext) -> Iterator[Finding]:
    """T007 on the fund rows: 全年执行数 above 全年预算数 (empty: 年初预算数)."""
    p = ctx.project
    for label in (TOTAL_ROW, *SOURCES):
        spent, budget = p.fund(label, SPENT), _effective(p, label, FULL_YEAR)
        if spent is None or budget is None or spent <= budget:
            continue
        yield at("T007", ctx.sheet, p.fund_entry(label, SPENT), label,
                 f"全年执行数 {fmt2(spent)} 超过全年预算数 {fmt2(budget)}（超支 {fmt_exact(spent - budget)}），"
                 "执行率按 100% 计。请核对执行数；确有超支的，请在“评价结论”中说明。",
                 f"spending {fmt2(spent)} is above the budget {fmt2(budget)}; the rate counts as "
                 "100%. Check it; explain real over-spending in 评价结论.",
                 f"≤ {fmt2(budget)}", fmt2(spent), SPENT)


def execution_rate(project: Project) -> Decimal | None:
    spent, budget = project.spent, project.budget
    if spent is None or budget is None or budget <= 0:
        return None
    return spent / budget


def check_low_execution(ctx: ProjectContext) -> Iterator[Finding]:
    """J002: 执行率 below the scheme's threshold (90 %) and 评价结论 empty."""
    rate, note = execution_rate(ctx.project), ctx.project.field(CONCLUSION)
    threshold = ctx.scheme.low_execution / HUNDRED
    if rate is None or rate >= threshold or note.cell is None or note.value is not None:
        return
    shown = fmt_rate(rate, (threshold,))
    yield at("J002", ctx.sheet, note, CONCLUSION,
             f"项目资金执行率为 {shown}，低于 {ctx.scheme.low_execution:g}%，请在“评价结论”中说明资金未执行的原因。",
             f"the execution rate is {shown}, below {ctx.scheme.low_execution:g}%: explain why in "
             "评价结论.", Text(f"执行率低于 {ctx.scheme.low_execution:g}% 时写明原因",
                              f"a reason when execution is below {ctx.scheme.low_execution:g}%"),
             EMPTY, CONCLUSION)


# ---- required cells ----

def check_required(ctx: ProjectContext) -> Iterator[Finding]:
    """J006: 项目名称 and every row's 一级指标, 指标性质, 年度指标值, 实际完成值, 分值 (得分 on a
    定性 row); V001: 主管部门, 实施单位 and 全年执行数 of 年度资金总额."""
    p = ctx.project
    name = p.field("项目名称")
    if _empty(name):
        yield at("J006", ctx.sheet, name, "项目名称", "未填写项目名称。项目名称用于汇总和填入部门整体的重点项目，请填写。",
                 "the project name is empty; it names the project in summaries and in 重点项目.",
                 REQUIRED, EMPTY)
    for label in ("主管部门", "实施单位"):
        if _empty(p.field(label)):
            yield at("V001", ctx.sheet, p.field(label), label, "必填项未填写，请填写。",
                     "this required cell is empty; fill it in.", REQUIRED, EMPTY)
    spent = p.fund_entry(TOTAL_ROW, SPENT)
    if _empty(spent):
        yield at("V001", ctx.sheet, spent, TOTAL_ROW, "未填写全年执行数，无法计算执行率（按 0 分计），请填写。",
                 "全年执行数 is empty: the execution rate cannot be computed (0 points).",
                 REQUIRED, EMPTY, SPENT)
    for row in p.indicators:
        yield from _row_required(ctx.sheet, row)


def _row_required(sheet: str, row: IndicatorRow) -> Iterator[Finding]:
    headers = (*ROW_REQUIRED, "得分") if row.qualitative else ROW_REQUIRED
    for header in headers:
        entry = row.get(header)
        if not _empty(entry):
            continue
        why = ("定性指标按自评得分计分，未填按 0 分计" if header == "得分"
               else "该行无法计分" if header != "一级指标" else "无法核对各一级指标的分值")
        why_en = ("a qualitative row is scored by its 得分: empty scores 0" if header == "得分"
                  else "the row cannot be scored" if header != "一级指标"
                  else "the split by 一级指标 cannot be checked")
        yield at("J006", sheet, entry, row.label, f"未填写{header}，{why}。请填写。",
                 f"{header} is empty: {why_en}.", REQUIRED, EMPTY, header)


def _empty(entry: Entry) -> bool:
    return entry.cell is not None and entry.value is None and entry.valid


def check_guide(guide: Guide) -> Iterator[Finding]:
    """V001: 评价年度 and 单位名称 on 填表说明."""
    for label in ("评价年度", "单位名称"):
        entry = guide.inputs.field(GUIDE, label)
        if _empty(entry):
            yield at("V001", GUIDE, entry, label, "必填项未填写，请填写。",
                     "this required cell is empty; fill it in.", REQUIRED, EMPTY)


# ---- indicator rows ----

def band_bounds(scheme: ProjectScheme, word: str, weight: Decimal) -> tuple[Decimal, Decimal, bool]:
    """(lowest, highest, highest included) score of a 定性 row with `word` and `weight`."""
    low, high, closed = scheme.band(word)
    return weight * low / HUNDRED, weight * high / HUNDRED, closed


def in_band(score: Decimal, bounds: tuple[Decimal, Decimal, bool]) -> bool:
    low, high, closed = bounds
    return low <= score and (score <= high if closed else score < high)


def band_text(bounds: tuple[Decimal, Decimal, bool]) -> str:
    low, high, closed = bounds
    return f"[{fmt2(low)}, {fmt2(high)}{']' if closed else ')'}"


def check_qualitative_bands(ctx: ProjectContext) -> Iterator[Finding]:
    """J005: a 定性 row's 得分 outside the band of its word."""
    for row in ctx.project.indicators:
        weight, score = row.number("分值"), row.number("得分")
        if not row.qualitative or not isinstance(row.actual, str) or weight is None or score is None:
            continue
        bounds = band_bounds(ctx.scheme, row.actual, weight)
        if in_band(score, bounds):
            continue
        low, high = ctx.scheme.band(row.actual)[:2]
        yield at("J005", ctx.sheet, row.get("得分"), row.label,
                 f"实际完成值为“{row.actual}”，得分应在分值 {plain(weight)} 的 {low:g}%～{high:g}% 之间"
                 f"（{band_text(bounds)}），填的是 {plain(score)}；工具按最近的边界计分。请按所选档次修改得分，"
                 "或改选与得分相符的完成情况。",
                 f"'{row.actual}' allows a score of {low:g}%–{high:g}% of {plain(weight)} "
                 f"({band_text(bounds)}), not {plain(score)}; the nearest bound counts.",
                 band_text(bounds), plain(score), "得分")


def check_over_achievement(ctx: ProjectContext) -> Iterator[Finding]:
    """J007: on a 正向 or 等于 row, A ≥ 120 % of T (the target was likely set too low)."""
    ratio = ctx.scheme.over_achievement / HUNDRED
    for row in ctx.project.indicators:
        target, actual = row.target, row.actual
        if row.direction not in ("正向", "等于") or target is None or target <= 0 or not isinstance(
                actual, Decimal) or actual < target * ratio:
            continue
        yield at("J007", ctx.sheet, row.get("实际完成值"), row.label,
                 f"实际完成值 {plain(actual)} 达到年度指标值 {plain(target)} 的 {fmt_rate(actual / target)}"
                 f"（≥ {ctx.scheme.over_achievement:g}%），指标值可能设置偏低。请核对完成值；指标值偏低的，"
                 "请在偏差原因中说明，并在下一年度合理设置。",
                 f"the actual {plain(actual)} is {fmt_rate(actual / target)} of the target "
                 f"{plain(target)} (≥ {ctx.scheme.over_achievement:g}%): the target was likely set "
                 "too low. Check it and explain.",
                 f"< {plain(target * ratio)}", plain(actual), "实际完成值")


def check_split(ctx: ProjectContext) -> Iterator[Finding]:
    """J008: the rows' 分值 add up to the scheme's split, per 一级指标 and in all."""
    scheme, rows = ctx.scheme, ctx.project.indicators
    if scheme.split_check == "off" or not _split_readable(ctx.project):
        return
    header = _weight_header(ctx.project)
    found = False
    if scheme.split_check == "groups":
        for name, weight in scheme.groups:
            group = [r for r in rows if r.get("一级指标").value == name]
            added = sum((r.number("分值") or Decimal(0) for r in group), Decimal(0))
            if abs(added - weight) > SPLIT_TOLERANCE:
                found = True
                place = group[0].get("分值") if group else header
                yield at("J008", ctx.sheet, place, name,
                         f"{name}各行分值之和为 {fmt_exact(added)}（{len(group)} 行），评分方案规定为 "
                         f"{plain(weight)} 分。请按方案分配各指标的分值。",
                         f"the rows of {name} ({len(group)}) have {fmt_exact(added)} points; the "
                         f"scheme gives it {plain(weight)}.", plain(weight), fmt_exact(added), "分值")
    added = sum((r.number("分值") or Decimal(0) for r in rows), Decimal(0))
    points = scheme.indicator_points
    if abs(added - points) > SPLIT_TOLERANCE and not found:
        yield at("J008", ctx.sheet, header, "绩效指标合计",
                 f"绩效指标各行分值之和为 {fmt_exact(added)}（{len(rows)} 行），应为 {plain(points)} 分"
                 f"（总分 {plain(scheme.total)} − 项目资金执行率 {plain(scheme.execution)}）。请核对各行分值。",
                 f"the rows' points add up to {fmt_exact(added)} ({len(rows)} rows), not "
                 f"{plain(points)}.", plain(points), fmt_exact(added), "分值")


def _split_readable(project: Project) -> bool:
    """The 绩效指标 table and its 一级指标 and 分值 columns were found (else S002 says so, and a
    split of 0 points would only repeat it)."""
    table = project.raw.tables.get(INDICATOR_TABLE) if project.raw else None
    return table is not None and all(name in table.columns for name in ("一级指标", "分值"))


def _weight_header(project: Project) -> Entry:
    """The 分值 header cell of 绩效指标 (where a finding about the whole column points)."""
    table = project.raw.tables.get(INDICATOR_TABLE) if project.raw else None
    column = table.columns.get("分值") if table else None
    if table is None or column is None:
        return Entry(None, None, "分值")
    cell = RawCell(project.sheet, coordinate(table.header_row, column), "分值")
    return Entry("分值", cell, "分值", blank=False)


Check = Callable[[ProjectContext], Iterable[Finding]]
CHECKS: tuple[Check, ...] = (
    check_required, check_fund_sums, check_budget_present, check_overspending, check_low_execution,
    check_qualitative_bands, check_over_achievement, check_split,
)


def run_project_checks(ctx: ProjectContext) -> list[Finding]:
    return [finding for check in CHECKS for finding in check(ctx)]


def check_duplicate_names(projects: Iterable[Project]) -> Iterator[Finding]:
    """J013: a project sheet whose 项目名称 (compared as labels) an earlier sheet already has,
    as when a sheet is copied for the next project and its name left as it was."""
    first: dict[str, str] = {}
    for project in projects:
        key = normalise_label(project.name) if project.name else ""
        if key in first:
            yield _duplicate_name(project, first[key])
        elif key:
            first[key] = project.sheet


def _duplicate_name(project: Project, earlier: str) -> Finding:
    return at("J013", project.sheet, project.field("项目名称"), "项目名称",
              f"项目名称“{project.name}”与工作表“{earlier}”的项目名称相同。两张表都已评分，"
              "都计入本工作簿的平均分和等级分布，填入部门整体的《重点项目》时只用先出现的一张。"
              "如果是复制工作表后没有改名，请改为本项目的名称；如确是两个项目，请在名称中加以区分。",
              f"the project name '{project.name}' is the same as on sheet '{earlier}'. Both "
              "sheets are scored and count in this workbook's mean and grade counts; in 重点项目 "
              "only the first is used. If the sheet was copied and not renamed, give this "
              "project's name; if they are two projects, make the names differ.",
              Text("与其他项目表不同的名称", "a name no other project sheet has"),
              Text(f"与“{earlier}”相同", f"the same as '{earlier}'"))
