"""Scoring schemes are data: a bureau's own scheme scores without code changes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from build_sample import fill_sample
from conftest import ROOT
from fill import set_cell

from selfeval_xlsx.api import write_blank_template
from selfeval_xlsx.errors import SchemeError
from selfeval_xlsx.evaluate import evaluate_workbook
from selfeval_xlsx.scheme.load import load_scheme, parse_scheme

EXAMPLE = ROOT / "selfeval_xlsx" / "scheme" / "schemes" / "example_bureau.toml"
DEFAULT = EXAMPLE.with_name("default.toml")
# by hand, for the sample's data under example_bureau: B1 = 812.03 / 902.25 x 15 = 13.50008 -> 13.50
EXPECTED = {"A1": "4", "A2": "3", "A3": "4", "A4": "8", "B1": "13.50", "B2": "8", "B3": "4",
            "B5": "6", "B6": "6", "C1": "5", "C2": "6", "C3": "4", "D1": "15", "D2": "12"}


@pytest.fixture(scope="module")
def bureau_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bureau")
    template = folder / "template.xlsx"
    write_blank_template(template, EXAMPLE)
    book = openpyxl.load_workbook(template)
    fill_sample(book, set_scores=False)
    for code in EXPECTED:
        set_cell(book["评分表"], "指标编号", code, "自评得分", float(EXPECTED[code]))
    for item in load_scheme(EXAMPLE).checklist:
        set_cell(book["管理核对"], "编号", item.code, "是否符合", "是")
    path = folder / "bureau.xlsx"
    book.save(path)
    return path


def test_a_bureau_scheme_scores_without_code_changes(bureau_workbook: Path) -> None:
    result = evaluate_workbook(bureau_workbook, load_scheme(EXAMPLE)).result
    assert result.scoring is not None
    scores = {s.indicator.code: s.score for s in result.scoring.indicators}
    assert scores == {code: Decimal(v) for code, v in EXPECTED.items()}  # B4, D3 switched off
    assert result.scoring.total == Decimal("98.50")  # weights add to 100; only B1 loses 1.50
    assert result.scoring.grade == "优"  # this bureau's 优 starts at 85
    # no P007: D3 is off. R001 高分低执行: B1 13.50/15 = 90% against (98.50 − 13.50)/85 = 100% for
    # the rest, a gap of 10% of the latter (above 5%); no R004: 执行率 90% is not below 80%
    assert sorted(f.rule for f in result.findings) == ["R001", "T002"]
    assert result.scheme == "example_bureau"


def test_workbook_from_another_scheme_is_s004(sample: Path) -> None:
    result = evaluate_workbook(sample, load_scheme(EXAMPLE)).result
    s004 = {(f.cell, f.label, f.column) for f in result.findings if f.rule == "S004"}
    assert ("E5", "A2", "分值") in s004  # 4 in the workbook, 3 in the scheme
    assert ("E8", "B1", "分值") in s004  # 10 vs 15
    assert {label for _, label, _ in s004} >= {"B4", "D3", "C3-1", "C3-2"}
    assert not result.passed


def test_the_default_scheme_matches_the_spec_table() -> None:
    scheme = load_scheme()
    assert [(i.code, i.weight, i.method) for i in scheme.indicators][:4] == [
        ("A1", 4, "核对"), ("A2", 4, "自评"), ("A3", 4, "核对"), ("A4", 8, "自动")]
    assert scheme.groups() == [("预算编制", 20), ("预算执行", 40), ("预算监督", 15), ("预算使用效益", 25)]
    assert len(scheme.checklist) == 18 and sum(i.points for i in scheme.checklist) == 35
    assert [(g.name, g.min) for g in scheme.grades] == [("优", 90), ("良", 80), ("中", 60), ("差", 0)]


@pytest.mark.parametrize(("change", "needle"), [
    (('weight = 8\nmethod = "自动"\nrule = "bands"', 'weight = 8\nmethod = "手工"\nrule = "bands"'),
     "method 只能是"),
    (('rule = "proportional"', 'rule = "no_such_rule"'), "rule “no_such_rule”无效"),
    (('code = "A1-1"\nindicator = "A1"\ncontent = "设置了部门整体绩效目标"\npoints = 1',
      'code = "A1-1"\nindicator = "A1"\ncontent = "设置了部门整体绩效目标"\npoints = 2'), "不一致"),
    (("bands = [[0, 8], [10, 6], [20, 4], [30, 2]]", "bands = [[10, 6], [0, 8]]"), "界限按递增排列"),
    (('id = "default"', 'id = ""'), "id"),
    (("weight = 10", 'weight = "十"'), "必须是数字"),
    (("[[grades]]", "[[grades]"), "TOML"),
])
def test_bad_scheme_files_say_what_is_wrong(change: tuple[str, str], needle: str) -> None:
    text = DEFAULT.read_text(encoding="utf-8")
    assert change[0] in text
    with pytest.raises(SchemeError) as caught:
        parse_scheme(text.replace(change[0], change[1], 1).encode(), "bureau.toml")
    message = caught.value.text.zh
    assert needle in message and "bureau.toml" in message and "\n" not in message
