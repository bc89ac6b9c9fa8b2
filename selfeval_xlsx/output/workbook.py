"""The output workbook of `score` (`docs/json.md`, README): 汇总, 评分表, 校验结果, then the data copies.

Written with xlsxwriter; every formula carries its computed value, every text from the input is
written as text, and the same evaluation with the same `generated_at` gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

from xlsxwriter.workbook import Workbook

from selfeval_xlsx import __version__
from selfeval_xlsx.atomic import write_atomically
from selfeval_xlsx.errors import OutputError
from selfeval_xlsx.evaluate import Evaluation, Result
from selfeval_xlsx.findings import Finding
from selfeval_xlsx.output.copies import SparseWorksheet, write_copy
from selfeval_xlsx.output.score_sheet import SCORE_HEADERS, ScoreLayout, write_score_sheet
from selfeval_xlsx.output.sheets import (
    FINDINGS_TITLE,
    Marks,
    Place,
    parse_cell,
    write_findings_sheet,
)
from selfeval_xlsx.output.summary_sheet import SUMMARY, write_summary
from selfeval_xlsx.output.worksheet import OutputWorkbook
from selfeval_xlsx.read.locate import RawWorkbook
from selfeval_xlsx.scoring.results import Scoring
from selfeval_xlsx.template.spec import SCORE_SHEET, Sheet, Table
from selfeval_xlsx.template.writer import FONT, Formats
from selfeval_xlsx.text import Text
from selfeval_xlsx.xlsx.ownership import MARK_PROPERTY, OUTPUT_SUFFIX, Made

FINDINGS = FINDINGS_TITLE


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
    buffer = io.BytesIO()
    book = OutputWorkbook(buffer, workbook_options())
    book.set_properties(_properties(evaluation.result, generated_at))
    book.set_custom_property(MARK_PROPERTY, Made.RESULT.value)
    _write_sheets(book, Formats(book), evaluation, scoring, generated_at, lang)
    book.close()
    write_atomically(path, buffer.getvalue())


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
    write_summary(summary, book, formats, result, scoring, layout, generated_at, lang)
    write_score_sheet(scores, formats, scoring, evaluation.scheme.grades, layout,
                      marks[SCORE_SHEET], info, lang)
    write_findings_sheet(checks, formats, result.findings, places, info, lang)
    for sheet in copies:
        write_copy(book.add_worksheet(sheet.name, worksheet_class=SparseWorksheet), formats,
                   evaluation.book,
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
