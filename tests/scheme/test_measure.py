"""Measures: the arithmetic a scheme writes over template fields, parsed once at load time."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from conftest import ROOT

from selfeval_xlsx.errors import SchemeError
from selfeval_xlsx.scheme.load import parse_scheme
from selfeval_xlsx.scheme.measure import (
    MeasureError,
    absolute,
    binary,
    field_ref,
    number,
    parse_expression,
    refs,
    total,
)


def test_precedence_and_grouping() -> None:
    tree = parse_expression("(年末在职行政人员 + 年末在职事业在编人员) / (行政编制数 + 事业编制数) * 100").node
    # * and / bind left to right, tighter than +: ((a + b) / (c + d)) * 100
    assert tree == binary("*", binary("/", binary("+", field_ref("年末在职行政人员"), field_ref("年末在职事业在编人员")),
                                      binary("+", field_ref("行政编制数"), field_ref("事业编制数"))),
                          number(Decimal(100)))


def test_chinese_operators_functions_and_names_as_clerks_write_them() -> None:
    # × ÷ − as operators; “三公” and "三公" are the same name; full-width （境） stays in the name
    a = parse_expression("abs(支出合计.调整后预算数 − 支出合计.年初预算数) ÷ 支出合计.年初预算数")
    assert a.node == binary("/", absolute(binary("-", field_ref("支出合计.调整后预算数"), field_ref("支出合计.年初预算数"))),
                            field_ref("支出合计.年初预算数"))
    b = parse_expression("(三公经费合计.实际支出数 - 上年“三公”经费决算数) / 上年\"三公\"经费决算数")
    assert refs(b.node) == ["三公经费合计.实际支出数", "上年三公经费决算数", "上年三公经费决算数"]
    assert parse_expression("因公出国（境）费.预算数 × 2").node == binary(
        "*", field_ref("因公出国(境)费.预算数"), number(Decimal(2)))
    assert parse_expression("sum(重点项目.预算数) / 项目支出.年初预算数").node == binary(
        "/", total("重点项目.预算数"), field_ref("项目支出.年初预算数"))
    assert parse_expression("-固定资产总额").node == binary("-", number(Decimal(0)), field_ref("固定资产总额"))


def test_nodes_of_different_kinds_differ() -> None:
    assert field_ref("重点项目.预算数") != total("重点项目.预算数")
    assert absolute(field_ref("固定资产总额")) != binary("-", field_ref("固定资产总额"), field_ref("固定资产总额"))


def test_a_rate_is_a_quotient_at_the_top() -> None:
    assert parse_expression("支出合计.决算数 / 支出合计.调整后预算数").is_rate
    assert not parse_expression("支出合计.决算数 / 支出合计.调整后预算数 * 100").is_rate
    assert not parse_expression("行政编制数 + 事业编制数").is_rate


@pytest.mark.parametrize(("text", "words"), [
    ("支出合计.决算 / 支出合计.调整后预算数", "是否应为“支出合计.决算数”"),
    ("预算执行情况说明 / 支出合计.决算数", "不是模板中的数值字段"),  # text, not a number
    ("支出合计.决算数 /", "公式不完整"),
    ("支出合计.决算数 / / 2", "位置不对"),
    ("(支出合计.决算数 / 2", "缺少“)”"),
    ("支出合计.决算数 2", "多余的“2”"),
    ("sum(支出合计.决算数)", "sum() 只能用于"),
    ("(" * 21 + "固定资产总额" + ")" * 21, "括号嵌套超过 20 层"),
    ("+".join(["行政编制数"] * 60), "公式过长"),
    ("nan", "不是模板中的数值字段"),
])
def test_bad_measures_say_what_is_wrong(text: str, words: str) -> None:
    with pytest.raises(MeasureError) as caught:
        parse_expression(text)
    assert words in caught.value.text.zh


VALUES = ('"x"', "true", '[1, "a"]', "{a = 1}", "-1", "nan", "[[1, 2], [3]]")


def test_any_value_at_any_key_is_a_scheme_error_or_a_scheme() -> None:
    """Each key of the shipped schemes (its first line in each file), given each odd value:
    a SchemeError line or a scheme, never another exception."""
    for name in ("default", "yueyang", "chongqing_2021"):
        _every_key_once(name)


def _every_key_once(name: str) -> None:
    text = (ROOT / "selfeval_xlsx" / "scheme" / "schemes" / f"{name}.toml").read_text(
        encoding="utf-8")
    lines = text.splitlines()
    seen: set[str] = set()
    keyed = []
    for i, line in enumerate(lines):
        key = line.split(" = ")[0]
        if re.match(r"^[a-z_0-9]+ = ", line) and key not in seen:
            seen.add(key)
            keyed.append(i)
    assert len(keyed) > 10
    for index in keyed:
        key = lines[index].split(" = ")[0]
        for value in VALUES:
            edited = [*lines[:index], f"{key} = {value}", *lines[index + 1:]]
            try:
                parse_scheme("\n".join(edited).encode(), "x.toml")
            except SchemeError as exc:
                assert "\n" not in exc.text.zh and "x.toml" in exc.text.zh
