"""Excel's number formats and serial dates, as the reader needs them: the built-in formats by
id, whether a format shows a date or a time, and a serial number as a date, datetime or time.

These are the reader's own, so that checking and scoring do not import openpyxl (a good part of
a cold start); `tests/xlsx/test_number_formats.py` compares every one with openpyxl's over wide
ranges, so values read the same as when openpyxl did this.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

# The built-in number formats by numFmtId (ECMA-376 Part 1, 18.8.30 numFmt), copied as data from
# openpyxl 3.1.5 (`openpyxl.styles.numbers.BUILTIN_FORMATS`), including its text of id 44 (the
# standard's has ";" between the sections) so that the formats copied into the output workbook
# stay as they were. Ids 23-36 and 50-163 depend on the locale: see `EAST_ASIAN_FORMATS`.
BUILTIN_FORMATS: dict[int, str] = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)',
    6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)',
    8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "mm-dd-yy",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)",
    38: "#,##0_);[Red](#,##0)",
    39: "#,##0.00_);(#,##0.00)",
    40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
    48: "##0.0E+0",
    49: "@",
}

# The built-in formats Excel saves by id alone (no <numFmt> of their own) from a Chinese,
# Japanese or Korean locale: in every one of them ids 27-36 and 50-58 are dates or times, so a
# date typed in Chinese Excel as 2024年5月28日 is a date here too (openpyxl, which does not list
# them, reads it as the number 45440). The texts are zh-CN's (ECMA-376 Part 1, 18.8.30); they
# are also what the output workbook shows. The other ids the table leaves out (23-26, and 59-81:
# Thai numbers and dates) read as "General", as with openpyxl.
EAST_ASIAN_FORMATS: dict[int, str] = {
    27: 'yyyy"年"m"月"',
    28: 'm"月"d"日"',
    29: 'm"月"d"日"',
    30: "m-d-yy",
    31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"',
    33: 'h"时"mm"分"ss"秒"',
    34: '上午/下午h"时"mm"分"',
    35: '上午/下午h"时"mm"分"ss"秒"',
    36: 'yyyy"年"m"月"',
    50: 'yyyy"年"m"月"',
    51: 'm"月"d"日"',
    52: 'yyyy"年"m"月"',
    53: 'm"月"d"日"',
    54: 'm"月"d"日"',
    55: '上午/下午h"时"mm"分"',
    56: '上午/下午h"时"mm"分"ss"秒"',
    57: 'yyyy"年"m"月"',
    58: 'm"月"d"日"',
}


def builtin_format(number: int) -> str:
    """The format of a numFmtId that the styles do not define: built-in, East Asian or General."""
    return BUILTIN_FORMATS.get(number) or EAST_ASIAN_FORMATS.get(number, "General")


WINDOWS_EPOCH = dt.datetime(1899, 12, 30)  # serial 0 of the 1900 calendar (1 is 1900-01-01)
MAC_EPOCH = dt.datetime(1904, 1, 1)  # serial 0 of the 1904 calendar (workbookPr date1904)
SECONDS_PER_DAY = 86_400

# What does not decide whether a format is a date: quoted text ("年"), and any [...] section
# ([Red], [$-804], [DBNum1]) except elapsed time ([h], [hh], [m], [mm], [s], [ss]).
_IGNORED = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
# A date or time code, not escaped (\d) and not the width of a padding (_d).
_DATE_CODE = re.compile(r"(?<![_\\])[dmhysDMHYS]")


@lru_cache(maxsize=4096)  # a workbook has a few dozen formats; every number cell asks
def is_date_format(fmt: str) -> bool:
    """Whether numbers shown in `fmt` are dates or times: its first section (positive numbers)
    holds d, m, h, y or s outside quoted text and [...] sections, not escaped by \\ or _.
    `yyyy"年"m"月"d"日"`, `[$-804]yyyy年m月d日` and `[h]:mm` are dates; `0.00"%"`, `@`,
    `[Red]0.00` and `General` are not."""
    first = fmt.split(";")[0]
    return _DATE_CODE.search(_IGNORED.sub("", first)) is not None


def from_serial(serial: float, epoch: dt.datetime = WINDOWS_EPOCH) -> dt.datetime | dt.time:
    """An Excel serial as a datetime; a fraction of a day (0 <= serial < 1) as a time. The time
    is rounded to the millisecond. In the 1900 calendar Excel counts a 1900-02-29 that never
    was: serials 1..59 are shifted by a day so that 1 is 1900-01-01, and 60 reads as
    1900-02-28. OverflowError or ValueError for a serial that is no date (huge, NaN)."""
    day, fraction = divmod(serial, 1)
    time = dt.timedelta(milliseconds=round(fraction * SECONDS_PER_DAY * 1000))
    if 0 <= serial < 1 and time.days == 0:
        minutes, seconds = divmod(time.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return dt.time(hours, minutes, seconds, time.microseconds)
    if 0 < serial < 60 and epoch == WINDOWS_EPOCH:
        day += 1
    return epoch + dt.timedelta(days=day) + time
