"""The 汇总 sheet of the output workbook: headline, 一级 scores with a chart, key ratios,
provenance and the signature block."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from selfeval_xlsx import __version__
from selfeval_xlsx.evaluate import Result
from selfeval_xlsx.findings import REVIEW_NAMES, Severity
from selfeval_xlsx.output.score_sheet import BOLD, GRADE_LABEL, ScoreLayout
from selfeval_xlsx.output.sheets import (
    AMOUNT,
    DATETIME,
    PERCENT,
    TITLE_ROW,
    Column,
    Formula,
    Row,
    Styled,
    print_setup,
    title_rows,
    write_grid,
    write_value,
)
from selfeval_xlsx.scoring.results import (
    RATIO_KEYS,
    RATIO_NAMES,
    GroupScore,
    Scoring,
)
from selfeval_xlsx.template.layout import LINE_HEIGHT, fit_width, lines_needed
from selfeval_xlsx.template.writer import FONT, Formats

SUMMARY = "汇总"
SUMMARY_TITLE = "部门整体支出绩效自评结果汇总"
FAILED = {"bold": True, "font_color": "#C00000"}
GROUP_COLUMNS = (Column("一级指标"), Column("分值", AMOUNT), Column("得分", AMOUNT),
                 Column("得分率", PERCENT))
RATIO_COLUMNS = (Column("关键指标"), Column("数值", PERCENT))
RATIO_LEFT = len(GROUP_COLUMNS) + 1  # one narrow spacer column between the two tables
SUMMARY_WIDTH = RATIO_LEFT + len(RATIO_COLUMNS)
CHART_ROWS = 14
ROW_PIXELS = 20
SIGNATURES = ("单位（盖章）", "单位负责人", "财务负责人", "填表人", "日期")
REVIEW_LABEL = "复核提示"
WRAPPED = {"text_wrap": True, "valign": "top"}


def write_summary(ws: Worksheet, book: Workbook, formats: Formats, result: Result,
                  scoring: Scoring, layout: ScoreLayout, generated_at: dt.datetime,
                  lang: str = "zh") -> None:
    headline = _headline(result, scoring, layout)
    provenance = _provenance(result, generated_at)
    widths = _summary_widths([label for label, _ in headline + provenance], scoring)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    title_rows(ws, formats, SUMMARY_TITLE, "", SUMMARY_WIDTH)
    row = _info_block(ws, formats, TITLE_ROW + 2, headline)
    row = _review_block(ws, formats, row, result, sum(widths[1:]), lang)
    row = _score_tables(ws, book, formats, row + 1, scoring, layout, widths)
    row = _info_block(ws, formats, row + 1, provenance)
    _signature_block(ws, formats, row + 1)
    print_setup(ws, landscape=False)


def _summary_widths(labels: list[str], scoring: Scoring) -> list[float]:
    """Label column, 分值, 得分, 得分率, spacer, ratio names, ratio values."""
    first = fit_width([*labels, *SIGNATURES, *(g.name for g in scoring.groups)], 12, 24)
    ratio_names = fit_width([RATIO_COLUMNS[0].header, *RATIO_NAMES.values()], 14, 26)
    return [first, 12, 12, 10, 2, ratio_names, 12]


def _headline(result: Result, scoring: Scoring, layout: ScoreLayout) -> list[tuple[str, object]]:
    total = Formula("=" + layout.cell(layout.total_row, "核定得分", external=True),
                    float(scoring.total))
    grade = Formula("=" + layout.cell(layout.grade_row, "核定得分", external=True), scoring.grade)
    status = "通过" if result.passed else Styled("未通过", FAILED)
    counts = [(f"{s.zh}数", result.counts[s.value]) for s in Severity]
    return [("单位名称", result.unit), ("评价年度", Styled(result.year, {"num_format": "0"})),
            ("总分", Styled(total, {**BOLD, "num_format": AMOUNT})), (GRADE_LABEL, grade),
            ("校验状态", status), *counts]


def _provenance(result: Result, generated_at: dt.datetime) -> list[tuple[str, object]]:
    return [("输入文件", Path(result.file).name), ("SHA-256", result.sha256),
            ("评分方案", result.scheme), ("工具版本", __version__),
            ("生成时间", Styled(generated_at, {"num_format": DATETIME}))]


def _review_block(ws: Worksheet, formats: Formats, top: int, result: Result, width: float,
                  lang: str) -> int:
    """复核提示: the reviewers' rules (R) the workbook raised, one row each; 无 when none."""
    found = [f for f in result.findings if f.rule in REVIEW_NAMES]
    colon = ": " if lang == "en" else "："
    texts = [f"{f.rule} {REVIEW_NAMES[f.rule].render(lang)}（{f.location}）{colon}"
             f"{f.detail.render(lang)}" for f in found] or ["无"]
    items: list[tuple[str, object]] = [(REVIEW_LABEL if i == 0 else "", Styled(text, WRAPPED))
                                       for i, text in enumerate(texts)]
    end = _info_block(ws, formats, top, items)
    for row, text in enumerate(texts, start=top):
        if lines_needed(text, width) > 1:
            ws.set_row(row, LINE_HEIGHT * lines_needed(text, width))
    return end


