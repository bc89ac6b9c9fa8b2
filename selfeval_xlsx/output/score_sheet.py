"""The 评分表 of the output workbook: every indicator's clerk and computed score, with the
basis of each, a 合计 row and the grade, totals as formulas carrying their values."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from xlsxwriter.utility import xl_range_abs, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from selfeval_xlsx.output.sheets import (
    AMOUNT,
    HEADER_ROW,
    Column,
    Formula,
    Marks,
    Row,
    Styled,
    print_setup,
    title_rows,
    write_table,
)
from selfeval_xlsx.scheme.model import Grade
from selfeval_xlsx.scoring.results import (
    IndicatorScore,
    Scoring,
)
from selfeval_xlsx.template.spec import SCORE_SHEET
from selfeval_xlsx.template.writer import Formats

SCORE_TITLE = "部门整体支出绩效自评指标评分表（核定）"
TOTAL_LABEL = "合计"
GRADE_LABEL = "绩效等级"
BOLD = {"bold": True}
SCORE_COLUMNS = (
    Column("指标编号", cap=10, floor=8), Column("一级指标", wrap=True, cap=14),
    Column("二级指标", wrap=True, cap=12), Column("三级指标", wrap=True, cap=18),
    Column("分值", AMOUNT, cap=8), Column("计分方式", cap=10), Column("自评得分", AMOUNT, cap=10),
    Column("核定得分", AMOUNT, cap=10), Column("差异", AMOUNT, cap=8),
    Column("计分依据", wrap=True, cap=36, floor=20), Column("扣分原因", wrap=True, cap=24, floor=16),
)
SCORE_HEADERS = tuple(c.header for c in SCORE_COLUMNS)


@dataclass(frozen=True)
class ScoreLayout:
    """Where 评分表 puts things: one row per indicator, then 合计 and 绩效等级."""

    codes: tuple[str, ...]

    @property
    def first(self) -> int:
        return HEADER_ROW + 1

    @property
    def total_row(self) -> int:
        return self.first + len(self.codes)

    @property
    def grade_row(self) -> int:
        return self.total_row + 1

    def row_of(self, label: str) -> int | None:
        if label == TOTAL_LABEL:
            return self.total_row
        return self.first + self.codes.index(label) if label in self.codes else None

    @staticmethod
    def col(header: str) -> int:
        return SCORE_HEADERS.index(header)

    def cell(self, row: int, header: str, external: bool = False) -> str:
        if external:
            return f"'{SCORE_SHEET}'!{xl_rowcol_to_cell(row, self.col(header), True, True)}"
        return str(xl_rowcol_to_cell(row, self.col(header)))

    def span(self, header: str, external: bool = False) -> str:
        col = self.col(header)
        cells = xl_range_abs(self.first, col, self.total_row - 1, col)
        return f"'{SCORE_SHEET}'!{cells}" if external else str(cells).replace("$", "")


def write_score_sheet(ws: Worksheet, formats: Formats, scoring: Scoring,
                      grades: tuple[Grade, ...], layout: ScoreLayout, marks: Marks, info: str,
                      lang: str) -> None:
    title_rows(ws, formats, SCORE_TITLE, info, len(SCORE_COLUMNS))
    rows = [*(_indicator_row(item, row, layout, lang)
              for row, item in enumerate(scoring.indicators, start=layout.first)),
            _total_row(scoring, layout), _grade_row(scoring, grades, layout)]
    write_table(ws, formats, SCORE_COLUMNS, rows, marks)
    print_setup(ws, landscape=True)


def _indicator_row(item: IndicatorScore, row: int, layout: ScoreLayout, lang: str) -> Row:
    indicator = item.indicator
    difference = None
    if item.self_score is not None:
        text = f"={layout.cell(row, '核定得分')}-{layout.cell(row, '自评得分')}"
        difference = Formula(text, float(item.score - item.self_score))
    return {"指标编号": indicator.code, "一级指标": indicator.level1, "二级指标": indicator.level2,
            "三级指标": indicator.level3, "分值": indicator.weight, "计分方式": indicator.method,
            "自评得分": item.self_score, "核定得分": item.score, "差异": difference,
            "计分依据": item.basis.render(lang), "扣分原因": item.reason}


def _total_row(scoring: Scoring, layout: ScoreLayout) -> Row:
    weights = sum((i.indicator.weight for i in scoring.indicators), Decimal(0))
    self_scores = sum((i.self_score for i in scoring.indicators if i.self_score is not None),
                      Decimal(0))
    cap = scoring.total if scoring.uncapped is not None else None
    return {"指标编号": Styled(TOTAL_LABEL, BOLD), "分值": _sum(layout, "分值", weights),
            "自评得分": _sum(layout, "自评得分", self_scores),
            "核定得分": _sum(layout, "核定得分", scoring.total, cap)}


def _sum(layout: ScoreLayout, header: str, value: Decimal, cap: Decimal | None = None) -> Styled:
    """The column's SUM; with `cap` (R004), the smaller of the sum and the cap."""
    if not layout.codes:
        return Styled(float(value), BOLD)
    total = f"SUM({layout.span(header)})"
    if cap is not None:
        total = f"MIN({total},{format(cap, 'f')})"
    return Styled(Formula(f"={total}", float(value)), BOLD)


def _grade_row(scoring: Scoring, grades: tuple[Grade, ...], layout: ScoreLayout) -> Row:
    total = layout.cell(layout.total_row, "核定得分")
    formula = Formula(grade_formula(grades, total), scoring.grade)
    return {"指标编号": Styled(GRADE_LABEL, BOLD),
            "核定得分": Styled(formula, {**BOLD, "align": "center"})}


def grade_formula(grades: tuple[Grade, ...], total: str) -> str:
    """Nested IFs over the rounded total, best grade first, as `Scheme.grade_for` decides."""
    *bands, lowest = sorted(grades, key=lambda g: g.min, reverse=True)
    expression = _quoted(lowest.name)
    for grade in reversed(bands):
        expression = (f"IF(ROUND({total},2)>={format(grade.min, 'f')},"
                      f"{_quoted(grade.name)},{expression})")
    return "=" + expression


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'
