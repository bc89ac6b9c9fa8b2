"""Where the time of a project workbook with ten projects goes, stage by stage (issue 15).

`project_stage_table(path, scratch)` runs `check` and `score` on the workbook in this process,
after a warm-up (a warm worker), ROUNDS times each, and gives each stage's least time over the
rounds (a pause of the machine in one round is not a stage's cost), with the pipeline's own
functions timed where they are called: the guard, the workbook parts and the sheets' XML,
locating and typing (填表说明 and every project sheet), the checks, the scoring, the rest of
the evaluation (result, ordering), then the output workbook in two parts:
the sheets as our code writes them, and xlsxwriter's assembly of the XML parts and the zip
(`Workbook.close`), which any output written with xlsxwriter pays. Floors beside the reading:
python-calamine reading every sheet, and the reader's parser calling empty callbacks for every
element of the worksheets (what any reader that types cells in Python pays before doing anything).
Floor beside the output: xlsxwriter alone writing the cells and merged ranges of the output we
wrote (read back with openpyxl), all in one format, and closing: through its public API, and
through our short path for text, number and blank cells (`OutputWorkbook`). No output of these
cells written with xlsxwriter costs less, whatever decides their values.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from stages import Clock, _beside, _line, timed_calls

ROUNDS = 10


def _places() -> list[tuple[Any, str, str]]:
    from selfeval_xlsx.evaluate import project as evaluate
    from selfeval_xlsx.output.worksheet import OutputWorkbook
    from selfeval_xlsx.read import project as read
    from selfeval_xlsx.xlsx import workbook
    from selfeval_xlsx.xlsx.package import Package

    return [(workbook, "read_workbook", "guard (and the file read once)"),
            (Package, "__init__", "read (workbook, styles, strings)"),
            (Package, "read", "read (sheet XML, every sheet)"),
            (read, "read_workbook", "locate (labels -> cells)"),
            (read, "type_inputs", "type (values by kind)"),
            (evaluate, "run_project_checks", "checks"),
            (evaluate, "score_project", "scoring"),
            (OutputWorkbook, "close", "xlsxwriter XML and zip (close)")]


def project_stage_table(path: Path, scratch: Path) -> list[str]:
    """The lines of the table: ms per workbook, each stage, floors beside the reading."""
    from selfeval_xlsx.api import check_file, score_file

    target = scratch / "projects_评分结果.xlsx"
    score_file(path, target, force=True)  # imports and caches: a warm worker
    checks = [_round(lambda: check_file(path), "check") for _ in range(ROUNDS)]
    scores = [_round(lambda: score_file(path, target, force=True), "score")
              for _ in range(ROUNDS)]
    return _lines(_best_of(checks), _best_of(scores), floors(path) | output_floors(target))


def _round(run: Callable[[], object], name: str) -> dict[str, float]:
    """One run, its stages timed (ms), the whole run under `name`."""
    clock = Clock()
    with timed_calls(clock, _places()):
        clock.timed(name, run)
    return clock.per_workbook(1)


def _best_of(rounds: list[dict[str, float]]) -> dict[str, float]:
    """Each stage's least time over the rounds (a pause of the machine or of the collector
    in one round is not the stage's cost), in the order the stages ran."""
    return {name: min(r[name] for r in rounds) for name in rounds[0]}


