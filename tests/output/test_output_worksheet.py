"""The output worksheet's short path for text, number and blank cells writes what xlsxwriter's
own worksheet writes, byte for byte, and answers each call as xlsxwriter does."""

from __future__ import annotations

import datetime
import inspect
import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st
from xlsxwriter.worksheet import Worksheet

from selfeval_xlsx.output.worksheet import DYNAMIC_FUNCTIONS, OutputWorkbook, OutputWorksheet

Operation = tuple[Any, ...]
FORMATS = (None, "bold", "amount", "wrap")
# Row spans change at 16; 1,048,576 and 16,384 are one past Excel's grid. (A cell far inside the
# grid would make xlsxwriter's own worksheet visit every row up to it: see test_sparse_worksheet.)
EDGE_ROWS = (0, 1, 2, 15, 16, 17, 1_048_576, -1)
EDGE_COLS = (0, 1, 25, 26, 16_384, -1)


def written(book_class: type, operations: list[Operation],
            options: dict[str, Any] | None = None) -> tuple[list[object], dict[str, bytes]]:
    """What each operation returned, and every member of the workbook they made."""
    buffer = io.BytesIO()
    book = book_class(buffer, {"in_memory": True, **(options or {})})
    book.set_properties({"created": datetime.datetime(2024, 1, 1)})  # not the clock's second
    formats = {None: None, "bold": book.add_format({"bold": True}),
               "amount": book.add_format({"num_format": "#,##0.00"}),
               "wrap": book.add_format({"text_wrap": True, "border": 1})}
    ws = book.add_worksheet("表")
    answers = [_apply(ws, formats, operation) for operation in operations]
    book.close()
    with zipfile.ZipFile(buffer) as archive:
        return answers, {name: archive.read(name) for name in archive.namelist()}


def _apply(ws: Any, formats: dict[str | None, Any], operation: Operation) -> object:
    name, *args = operation
    if name == "row_format":
        return ws.set_row(args[0], None, formats[args[1]])
    if name == "column_format":
        return ws.set_column(args[0], args[0], 12, formats[args[1]])
    *values, fmt = args
    if name == "write_keyword":  # the format given by name, not by position
        return ws.write_string(*values, cell_format=formats[fmt])
    method: Callable[..., object] = getattr(ws, name)
    return method(*values, formats[fmt]) if fmt is not None else method(*values)


rows = st.one_of(st.integers(0, 8), st.sampled_from(EDGE_ROWS))  # narrow: cells meet row formats
cols = st.one_of(st.integers(0, 5), st.sampled_from(EDGE_COLS))
fmts = st.sampled_from(FORMATS)
texts = st.one_of(st.text(max_size=8), st.sampled_from(["", " 前后空格 ", "=SUM(A1)", "<&\">", "a\nb"]))
numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**6, 10**6),
                    st.sampled_from([0.1, 1e16, 123456789.125, -0.0, 5e-324]))
operations = st.lists(st.one_of(
    st.tuples(st.just("write_string"), rows, cols, texts, fmts),
    st.tuples(st.just("write_keyword"), rows, cols, texts, fmts),
    st.tuples(st.just("write_number"), rows, cols, numbers, fmts),
    st.tuples(st.just("write_blank"), rows, cols, st.none(), fmts),
    st.tuples(st.just("write_boolean"), rows, cols, st.booleans(), fmts),
    st.tuples(st.just("write_formula"), rows, cols,
              st.sampled_from(["=1+1", "=SUM(A1:A2)", "=FILTER(A1:A2,B1:B2)", "=_xlfn.X(1)"]), fmts),
    st.tuples(st.just("write_datetime"), rows, cols, st.just(datetime.datetime(2024, 5, 28)), fmts),
    st.tuples(st.just("write"), rows, cols, st.one_of(texts, numbers), fmts),
    st.tuples(st.just("row_format"), st.integers(0, 8), fmts),
    st.tuples(st.just("column_format"), st.integers(0, 5), fmts),
), max_size=40)


@settings(max_examples=150, deadline=None)
@given(operations)
def test_the_same_answers_and_bytes_as_xlsxwriter(ops: list[Operation]) -> None:
    options = {"nan_inf_to_errors": True}
    assert written(OutputWorkbook, ops, options) == written(xlsxwriter.Workbook, ops, options)


