"""The consolidated workbook of `batch` (`docs/json.md`, README): 汇总, 问题清单, 等级分布.

Written from the summaries alone (the JSON results), with the building blocks of the single
workbook output, so the two look alike and print alike. The same summaries with the same
`generated_at` give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from selfeval_xlsx import __version__
from selfeval_xlsx.atomic import write_atomically
from selfeval_xlsx.findings import REVIEW_NAMES, Severity
from selfeval_xlsx.output.sheets import (
    AMOUNT,
    FINDING_COLUMNS,
    HEADER_ROW,
    PERCENT,
    SEVERITY_FILLS,
    Column,
    Formula,
    Row,
    Styled,
    print_setup,
    table_widths,
    title_rows,
    write_table,
)
from selfeval_xlsx.output.summary_sheet import FAILED
from selfeval_xlsx.output.workbook import workbook_options
from selfeval_xlsx.output.worksheet import OutputWorkbook
from selfeval_xlsx.scheme.model import Scheme
from selfeval_xlsx.scoring.results import RATIO_KEYS, RATIO_NAMES
from selfeval_xlsx.template.writer import FONT, Formats
from selfeval_xlsx.xlsx.ownership import MARK_PROPERTY, Made

SUMMARY, ISSUES, GRADES, SKIPPED, PROJECTS = "汇总", "问题清单", "等级分布", "未纳入", "项目汇总"
PROJECT_FORM = "project"  # the JSON `form` of a 项目支出绩效自评表 workbook
PASSED_LABEL, FAILED_LABEL, UNREADABLE_LABEL = "通过", "未通过", "无法读取"
DUPLICATE_NOTE = "同一单位同一年度有多份"
MAX_ISSUE_ROWS = 1_000_000  # below Excel's 1,048,576 rows
NOT_AVAILABLE = Styled("—", {"align": "center"})
CHART_ROWS = 16
GRADE_SHEET_WIDTH = 9  # columns the title spans: the table and the chart below it

SUMMARY_COLUMNS = (  # page 1: who and how; page 2 (排名 and 单位名称 repeated): the ratios
    Column("排名", "0", cap=6), Column("单位名称", wrap=True, cap=24, floor=12),
    Column("文件", wrap=True, cap=22, floor=12), Column("评价年度", "0", cap=8),
    Column("总分", AMOUNT, cap=8), Column("绩效等级", cap=8), Column("校验状态", cap=8),
    Column("错误", "0", cap=6), Column("警告", "0", cap=6),
    Column("复核提示", wrap=True, cap=24, floor=12),
    Column("备注", wrap=True, cap=28, floor=16),
    *(Column(RATIO_NAMES[key], PERCENT, cap=10, floor=9, wrap=True) for key in RATIO_KEYS),
)
RATIOS_FROM = len(SUMMARY_COLUMNS) - len(RATIO_KEYS)  # the first column of the second page
LANDSCAPE_UNITS = 100  # column-width units LibreOffice prints on an A4 landscape page at 100 %
NOT_RANKED = "校验未通过，不参与排名"
SKIPPED_COLUMNS = (Column("文件", wrap=True, cap=60, floor=20),
                   Column("原因", wrap=True, cap=60, floor=20))
ISSUE_COLUMNS = (Column("文件", wrap=True, cap=30, floor=12),
                 Column("单位名称", wrap=True, cap=20, floor=10), *FINDING_COLUMNS[1:])
GRADE_COLUMNS = (Column("绩效等级", cap=10, floor=10), Column("份数", "0", cap=8, floor=8),
                 Column("占比", PERCENT, cap=8, floor=8))

Summary = dict[str, Any]


def write_batch_workbook(summaries: Sequence[Summary], scheme: Scheme, path: Path,
                         generated_at: dt.datetime,
                         skipped: Sequence[tuple[str, str]] = ()) -> None:
    """Write the consolidated workbook of `summaries` (each with its `status`) atomically;
    `skipped` lists (file, reason) of what was found but not scored (sheet 未纳入)."""
    units = [s for s in summaries if s.get("form") != PROJECT_FORM]
    forms = sorted((s for s in summaries if s.get("form") == PROJECT_FORM), key=lambda s: s["file"])
    ranked = rank(units)
    buffer = io.BytesIO()
    book = OutputWorkbook(buffer, workbook_options())
    book.set_properties({"title": "部门整体支出绩效自评批量汇总", "created": generated_at,
                         "author": f"selfeval {__version__}"})
    book.set_custom_property(MARK_PROPERTY, Made.BATCH.value)
    formats = Formats(book)
    info = _info_line(summaries, scheme.id, generated_at)
    write_summary_sheet(book.add_worksheet(SUMMARY), formats, ranked, info)
    write_issue_sheet(book.add_worksheet(ISSUES), formats, [*ranked, *forms], info)
    write_grade_sheet(book.add_worksheet(GRADES), book, formats, units, scheme, info, len(forms))
    if forms:
        write_projects_sheet(book.add_worksheet(PROJECTS), formats, forms, info)
    write_skipped_sheet(book.add_worksheet(SKIPPED), formats, skipped, info)
    book.close()
    write_atomically(path, buffer.getvalue())


def rank(summaries: Sequence[Summary]) -> list[Summary]:
    """Passing workbooks by total descending, ties by file; then the failed ones the same way,
    apart (they are not ranked); then the unreadable ones by file."""
    def by_total(status: str) -> list[Summary]:
        group = (s for s in summaries if s["status"] == status and "total" in s)
        return sorted(group, key=lambda s: (-s["total"], s["file"]))

    rest = sorted((s for s in summaries if s["status"] != "ok" and (
        s["status"] != "failed" or "total" not in s)), key=lambda s: s["file"])
    return by_total("ok") + by_total("failed") + rest


def ranks(ranked: Sequence[Summary]) -> list[int | None]:
    """Competition ranking of the passing (1, 2, 2, 4): equal totals share a rank; None for
    the failed and the unreadable."""
    numbers: list[int | None] = []
    for position, summary in enumerate(ranked, start=1):
        if "total" not in summary or summary["status"] != "ok":
            numbers.append(None)
        elif position > 1 and summary["total"] == ranked[position - 2].get("total"):
            numbers.append(numbers[-1])
        else:
            numbers.append(position)
    return numbers


def _info_line(summaries: Sequence[Summary], scheme_id: str, generated_at: dt.datetime) -> str:
    counts = Counter(s["status"] for s in summaries)
    return (f"共 {len(summaries)} 份：通过 {counts['ok']} 份，未通过 {counts['failed']} 份，"
            f"无法读取 {counts['unreadable']} 份　　评分方案：{scheme_id}　　"
            f"生成时间：{generated_at:%Y-%m-%d %H:%M:%S}")


# ---- 汇总 ----

def write_summary_sheet(ws: Worksheet, formats: Formats, ranked: Sequence[Summary],
                        info: str) -> None:
    title_rows(ws, formats, "部门整体支出绩效自评结果汇总（批量）", info, RATIOS_FROM)  # page 1
    notes = duplicate_notes(ranked)
    rows = [_summary_row(s, number, notes.get(index, []))
            for index, (s, number) in enumerate(zip(ranked, ranks(ranked), strict=True))]
    widths = table_widths(SUMMARY_COLUMNS, rows)
    end = write_table(ws, formats, SUMMARY_COLUMNS, rows, widths=widths)
    ws.autofilter(HEADER_ROW, 0, end - 1, len(SUMMARY_COLUMNS) - 1)
    ws.freeze_panes(HEADER_ROW + 1, 2)
    two_pages_wide(ws, widths)


def two_pages_wide(ws: Worksheet, widths: Sequence[float]) -> None:
    """A4 landscape, the ratios on a second page beside the first with 排名 and 单位名称
    repeated, each page at a scale that keeps its text legible (not one shrunken page)."""
    print_setup(ws, landscape=True)
    ws.fit_to_pages(0, 0)  # no fitting: the page break and the scale decide
    ws.repeat_columns(0, 1)
    ws.set_v_pagebreaks([RATIOS_FROM])
    ws.print_across()  # each page of ratios right after the page of the same rows
    first = sum(widths[:RATIOS_FROM])
    second = widths[0] + widths[1] + sum(widths[RATIOS_FROM:])
    ws.set_print_scale(max(40, min(100, int(LANDSCAPE_UNITS * 100 / max(first, second)))))


def duplicate_notes(ranked: Sequence[Summary]) -> dict[int, list[str]]:
    """Rows whose 单位名称 and 评价年度 appear more than once."""
    keys = [_unit_year(s) for s in ranked]
    seen = Counter(k for k in keys if k is not None)
    return {index: [DUPLICATE_NOTE] for index, key in enumerate(keys)
            if key is not None and seen[key] > 1}


def _unit_year(summary: Summary) -> tuple[str, int] | None:
    unit, year = summary.get("unit"), summary.get("year")
    if not isinstance(unit, str) or not unit.strip() or year is None:
        return None
    return unit.strip(), year


def _summary_row(summary: Summary, number: int | None, notes: list[str]) -> Row:
    apart = [NOT_RANKED] if summary["status"] == "failed" and "total" in summary else []
    remarks = [*apart, *notes, *(summary[k] for k in ("error", "output_error") if k in summary)]
    row: dict[str, object] = {
        "排名": number if number is not None else NOT_AVAILABLE, "文件": summary["file"],
        "单位名称": summary.get("unit"),
        "评价年度": summary.get("year"), "总分": summary.get("total"),
        "绩效等级": summary.get("grade"), "校验状态": _status_label(summary["status"]),
        "复核提示": review_note(summary), "备注": "；".join(remarks),
    }
    if summary["status"] != "unreadable":
        row.update({"错误": summary["counts"]["error"], "警告": summary["counts"]["warning"]})
        ratios = summary.get("ratios", {})
        row.update({RATIO_NAMES[key]: _ratio(ratios.get(key)) for key in RATIO_KEYS})
    return row


def review_note(summary: Summary) -> str:
    """The reviewers' rules (R) a unit raised, by code and short name: 复核提示."""
    codes = dict.fromkeys(f["rule"] for f in summary["findings"] if f["rule"] in REVIEW_NAMES)
    return "；".join(f"{code} {REVIEW_NAMES[code].zh}" for code in codes)


