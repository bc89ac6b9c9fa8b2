"""How much room a text needs on a printed sheet: widths in column units, lines, row heights.

Shared by the template writer and the output workbooks, so that every wrapped text gets a row
height that fits it in Excel, WPS and LibreOffice (none of them re-fits a row on opening).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

LINE_HEIGHT = 16.0  # points per line of 11 pt 宋体 (CJK fallback fonts draw lines about 15.5 pt apart)


def text_width(text: str) -> int:
    """Width units a text needs: two per CJK character (and per ambiguous one, such as “×±…”,
    which Chinese fonts draw full width), one otherwise."""
    if text.isascii():
        return len(text)
    return _short_width(text) if len(text) <= 64 else _width(text)


@lru_cache(maxsize=8192)
def _short_width(text: str) -> int:
    """Short texts repeat across the rows of a table (names, grades, statuses): measured once."""
    return _width(text)


class _CharWidths(dict[str, int]):
    """The width of each character met so far (at most the characters of Unicode)."""

    def __missing__(self, ch: str) -> int:
        width = 1 if ch.isascii() or unicodedata.east_asian_width(ch) not in "WFA" else 2
        self[ch] = width
        return width


_CHAR_WIDTHS = _CharWidths()


def _width(text: str) -> int:
    return sum(map(_CHAR_WIDTHS.__getitem__, text))


def lines_needed(text: str, width: float) -> int:
    """Lines a text wraps to in a column `width` units wide (a little is lost to the padding)."""
    usable = max(width - 1.5, 1.0)
    if "\n" not in text:
        # a character is at most two units wide: a short text fits one line unmeasured
        return 1 if len(text) * 2 <= usable else max(1, math.ceil(text_width(text) / usable))
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in text.split("\n"))


def fit_width(texts: Sequence[str], floor: float, cap: float) -> float:
    """The widest line of `texts` plus padding, within floor and cap. A line is at least its
    length wide and at most twice it, so most lines need no measuring; past the cap none do."""
    widest = 0
    for text in texts:
        for line in text.split("\n") if "\n" in text else (text,):
            if len(line) * 2 > widest:
                widest = max(widest, text_width(line))
        if widest + 2 >= cap:
            break
    return max(floor, min(cap, widest + 2))
