"""The data copies' worksheet writes the same XML as xlsxwriter's own, visiting only its cells:
a cell far down and right costs one cell, not the grid up to it."""

from __future__ import annotations

import datetime
import io
import random
import time
import zipfile

import pytest
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from selfeval_xlsx.output.copies import SparseWorksheet


def written(worksheet_class: type, fill: object) -> dict[str, bytes]:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"created": datetime.datetime(2024, 1, 1)})  # not the clock's second
    fill(book, book.add_worksheet("表", worksheet_class=worksheet_class))  # type: ignore[operator]
    book.close()
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def random_sheet(seed: int) -> object:
    def fill(book: object, ws: Worksheet) -> None:
        chooser = random.Random(seed)
        bold = book.add_format({"bold": True})  # type: ignore[attr-defined]
        for _ in range(chooser.randrange(1, 200)):
            row, col = chooser.randrange(0, 300), chooser.randrange(0, 40)
            kind = chooser.randrange(4)
            if kind == 0:
                ws.write_string(row, col, f"文字{row}", bold)
            elif kind == 1:
                ws.write_number(row, col, chooser.random())
            elif kind == 2:
                ws.write_comment(row, col, "批注")
            else:
                ws.write_blank(row, col, None, bold)
        for _ in range(chooser.randrange(0, 20)):
            ws.set_row(chooser.randrange(0, 320), chooser.choice([15, 30, 45]))
        ws.merge_range(400, 1, 401, 3, "合并", bold)
    return fill


@pytest.mark.parametrize("seed", range(12))
def test_the_same_xml_as_xlsxwriter(seed: int) -> None:
    assert written(SparseWorksheet, random_sheet(seed)) == written(Worksheet, random_sheet(seed))


def test_one_far_cell_costs_one_cell() -> None:
    def fill(book: object, ws: Worksheet) -> None:
        for row in range(2000):
            ws.write_number(row, 0, row)
        ws.write_string(1_048_575, 16_383, "末格")

    started = time.monotonic()
    members = written(SparseWorksheet, fill)
    assert time.monotonic() - started < 5  # xlsxwriter's own: 2,000 x 16,384 column visits
    assert b'r="XFD1048576"' in members["xl/worksheets/sheet1.xml"]
