"""Fields on demand (`spec/scoring.md`, "Indicator rule types"): a scheme's template gets the
catalogue's optional fields and the 个性指标 sheet exactly when the scheme uses them; they are
read, typed and checked like every field; workbooks made before still read."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from fill import find_text, set_field
from rule_workbooks import budget
from scheme_workbooks import fields, scheme_file, scheme_workbook

from selfeval_xlsx.evaluate import check_workbook, evaluate_workbook
from selfeval_xlsx.scheme.fields import (
    NUMERIC_FIELDS,
    OPTIONAL_FIELDS,
    STANDARD_FIELDS,
    normalise_name,
)
from selfeval_xlsx.scheme.load import load_scheme, parse_scheme
from selfeval_xlsx.template.department import build_template
from selfeval_xlsx.template.spec import AMOUNT_COLUMNS, Kind, Template

CHONGQING = scheme_file("chongqing_2021")


def all_fields_template() -> Template:
    scheme = load_scheme(CHONGQING)  # uses the 个性指标 table
    return build_template(replace(scheme, fields=tuple(normalise_name(f.name)
                                                       for f in OPTIONAL_FIELDS)))


def form_labels(template: Template) -> dict[tuple[str, str], Kind]:
    return {(s.name, f.label): f.kind for s in template.sheets for form in s.forms
            for f in form.fields}


def test_every_catalogued_field_is_a_field_of_the_template() -> None:
    template = all_fields_template()
    labels = form_labels(template)
    kinds = {"amount": Kind.AMOUNT, "count": Kind.COUNT, "text": Kind.TEXT}
    for ref in (*STANDARD_FIELDS, *OPTIONAL_FIELDS):
        if ref.table:
            table = template.table(ref.table)
            row = next(r for r in table.rows if r.label == ref.row)
            assert ref.column in table.row_inputs(row), ref.name
            assert table.column(ref.column).kind is Kind.AMOUNT, ref.name
        else:
            assert labels[(ref.sheet, ref.row)] is kinds[ref.kind], ref.name


def test_every_number_of_the_default_template_is_in_the_catalogue() -> None:
    template = build_template(load_scheme())
    fixed = {(t.name, r.label, c) for s in template.sheets for t in s.tables if not t.free_rows
             for r in t.rows for c in t.row_inputs(r)
             if t.column(c).kind is Kind.AMOUNT and c in (*AMOUNT_COLUMNS, "预算数", "实际支出数")}
    numbers = {(sheet, label) for (sheet, label), kind in form_labels(template).items()
               if kind in (Kind.AMOUNT, Kind.COUNT) and label != "模板版本"}
    catalogued_cells = {(f.table, f.row, f.column) for f in NUMERIC_FIELDS.values() if f.table}
    catalogued_forms = {(f.sheet, f.row) for f in NUMERIC_FIELDS.values() if not f.table}
    assert fixed == catalogued_cells
    assert numbers <= catalogued_forms


def texts(path: Path) -> set[object]:
    book = openpyxl.load_workbook(path)
    return {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row}


def test_optional_fields_appear_exactly_when_a_scheme_uses_them(tmp_path: Path) -> None:
    default = build_template(load_scheme())
    labels = {label for _, label in form_labels(default)}
    # 主要职能 is always in 基本信息 (the report's 部门职能), whatever the scheme
    optional = {f.row for f in OPTIONAL_FIELDS} - {"主要职能"}
    assert labels & optional == {"预算调整情况说明"}  # R003 is on in the default scheme
    assert "个性指标" not in [s.name for s in default.sheets]
    text = load_scheme_text().replace("[review.R003]  # 预算调整率高于 threshold 且未填写“预算调整情况说明”\n"
                                      "enabled = true", "[review.R003]\nenabled = false")
    text = text.replace('total = 100', 'total = 100\nfields = ["年初结转和结余"]')
    asked = build_template(parse_scheme(text.encode(), "own.toml"))
    assert {label for _, label in form_labels(asked)} & optional == {"年初结转和结余"}


def load_scheme_text() -> str:
    return (CHONGQING.parent / "default.toml").read_text(encoding="utf-8")


def test_old_workbooks_without_the_new_field_read_with_the_default_scheme(sample: Path,
                                                                         tmp_path: Path) -> None:
    """The template before 预算调整情况说明 was added is this one less that row."""
    book = openpyxl.load_workbook(sample)
    label = find_text(book["收支预算"], "预算调整情况说明")
    for col in (label.column, label.column + 1):  # the label and its (merged) input area
        book["收支预算"].cell(label.row, col).value = None
    path = tmp_path / "old.xlsx"
    book.save(path)
    # the sample's own findings (R001 on the sample: E = 9/10, I = 90/90), and no S002
    assert sorted(f.rule for f in check_workbook(path).findings) == ["P007", "R001", "T002"]
    # a 40% adjustment: R003 asks for the reason where the old workbook can give it
    budget(book, "支出合计", "调整后预算数", 1263.15)  # 902.25 × 1.4
    budget(book, "项目支出", "调整后预算数", 809.20)  # 453.95 + 809.20 = 1263.15
    book.save(path)
    (r003,) = [f for f in evaluate_workbook(path).result.findings if f.rule == "R003"]
    assert r003.label == "预算执行情况说明" and "模板没有“预算调整情况说明”栏" in r003.message.zh
    set_field(book["收支预算"], "预算执行情况说明", "年中追加园区建设资金")
    book.save(path)
    assert "R003" not in {f.rule for f in evaluate_workbook(path).result.findings}


def test_a_field_a_measure_reads_must_be_in_the_workbook(tmp_path: Path) -> None:
    def drop(book: openpyxl.Workbook) -> None:
        find_text(book["收支预算"], "年末结转和结余").value = None
    path = scheme_workbook("chongqing_2021", tmp_path, drop)
    s002 = [(f.sheet, f.label) for f in check_workbook(path, load_scheme(CHONGQING)).findings
            if f.rule == "S002"]
    assert s002 == [("收支预算", "年末结转和结余")]


@pytest.mark.parametrize(("value", "rule"), [("12元", "V008"), (-5, "V003"), ("一些", "V002"),
                                             (12.345, "V006")])
def test_optional_amounts_are_checked_like_the_others(tmp_path: Path, value: object,
                                                      rule: str) -> None:
    path = scheme_workbook("chongqing_2021", tmp_path,
                           lambda b: fields(b, "收支预算", {"年末结转和结余": value}))
    found = [(f.sheet, f.label, f.rule) for f in check_workbook(path, load_scheme(CHONGQING)).findings
             if f.rule == rule]
    assert found == [("收支预算", "年末结转和结余", rule)]


def test_the_note_names_the_schemes_r003_threshold() -> None:
    text = load_scheme_text().replace("threshold = 30", "threshold = 25")
    template = build_template(parse_scheme(text.encode(), "own.toml"))
    note = next(f.note for s in template.sheets for form in s.forms for f in form.fields
                if f.label == "预算调整情况说明")
    assert note == "预算调整率超过25%时必须填写调整原因"


def test_a_shipped_scheme_loads_by_its_name() -> None:
    assert load_scheme(Path("chongqing_2021")) == load_scheme(CHONGQING)
    assert load_scheme(Path("sichuan_2017")).id == "sichuan_2017"