def _lines(check: dict[str, float], score: dict[str, float],
           floor: dict[str, float | None]) -> list[str]:
    """The evaluation's stages from the `check` runs; the output as `score` less `check`."""
    whole = check.pop("check")
    output, close = score["score"] - whole, score["xlsxwriter XML and zip (close)"]
    lines = [f"  {'stage':<38}{'ms':>8}   floor (ms) beside it"]
    for name, ms in check.items():
        beside = ""
        if name.startswith("read (sheet"):
            beside = (_beside(ms, "python-calamine, every sheet", floor["calamine"]) + "; "
                      + _beside(ms, "parser, empty callbacks", floor["callbacks"]))
        lines.append(_line(name, ms, beside))
    lines.append(_line("rest of the evaluation", whole - sum(check.values()),
                       "(填表说明 checks, result, ordering)"))
    lines.append(_line("check: the evaluation", whole, ""))
    lines.append(_line("output: our sheets and cells", output - close, ""))
    lines.append(_line("output: xlsxwriter XML and zip (close)", close,
                       "(xlsxwriter's own; any output written with it pays this)"))
    lines.append(_line("output: the whole", output,
                       f"xlsxwriter alone, the same {floor['cells']:.0f} cells and "
                       f"{floor['merges']:.0f} merges, one format: API {floor['api']:.2f}, "
                       f"our short path {floor['short']:.2f}"))
    lines.append(_line("score: evaluation and output", score["score"], ""))
    return lines


def output_floors(output: Path) -> dict[str, float | None]:
    """ms: xlsxwriter writing the cells (with a value or a style) and the merged ranges of the
    workbook `output`, all in one format, into memory as our outputs are, and closing; through
    its public API and through `OutputWorkbook`. Also the counts (cells, merges)."""
    import openpyxl
    import xlsxwriter

    from selfeval_xlsx.output.worksheet import OutputWorkbook

    book = openpyxl.load_workbook(output)
    sheets = [(sheet.title, [(cell.row - 1, cell.column - 1, cell.value)
                             for row in sheet.iter_rows() for cell in row
                             if cell.value is not None or cell.has_style],
               [str(merged) for merged in sheet.merged_cells.ranges])
              for sheet in book.worksheets]

    def replay(workbook_class: type) -> None:
        written = workbook_class(io.BytesIO(), {"in_memory": True})
        style = written.add_format({"border": 1, "text_wrap": True})
        for title, cells, merges in sheets:
            sheet = written.add_worksheet(title)
            for merged in merges:  # as ours: "" in the first cell, blanks in the others
                sheet.merge_range(merged, "", style)
            for row, col, value in cells:
                _write(sheet, row, col, value, style)
        written.close()

    return {"api": _least(lambda: replay(xlsxwriter.Workbook)),
            "short": _least(lambda: replay(OutputWorkbook)),
            "cells": sum(len(cells) for _, cells, _ in sheets),
            "merges": sum(len(merges) for *_, merges in sheets)}


def _write(sheet: Any, row: int, col: int, value: object, style: Any) -> None:
    """One cell as our outputs write it: text, a float, or a blank with its format."""
    if isinstance(value, str):
        sheet.write_string(row, col, value, style)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(row, col, float(value), style)
    else:
        sheet.write_blank(row, col, None, style)


def floors(path: Path) -> dict[str, float | None]:
    """ms: python-calamine reading every sheet (None when not installed); the reader's parser
    calling empty Python callbacks for every element of every worksheet."""
    found: dict[str, float | None] = {"callbacks": _least(lambda: _empty_callbacks(path))}
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        found["calamine"] = None
        return found

    def calamine() -> None:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()

    found["calamine"] = _least(calamine)
    return found


class _Empty:
    def start(self, tag: str, attrib: dict[str, str]) -> None: ...
    def end(self, tag: str) -> None: ...
    def data(self, text: str) -> None: ...
    def close(self) -> None: ...


def _empty_callbacks(path: Path) -> None:
    """The worksheets through the reader's own parser set-up (`xmlstream.parse_part`), to a
    target that does nothing: what the sheet XML stage costs before any of its work."""
    from selfeval_xlsx.xlsx.xmlstream import parse_part

    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                parse_part(archive, name, _Empty(), worksheet=True)


def _least(action: Callable[[], None], rounds: int = ROUNDS) -> float:
    """ms per call, the least of `rounds` after one warm-up (as the stages are taken)."""
    action()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times) * 1000