def _status_label(status: str) -> object:
    if status == "ok":
        return PASSED_LABEL
    return Styled(FAILED_LABEL if status == "failed" else UNREADABLE_LABEL, FAILED)


def _ratio(value: float | None) -> object:
    return NOT_AVAILABLE if value is None else value


# ---- 问题清单 ----

def write_issue_sheet(ws: Worksheet, formats: Formats, ranked: Sequence[Summary],
                      info: str) -> None:
    title_rows(ws, formats, "自评工作簿问题清单", info, len(ISSUE_COLUMNS))
    rows = list(islice(issue_rows(ranked), MAX_ISSUE_ROWS))
    end = write_table(ws, formats, ISSUE_COLUMNS, rows)
    ws.autofilter(HEADER_ROW, 0, end - 1, len(ISSUE_COLUMNS) - 1)
    ws.freeze_panes(HEADER_ROW + 1, 0)
    if not rows:
        ws.write_string(end, 0, "未发现问题。", formats.get())
    elif len(rows) == MAX_ISSUE_ROWS:
        ws.write_string(end, 0, f"问题超过 {MAX_ISSUE_ROWS} 条，此处只列出前 {MAX_ISSUE_ROWS} 条；"
                        "完整清单见各单位的评分结果或 --json 输出。", formats.get())
    print_setup(ws, landscape=True)


