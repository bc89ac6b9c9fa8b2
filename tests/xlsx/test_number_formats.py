"""The reader's own column letters, built-in number formats, date formats and serial dates
(`xlsx/cells.py`, `xlsx/number_formats.py`) read as openpyxl's did: each is compared with
openpyxl's function over wide ranges (openpyxl stays a dependency; only the score path avoids it),
and pinned on values worked out by hand from Excel's rules."""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.styles.numbers import BUILTIN_FORMATS as OPENPYXL_FORMATS
from openpyxl.styles.numbers import is_date_format as openpyxl_is_date_format
from openpyxl.utils.cell import get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from selfeval_xlsx.read.values import formula_operand
from selfeval_xlsx.xlsx.cells import COLUMNS, column_letter, column_number, coordinate
from selfeval_xlsx.xlsx.number_formats import (
    BUILTIN_FORMATS,
    EAST_ASIAN_FORMATS,
    MAC_EPOCH,
    WINDOWS_EPOCH,
    builtin_format,
    from_serial,
    is_date_format,
)
from selfeval_xlsx.xlsx.workbook import load

# --- column letters ---


@pytest.mark.parametrize(("col", "letters"), [
    (1, "A"), (26, "Z"), (27, "AA"), (52, "AZ"), (53, "BA"), (702, "ZZ"), (703, "AAA"),
    (16_384, "XFD"),  # Excel's last column: 24 * 26**2 + 6 * 26 + 4 = 16,384
    (18_278, "ZZZ"),  # 26 + 26**2 + 26**3 = 18,278
])
def test_column_letters_by_hand(col: int, letters: str) -> None:
    assert column_letter(col) == letters
    assert column_number(letters) == col


def test_every_column_letter_is_openpyxls() -> None:
    # every column openpyxl names, twice: the second call is served from the cache
    for _ in range(2):
        mismatched = [col for col in range(1, 18_279) if column_letter(col) != get_column_letter(col)]
        assert mismatched == []


@pytest.mark.parametrize("col", [0, -1, -26, 18_279, 10**9])
def test_columns_outside_three_letters_are_refused_as_by_openpyxl(col: int) -> None:
    with pytest.raises(ValueError):
        get_column_letter(col)
    with pytest.raises(ValueError):
        column_letter(col)


def test_columns_table_and_coordinates() -> None:
    assert len(COLUMNS) == 26 + 26 * 26  # A..Z, AA..ZZ
    assert all(column_number(letters) == col for letters, col in COLUMNS.items())
    assert coordinate(5, 2) == "B5"
    assert coordinate(1_048_576, 16_384) == "XFD1048576"


# --- built-in number formats ---


def test_builtin_formats_are_openpyxls_table() -> None:
    assert BUILTIN_FORMATS == OPENPYXL_FORMATS


def test_builtin_formats_of_ecma_376() -> None:
    # ECMA-376 Part 1, 18.8.30: 0 General, 9 0%, 14 the short date, 20 h:mm, 49 text
    assert (BUILTIN_FORMATS[0], BUILTIN_FORMATS[9], BUILTIN_FORMATS[14], BUILTIN_FORMATS[20],
            BUILTIN_FORMATS[49]) == ("General", "0%", "mm-dd-yy", "h:mm", "@")
    assert set(BUILTIN_FORMATS) == set(range(23)) | set(range(37, 50))  # 23-36 depend on locale


# --- date formats ---

DATE_FORMATS = [
    'yyyy"年"m"月"d"日"',  # WPS / Excel zh-CN long date: the quoted text is only text
    "[$-804]yyyy年m月d日",  # LibreOffice's zh-CN locale section, unquoted CJK text
    "[$-F800]dddd, mmmm dd, yyyy",  # Excel's system long date
    "[DBNum1][$-804]yyyy年m月d日",  # Chinese numerals
    "[h]:mm", "[hh]:mm:ss", "[mm]:ss", "[s]",  # elapsed time
    "yyyy-mm-dd", "yyyy/m/d h:mm", "mm-dd-yy", "h:mm AM/PM", "mm:ss", "mmss.0",
    "[Red]yyyy-mm-dd",  # a colour section before the date
    "YYYY-MM-DD",  # codes in upper case
    "yyyy-mm-dd;@",  # only the first section counts
]
NOT_DATE_FORMATS = [
    '0.00"%"',  # a quoted % sign
    "@", "General", "0", "0.00", "#,##0.00", "0%", "0.00E+00", "# ?/?",
    "[Red]0.00", "[Blue]#,##0;[Red]-#,##0",  # colour sections
    "[$-804]0.00", "[$¥-804]#,##0.00", '"¥"#,##0.00',  # currency and locale sections
    r"\d0.00", r"0.00\h",  # escaped codes are text
    "_d0.00",  # the width of a "d": padding
    '"yyyy年"0',  # a date code inside quotes
    "0.00;yyyy-mm-dd",  # a date in the second section only
    "",
]


@pytest.mark.parametrize("fmt", DATE_FORMATS)
def test_date_formats(fmt: str) -> None:
    assert is_date_format(fmt) is True
    assert openpyxl_is_date_format(fmt) is True


