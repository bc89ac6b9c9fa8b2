"""The scored sheet of one project in the project result workbook: the execution row and every
indicator row with the clerk's 得分, the 核定得分 and its 计分依据, a 合计, the 总分 and the grade;
rates, differences and totals are formulas carrying their computed values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from selfeval_xlsx.output.score_sheet import BOLD, grade_formula
from selfeval_xlsx.output.sheets import (
    AMOUNT,
    HEADER_ROW,
    PERCENT,
    Column,
    Formula,
    Row,
    Styled,
    display_text,
    print_setup,
    table_widths,
    title_rows,
    write_grid,
)
from selfeval_xlsx.scheme.model import Grade
from selfeval_xlsx.scoring.project import ProjectScore, RowScore
from selfeval_xlsx.template.layout import LINE_HEIGHT, lines_needed
from selfeval_xlsx.template.project import REASON
from selfeval_xlsx.template.writer import Formats

TITLE = "项目支出绩效自评表（核定）"
INDICATOR_COLUMNS = (
    Column("一级指标", wrap=True, cap=10, floor=10), Column("二级指标", wrap=True, cap=10, floor=9),
    Column("三级指标", wrap=True, cap=18, floor=12), Column("指标性质", cap=9, floor=9),
    Column("年度指标值", wrap=True, cap=12, floor=9), Column("计量单位", wrap=True, cap=8, floor=6),
    Column("实际完成值", wrap=True, cap=14, floor=9), Column("分值", AMOUNT, cap=8, floor=7),
    Column("自评得分", AMOUNT, cap=8, floor=8), Column("核定得分", AMOUNT, cap=8, floor=8),
    Column("差异", AMOUNT, cap=8, floor=7), Column("计分依据", wrap=True, cap=36, floor=24),
    Column(REASON, wrap=True, cap=24, floor=14),
)
HEADERS = tuple(c.header for c in INDICATOR_COLUMNS)
EXECUTION_COLUMNS = (  # the execution row, over the first columns of the indicator table
    Column("项目资金（万元）"), Column("年初预算数", AMOUNT), Column("全年预算数", AMOUNT),
    Column("全年执行数", AMOUNT), Column("执行率", PERCENT), Column("分值", AMOUNT),
    Column("自评得分", AMOUNT), Column("核定得分", AMOUNT), Column("差异", AMOUNT),
    Column("计分依据", wrap=True),  # merged to the last column
)
BASIS_FIRST = len(EXECUTION_COLUMNS) - 1
EXECUTION_ROW = HEADER_ROW + 1
INDICATOR_HEADER = HEADER_ROW + 3


@dataclass(frozen=True)
class ProjectLayout:
    """Where the scored sheet puts things (zero-based rows; columns of INDICATOR_COLUMNS)."""

    rows: int  # indicator rows

    @property
    def first(self) -> int:
        return INDICATOR_HEADER + 1

    @property
    def sum_row(self) -> int:
        return self.first + self.rows

    @property
    def total_row(self) -> int:
        return self.sum_row + 1

    @property
    def grade_row(self) -> int:
        return self.total_row + 1

    @staticmethod
    def cell(row: int, header: str) -> str:
        return str(xl_rowcol_to_cell(row, HEADERS.index(header)))

    def span(self, header: str) -> str:
        col = HEADERS.index(header)
        return f"{xl_rowcol_to_cell(self.first, col)}:{xl_rowcol_to_cell(self.sum_row - 1, col)}"


def write_project_sheet(ws: Worksheet, formats: Formats, score: ProjectScore,
                        grades: tuple[Grade, ...], info: str, lang: str) -> ProjectLayout:
    layout = ProjectLayout(len(score.rows))
    title_rows(ws, formats, TITLE, info, len(INDICATOR_COLUMNS))
    rows = [_indicator_row(item, row, layout, lang)
            for row, item in enumerate(score.rows, start=layout.first)]
    closing = _closing_rows(score, grades, layout)
    widths = table_widths(INDICATOR_COLUMNS, [*rows, *closing])
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    execution = _execution_row(score, lang)
    last = len(INDICATOR_COLUMNS) - 1
    for row in (HEADER_ROW, EXECUTION_ROW):
        ws.merge_range(row, BASIS_FIRST, row, last, "",
                       formats.header() if row == HEADER_ROW else formats.get(border=1))
    write_grid(ws, formats, HEADER_ROW, 0, EXECUTION_COLUMNS, [execution])
    write_grid(ws, formats, INDICATOR_HEADER, 0, INDICATOR_COLUMNS, [*rows, *closing])
    for row in (HEADER_ROW, INDICATOR_HEADER):
        ws.set_row(row, LINE_HEIGHT * 2)
    basis_width = sum(widths[BASIS_FIRST:])
    lines = lines_needed(display_text(execution.get("计分依据")), basis_width)
    if lines > 1:
        ws.set_row(EXECUTION_ROW, LINE_HEIGHT * lines)
    _fit(ws, widths, [(layout.first + i, r) for i, r in enumerate(rows)])
    ws.repeat_rows(INDICATOR_HEADER)
    print_setup(ws, landscape=True)
    return layout


def _execution_row(score: ProjectScore, lang: str) -> Row:
    e = score.execution
    budget, spent = (_cell(EXECUTION_ROW, h) for h in ("全年预算数", "全年执行数"))
    rate_cell, weight = _cell(EXECUTION_ROW, "执行率"), _cell(EXECUTION_ROW, "分值")
    rate = Formula(f"=IF(N({budget})>0,N({spent})/{budget},0)", float(e.rate or 0))
    counted = Formula(f"=ROUND(MIN({rate_cell},1)*{weight},2)", float(e.score))
    difference = None
    if e.self_score is not None:
        difference = Formula(f"={_cell(EXECUTION_ROW, '核定得分')}-{_cell(EXECUTION_ROW, '自评得分')}",
                             float(e.score - e.self_score))
    return {"项目资金（万元）": "年度资金总额", "年初预算数": e.initial, "全年预算数": e.budget,
            "全年执行数": e.spent,
            "执行率": rate, "分值": e.weight, "自评得分": e.self_score, "核定得分": counted,
            "差异": difference, "计分依据": e.basis.render(lang)}


def _cell(row: int, header: str) -> str:
    return str(xl_rowcol_to_cell(row, [c.header for c in EXECUTION_COLUMNS].index(header)))


def _indicator_row(item: RowScore, row: int, layout: ProjectLayout, lang: str) -> Row:
    r = item.row
    difference = None
    if item.self_score is not None:
        text = f"={layout.cell(row, '核定得分')}-{layout.cell(row, '自评得分')}"
        difference = Formula(text, float(item.score - item.self_score))
    return {"一级指标": r.text("一级指标"), "二级指标": r.text("二级指标"),
            "三级指标": r.text("三级指标"), "指标性质": r.kind or r.text("指标性质"),
            "年度指标值": _value(r.target, r.text("年度指标值")),
            "计量单位": r.text("计量单位"),
            "实际完成值": _value(r.actual if isinstance(r.actual, Decimal) else None,
                            r.actual if isinstance(r.actual, str) else r.text("实际完成值")),
            "分值": item.weight, "自评得分": item.self_score, "核定得分": item.score,
            "差异": difference, "计分依据": item.basis.render(lang), REASON: r.text(REASON)}


def _value(number: Decimal | None, text: str) -> object:
    """A number as read (95 for 95%), else the clerk's text (always written as text)."""
    return number if number is not None else text


