"""Value rules that need more than one cell: required fields (V001), dates against the year
(V005, V009), project scores in range (V002). Single-cell parsing findings come from `inputs`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from selfeval_xlsx.checks.context import Context
from selfeval_xlsx.findings import EMPTY, REQUIRED, Finding, finding_at
from selfeval_xlsx.read.inputs import Entry, TypedRow
from selfeval_xlsx.template.spec import BASIC, PERSONAL, PROJECTS, Table
from selfeval_xlsx.text import Text

PROJECT_SCORE = "项目自评得分"


def check_required_fields(ctx: Context) -> Iterator[Finding]:
    for sheet in ctx.template.sheets:
        for form in sheet.forms:
            for spec in form.fields:
                entry = ctx.field(sheet.name, spec.label)
                if spec.required and spec.prefilled is None and _empty(entry):
                    yield _required(entry, sheet.name, "")


def check_required_cells(ctx: Context) -> Iterator[Finding]:
    for sheet in ctx.template.sheets:
        for table in sheet.tables:
            typed = ctx.inputs.table(table.name)
            for row in typed.rows:
                for header in _required_headers(table, row):
                    if _empty(row.get(header)):
                        yield _required(row.get(header), sheet.name, header)


def _required_headers(table: Table, row: TypedRow) -> tuple[str, ...]:
    if table.free_rows:
        return table.required
    spec = next((r for r in table.rows if r.label == row.label), None)
    return spec.required if spec else ()


def _empty(entry: Entry) -> bool:
    return entry.cell is not None and entry.value is None and entry.valid


def _required(entry: Entry, sheet: str, column: str) -> Finding:
    return finding_at("V001", sheet, entry.coordinate, entry.label,
                      "必填项未填写，请填写。", "this required cell is empty; fill it in.",
                      REQUIRED, EMPTY, column)


def check_report_date(ctx: Context) -> Iterator[Finding]:
    year, filed = ctx.field(BASIC, "评价年度").value, ctx.field(BASIC, "填报日期")
    if not isinstance(year, int) or not isinstance(filed.value, date):
        return
    day = filed.value
    if day <= date(year, 12, 31):
        yield finding_at("V005", BASIC, filed.coordinate, filed.label,
                         f"填报日期 {day.isoformat()} 不在评价年度 {year} 年结束之后。自评在年度结束后进行，"
                         "请核对填报日期或评价年度。",
                         f"the report date {day.isoformat()} is not after the end of {year}. "
                         "Check the date or the year.", Text(f"晚于 {year}-12-31", f"after {year}-12-31"), day.isoformat())
    elif day > date(year + 1, 12, 31):
        yield finding_at("V009", BASIC, filed.coordinate, filed.label,
                         f"填报日期 {day.isoformat()} 晚于评价年度次年年底（{year + 1}-12-31），"
                         "可能是笔误，请核对。",
                         f"the report date {day.isoformat()} is after {year + 1}-12-31; probably "
                         "a typo.", Text(f"不晚于 {year + 1}-12-31", f"not after {year + 1}-12-31"),
                         day.isoformat())


def check_project_scores(ctx: Context) -> Iterator[Finding]:
    for row in ctx.inputs.table(PROJECTS).rows:
        entry = row.get(PROJECT_SCORE)
        score = entry.decimal()
        if score is not None and not Decimal(0) <= score <= Decimal(100):
            yield finding_at("V002", PROJECTS, entry.coordinate, row.label,
                             f"项目自评得分 {score} 不在 0～100 分之间，请按百分制填写。",
                             f"the project score {score} is outside 0–100.",
                             "0～100", f"{score}", PROJECT_SCORE)


def check_personal_values(ctx: Context) -> Iterator[Finding]:
    """A 定量 row of 个性指标 needs its direction and two numbers to be scored."""
    for row in ctx.inputs.table(PERSONAL).rows:
        if row.get("指标性质").value != "定量":
            continue
        for header in ("方向", "年度指标值", "实际完成值"):
            entry = row.get(header)
            if _empty(entry):
                yield _required(entry, PERSONAL, header)
            elif header != "方向" and isinstance(entry.value, str) and entry.valid:
                yield finding_at("V002", PERSONAL, entry.coordinate, row.label,
                                 f"定量指标的{header}应为数字（百分数可写 95%），“{entry.value}”不能用于计分。"
                                 "请填写数字；文字描述的指标请把指标性质改为定性。",
                                 f"a quantitative row's {header} must be a number (95% allowed); "
                                 f"'{entry.value}' cannot be scored. Enter a number, or make the "
                                 "row 定性.", "数字", str(entry.value), header)


CHECKS = (check_required_fields, check_required_cells, check_report_date, check_project_scores,
          check_personal_values)