def issue_rows(ranked: Sequence[Summary]) -> Iterator[Row]:
    for summary in ranked:
        for finding in summary["findings"]:
            severity = Severity(finding["severity"])
            yield {"文件": summary["file"], "单位名称": summary.get("unit"),
                   "级别": Styled(severity.zh, {"bg_color": SEVERITY_FILLS[severity],
                                               "pattern": 1, "align": "center"}),
                   "规则": finding["rule"], "工作表": finding["sheet"], "单元格": finding["cell"],
                   "行项目": finding["label"], "说明": finding["message"],
                   "期望值": finding["expected"], "实际值": finding["actual"]}


# ---- 项目汇总 ----

PROJECT_COLUMNS = (
    Column("文件", wrap=True, cap=22, floor=12), Column("单位名称", wrap=True, cap=20, floor=10),
    Column("评价年度", "0", cap=8), Column("工作表", wrap=True, cap=10, floor=8),
    Column("项目名称", wrap=True, cap=24, floor=12), Column("全年预算数", AMOUNT, cap=12),
    Column("全年执行数", AMOUNT, cap=12), Column("执行率", PERCENT, cap=9),
    Column("总分", AMOUNT, cap=8), Column("绩效等级", cap=8), Column("校验状态", cap=8),
)


def write_projects_sheet(ws: Worksheet, formats: Formats, forms: Sequence[Summary],
                         info: str) -> None:
    """Every project of the project workbooks (项目支出绩效自评表), one row each."""
    title_rows(ws, formats, "项目支出绩效自评结果汇总（批量）", info, len(PROJECT_COLUMNS))
    rows = list(project_rows(forms))
    end = write_table(ws, formats, PROJECT_COLUMNS, rows)
    ws.autofilter(HEADER_ROW, 0, end - 1, len(PROJECT_COLUMNS) - 1)
    ws.freeze_panes(HEADER_ROW + 1, 0)
    print_setup(ws, landscape=True)