def _closing_rows(score: ProjectScore, grades: tuple[Grade, ...],
                  layout: ProjectLayout) -> list[Row]:
    weights = sum((r.weight for r in score.rows), Decimal(0))
    clerk = [r.self_score for r in score.rows if r.self_score is not None]
    rows_total = sum((r.score for r in score.rows), Decimal(0))
    exec_cell = _cell(EXECUTION_ROW, "核定得分")
    total = f"{exec_cell}+{_sum(layout, '核定得分')}" if score.rows else exec_cell
    if score.uncapped is not None:
        total = f"MIN({total},{format(score.total, 'f')})"
    total_cell = layout.cell(layout.total_row, "核定得分")
    return [
        {"一级指标": Styled("合计", BOLD), "分值": _styled_sum(layout, "分值", weights),
         "自评得分": _styled_sum(layout, "自评得分", sum(clerk, Decimal(0))),
         "核定得分": _styled_sum(layout, "核定得分", rows_total),
         "计分依据": "绩效指标各行之和"},
        {"一级指标": Styled("总分", BOLD), "分值": Styled(score.execution.weight + weights, BOLD),
         "自评得分": score.self_total,
         "核定得分": Styled(Formula(f"={total}", float(score.total)), BOLD),
         "计分依据": _total_basis(score)},
        {"一级指标": Styled("评价等级", BOLD), "自评得分": score.self_grade,
         "核定得分": Styled(Formula(grade_formula(grades, total_cell), score.grade),
                        {**BOLD, "align": "center"})},
    ]


def _sum(layout: ProjectLayout, header: str) -> str:
    return f"SUM({layout.span(header)})"


def _styled_sum(layout: ProjectLayout, header: str, value: Decimal) -> Styled:
    if not layout.rows:
        return Styled(float(value), BOLD)
    return Styled(Formula(f"={_sum(layout, header)}", float(value)), BOLD)


def _total_basis(score: ProjectScore) -> str:
    rows = sum((r.score for r in score.rows), Decimal(0))
    text = f"执行率得分 {score.execution.score:.2f} + 绩效指标 {rows:.2f}"
    if score.uncapped is not None:
        text += f" = {score.uncapped:.2f}，按执行率封顶为 {score.total:.2f}"
    return text


def _fit(ws: Worksheet, widths: Sequence[float], rows: Sequence[tuple[int, Row]]) -> None:
    """Row heights for the wrapped texts."""
    for number, values in rows:
        lines = max(lines_needed(display_text(values.get(c.header)), w) if c.wrap else 1
                    for c, w in zip(INDICATOR_COLUMNS, widths, strict=True))
        if lines > 1:
            ws.set_row(number, LINE_HEIGHT * lines)