def test_a_not_finite_number_is_refused_as_xlsxwriter_refuses_it() -> None:
    for number in (float("nan"), float("inf")):
        for book_class in (OutputWorkbook, xlsxwriter.Workbook):
            try:
                written(book_class, [("write_number", 0, 0, number, None)])
            except TypeError as error:
                assert "NAN/INF" in str(error)
            else:
                raise AssertionError(f"{book_class.__name__} wrote {number}")


def test_text_past_excel_limit_is_cut_as_xlsxwriter_cuts_it() -> None:
    # UTF-16 units: 32,768; 32,768 (an emoji is two); 16,386; 32,766
    long_texts = ["字" * 32_768, "😀" * 16_384, "a" * 16_384 + "😀", "😀" * 16_383]
    ops: list[Operation] = [("write_string", row, 0, text, None)
                            for row, text in enumerate(long_texts)]
    answers, members = written(OutputWorkbook, ops)
    assert (answers, members) == written(xlsxwriter.Workbook, ops)
    assert answers == [-2, -2, 0, 0]  # over Excel's 32,767 units: cut, and -2


def test_a1_references_and_cells_outside_the_sheet_answer_as_xlsxwriter() -> None:
    ops: list[Operation] = [("write_string", "B3", "甲", None), ("write_number", "C4", 1.5, "bold"),
                            ("write_blank", "D5", None, "wrap"),
                            ("write_string", 1_048_576, 0, "外", None),
                            ("write_number", 0, 16_384, 2.0, None),
                            ("write_blank", -1, 0, None, "bold"), ("write_blank", 3, 3, None, None)]
    answers, members = written(OutputWorkbook, ops)
    assert (answers, members) == written(xlsxwriter.Workbook, ops)
    assert answers == [0, 0, 0, -1, -1, -1, 0]


def test_a_cell_without_a_format_takes_its_row_s_then_its_column_s() -> None:
    ops: list[Operation] = [("row_format", 1, "bold"), ("column_format", 2, "amount"),
                            ("write_string", 1, 2, "行", None), ("write_number", 3, 2, 4.0, None),
                            ("write_string", 3, 3, "无", None), ("write_number", 1, 4, 1.0, "wrap")]
    answers, members = written(OutputWorkbook, ops)
    assert (answers, members) == written(xlsxwriter.Workbook, ops)
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    cells = {c.split('"')[1]: c for c in sheet.split("<c ")[1:]}
    styles = {ref: ('s="' in cell) for ref, cell in cells.items()}
    assert styles == {"C2": True, "E2": True, "C4": True, "D4": False}


def test_the_dynamic_functions_are_those_xlsxwriter_rewrites() -> None:
    source = inspect.getsource(Worksheet._prepare_formula)
    always = source[:source.index("if not self.use_future_functions")]
    patterns = re.findall(r're\.sub\(r"(.*?)", ', always)
    names = [p.removeprefix("\\b").removeprefix("\\S").removesuffix("\\(") for p in patterns]
    assert names == list(DYNAMIC_FUNCTIONS)
    # `_prepare_formula` looks for "NAME(" anywhere: only right while every name is capitals
    assert all(name.isascii() and name.isalpha() and name.isupper() for name in names)


formulas = st.one_of(
    st.sampled_from(["=SUM(A1:A3)", "=ROUND(MIN(C3,1)*20,2)", "{=SUM(A1:A2*B1:B2)}", "=_xlfn.STDEV.S(A1)",
                     "=FILTER(A1:A5,B1:B5)", "=XSINGLE(A1)", "=ASINGLE(A1)", "= SINGLE(A1)",
                     "='SORT(表'!A1", "=MAP(", "=SORTBY(A1:A2,B1:B2)", "=CONCAT(A1,B1)", "=", ""]),
    st.text(alphabet="=(){}_.ABCDEFGHILMNOPRSTUXY1:! '", max_size=24))


@settings(max_examples=300, deadline=None)
@given(formulas, st.booleans(), st.booleans())
def test_formulas_are_prepared_as_xlsxwriter_prepares_them(formula: str, future: bool,
                                                           expand: bool) -> None:
    ours = OutputWorksheet()
    theirs = Worksheet()
    ours.use_future_functions = theirs.use_future_functions = future
    assert ours._prepare_formula(formula, expand) == theirs._prepare_formula(formula, expand)
