"""The output workbook of `score` (`spec/outputs.md`): 汇总, 评分表, 校验结果, then the data copies.

Written with xlsxwriter; every formula carries its computed value, every text from the input is
written as text, and the same evaluation with the same `generated_at` gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.utility import xl_range_abs, xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from selfeval_xlsx import __version__
from selfeval_xlsx.atomic import atomic_output
from selfeval_xlsx.errors import OutputError
from selfeval_xlsx.evaluate import Evaluation, Result
from selfeval_xlsx.findings import Finding, Severity
from selfeval_xlsx.output_sheets import (
    AMOUNT,
    DATETIME,
    FINDINGS_TITLE,
    HEADER_ROW,
    PERCENT,
    TITLE_ROW,
    Column,
    Formula,
    Marks,
    Place,
    Row,
    Styled,
    fit_width,
    parse_cell,
    print_setup,
    title_rows,
    write_copy,
    write_findings_sheet,
    write_grid,
    write_table,
    write_value,
)
from selfeval_xlsx.reader import RawWorkbook
from selfeval_xlsx.scheme import Grade
from selfeval_xlsx.scores import RATIO_KEYS, RATIO_NAMES, GroupScore, IndicatorScore, Scoring
from selfeval_xlsx.template_spec import SCORE_SHEET, Sheet, Table
from selfeval_xlsx.template_writer import FONT, Formats
from selfeval_xlsx.text import Text

SUMMARY = "汇总"
FINDINGS = FINDINGS_TITLE
SUMMARY_TITLE = "部门整体支出绩效自评结果汇总"
SCORE_TITLE = "部门整体支出绩效自评指标评分表（核定）"
OUTPUT_SUFFIX = "_评分结果.xlsx"
TOTAL_LABEL = "合计"
GRADE_LABEL = "绩效等级"
BOLD = {"bold": True}
FAILED = {"bold": True, "font_color": "#C00000"}

SCORE_COLUMNS = (
    Column("指标编号", cap=10, floor=8), Column("一级指标", wrap=True, cap=14),
    Column("二级指标", wrap=True, cap=12), Column("三级指标", wrap=True, cap=18),
    Column("分值", AMOUNT, cap=8), Column("计分方式", cap=10), Column("自评得分", AMOUNT, cap=10),
    Column("核定得分", AMOUNT, cap=10), Column("差异", AMOUNT, cap=8),
    Column("计分依据", wrap=True, cap=36, floor=20), Column("扣分原因", wrap=True, cap=24, floor=16),
)
SCORE_HEADERS = tuple(c.header for c in SCORE_COLUMNS)
GROUP_COLUMNS = (Column("一级指标"), Column("分值", AMOUNT), Column("得分", AMOUNT),
                 Column("得分率", PERCENT))
RATIO_COLUMNS = (Column("关键指标"), Column("数值", PERCENT))
RATIO_LEFT = len(GROUP_COLUMNS) + 1  # one narrow spacer column between the two tables
SUMMARY_WIDTH = RATIO_LEFT + len(RATIO_COLUMNS)
CHART_ROWS = 14
ROW_PIXELS = 20
SIGNATURES = ("单位（盖章）", "单位负责人", "财务负责人", "填表人", "日期")


def default_output_path(input_path: Path) -> Path:
    """`<input stem>_评分结果.xlsx` beside the input."""
    return input_path.with_name(input_path.stem + OUTPUT_SUFFIX)


def refuse_input_as_output(input_path: Path, output: Path) -> None:
    """Raise OutputError when `output` is the input file itself."""
    if _same_file(input_path, output):
        raise OutputError(Text(
            f"输出文件“{output}”就是输入文件，工具不会覆盖输入文件；请用 -o 指定另一个输出文件。",
            f"The output '{output}' is the input file itself and the input is never "
            "overwritten; choose another output file with -o.",
        ))


def _same_file(first: Path, second: Path) -> bool:
    if first.resolve() == second.resolve():
        return True
    try:
        return first.exists() and second.exists() and os.path.samefile(first, second)
    except OSError:
        return False


def write_output(evaluation: Evaluation, path: Path, generated_at: dt.datetime,
                 lang: str = "zh") -> None:
    """Write the output workbook of a scored evaluation to `path` (atomically)."""
    refuse_input_as_output(evaluation.book.path, path)
    scoring = evaluation.result.scoring
    if scoring is None:
        raise ValueError("write_output needs a scored evaluation")
    with atomic_output(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), workbook_options())
        book.set_properties(_properties(evaluation.result, generated_at))
        _write_sheets(book, Formats(book), evaluation, scoring, generated_at, lang)
        try:
            book.close()
        except FileCreateError as exc:  # atomic_output reports an OSError as OutputError
            raise OSError(str(exc)) from exc


def workbook_options() -> dict[str, Any]:
    """New each time: xlsxwriter adds keys to the default format properties it is given."""
    return {"in_memory": True,  # fixed zip timestamps whatever the time zone
            "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
            "default_format_properties": {"font_name": FONT}}


def _properties(result: Result, generated_at: dt.datetime) -> dict[str, Any]:
    created = generated_at.astimezone(dt.UTC) if generated_at.tzinfo else generated_at
    return {"title": "部门整体支出绩效自评评分结果", "subject": result.unit or "",
            "author": f"selfeval {__version__}", "created": created,
            "comments": f"{Path(result.file).name} SHA-256 {result.sha256}"}


def _write_sheets(book: Workbook, formats: Formats, evaluation: Evaluation, scoring: Scoring,
                  generated_at: dt.datetime, lang: str) -> None:
    result, raw = evaluation.result, evaluation.raw
    layout = ScoreLayout(tuple(item.indicator.code for item in scoring.indicators))
    summary, scores, checks = (book.add_worksheet(n) for n in (SUMMARY, SCORE_SHEET, FINDINGS))
    copies = [s for s in evaluation.template.data_sheets if s.name in raw.sheet_map]
    marks = {name: Marks(lang) for name in (SCORE_SHEET, *(s.name for s in copies))}
    places = _place_findings(result.findings, layout, raw, marks)
    info = _info_line(result)
    write_summary(summary, book, formats, result, scoring, layout, generated_at)
    write_score_sheet(scores, formats, scoring, evaluation.scheme.grades, layout,
                      marks[SCORE_SHEET], info, lang)
    write_findings_sheet(checks, formats, result.findings, places, info, lang)
    for sheet in copies:
        write_copy(book.add_worksheet(sheet.name), formats, evaluation.book,
                   raw.sheet_map[sheet.name], sheet, marks[sheet.name], _header_row(sheet, raw))


def _info_line(result: Result) -> str:
    unit = result.unit or "—"
    year = result.year if result.year is not None else "—"
    return f"单位：{unit}　　评价年度：{year}　　评分方案：{result.scheme}"


def _header_row(sheet: Sheet, raw: RawWorkbook) -> int | None:
    """The header row to repeat on every printed page: that of a sheet's leading table."""
    first = sheet.blocks[0] if sheet.blocks else None
    if not isinstance(first, Table) or first.name not in raw.tables:
        return None
    return raw.tables[first.name].header_row - 1