@pytest.mark.parametrize("fmt", NOT_DATE_FORMATS)
def test_formats_that_are_not_dates(fmt: str) -> None:
    assert is_date_format(fmt) is False
    assert openpyxl_is_date_format(fmt) is False


FORMAT_PIECES = st.sampled_from([
    "d", "m", "h", "y", "s", "D", "M", "Y", "H", "S", "dd", "mmm", "yyyy", "AM/PM", "0", "#",
    ".", ",", ";", ":", "-", "/", " ", "%", "E+", "@", "?", "*", "\\", "_", '"', "[", "]",
    "[h]", "[mm]", "[ss]", "[Red]", "[$-804]", "[$-F800]", "[DBNum1]", "[>100]", "年", "月", "日",
    '"年"', "General", "e", "b", "g", "\n",
])


@settings(max_examples=2000, deadline=None)
@given(st.lists(FORMAT_PIECES, max_size=14).map("".join))
def test_date_format_detection_is_openpyxls_on_format_like_text(fmt: str) -> None:
    assert is_date_format(fmt) is openpyxl_is_date_format(fmt)


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=40))
def test_date_format_detection_is_openpyxls_on_any_text(fmt: str) -> None:
    assert is_date_format(fmt) is openpyxl_is_date_format(fmt)


# --- serial dates ---


@pytest.mark.parametrize(("serial", "expected"), [
    (1, dt.datetime(1900, 1, 1)),  # serial 1 of the 1900 calendar
    (59, dt.datetime(1900, 2, 28)),
    (60, dt.datetime(1900, 2, 28)),  # Excel's 1900-02-29, which never was: read as the 28th
    (61, dt.datetime(1900, 3, 1)),  # from here on, days since 1899-12-30
    (45_440, dt.datetime(2024, 5, 28)),  # 1899-12-30 + 45,440 days (arithmetic below)
    (45_440.75, dt.datetime(2024, 5, 28, 18)),  # three quarters of a day: 18:00
    (-1, dt.datetime(1899, 12, 29)),  # before the epoch: no shift
    (0.5, dt.time(12)),  # a fraction of a day alone is a time
    (0, dt.time(0)),
    (1.5 / 86_400, dt.time(0, 0, 1, 500_000)),  # 1.5 s
    (0.4 / 86_400_000, dt.time(0)),  # 0.4 ms rounds to 0
    (0.6 / 86_400_000, dt.time(0, 0, 0, 1000)),  # 0.6 ms rounds to 1 ms
])
def test_serials_of_the_1900_calendar(serial: float, expected: object) -> None:
    assert from_serial(serial) == expected
    assert from_serial(serial, WINDOWS_EPOCH) == expected


def test_the_serial_of_a_date_is_its_days_since_1899_12_30() -> None:
    assert (dt.date(2024, 5, 28) - dt.date(1899, 12, 30)).days == 45_440


@pytest.mark.parametrize(("serial", "expected"), [
    (1, dt.datetime(1904, 1, 2)),  # the 1904 calendar counts from 1904-01-01, no leap bug
    (59, dt.datetime(1904, 2, 29)),  # 1904 is a leap year: 31 + 28 days after 1904-01-01
    (60, dt.datetime(1904, 3, 1)),
    (43_978, dt.datetime(2024, 5, 28)),  # 45,440 - 1,462: the calendars differ by 1,462 days
    (0.25, dt.time(6)),
])
def test_serials_of_the_1904_calendar(serial: float, expected: object) -> None:
    assert from_serial(serial, MAC_EPOCH) == expected


def test_epochs_are_openpyxls() -> None:
    assert (WINDOWS_EPOCH, MAC_EPOCH) == (CALENDAR_WINDOWS_1900, CALENDAR_MAC_1904)


def outcome(convert: Any, serial: float, epoch: dt.datetime) -> object:
    """The value, or the kind of exception (the reader keeps the number on OverflowError and
    ValueError)."""
    try:
        return convert(serial, epoch)
    except (OverflowError, ValueError, TypeError) as exc:
        return type(exc)


EPOCHS = st.sampled_from([WINDOWS_EPOCH, MAC_EPOCH])
SERIALS = st.one_of(
    st.integers(min_value=-800_000, max_value=3_000_000),  # years -290 .. 10113: past both ends
    st.floats(min_value=-1000, max_value=3_000_000, allow_nan=False),
    st.floats(min_value=-2, max_value=62),  # the 1900 leap bug and times of day
    st.floats(allow_nan=True, allow_infinity=True),  # NaN, infinities, 1e308
    st.integers(min_value=0, max_value=86_400_000).map(lambda ms: ms / 86_400_000),  # every ms
    st.integers(min_value=0, max_value=86_400_000).map(lambda ms: (ms + 0.5) / 86_400_000),
)


@settings(max_examples=3000, deadline=None)
@given(SERIALS, EPOCHS)
def test_serials_read_as_openpyxls(serial: float, epoch: dt.datetime) -> None:
    assert outcome(from_serial, serial, epoch) == outcome(from_excel, serial, epoch)


