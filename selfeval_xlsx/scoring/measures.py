"""A scheme's measures evaluated over one workbook's typed inputs.

Field names resolve through the scheme's catalogue (`scheme/fields.py`) to a table cell or a
form field. An empty 调整后预算数 counts as the row's 年初预算数 (`Context.budget`); an empty or
unreadable value leaves the measure undefined, and its names are reported as missing. A
quotient keeps its two parts, so that a rule can decide what a zero denominator means.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from selfeval_xlsx.checks.context import Context
from selfeval_xlsx.scheme.fields import BUDGET, FIELDS, SUMMABLE, FieldRef
from selfeval_xlsx.scheme.measure import Measure, Node
from selfeval_xlsx.template.spec import ADJUSTED, INITIAL

ZERO = Decimal(0)


class Measured(NamedTuple):
    value: Decimal | None  # None: undefined (a missing input, or a quotient over 0)
    numerator: Decimal | None = None  # a quotient's parts (a rate)
    denominator: Decimal | None = None
    missing: tuple[str, ...] = ()  # the names of inputs without a usable value

    @property
    def over_zero(self) -> bool:
        """A quotient whose parts are known and whose denominator is 0."""
        return self.numerator is not None and self.denominator == 0


def evaluate(ctx: Context, measure: Measure) -> Measured:
    node = measure.node
    if node is None:
        return Measured(None)
    missing: list[str] = []
    if node.kind == "/":
        top, bottom = _value(ctx, node.args[0], missing), _value(ctx, node.args[1], missing)
        value = top / bottom if top is not None and bottom else None
        return Measured(value, top, bottom, tuple(dict.fromkeys(missing)))
    return Measured(_value(ctx, node, missing), missing=tuple(dict.fromkeys(missing)))


def field_value(ctx: Context, ref: FieldRef) -> Decimal | None:
    """One field's value: a valid number, else None."""
    if ref.table == BUDGET:
        return ctx.readable_budget(ref.row, ref.column)
    entry = ctx.inputs.table(ref.table).entry(ref.row, ref.column) if ref.table else ctx.field(
        ref.sheet, ref.row)
    return entry.decimal() if entry.valid else None


def field_entry_cell(ctx: Context, ref: FieldRef) -> str:
    entry = ctx.inputs.table(ref.table).entry(ref.row, ref.column) if ref.table else ctx.field(
        ref.sheet, ref.row)
    return entry.coordinate


def _value(ctx: Context, node: Node, missing: list[str]) -> Decimal | None:
    if node.kind == "number":
        return node.value if isinstance(node.value, Decimal) else None
    if node.kind == "field":
        ref = FIELDS[str(node.value)]
        value = field_value(ctx, ref)
        if value is None:
            missing.extend(_missing_names(ctx, ref))
        return value
    if node.kind == "sum":
        return _total(ctx, SUMMABLE[str(node.value)])
    values = [_value(ctx, arg, missing) for arg in node.args]
    if any(v is None for v in values):
        return None
    return _apply(node.kind, [v for v in values if v is not None])


def _missing_names(ctx: Context, ref: FieldRef) -> list[str]:
    """What a message names for a field without a value: an empty 调整后预算数 counts as the
    row's 年初预算数, so when that is what is missing both are named."""
    if ref.table == BUDGET and ref.column == ADJUSTED and ctx.inputs.table(BUDGET).entry(
            ref.row, ADJUSTED).blank:
        return [ref.display, f"{ref.row}{INITIAL}"]
    return [ref.display]


def _apply(kind: str, values: list[Decimal]) -> Decimal | None:
    if kind == "abs":
        return abs(values[0])
    left, right = values
    if kind == "+":
        return left + right
    if kind == "-":
        return left - right
    if kind == "*":
        return left * right
    return left / right if right else None


def _total(ctx: Context, name: str) -> Decimal:
    """`sum(表.列)`: the valid numbers of a free-row table's column, added up."""
    table, column = name.split(".", 1)
    values = (r.get(column) for r in ctx.inputs.table(table).rows)
    return sum((v for e in values if e.valid and (v := e.decimal()) is not None), ZERO)


def ref_of(node: Node | None) -> FieldRef | None:
    """The field a node names, when it is a single field."""
    return FIELDS[str(node.value)] if node is not None and node.kind == "field" else None
