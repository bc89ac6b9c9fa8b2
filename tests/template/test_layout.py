"""Widths of texts on paper (`template.layout`): two units per wide or ambiguous character (CJK,
“×±…”), one otherwise; the fast paths (ASCII, cached short texts, per-character table) give what
the rule gives for every text."""

from __future__ import annotations

import math
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from selfeval_xlsx.template.layout import fit_width, lines_needed, text_width


def by_the_rule(text: str) -> int:
    return sum(2 if not ch.isascii() and unicodedata.east_asian_width(ch) in "WFA" else 1
               for ch in text)


def test_worked_widths() -> None:
    assert text_width("") == 0
    assert text_width("ab 1") == 4                      # ASCII: one each
    assert text_width("合计") == 4                       # W: two each
    assert text_width("９０２．２５万元") == 16          # F (full-width digits) and W
    assert text_width("×±…") == 6                       # A: drawn full width by Chinese fonts
    assert text_width("ñ") == 1                          # N (é would be A: 2)
    assert text_width("说明" * 40) == 160                # past the cached length


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_every_text_is_measured_by_the_rule(text: str) -> None:
    assert text_width(text) == by_the_rule(text)
    assert text_width(text) == by_the_rule(text)  # again: from the caches


def test_lines_and_widths_follow() -> None:
    assert lines_needed("合计" * 10, 11.5) == 4  # 40 units over 11.5 − 1.5 = 10 usable: 4 lines
    assert lines_needed("合计\nab", 11.5) == 2  # each line of the text at least one
    assert fit_width(["合计", "abc"], 6, 30) == 6   # widest 4 + 2 = 6
    assert fit_width(["说明" * 40], 6, 30) == 30    # 160 + 2, capped


def lines_by_the_rule(text: str, width: float) -> int:
    usable = max(width - 1.5, 1.0)
    return sum(max(1, math.ceil(by_the_rule(part) / usable)) for part in text.split("\n"))


def width_by_the_rule(texts: list[str], floor: float, cap: float) -> float:
    widest = max((by_the_rule(line) for t in texts for line in t.split("\n")), default=0)
    return max(floor, min(cap, widest + 2))


def test_short_texts_and_the_cap_are_not_measured_but_still_fit() -> None:
    assert lines_needed("合计", 5.5) == 1    # 4 units, 4 usable: one line, unmeasured
    assert lines_needed("合计合", 5.5) == 2  # 6 units over 4
    assert lines_needed("abcde", 5.5) == 2   # 10 ≥ 2 × 5 > 4: measured, 5 units over 4
    assert fit_width(["ab", "合计", "a"], 1, 30) == 6  # "a" is not measured: 2 × 1 ≤ 4
    assert fit_width(["说明" * 20, "说明" * 40], 6, 30) == 30  # capped after the first


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab合计×\n ", max_size=40), max_size=6),
       st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=60))
def test_lines_and_widths_are_what_the_rule_gives(texts: list[str], floor: int, cap: int) -> None:
    assert fit_width(texts, floor, cap) == width_by_the_rule(texts, floor, cap)
    for text in texts:
        assert lines_needed(text, cap / 2) == lines_by_the_rule(text, cap / 2)
