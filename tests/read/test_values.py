"""Tests for selfeval_xlsx.read.values: every accepted and rejected form of workbook.md."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfeval_xlsx.findings import shown
from selfeval_xlsx.read.values import (
    Parsed,
    format_money,
    is_blank,
    money,
    normalise_label,
    normalise_text,
    parse_amount,
    parse_choice,
    parse_count,
    parse_date,
    parse_percent,
    parse_score,
    parse_text,
    parse_year,
)
from selfeval_xlsx.template.spec import Kind

D = Decimal
STATUS = ("完成", "部分完成", "未完成")


def _yes_no(raw: object) -> Parsed:
    return parse_choice(raw, ("是", "否"))


def _status(raw: object) -> Parsed:
    return parse_choice(raw, STATUS)


PARSERS: list[Callable[[object], Parsed]] = [
    parse_amount,
    lambda raw: parse_amount(raw, "0.00%"),
    parse_count,
    parse_percent,
    lambda raw: parse_percent(raw, "0.00%"),
    parse_score,
    parse_year,
    parse_date,
    _yes_no,
    _status,
    parse_text,
]

BLANKS = [None, "", "   ", "\u3000", "\t\n", "—", "——", "-", "--", "–", "/", "无", " 无 "]
BLANKS += ["－", "／"]
EXCEL_ERRORS = ["#DIV/0!", "#REF!", "#VALUE!", "#N/A", "#NAME?", "#NUM!", "#NULL!", " #REF! "]


def _rules(parsed: Parsed) -> list[str]:
    return [issue.rule for issue in parsed.issues]


def _ok(parsed: Parsed, value: object) -> None:
    assert parsed == Parsed(value, False), parsed
    assert type(parsed.value) is type(value)


def _rejected(parsed: Parsed, rule: str, actual: str) -> None:
    assert parsed.value is None and not parsed.blank
    assert _rules(parsed) == [rule]
    issue = parsed.issues[0]
    assert issue.actual == actual
    assert issue.expected
    assert actual in issue.message.zh and actual in issue.message.en
    assert "：" in issue.message.zh and issue.message.zh.endswith("。")


# --- blanks, Excel errors, booleans: the same for every parser -------------------------------


@pytest.mark.parametrize("raw", BLANKS)
@pytest.mark.parametrize("parser", PARSERS)
def test_blank_is_blank_for_every_parser(parser: Callable[[object], Parsed], raw: object) -> None:
    assert is_blank(raw)
    assert parser(raw) == Parsed(None, True)


@pytest.mark.parametrize("raw", [0, 0.0, "0", "a", "无效", "-1", "/2", "——x", False])
def test_not_blank(raw: object) -> None:
    assert not is_blank(raw)


@pytest.mark.parametrize("raw", EXCEL_ERRORS)
@pytest.mark.parametrize("parser", PARSERS)
def test_excel_error_is_v002_naming_it(parser: Callable[[object], Parsed], raw: str) -> None:
    parsed = parser(raw)
    _rejected(parsed, "V002", raw.strip())
    assert f"Excel 错误值 {raw.strip()}" in parsed.issues[0].message.zh


def test_bool_in_choice_lists_the_words() -> None:
    issue = _status(True).issues[0]
    assert (issue.rule, issue.actual) == ("V002", "TRUE")
    assert shown(issue.expected) == "完成 / 部分完成 / 未完成"
    assert "请从 完成 / 部分完成 / 未完成 中选择填写" in issue.message.zh


@pytest.mark.parametrize("raw", [True, False])
@pytest.mark.parametrize("parser", PARSERS)
def test_bool_is_v002(parser: Callable[[object], Parsed], raw: bool) -> None:
    assert _rules(parser(raw)) == ["V002"]
    assert parser(raw).value is None


@pytest.mark.parametrize(
    "raw", [float("nan"), float("inf"), float("-inf"), D("NaN"), D("sNaN"), D("-Inf")]
)
@pytest.mark.parametrize("parser", PARSERS)
def test_non_finite_is_v002(parser: Callable[[object], Parsed], raw: object) -> None:
    assert _rules(parser(raw)) == ["V002"]


@pytest.mark.parametrize(
    "raw", [10**5000, -(10**40), D("1E+999999"), 1e300, "9" * 5000], ids=lambda raw: "large"
)
@pytest.mark.parametrize("parser", PARSERS[:7])
def test_absurdly_large_numbers_are_v002(parser: Callable[[object], Parsed], raw: object) -> None:
    assert _rules(parser(raw)) == ["V002"]


# --- amounts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (12, D("12")),
        (0, D("0")),
        (12.5, D("12.5")),
        (453.93999999999994, D("453.94")),
        (0.1 + 0.2, D("0.3")),
        (D("88.10"), D("88.10")),
        ("123.45", D("123.45")),
        ("１２３．４５", D("123.45")),
        ("1，234.56", D("1234.56")),
        ("1,234.56", D("1234.56")),
        ("1,234,567", D("1234567")),
        ("  77.5  ", D("77.5")),
        ("902.25万元", D("902.25")),
        ("902.25 万元", D("902.25")),
        ("９０２．２５　万元", D("902.25")),
        ("+5", D("5")),
        (".5", D("0.5")),
    ],
)
def test_amount_accepted(raw: object, value: Decimal) -> None:
    _ok(parse_amount(raw), value)


def test_amount_percent_format_is_not_special() -> None:
    _ok(parse_amount(0.5, "0.00%"), D("0.5"))


@pytest.mark.parametrize(
    ("raw", "actual"),
    [
        ("abc", "abc"),
        ("¥12", "¥12"),
        ("￥12", "￥12"),
        ("12万", "12万"),
        ("1,23", "1,23"),
        ("12,5", "12,5"),
        ("1.2.3", "1.2.3"),
        ("1e3", "1e3"),
        ("12元万", "12元万"),
        ("约100", "约100"),
        ("(12.00)", "(12.00)"),
        (time(8, 30), "08:30:00"),
        (date(2024, 5, 1), "2024-05-01"),
    ],
)
def test_amount_unreadable(raw: object, actual: str) -> None:
    parsed = parse_amount(raw)
    _rejected(parsed, "V002", actual)
    assert shown(parsed.issues[0].expected) == "金额（万元，最多两位小数）"


@pytest.mark.parametrize(
    ("raw", "converted"), [("12元", "0.0012"), ("12 元", "0.0012"), ("30,000元", "3")]
)
def test_amount_in_yuan_is_v008(raw: str, converted: str) -> None:
    parsed = parse_amount(raw)
    _rejected(parsed, "V008", raw)
    assert "万元" in parsed.issues[0].message.zh
    assert f"如 {converted}）" in parsed.issues[0].message.zh


@pytest.mark.parametrize(
    ("raw", "value"), [(-5, D("-5")), ("-12.30", D("-12.30")), ("－3", D("-3"))]
)
def test_amount_negative_is_v003_with_value(raw: object, value: Decimal) -> None:
    parsed = parse_amount(raw)
    assert parsed.value == value and _rules(parsed) == ["V003"]


@pytest.mark.parametrize(
    ("raw", "value"),
    [("12.345", D("12.345")), (12.345, D("12.345")), (1 / 3, D(repr(1 / 3))),
     ("0.001", D("0.001"))],
)
def test_amount_more_than_two_decimals_is_v006_unrounded(raw: object, value: Decimal) -> None:
    parsed = parse_amount(raw)
    assert parsed.value == value and _rules(parsed) == ["V006"]


def test_amount_trailing_zeros_are_not_extra_decimals() -> None:
    _ok(parse_amount("12.500"), D("12.500"))


def test_amount_negative_and_too_precise_gives_both() -> None:
    assert _rules(parse_amount("-1.234")) == ["V003", "V006"]


# --- counts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [(11, 11), (11.0, 11), ("11", 11), ("１１", 11), ("11人", 11), ("11名", 11), ("11 人", 11),
     ("1,200", 1200), (0, 0), (D("7"), 7)],
)
def test_count_accepted(raw: object, value: int) -> None:
    _ok(parse_count(raw), value)


@pytest.mark.parametrize(
    ("raw", "actual"),
    [(2.5, "2.5"), ("2.5", "2.5"), ("abc", "abc"), ("11个", "11个"), ("十一", "十一"),
     ("人", "人"), (date(2024, 1, 1), "2024-01-01")],
)
def test_count_unreadable(raw: object, actual: str) -> None:
    parsed = parse_count(raw)
    _rejected(parsed, "V002", actual)
    assert shown(parsed.issues[0].expected) == "整数（人数）"


@pytest.mark.parametrize(("raw", "value"), [(-3, -3), ("-3人", -3), (-3.0, -3)])
def test_count_negative_is_v003_with_value(raw: object, value: int) -> None:
    parsed = parse_count(raw)
    assert parsed.value == value and _rules(parsed) == ["V003"]


# --- percentages -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "number_format", "value"),
    [
        (50.31, "", D("50.31")),
        (50, "General", D("50")),
        (0.5031, "0.00%", D("50.31")),
        (0.5031, "0%", D("50.31")),
        (1, "0.00%", D("100")),
        (0.1 + 0.2, "0.00%", D("30")),
        ("50.31", "", D("50.31")),
        ("50.31%", "", D("50.31")),
        ("50.31%", "0.00%", D("50.31")),
        ("５０．３１％", "", D("50.31")),
        (" 50.31 % ", "", D("50.31")),
        ("0.5031", "", D("0.5031")),
    ],
)
def test_percent_accepted(raw: object, number_format: str, value: Decimal) -> None:
    parsed = parse_percent(raw, number_format)
    assert parsed == Parsed(value, False)
    assert parsed.value == value


def test_percent_from_fraction_is_tidy() -> None:
    assert str(parse_percent(0.5031, "0.00%").value) == "50.31"


@pytest.mark.parametrize("raw", ["abc", "五十", "50.31%%", "%", "50..1"])
def test_percent_unreadable(raw: str) -> None:
    _rejected(parse_percent(raw), "V002", raw)
    assert shown(parse_percent(raw).issues[0].expected) == "百分数"


# --- scores ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [(4, D("4")), (4.5, D("4.5")), ("4", D("4")), ("4分", D("4")), ("4.5 分", D("4.5")),
     ("８５", D("85")), (0, D("0"))],
)
def test_score_accepted(raw: object, value: Decimal) -> None:
    assert parse_score(raw) == Parsed(value, False)


@pytest.mark.parametrize(("raw", "actual"), [("满分", "满分"), ("4分分", "4分分")])
def test_score_unreadable(raw: object, actual: str) -> None:
    _rejected(parse_score(raw), "V002", actual)


@pytest.mark.parametrize(("raw", "value"), [("-1", Decimal(-1)), (-2.0, Decimal(-2))])
def test_a_negative_score_is_read_for_its_range_check(raw: object, value: Decimal) -> None:
    """checks.md: a 自评得分 outside [0, 分值] is P001 (a project score outside 0–100 is V002),
    so the parser reads the number and leaves the range to the check that knows it."""
    assert parse_score(raw) == Parsed(value, False)


# --- years -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [(2023, 2023), (2023.0, 2023), ("2023", 2023), ("2023年", 2023), ("２０２３年", 2023),
     (2000, 2000), (2100, 2100)],
)
def test_year_accepted(raw: object, value: int) -> None:
    _ok(parse_year(raw), value)


@pytest.mark.parametrize(
    ("raw", "actual"),
    [(1999, "1999"), (2101, "2101"), (2023.5, "2023.5"), ("23年", "23年"), ("二〇二三", "二〇二三"),
     ("2023年度", "2023年度"), (datetime(2023, 1, 1), "2023-01-01")],
)
def test_year_unreadable(raw: object, actual: str) -> None:
    parsed = parse_year(raw)
    _rejected(parsed, "V002", actual)
    assert shown(parsed.issues[0].expected) == "2000–2100 的年份"


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (datetime(2024, 5, 28, 14, 30), date(2024, 5, 28)),
        (date(2024, 5, 28), date(2024, 5, 28)),
        ("2024年5月28日", date(2024, 5, 28)),
        ("2024年05月28日", date(2024, 5, 28)),
        ("2024-05-28", date(2024, 5, 28)),
        ("2024/5/28", date(2024, 5, 28)),
        ("2024.5.28", date(2024, 5, 28)),
        ("  2024-05-28 ", date(2024, 5, 28)),
        ("２０２４－０５－２８", date(2024, 5, 28)),
        ("２０２４年５月２８日", date(2024, 5, 28)),
        ("1899-12-31", date(1899, 12, 31)),
        ("2024-02-29", date(2024, 2, 29)),
        ("20240528", date(2024, 5, 28)),  # as the number 20240528 is read
        ("２０２４０５２８", date(2024, 5, 28)),
        ("2024-05-28 00:00:00", date(2024, 5, 28)),  # a date cell exported as text
        ("2024-05-28T08:30", date(2024, 5, 28)),
        ("2024/5/1 10:00", date(2024, 5, 1)),  # the time is apart: not May 11 (5-1 + 10:00)
        ("2024年5月28日 8:30:15", date(2024, 5, 28)),
    ],
)
def test_date_accepted(raw: object, value: date) -> None:
    _ok(parse_date(raw), value)


@pytest.mark.parametrize(
    "raw", ["2024-02-30", "2023-02-29", "2024-13-01", "2024年4月31日", "2024/0/10", "20241328"]
)
def test_date_impossible_is_v005(raw: str) -> None:
    _rejected(parse_date(raw), "V005", raw)


@pytest.mark.parametrize(
    ("raw", "actual"),
    [("abc", "abc"), (45000, "45000"), (45000.5, "45000.5"), ("2024-05/28", "2024-05/28"),
     ("24-5-28", "24-5-28"), ("2024年5月", "2024年5月"), ("2024052", "2024052"),
     ("12345678", "12345678"), ("2024-05-28 24:00", "2024-05-28 24:00"),
     ("2024-05-2808:30", "2024-05-2808:30"), (time(8, 0), "08:00:00")],
)
def test_date_unreadable(raw: object, actual: str) -> None:
    parsed = parse_date(raw)
    _rejected(parsed, "V002", actual)
    assert shown(parsed.issues[0].expected) == "日期（如 2024-05-28）"


# --- choices ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [("是", "是"), ("否", "否"), (" 是 ", "是"), ("Y", "是"), ("y", "是"), ("YES", "是"),
     ("yes", "是"), ("Ｙ", "是"), ("√", "是"), ("✓", "是"), ("✔", "是"), ("N", "否"),
     ("n", "否"), ("NO", "否"), ("no", "否"), ("×", "否"), ("✗", "否"),
     ("✘", "否"), ("X", "否"), ("x", "否")],
)
def test_yes_no_accepted(raw: str, value: str) -> None:
    _ok(_yes_no(raw), value)


@pytest.mark.parametrize(
    ("raw", "value"), [("完成", "完成"), ("部分 完成", "部分完成"), ("未完成\u3000", "未完成")]
)
def test_status_accepted(raw: str, value: str) -> None:
    _ok(_status(raw), value)


@pytest.mark.parametrize(
    ("raw", "actual"), [("可能", "可能"), ("Y", "Y"), ("√", "√"), (1, "1")]
)
def test_status_not_allowed_is_v004_listing_words(raw: object, actual: str) -> None:
    parsed = _status(raw)
    _rejected(parsed, "V004", actual)
    assert shown(parsed.issues[0].expected) == "完成 / 部分完成 / 未完成"
    assert "只能填写：完成 / 部分完成 / 未完成" in parsed.issues[0].message.zh


@pytest.mark.parametrize("raw", ["对", "OK", "是的", "1"])
def test_yes_no_not_allowed(raw: str) -> None:
    _rejected(_yes_no(raw), "V004", raw)


# --- text and labels -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [("  说明， 文字 ", "说明， 文字"), (12, "12"), (12.0, "12"), (12.5, "12.5"),
     (D("3.10"), "3.10"), (date(2024, 5, 28), "2024-05-28"), (datetime(2024, 5, 28), "2024-05-28"),
     ("=A1", "=A1"), ("0", "0")],
)
def test_text_accepted(raw: object, value: str) -> None:
    _ok(parse_text(raw), value)


def test_normalise_text() -> None:
    assert normalise_text("  １２３．４５　") == "123.45"


# What a paste from a web page or chat leaves: zero-width space (U+200B), non-joiner / joiner
# (U+200C, U+200D), word joiner (U+2060), and the byte order mark (U+FEFF). Invisible on screen,
# so the value is the one the clerk sees.
INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")


@pytest.mark.parametrize("mark", INVISIBLE)
def test_invisible_characters_are_not_part_of_a_value(mark: str) -> None:
    _ok(parse_amount(f"812.03{mark}"), D("812.03"))
    _ok(parse_count(f"{mark}11"), 11)
    _ok(parse_percent(f"50{mark}.31%"), D("50.31"))
    _ok(parse_choice(f"是{mark}", ("是", "否")), "是")
    assert normalise_label(f"支出{mark}合计") == "支出合计"
    assert normalise_text(f"{mark} 45 ") == "45"
    assert is_blank(mark) and is_blank(f" {mark} ")


@pytest.mark.parametrize(
    ("raw", "label"),
    [(None, ""), (" 单位 名称 ", "单位名称"), ("单位名称：", "单位名称"), ("单位名称:", "单位名称"),
     ("其中：工资福利支出", "工资福利支出"), ("其中:工资福利支出", "工资福利支出"),
     ("“三公”经费合计", "三公经费合计"), ('"三公"经费合计', "三公经费合计"),
     ("‘三公’经费合计", "三公经费合计"), ("'三公'经费合计", "三公经费合计"),
     ("年初预算占比（%）", "年初预算占比(%)"), ("因公出国\u3000（境）费", "因公出国(境)费"),
     (1, "1")],
)
def test_normalise_label(raw: object, label: str) -> None:
    assert normalise_label(raw) == label
    assert normalise_label(raw) == label  # again: a text's label comes from the cache


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
def test_zero_width_characters_leave_no_trace_in_a_label(invisible: str) -> None:
    # zero-width space, non-joiner, joiner, word joiner, BOM: text pasted from a web page or a
    # chat carries them and Excel shows nothing, so a label with them must still match
    assert normalise_label(f"{invisible}项目{invisible}名称{invisible}") == "项目名称"
    long_text = "说明" * 40  # longer than SHORT_LABEL: the uncached path removes them too
    assert normalise_label(long_text[:30] + invisible + long_text[30:]) == long_text


def test_only_short_texts_are_kept_in_the_label_cache() -> None:
    from selfeval_xlsx.read.values import SHORT_LABEL, _text_label

    before = _text_label.cache_info().currsize
    long_text = "说明" * SHORT_LABEL  # a long cell text: a batch worker must not keep thousands
    assert normalise_label(f" {long_text}： ") == long_text
    assert _text_label.cache_info().currsize == before
    fresh = f"“三公”经费合计{id(long_text)}"  # a label no other test has asked for
    assert normalise_label(fresh) == fresh.replace("“", "").replace("”", "")
    assert _text_label.cache_info().currsize == before + 1


@given(st.text(alphabet=" \u3000\t其中:：“”'\"ＡＢ１２（）%单位", max_size=12))
def test_a_text_label_is_the_label_of_its_stripped_text(text: str) -> None:
    by_hand = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text.strip()))
    by_hand = re.sub("[\"'“”‘’]", "", by_hand).removeprefix("其中:").rstrip(":")
    assert normalise_label(text) == by_hand


# --- money -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rounded"),
    [(D("2.675"), D("2.68")), (D("0.005"), D("0.01")), (D("-2.675"), D("-2.68")),
     (D("1.004"), D("1.00")), (D("12"), D("12.00"))],
)
def test_money(value: Decimal, rounded: Decimal) -> None:
    assert money(value) == rounded
    assert str(money(value)) == str(rounded)


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (D("1234.5"), "1234.50"), (D("0"), "0.00"), (D("-0.001"), "0.00"),
     (D("2.675"), "2.68"), (D("1E+3"), "1000.00"), (D("-12.345"), "-12.35")],
)
def test_format_money(value: Decimal | None, text: str) -> None:
    assert format_money(value) == text


# --- properties ------------------------------------------------------------------------------

RAW = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(), st.decimals(),
    st.dates(), st.datetimes(), st.times(),
    st.sampled_from(BLANKS + EXCEL_ERRORS),
    st.sampled_from(["12元", "1,234.5万元", "2024年2月30日", "50%", "11人", "Y"]),
)


@given(RAW)
def test_parsers_never_raise(raw: object) -> None:
    for parser in PARSERS:
        parsed = parser(raw)
        assert isinstance(parsed, Parsed)
        assert not (parsed.blank and parsed.issues)
    assert isinstance(normalise_label(raw), str)


AMOUNTS = st.decimals(min_value=D("-1e12"), max_value=D("1e12"), places=2, allow_nan=False)
FULL_WIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")


@given(AMOUNTS, st.sampled_from(["{:,f}", "{:f}", "{:f}万元", "{:,f} 万元", "full", "full万元"]))
def test_amount_text_forms_round_trip(value: Decimal, form: str) -> None:
    if form.startswith("full"):
        text = f"{value:,f}".translate(FULL_WIDTH) + form.removeprefix("full")
    else:
        text = form.format(value)
    parsed = parse_amount(text)
    assert parsed.value == value
    assert _rules(parsed) == (["V003"] if value < 0 else [])


@given(st.decimals(min_value=-10**9, max_value=10**9, allow_nan=False, places=3))
def test_money_rounds_half_up(value: Decimal) -> None:
    rounded = money(value)
    assert abs(rounded - value) <= D("0.005")
    if abs(value * 1000) % 10 == 5:
        assert abs(rounded) > abs(value)
    assert format_money(value) == f"{rounded:f}" or rounded == 0


@pytest.mark.parametrize("kind", list(Kind), ids=lambda k: k.name)
def test_an_empty_cell_is_blank_for_every_kind_without_an_issue(kind: Kind) -> None:
    """What the typing's shortcut for empty cells (`read.inputs._typed`) stands on."""
    from selfeval_xlsx.read.inputs import _parser

    for choices, number_format in (((), ""), (("是", "否"), "0.00%")):
        parsed = _parser(kind, choices)(None, number_format)
        assert (parsed.value, parsed.blank, parsed.issues) == (None, True, ())
