"""A number no float holds (a writer's 400-digit integer, inf, nan) is shown and written as its
text: sizing a column or writing a cell never raises OverflowError."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

from selfeval_xlsx.output.sheets import display_text, finite_float, write_value
from selfeval_xlsx.output.workbook import workbook_options
from selfeval_xlsx.output.worksheet import OutputWorkbook
from selfeval_xlsx.template.writer import Formats

HUGE = 10**400 - 1  # 400 nines; float(HUGE) raises OverflowError


def test_finite_float() -> None:
    assert [finite_float(v) for v in (HUGE, -HUGE, float("inf"), float("nan"), Decimal("1E400"))] \
        == [None] * 5
    assert [finite_float(v) for v in (3, 2.5, Decimal("-0.125"))] == [3.0, 2.5, -0.125]


def test_a_huge_integer_is_shown_and_written_as_its_digits() -> None:
    assert display_text(HUGE) == "9" * 400
    assert display_text(1234.5) == "1,234.50"
    buffer = io.BytesIO()
    book = OutputWorkbook(buffer, workbook_options())
    ws = book.add_worksheet("表")
    write_value(ws, Formats(book), 0, 0, HUGE)
    book.close()
    with zipfile.ZipFile(buffer) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        strings = archive.read("xl/sharedStrings.xml").decode()
    assert 't="s"' in sheet and "9" * 400 in strings