def test_serials_that_are_no_date_fail_as_the_reader_expects() -> None:
    assert outcome(from_serial, 20_240_528, WINDOWS_EPOCH) is OverflowError  # year ~57,000
    assert outcome(from_serial, math.nan, WINDOWS_EPOCH) is ValueError
    assert outcome(from_serial, math.inf, WINDOWS_EPOCH) is ValueError


# --- through the reader ---


@pytest.mark.parametrize(("calendar", "date1904"), [(CALENDAR_WINDOWS_1900, False),
                                                     (CALENDAR_MAC_1904, True)])
def test_dates_of_both_calendars_read_from_a_workbook(tmp_path: Path, calendar: dt.datetime,
                                                      date1904: bool) -> None:
    book = openpyxl.Workbook()
    book.epoch = calendar  # openpyxl writes the serials of this calendar
    sheet = book.active
    assert sheet is not None
    formats = ['yyyy"年"m"月"d"日"', "[$-804]yyyy年m月d日", "[h]:mm", '0.00"%"', "@"]
    values: list[object] = [dt.datetime(2024, 5, 28), dt.datetime(1900, 3, 1),
                            dt.time(6, 30), 12.5, 7]
    for row, (fmt, value) in enumerate(zip(formats, values, strict=True), start=1):
        sheet.cell(row, 1, value).number_format = fmt
    path = tmp_path / f"dates_{'1904' if date1904 else '1900'}.xlsx"
    book.save(path)
    cells = load(path, formula_operand).sheet(sheet.title).cells
    assert [cells[(row, 1)][:2] for row in range(1, 6)] == [
        (dt.datetime(2024, 5, 28), formats[0]), (dt.datetime(1900, 3, 1), formats[1]),
        (dt.time(6, 30), formats[2]), (12.5, formats[3]), (7, formats[4])]


# --- the East Asian built-in formats (saved by id alone from a Chinese Excel) ---

EAST_ASIAN_IDS = [*range(27, 37), *range(50, 59)]


def test_east_asian_ids_are_dates_and_times_other_locale_ids_are_general() -> None:
    assert sorted(EAST_ASIAN_FORMATS) == EAST_ASIAN_IDS
    assert all(is_date_format(builtin_format(number)) for number in EAST_ASIAN_IDS)
    assert (builtin_format(31), builtin_format(58)) == ('yyyy"年"m"月"d"日"', 'm"月"d"日"')
    assert [builtin_format(n) for n in (23, 26, 59, 81, 163)] == ["General"] * 5
    assert builtin_format(14) == BUILTIN_FORMATS[14]  # the ECMA table first


def _with_builtin_ids(path: Path, ids: list[int], defined: dict[int, str]) -> None:
    """Rewrite the styles so that the cell of row k uses numFmtId ids[k - 1] with no <numFmt>
    (as Excel saves a built-in format), except the ids in `defined`, given their own format."""
    with zipfile.ZipFile(path) as archive:
        items = [(info.filename, archive.read(info)) for info in archive.infolist()]
    styles = dict(items)["xl/styles.xml"].decode()
    by_marker = {int(m[2]): m[1] for m in re.finditer(
        r'<numFmt numFmtId="(\d+)" formatCode="&quot;id(\d+)&quot;0"/>', styles)}
    assert sorted(by_marker) == sorted(ids)
    for number, custom in by_marker.items():
        styles = styles.replace(f'numFmtId="{custom}"', f'numFmtId="{number}"')
    own = "".join(f'<numFmt numFmtId="{n}" formatCode="{fmt}"/>' for n, fmt in defined.items())
    styles = re.sub(r"<numFmts[^>]*>.*?</numFmts>", f'<numFmts count="{len(defined)}">{own}'
                    "</numFmts>", styles, flags=re.S)
    edited = [(name, styles.encode() if name == "xl/styles.xml" else data) for name, data in items]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in edited:
            archive.writestr(name, data)


def test_a_date_saved_with_an_east_asian_id_reads_as_a_date(tmp_path: Path) -> None:
    ids = [31, 57, 58, 32, 59, 14, 50]  # 59 is Thai "t0", not a date; 50 is redefined below
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row, number in enumerate(ids, start=1):
        value = 0.25 if number == 32 else 45440  # 45440 is 2024-05-28 (days since 1899-12-30)
        sheet.cell(row, 1, value).number_format = f'"id{number}"0'
    path = tmp_path / "east_asian_ids.xlsx"
    book.save(path)
    _with_builtin_ids(path, ids, defined={50: "0.00"})
    cells = load(path, formula_operand).sheet(sheet.title).cells
    may_28 = dt.datetime(2024, 5, 28)
    assert [cells[(row, 1)][:2] for row in range(1, len(ids) + 1)] == [
        (may_28, 'yyyy"年"m"月"d"日"'), (may_28, 'yyyy"年"m"月"'), (may_28, 'm"月"d"日"'),
        (dt.time(6, 0), 'h"时"mm"分"'), (45440, "General"), (may_28, "mm-dd-yy"),
        (45440, "0.00")]  # a format the styles define wins over the built-in one