# ---- where a finding is shown ----

def _place_findings(findings: list[Finding], layout: ScoreLayout, raw: RawWorkbook,
                    marks: dict[str, Marks]) -> list[Place | None]:
    """Each finding's output cell (None where it has none), marked on its sheet."""
    places = [_place(f, layout, raw, set(marks)) for f in findings]
    for finding, place in zip(findings, places, strict=True):
        if place is not None:
            marks[place.sheet].add(place, finding)
    return places


def _place(finding: Finding, layout: ScoreLayout, raw: RawWorkbook,
           shown: set[str]) -> Place | None:
    """The output cell of a finding: in a copied sheet, or the indicator's row of 评分表."""
    if finding.sheet == SCORE_SHEET:
        return _score_place(finding, layout, raw)
    position = parse_cell(finding.cell)
    if finding.sheet not in shown or position is None:
        return None
    return Place(finding.sheet, *position)


def _score_place(finding: Finding, layout: ScoreLayout, raw: RawWorkbook) -> Place | None:
    row = layout.row_of(finding.label)
    if row is None:
        return None
    return Place(SCORE_SHEET, row, layout.col(_input_score_header(finding.cell, raw)))


def _input_score_header(cell: str, raw: RawWorkbook) -> str:
    """The header of the input's 评分表 column holding `cell`, when the output has it too."""
    table = raw.tables.get(SCORE_SHEET)
    position = parse_cell(cell)
    if table is None or position is None:
        return SCORE_HEADERS[0]
    by_column = {col - 1: header for header, col in table.columns.items()}
    header = by_column.get(position[1], "")
    return header if header in SCORE_HEADERS else SCORE_HEADERS[0]


# ---- 评分表 ----

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
    return {"指标编号": Styled(TOTAL_LABEL, BOLD), "分值": _sum(layout, "分值", weights),
            "自评得分": _sum(layout, "自评得分", self_scores),
            "核定得分": _sum(layout, "核定得分", scoring.total)}


def _sum(layout: ScoreLayout, header: str, value: Decimal) -> Styled:
    if not layout.codes:
        return Styled(float(value), BOLD)
    return Styled(Formula(f"=SUM({layout.span(header)})", float(value)), BOLD)


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


# ---- 汇总 ----

def write_summary(ws: Worksheet, book: Workbook, formats: Formats, result: Result,
                  scoring: Scoring, layout: ScoreLayout, generated_at: dt.datetime) -> None:
    headline = _headline(result, scoring, layout)
    provenance = _provenance(result, generated_at)
    widths = _summary_widths([label for label, _ in headline + provenance], scoring)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    title_rows(ws, formats, SUMMARY_TITLE, "", SUMMARY_WIDTH)
    row = _info_block(ws, formats, TITLE_ROW + 2, headline)
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
