"""Structure rules that need the typed inputs: template version (S003), scheme agreement (S004).
Missing sheets and labels (S001, S002) are found by the reader."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from selfeval_xlsx.checks.context import Context
from selfeval_xlsx.findings import Finding, finding_at
from selfeval_xlsx.read.inputs import TypedRow
from selfeval_xlsx.read.values import normalise_label
from selfeval_xlsx.template.spec import CHECKLIST, GUIDE, PERSONAL, SCORE_SHEET
from selfeval_xlsx.text import Text
from selfeval_xlsx.xlsx.locks import lock_file_of


def check_version(ctx: Context) -> Iterator[Finding]:
    entry = ctx.field(GUIDE, "模板版本")
    if entry.cell is None or entry.value == ctx.template.version:
        return
    found = "（空）" if entry.value is None else str(entry.value)
    yield finding_at("S003", GUIDE, entry.coordinate, entry.label,
                     f"模板版本为 {found}，本工具使用第 {ctx.template.version} 版模板。"
                     "请用 selfeval template 生成新模板并把数据转填过去。",
                     f"the template version is {found}; this tool knows version "
                     f"{ctx.template.version}. Generate a new template and copy the data over.",
                     str(ctx.template.version), found)


def check_score_sheet_scheme(ctx: Context) -> Iterator[Finding]:
    table = ctx.inputs.table(SCORE_SHEET)
    for row in table.rows:
        indicator = ctx.scheme.indicator(row.label)
        if indicator is None:
            continue
        yield from _differs(row, "分值", indicator.weight, SCORE_SHEET, ctx.scheme.id)
        yield from _differs(row, "计分方式", indicator.method, SCORE_SHEET, ctx.scheme.id)
    for row in table.extra_rows:
        yield _not_in_scheme(row, SCORE_SHEET, ctx.scheme.id)


def check_checklist_scheme(ctx: Context) -> Iterator[Finding]:
    table = ctx.inputs.table(CHECKLIST)
    items = {item.code: item for item in ctx.scheme.checklist}
    for row in table.rows:
        item = items[row.label]
        yield from _differs(row, "对应指标", item.indicator, CHECKLIST, ctx.scheme.id)
        yield from _differs(row, "核对内容", item.content, CHECKLIST, ctx.scheme.id)
        yield from _differs(row, "分值", item.points, CHECKLIST, ctx.scheme.id)
    for row in table.extra_rows:
        yield _not_in_scheme(row, CHECKLIST, ctx.scheme.id)


def _differs(row: TypedRow, header: str, expected: object, sheet: str,
             scheme: str) -> Iterator[Finding]:
    entry = row.get(header)
    if entry.cell is None or _same(entry.value, expected):
        return
    found = "（空）" if entry.value is None else str(entry.value)
    yield finding_at("S004", sheet, entry.coordinate, row.label,
                     f"{header}为“{found}”，评分方案“{scheme}”中为“{expected}”。"
                     "请不要修改模板的预设内容；如财政局另发了评分方案，请用该方案生成的模板。",
                     f"{header} is '{found}' but '{expected}' in scheme '{scheme}'. Do not edit "
                     "the template's preset cells; use the template generated from the scheme.",
                     str(expected), found, header)


def _same(found: object, expected: object) -> bool:
    if isinstance(expected, Decimal):
        return isinstance(found, Decimal | int) and Decimal(found) == expected
    return normalise_label(found) == normalise_label(expected)


def _not_in_scheme(row: TypedRow, sheet: str, scheme: str) -> Finding:
    first = next(iter(row.entries.values()), None)
    cell = first.coordinate if first else ""
    return finding_at("S004", sheet, cell, row.label,
                      f"“{row.label}”不是评分方案“{scheme}”中的项目。请使用该方案生成的模板，"
                      "不要自行增加行。",
                      f"'{row.label}' is not an item of scheme '{scheme}'. Use the template "
                      "generated from the scheme and do not add rows.",
                      "（方案中无此项）", row.label)


def check_personal_weights(ctx: Context) -> Iterator[Finding]:
    """The 个性指标 rows' 分值 add up to the weight of the scheme's indicator that scores them."""
    indicator = next((i for i in ctx.scheme.indicators if i.rule.rows), None)
    table = ctx.inputs.table(PERSONAL)
    if indicator is None or not table.found:
        return
    weights = [row.get("分值") for row in table.rows]
    if not all(w.valid for w in weights):
        return
    total = sum((w.decimal() or Decimal(0) for w in weights), Decimal(0))
    if total == indicator.weight:
        return
    cell = weights[0].coordinate if weights else ""
    yield finding_at("S004", PERSONAL, cell, "分值合计",
                     f"《{PERSONAL}》各行分值之和为 {total}，评分方案“{ctx.scheme.id}”中{indicator.level3}"
                     f"（{indicator.code}）的分值为 {indicator.weight}。请调整各行分值，使其合计为 "
                     f"{indicator.weight}。",
                     f"the 分值 of the {PERSONAL} rows add up to {total}; scheme '{ctx.scheme.id}' "
                     f"gives {indicator.code} {indicator.weight}. Make them add up.",
                     str(indicator.weight), str(total), "分值")


CHECKS = (check_version, check_score_sheet_scheme, check_checklist_scheme, check_personal_weights)


def open_elsewhere(path: Path) -> list[Finding]:
    """S006: a lock file beside the input (the workbook is open in Excel/WPS)."""
    lock = lock_file_of(path)
    if lock is None:
        return []
    return [finding_at(
        "S006", "", "", lock.name,
        f"同一文件夹中有锁定文件“{lock.name}”：该工作簿可能正在 Excel/WPS 中打开，尚未保存的修改不在本次评分的文件中。"
        "请在 Excel/WPS 中保存并关闭该工作簿后再运行。",
        f"the lock file '{lock.name}' is beside the workbook: it may be open in Excel/WPS, and "
        "edits not yet saved are not in the file scored. Save and close it, then run again.",
        expected=Text("无锁定文件", "no lock file"), actual=lock.name)]