def project_rows(forms: Sequence[Summary]) -> Iterator[Row]:
    for summary in forms:
        for project in summary.get("projects", []):
            execution = project["execution"]
            yield {"文件": summary["file"], "单位名称": summary.get("unit"),
                   "评价年度": summary.get("year"), "工作表": project["sheet"],
                   "项目名称": project["name"] or NOT_AVAILABLE,
                   "全年预算数": execution["budget"], "全年执行数": execution["spent"],
                   "执行率": _ratio(execution["rate"]), "总分": project["total"],
                   "绩效等级": project["grade"], "校验状态": _status_label(summary["status"])}


# ---- 未纳入 ----

def write_skipped_sheet(ws: Worksheet, formats: Formats, skipped: Sequence[tuple[str, str]],
                        info: str) -> None:
    """Every file found under the given folders that was not scored, with the reason."""
    title_rows(ws, formats, "未纳入汇总的文件", info, len(SKIPPED_COLUMNS))
    rows = [{"文件": name, "原因": reason} for name, reason in skipped]
    end = write_table(ws, formats, SKIPPED_COLUMNS, rows)
    if not rows:
        ws.write_string(end, 0, "所有找到的文件都已纳入汇总。", formats.get())
    print_setup(ws, landscape=False)


# ---- 等级分布 ----

def write_grade_sheet(ws: Worksheet, book: Workbook, formats: Formats,
                      summaries: Sequence[Summary], scheme: Scheme, info: str,
                      project_books: int = 0) -> None:
    """The 整体 workbooks per grade; project workbooks (their projects are graded one by one,
    in 项目汇总) are named below the table, so that its 合计 and the count above agree."""
    title_rows(ws, formats, "绩效等级分布", info, GRADE_SHEET_WIDTH)
    labels = [*(grade.name for grade in scheme.grades), UNREADABLE_LABEL]
    counts = Counter(s.get("grade") or UNREADABLE_LABEL for s in summaries)
    end = write_table(ws, formats, GRADE_COLUMNS, grade_rows(labels, counts, len(summaries)))
    if project_books:
        ws.write_string(end + 1, 0, f"另有项目支出绩效自评表工作簿 {project_books} 份，不在此表："
                        f"其各项目的等级见“{PROJECTS}”表。", formats.get())
        end += 2
    _grade_chart(ws, book, len(labels), end + 1, max(counts.values(), default=0))
    print_setup(ws, landscape=True)


def grade_rows(labels: Sequence[str], counts: Counter[str], total: int) -> list[Row]:
    """One row per label with its count and share (formulas with their values), then 合计."""
    first, total_row = HEADER_ROW + 1, HEADER_ROW + 1 + len(labels)
    total_cell = xl_rowcol_to_cell(total_row, 1, row_abs=True)
    shares = [counts[label] / total if total else 0.0 for label in labels]
    rows: list[Row] = [
        {"绩效等级": label, "份数": counts[label],
         "占比": Formula(f"=IF({total_cell}=0,0,{xl_rowcol_to_cell(row, 1)}/{total_cell})", share)}
        for row, (label, share) in enumerate(zip(labels, shares, strict=True), start=first)]
    bold = {"bold": True}
    rows.append({"绩效等级": Styled("合计", bold),
                 "份数": Styled(Formula(_sum(first, total_row, 1), total), bold),
                 "占比": Styled(Formula(_sum(first, total_row, 2), sum(shares)), bold)})
    return rows


def _sum(first: int, end: int, col: int) -> str:
    return f"=SUM({xl_rowcol_to_cell(first, col)}:{xl_rowcol_to_cell(end - 1, col)})"


def _grade_chart(ws: Worksheet, book: Workbook, count: int, top: int, highest: int) -> None:
    chart = book.add_chart({"type": "column"})
    first, last = HEADER_ROW + 1, HEADER_ROW + count
    font = {"name": FONT, "size": 9}
    chart.add_series({"name": "份数", "categories": [GRADES, first, 0, last, 0],
                      "values": [GRADES, first, 1, last, 1],
                      "data_labels": {"value": True, "font": font}})
    chart.set_title({"name": "绩效等级分布", "name_font": {"name": FONT, "size": 11}})
    chart.set_x_axis({"num_font": font})
    chart.set_y_axis({"num_font": font, "min": 0, "num_format": "0",
                      "major_unit": max(1, math.ceil(highest / 8))})
    chart.set_legend({"none": True})
    chart.set_size({"width": 480, "height": (CHART_ROWS - 1) * 20})
    ws.insert_chart(top, 0, chart, {"object_position": 1})
