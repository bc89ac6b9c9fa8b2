"""The output workbook of `score` on a 项目支出绩效自评表 workbook: 汇总 (every project, the means,
the count per grade), one scored sheet per project, 校验结果, then copies of the project sheets.

Written like the 整体 output: xlsxwriter into memory, formulas with their computed values, text
from the input always as text, A4, the tool's ownership mark, then `atomic.write_atomically`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from selfeval_xlsx import __version__
from selfeval_xlsx.atomic import write_atomically
from selfeval_xlsx.evaluate.project import ProjectEvaluation, ProjectResult
from selfeval_xlsx.findings import Severity
from selfeval_xlsx.output.copies import SparseWorksheet, write_copy
from selfeval_xlsx.output.project_sheet import ProjectLayout, write_project_sheet
from selfeval_xlsx.output.sheets import (
    AMOUNT,
    DATETIME,
    PERCENT,
    Column,
    Formula,
    Marks,
    Place,
    Row,
    Styled,
    parse_cell,
    print_setup,
    title_rows,
    write_findings_sheet,
    write_grid,
    write_value,
)
from selfeval_xlsx.output.summary_sheet import FAILED
from selfeval_xlsx.output.workbook import refuse_input_as_output, workbook_options
from selfeval_xlsx.output.worksheet import OutputWorkbook
from selfeval_xlsx.scoring.project import ProjectScore
from selfeval_xlsx.template.writer import Formats
from selfeval_xlsx.xlsx.ownership import MARK_PROPERTY, Made

SUMMARY, FINDINGS = "汇总", "校验结果"
SUMMARY_TITLE = "项目支出绩效自评结果汇总"
PROJECT_COLUMNS = (
    Column("序号", "0"), Column("工作表"), Column("项目名称", wrap=True), Column("全年预算数", AMOUNT),
    Column("全年执行数", AMOUNT), Column("执行率", PERCENT), Column("总分", AMOUNT), Column("等级"),
)
WIDTHS = (16, 12, 30, 12, 12, 10, 10, 8)
GRADE_COLUMNS = (Column("绩效等级"), Column("项目数", "0"), Column("占比", PERCENT))


def write_project_output(evaluation: ProjectEvaluation, path: Path, generated_at: dt.datetime,
                         lang: str = "zh") -> None:
    """Write the project result workbook to `path` (atomically)."""
    refuse_input_as_output(evaluation.book.path, path)
    result = evaluation.result
    buffer = io.BytesIO()
    book = OutputWorkbook(buffer, workbook_options())
    created = generated_at.astimezone(dt.UTC) if generated_at.tzinfo else generated_at
    book.set_properties({"title": "项目支出绩效自评评分结果", "subject": result.unit or "",
                         "author": f"selfeval {__version__}", "created": created,
                         "comments": f"{Path(result.file).name} SHA-256 {result.sha256}"})
    book.set_custom_property(MARK_PROPERTY, Made.RESULT.value)
    formats = Formats(book)
    summary = book.add_worksheet(SUMMARY)
    names = _scored_names([p.sheet for p in result.projects])
    layouts = []
    for name, score in zip(names, result.projects, strict=True):
        info = f"项目名称：{score.name or '—'}　　工作表：{score.sheet}　　评分方案：{result.scheme}"
        layouts.append(write_project_sheet(book.add_worksheet(name), formats, score,
                                           evaluation.scheme.grades, info, lang))
    marks = {p.sheet: Marks(lang) for p in evaluation.projects}
    places = [_place(f.sheet, f.cell, marks) for f in result.findings]
    for finding, place in zip(result.findings, places, strict=True):
        if place is not None:
            marks[place.sheet].add(place, finding)
    write_findings_sheet(book.add_worksheet(FINDINGS), formats, result.findings, places,
                         _info(result), lang)
    for project in evaluation.projects:
        sheet = project.template.sheets[0] if project.template else None
        if sheet is not None:
            write_copy(book.add_worksheet(project.sheet, worksheet_class=SparseWorksheet), formats,
                       evaluation.book, project.sheet, sheet, marks[project.sheet], None)
    write_summary(summary, formats, result, list(zip(names, layouts, strict=True)), generated_at)
    book.close()
    write_atomically(path, buffer.getvalue())


def _scored_names(sheets: Sequence[str]) -> list[str]:
    """`核定_<sheet>`, at most 31 characters and unique (the copies keep the input's names)."""
    names: list[str] = []
    taken = {s.casefold() for s in (*sheets, SUMMARY, FINDINGS)}
    for number, sheet in enumerate(sheets, start=1):
        name = f"核定_{sheet}"[:31]
        if name.casefold() in taken:
            name = f"核定_{number}"
        taken.add(name.casefold())
        names.append(name)
    return names


def _place(sheet: str, cell: str, marks: dict[str, Marks]) -> Place | None:
    position = parse_cell(cell)
    if sheet not in marks or position is None:
        return None
    return Place(sheet, *position)


def _info(result: ProjectResult) -> str:
    return (f"单位：{result.unit or '—'}　　评价年度：{result.year or '—'}　　"
            f"项目数：{len(result.projects)}　　评分方案：{result.scheme}")


# ---- 汇总 ----

def write_summary(ws: Worksheet, formats: Formats, result: ProjectResult,
                  scored: list[tuple[str, ProjectLayout]], generated_at: dt.datetime) -> None:
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    title_rows(ws, formats, SUMMARY_TITLE, "", len(WIDTHS))
    headline = _headline(result)
    top = 2 + len(headline) + 1
    table_first, count = top + 1, len(result.projects)
    _info_block(ws, formats, 2, _with_means(headline, table_first, count, result))
    rows = [_project_row(i, score, name, layout)
            for i, (score, (name, layout)) in enumerate(zip(result.projects, scored, strict=True),
                                                         start=1)]
    end = write_grid(ws, formats, top, 0, PROJECT_COLUMNS, rows)
    ws.repeat_rows(top)
    end = _grade_table(ws, formats, end + 1, result, table_first, count)
    _info_block(ws, formats, end + 1, _provenance(result, generated_at))
    print_setup(ws, landscape=False)


def _headline(result: ProjectResult) -> list[tuple[str, object]]:
    status = "通过" if result.passed else Styled("未通过", FAILED)
    return [("单位名称", result.unit), ("评价年度", Styled(result.year, {"num_format": "0"})),
            ("项目数", len(result.projects)), ("平均分", None), ("按资金加权平均分", None),
            ("校验状态", status),
            *((f"{s.zh}数", result.counts[s.value]) for s in Severity)]


def _with_means(headline: list[tuple[str, object]], first: int, count: int,
                result: ProjectResult) -> list[tuple[str, object]]:
    """平均分 and 按资金加权平均分 as formulas over the project table (— when none)."""
    col = [c.header for c in PROJECT_COLUMNS]
    totals = _range(first, count, col.index("总分"))
    budgets = _range(first, count, col.index("全年预算数"))
    shown = {"num_format": AMOUNT, "align": "left"}
    mean: object = "—" if result.mean is None else Styled(
        Formula(f"=ROUND(AVERAGE({totals}),2)", float(result.mean)), shown)
    weighted: object = "—" if result.weighted_mean is None else Styled(Formula(
        f"=ROUND(SUMPRODUCT(({budgets}>0)*{budgets},{totals})/SUMIF({budgets},\">0\"),2)",
        float(result.weighted_mean)), shown)
    values = {"平均分": mean, "按资金加权平均分": weighted}
    return [(label, values.get(label, value)) for label, value in headline]


def _range(first: int, count: int, col: int) -> str:
    return f"{xl_rowcol_to_cell(first, col)}:{xl_rowcol_to_cell(first + max(count, 1) - 1, col)}"


def _project_row(number: int, score: ProjectScore, name: str, layout: ProjectLayout) -> Row:
    e = score.execution
    total = Formula(f"='{name}'!{layout.cell(layout.total_row, '核定得分')}", float(score.total))
    grade = Formula(f"='{name}'!{layout.cell(layout.grade_row, '核定得分')}", score.grade)
    return {"序号": number, "工作表": score.sheet, "项目名称": score.name or "—",
            "全年预算数": e.budget, "全年执行数": e.spent,
            "执行率": float(e.rate) if e.rate is not None else "—", "总分": total, "等级": grade}


def _grade_table(ws: Worksheet, formats: Formats, top: int, result: ProjectResult,
                 first: int, count: int) -> int:
    grades = _range(first, count, [c.header for c in PROJECT_COLUMNS].index("等级"))
    counts = result.grade_counts
    total = len(result.projects)
    rows: list[Row] = []
    for offset, name in enumerate(result.grades, start=1):
        counted = xl_rowcol_to_cell(top + offset, 1)
        rows.append({"绩效等级": name,
                     "项目数": Formula(f'=COUNTIF({grades},"{name}")', counts[name]),
                     "占比": Formula(f"=IF({total}=0,0,{counted}/{total})",
                                   counts[name] / total if total else 0.0)})
    return write_grid(ws, formats, top, 0, GRADE_COLUMNS, rows)


def _provenance(result: ProjectResult, generated_at: dt.datetime) -> list[tuple[str, object]]:
    return [("输入文件", Path(result.file).name), ("SHA-256", result.sha256),
            ("评分方案", result.scheme), ("工具版本", __version__),
            ("生成时间", Styled(generated_at, {"num_format": DATETIME}))]


def _info_block(ws: Worksheet, formats: Formats, top: int,
                items: list[tuple[str, object]]) -> int:
    for row, (label, value) in enumerate(items, start=top):
        ws.write_string(row, 0, label, formats.label())
        ws.merge_range(row, 1, row, len(WIDTHS) - 1, "", formats.get(border=1))
        write_value(ws, formats, row, 1, value, border=1, align="left")
    return top + len(items)