def _info_block(ws: Worksheet, formats: Formats, top: int,
                items: list[tuple[str, object]]) -> int:
    """Label | value rows, the value spanning the sheet's width; returns the next row."""
    for row, (label, value) in enumerate(items, start=top):
        ws.write_string(row, 0, label, formats.label())
        ws.merge_range(row, 1, row, SUMMARY_WIDTH - 1, "", formats.get(border=1))
        write_value(ws, formats, row, 1, value, border=1, align="left")
    return top + len(items)


def _score_tables(ws: Worksheet, book: Workbook, formats: Formats, top: int, scoring: Scoring,
                  layout: ScoreLayout, widths: list[float]) -> int:
    """一级指标 table with its chart below, and the key ratios beside; returns the next row."""
    groups = [_group_row(group, row, layout)
              for row, group in enumerate(scoring.groups, start=top + 1)]
    group_end = write_grid(ws, formats, top, 0, GROUP_COLUMNS, groups)
    ratio_end = write_grid(ws, formats, top, RATIO_LEFT, RATIO_COLUMNS, _ratio_rows(scoring))
    chart_pixels = sum(round(w * 7 + 5) for w in widths[:len(GROUP_COLUMNS)])
    _insert_chart(ws, book, top, group_end, chart_pixels)
    return max(ratio_end, group_end + CHART_ROWS)


def _group_row(group: GroupScore, row: int, layout: ScoreLayout) -> Row:
    name, weight, score = (_grid_cell(row, GROUP_COLUMNS, h) for h in ("一级指标", "分值", "得分"))
    rate = float(group.score / group.weight) if group.weight else 0.0
    return {"一级指标": group.name,
            "分值": Formula(_sumif(layout, "分值", name), float(group.weight)),
            "得分": Formula(_sumif(layout, "核定得分", name), float(group.score)),
            "得分率": Formula(f"=IF({weight}=0,0,{score}/{weight})", rate)}


def _grid_cell(row: int, columns: tuple[Column, ...], header: str) -> str:
    return str(xl_rowcol_to_cell(row, [c.header for c in columns].index(header)))


def _sumif(layout: ScoreLayout, header: str, name_cell: str) -> str:
    return (f"=SUMIF({layout.span('一级指标', external=True)},\"=\"&{name_cell},"
            f"{layout.span(header, external=True)})")


def _ratio_rows(scoring: Scoring) -> list[Row]:
    def shown(value: Decimal | None) -> object:
        return Styled("—", {"align": "center"}) if value is None else value

    return [{"关键指标": RATIO_NAMES[key], "数值": shown(scoring.ratios.get(key))}
            for key in RATIO_KEYS]


def _insert_chart(ws: Worksheet, book: Workbook, header_row: int, end_row: int,
                  width: int) -> None:
    chart = book.add_chart({"type": "column"})
    first, last = header_row + 1, end_row - 1
    headers = [c.header for c in GROUP_COLUMNS]
    font = {"name": FONT, "size": 9}
    for header in ("分值", "得分"):
        col = headers.index(header)
        chart.add_series({"name": [SUMMARY, header_row, col],
                          "categories": [SUMMARY, first, 0, last, 0],
                          "values": [SUMMARY, first, col, last, col],
                          "data_labels": {"value": True, "font": font, "num_format": "General"}})
    chart.set_title({"name": "一级指标得分与分值", "name_font": {"name": FONT, "size": 11}})
    chart.set_x_axis({"num_font": font})
    chart.set_y_axis({"num_font": font, "min": 0})
    chart.set_legend({"position": "bottom", "font": font})
    chart.set_size({"width": width, "height": (CHART_ROWS - 1) * ROW_PIXELS})
    ws.insert_chart(end_row, 0, chart, {"y_offset": ROW_PIXELS // 2, "object_position": 1})


def _signature_block(ws: Worksheet, formats: Formats, top: int) -> None:
    """Two signatures to a row: a label and a bottom-bordered blank to sign on."""
    sides = ((0, RATIO_LEFT - 2), (RATIO_LEFT, SUMMARY_WIDTH - 1))
    for index, label in enumerate(SIGNATURES):
        row = top + index // len(sides)
        left, last = sides[index % len(sides)]
        ws.set_row(row, 36)
        ws.write_string(row, left, label + "：", formats.get(align="right", valign="bottom"))
        blank = formats.get(bottom=1)
        if last > left + 1:
            ws.merge_range(row, left + 1, row, last, "", blank)
        else:
            ws.write_blank(row, left + 1, None, blank)
