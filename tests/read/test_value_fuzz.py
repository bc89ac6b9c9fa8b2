"""Any value in any cell gives a value or a V finding, never an exception (hypothesis), and a
number typed into a date cell reads as the date it spells."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfeval_xlsx.read import values
from selfeval_xlsx.read.values import Parsed, formula_operand, parse_date

V_RULES = {"V002", "V003", "V004", "V005", "V006", "V008"}
FORMATS = st.sampled_from(["General", "0.00", "0.00%", "yyyy-mm-dd", "#,##0.00", "@", ""])
NUMBER_TEXT = st.from_regex(r"\A[ +\-−]?[0-9０-９,，]{0,40}([.．][0-9]{0,30})?([eE][+-]?[0-9]{1,6})?"
                            r"(%|％|万元|元|人|名|分|年)?\Z", fullmatch=True)
DATE_TEXT = st.from_regex(r"\A[0-9]{1,6}[-/.年][0-9]{1,3}[-/.月][0-9]{1,3}日?\Z", fullmatch=True)
CELL_VALUES = st.one_of(
    st.none(), st.booleans(), st.text(max_size=60), NUMBER_TEXT, DATE_TEXT,
    st.integers(min_value=-(10 ** 40), max_value=10 ** 40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.datetimes(), st.dates(), st.times(), st.timedeltas(),
    st.sampled_from(["#DIV/0!", "#REF!", "#N/A", "—", "无", "/", "　", "1e999999999",
                     "9" * 5000, "20240528", "2024.5.28", "2024年5月28日", "-0", "√", "×"]),
)
PARSERS = [
    lambda raw, fmt: values.parse_amount(raw, fmt),
    lambda raw, fmt: values.parse_percent(raw, fmt),
    lambda raw, fmt: values.parse_count(raw),
    lambda raw, fmt: values.parse_score(raw),
    lambda raw, fmt: values.parse_year(raw),
    lambda raw, fmt: values.parse_date(raw),
    lambda raw, fmt: values.parse_text(raw),
    lambda raw, fmt: values.parse_choice(raw, values.YES_NO),
    lambda raw, fmt: values.parse_choice(raw, ("完成", "部分完成", "未完成")),
]


@pytest.mark.slow
@settings(max_examples=400, deadline=1000, suppress_health_check=[HealthCheck.too_slow])
@given(raw=CELL_VALUES, fmt=FORMATS, parser=st.sampled_from(PARSERS))
def test_every_value_gives_a_value_or_a_v_finding(raw: object, fmt: str, parser: object) -> None:
    parsed = parser(raw, fmt)  # type: ignore[operator]
    assert isinstance(parsed, Parsed)
    assert {issue.rule for issue in parsed.issues} <= V_RULES
    for issue in parsed.issues:
        assert issue.message.zh and issue.message.en
    if parsed.value is None:
        assert parsed.blank or parsed.issues
    else:
        assert isinstance(parsed.value, Decimal | int | str | dt.date)


@pytest.mark.slow
@settings(max_examples=300, deadline=1000)
@given(raw=CELL_VALUES, fmt=FORMATS)
def test_a_formula_operand_is_a_number_none_or_value_error(raw: object, fmt: str) -> None:
    try:
        number = formula_operand(raw, fmt)
    except ValueError:
        return
    assert number is None or (isinstance(number, Decimal) and number.is_finite())


@pytest.mark.parametrize(("raw", "expected"), [
    (20240528, dt.date(2024, 5, 28)),  # typed into a date cell: too large for a serial
    (20240528.0, dt.date(2024, 5, 28)),
    ("2024.5.28", dt.date(2024, 5, 28)),
    ("20240528", dt.date(2024, 5, 28)),  # as text, read as the number is (text numbers count)
    ("2024528", None),  # seven digits: no date form, V002
])
def test_a_number_typed_in_a_date_cell(raw: object, expected: dt.date | None) -> None:
    parsed = parse_date(raw)
    assert parsed.value == expected
    if expected is None:
        assert [i.rule for i in parsed.issues] == ["V002"]


@pytest.mark.parametrize(("raw", "rule"), [(20241332, "V005"), (45440.5, "V002"), (1e300, "V002"),
                                            (-5, "V002"), (2024.5, "V002")])
def test_numbers_that_are_not_dates_are_reported(raw: object, rule: str) -> None:
    assert [i.rule for i in parse_date(raw).issues] == [rule]
