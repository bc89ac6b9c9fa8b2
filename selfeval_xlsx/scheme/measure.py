"""Measures: the small arithmetic a scheme writes over template fields.

`支出合计.决算数 / 支出合计.调整后预算数`, `abs(支出合计.调整后预算数 - 支出合计.年初预算数) /
支出合计.年初预算数`, `sum(重点项目.预算数) / 项目支出.年初预算数`: names of `fields.FIELDS`,
numbers, `+ - * /` (also `×` `÷`), parentheses, `abs(...)` and `sum(表.列)`. Parsed once when the
scheme is loaded; `scoring/measures.py` evaluates the tree over a workbook's typed inputs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from selfeval_xlsx.scheme.fields import NUMERIC_FIELDS, SUMMABLE, normalise_name
from selfeval_xlsx.text import Text

OPERATORS = {"+": "+", "-": "-", "−": "-", "*": "*", "×": "*", "/": "/", "÷": "/", "(": "(",
             ")": ")"}
FUNCTIONS = ("abs", "sum")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
MAX_LENGTH = 300  # characters: a measure is a short formula (this bounds the tree's depth)
MAX_NESTING = 20  # parentheses within parentheses


@dataclass(frozen=True)
class Number:
    value: Decimal


@dataclass(frozen=True)
class Ref:
    name: str  # the catalogue's name (normalised key of `fields.FIELDS`)


@dataclass(frozen=True)
class Total:
    name: str  # `sum(表.列)`: the normalised key of `fields.SUMMABLE`


@dataclass(frozen=True)
class Abs:
    arg: Node


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node


Node = Number | Ref | Total | Abs | Binary


@dataclass(frozen=True)
class Measure:
    """A parsed measure: an expression over fields, or the name of a table (row-based rules)."""

    text: str  # as written in the scheme
    node: Node | None = None  # None for a table measure
    table: str = ""  # completion / mean_score / target rows: the table (or 表.列)

    @property
    def is_rate(self) -> bool:
        """A quotient (a rate, shown as a percentage); its limits are written in percent."""
        return isinstance(self.node, Binary) and self.node.op == "/"

    @property
    def canonical(self) -> str:
        return self.table or render(self.node)


class MeasureError(ValueError):
    def __init__(self, text: Text) -> None:
        super().__init__(text.zh)
        self.text = text


def render(node: Node | None) -> str:
    """One normal spelling of a tree, for comparing measures."""
    if isinstance(node, Number):
        return f"{node.value:f}"
    if isinstance(node, Ref):
        return node.name
    if isinstance(node, Total):
        return f"sum({node.name})"
    if isinstance(node, Abs):
        return f"abs({render(node.arg)})"
    if isinstance(node, Binary):
        return f"({render(node.left)}{node.op}{render(node.right)})"
    return ""


def refs(node: Node | None) -> list[str]:
    if isinstance(node, Ref):
        return [node.name]
    if isinstance(node, Abs):
        return refs(node.arg)
    if isinstance(node, Binary):
        return refs(node.left) + refs(node.right)
    return []


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
            node = Binary(op, node, self.term())
        return node

    def term(self) -> Node:
        node = self.factor()
        while self.peek() in ("*", "/"):
            op = self.take()
            node = Binary(op, node, self.factor())
        return node

    def factor(self) -> Node:
        token = self.take()
        if token == "-":
            return Binary("-", Number(Decimal(0)), self.factor())
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
            return Abs(self.nested())
        name = self.take()
        key = normalise_name(name)
        if key not in SUMMABLE:
            raise MeasureError(Text(
                f"sum() 只能用于：{'、'.join(SUMMABLE.values())}（写的是“{name}”）",
                f"sum() takes one of {', '.join(SUMMABLE.values())} (not '{name}')"))
        self.expect(")")
        return Total(key)


def _leaf(token: str) -> Node:
    if _NUMBER.fullmatch(token):
        return Number(Decimal(token))
    key = normalise_name(token)
    if key in NUMERIC_FIELDS:
        return Ref(key)
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
