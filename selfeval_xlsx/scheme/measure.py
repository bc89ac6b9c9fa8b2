"""Measures: the small arithmetic a scheme writes over template fields.

`支出合计.决算数 / 支出合计.调整后预算数`, `abs(支出合计.调整后预算数 - 支出合计.年初预算数) /
支出合计.年初预算数`, `sum(重点项目.预算数) / 项目支出.年初预算数`: names of `fields.FIELDS`,
numbers, `+ - * /` (also `×` `÷`), parentheses, `abs(...)` and `sum(表.列)`. Parsed once when the
scheme is loaded; `scoring/measures.py` evaluates the tree over a workbook's typed inputs.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

from selfeval_xlsx.scheme.fields import NUMERIC_FIELDS, SUMMABLE, normalise_name
from selfeval_xlsx.text import Text

OPERATORS = {"+": "+", "-": "-", "−": "-", "*": "*", "×": "*", "/": "/", "÷": "/", "(": "(",
             ")": ")"}
FUNCTIONS = ("abs", "sum")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
MAX_LENGTH = 300  # characters: a measure is a short formula (this bounds the tree's depth)
MAX_NESTING = 20  # parentheses within parentheses


class Node(NamedTuple):
    """One node of a measure's tree: `kind` is "number" (`value` a Decimal), "field" (`value` the
    normalised name of a `fields.FIELDS` entry), "sum" (`value` the 表.列 of `fields.SUMMABLE`),
    "abs" (one argument) or an operator + - * / (two arguments: left, right)."""

    kind: str
    value: Decimal | str | None = None
    args: tuple[Node, ...] = ()


def number(value: Decimal) -> Node:
    return Node("number", value)


def field_ref(name: str) -> Node:
    return Node("field", name)


def total(name: str) -> Node:
    return Node("sum", name)


def absolute(arg: Node) -> Node:
    return Node("abs", args=(arg,))


def binary(op: str, left: Node, right: Node) -> Node:
    return Node(op, args=(left, right))


class Measure(NamedTuple):
    """A parsed measure: an expression over fields, or the name of a table (row-based rules)."""

    text: str  # as written in the scheme
    node: Node | None = None  # None for a table measure
    table: str = ""  # completion / mean_score / target rows: the table

    @property
    def is_rate(self) -> bool:
        """A quotient (a rate, shown as a percentage); its limits are written in percent."""
        return self.node is not None and self.node.kind == "/"

    @property
    def canonical(self) -> str:
        return self.table or render(self.node)

    def part(self, side: int) -> Node | None:
        """A quotient's numerator (0) or denominator (1)."""
        return self.node.args[side] if self.is_rate and self.node is not None else None


class MeasureError(ValueError):
    def __init__(self, text: Text) -> None:
        super().__init__(text.zh)
        self.text = text


def render(node: Node | None) -> str:
    """One normal spelling of a tree, for comparing measures."""
    if node is None:
        return ""
    if node.kind == "number":
        return f"{node.value:f}"
    if node.kind == "field":
        return str(node.value)
    if node.kind == "sum":
        return f"sum({node.value})"
    if node.kind == "abs":
        return f"abs({render(node.args[0])})"
    return f"({render(node.args[0])}{node.kind}{render(node.args[1])})"


def refs(node: Node | None) -> list[str]:
    """The fields a tree reads (normalised names), in order."""
    if node is None:
        return []
    if node.kind == "field":
        return [str(node.value)]
    return [name for arg in node.args for name in refs(arg)]


def parse_expression(text: str) -> Measure:
    """Parse `text`; MeasureError names what is wrong (an unknown field, a stray operator)."""
    if len(text) > MAX_LENGTH:
        raise MeasureError(Text(f"公式过长（{len(text)} 个字符，最多 {MAX_LENGTH} 个）",
                                f"the expression is too long ({len(text)} characters, at most "
                                f"{MAX_LENGTH})"))
    parser = _Parser(_tokens(text))
    node = parser.expression()
    if parser.peek() is not None:
        raise MeasureError(Text(f"多余的“{parser.peek()}”", f"unexpected '{parser.peek()}'"))
    return Measure(text, node)


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    name = ""
    for ch in text:
        if ch in OPERATORS or ch.isspace():
            if name:
                tokens.append(name)
                name = ""
            if not ch.isspace():
                tokens.append(OPERATORS[ch])
        else:
            name += ch
    return [*tokens, name] if name else tokens


class _Parser:
    """expression := term (+|- term)*; term := factor (*|/ factor)*;
    factor := number | name | -factor | (expression) | abs(expression) | sum(表.列)."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.at = 0
        self.depth = 0

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise MeasureError(Text("公式不完整", "the expression is incomplete"))
        self.at += 1
        return token

    def expect(self, token: str) -> None:
        if self.peek() is None or self.take() != token:
            raise MeasureError(Text(f"缺少“{token}”", f"'{token}' is missing"))

    def expression(self) -> Node:
        node = self.term()
        while self.peek() in ("+", "-"):
            op = self.take()
            node = binary(op, node, self.term())
        return node

    def term(self) -> Node:
        node = self.factor()
        while self.peek() in ("*", "/"):
            op = self.take()
            node = binary(op, node, self.factor())
        return node

    def factor(self) -> Node:
        token = self.take()
        if token == "-":
            return binary("-", number(Decimal(0)), self.factor())
        if token == "(":
            return self.nested()
        if token in FUNCTIONS and self.peek() == "(":
            return self.call(token)
        if token in OPERATORS.values():
            raise MeasureError(Text(f"“{token}”的位置不对", f"'{token}' is misplaced"))
        return _leaf(token)

    def nested(self) -> Node:
        """(expression): one level deeper."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise MeasureError(Text(f"括号嵌套超过 {MAX_NESTING} 层", f"more than {MAX_NESTING} "
                                    "nested parentheses"))
        node = self.expression()
        self.expect(")")
        self.depth -= 1
        return node

    def call(self, function: str) -> Node:
        self.expect("(")
        if function == "abs":
            return absolute(self.nested())
        name = self.take()
        key = normalise_name(name)
        if key not in SUMMABLE:
            raise MeasureError(Text(
                f"sum() 只能用于：{'、'.join(SUMMABLE.values())}（写的是“{name}”）",
                f"sum() takes one of {', '.join(SUMMABLE.values())} (not '{name}')"))
        self.expect(")")
        return total(key)


def _leaf(token: str) -> Node:
    if _NUMBER.fullmatch(token):
        return number(Decimal(token))
    key = normalise_name(token)
    if key in NUMERIC_FIELDS:
        return field_ref(key)
    return _unknown(token)


def _unknown(token: str) -> Node:
    import difflib  # only for a message

    names = [f.name for f in NUMERIC_FIELDS.values()]
    close = difflib.get_close_matches(token, names, n=1, cutoff=0.6)
    hint_zh = f"，是否应为“{close[0]}”" if close else ""
    hint_en = f"; did you mean '{close[0]}'" if close else ""
    raise MeasureError(Text(
        f"“{token}”不是模板中的数值字段{hint_zh}（表格单元格写作“行.列”，如 支出合计.决算数；"
        "表单字段写标签，如 固定资产总额；全部字段见 docs/schemes.md）",
        f"'{token}' is not a numeric field of the template{hint_en} (table cells are "
        "'row.column', e.g. 支出合计.决算数; form fields are their label; see docs/schemes.md)"))
