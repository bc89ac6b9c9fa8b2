"""Builders for the edge tests: the sample with a few cells changed, checked or scored, and its
findings as compact rows (sheet, cell, rule, severity).

The cells are found with the independent `fill` helpers; an edit returns nothing, the test works
out the findings it expects from the spec's wording and the arithmetic in its comments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path

import openpyxl
from fill import field_cell, fill_rows, set_cell, set_field, table_cell
from openpyxl.workbook.workbook import Workbook

from selfeval_xlsx.evaluate import Result, check_workbook, evaluate_workbook
from selfeval_xlsx.findings import Finding

Edit = Callable[[Workbook], None]
Row = tuple[str, str, str, str]  # sheet, cell, rule, severity
BUDGET, BASIC, FUNDS, ASSETS = "收支预算", "基本信息", "经费控制", "资产管理"
SCORES, CHECKLIST, TARGETS, TASKS, PROJECTS = "评分表", "管理核对", "绩效目标", "重点工作", "重点项目"
INITIAL, ADJUSTED, FINAL, SHARE = "年初预算数", "调整后预算数", "决算数", "年初预算占比(%)"
SEVERITY = {"T001": "error", "T002": "info", "T003": "error", "T004": "error", "T005": "error",
            "T006": "error", "T007": "warning", "T008": "error", "T009": "warning",
            "T010": "warning", "V001": "error", "V002": "error", "V003": "error",
            "V004": "error", "V005": "error", "V006": "warning", "V009": "warning",
            "P001": "error", "P002": "error", "P003": "error", "P004": "warning",
            "P005": "error", "P006": "error", "P007": "info", "P008": "warning",
            "P009": "warning", "X010": "warning", "X011": "warning"}  # checks.md, by code


def build(sample: Path, folder: Path, *edits: Edit, name: str = "edge.xlsx") -> tuple[Path, Workbook]:
    """The sample with `edits` applied, saved under `folder`; the book is returned for lookups."""
    book = openpyxl.load_workbook(sample)
    for edit in edits:
        edit(book)
    path = folder / name
    book.save(path)
    return path, book


STANDING = (("P007", "D3"), ("R001", "B1"))  # the sample's own notes: D3 does not apply (no
# key projects), and 高分低执行 (B1 9/10 against 90/90); `check` scores, so it raises them too


def checked(sample: Path, folder: Path, *edits: Edit) -> tuple[list[Finding], Workbook]:
    """The findings of `check` on the edited sample, without the sample's standing notes."""
    path, book = build(sample, folder, *edits)
    findings = [f for f in check_workbook(path).findings if (f.rule, f.label) not in STANDING]
    return findings, book


def scored(sample: Path, folder: Path, *edits: Edit) -> tuple[Result, Workbook]:
    path, book = build(sample, folder, *edits)
    return evaluate_workbook(path).result, book


def rows(findings: Iterable[Finding], prefixes: str | tuple[str, ...]) -> list[Row]:
    """The findings whose rule starts with one of `prefixes` ("T", "V00", "P004"...), sorted."""
    wanted = (prefixes,) if isinstance(prefixes, str) else prefixes
    return sorted((f.sheet, f.cell, f.rule, f.severity.value) for f in findings
                  if f.rule.startswith(wanted))


def row(sheet: str, cell: str, rule: str) -> Row:
    """An expected finding, with the severity `checks.md` gives its rule."""
    return (sheet, cell, rule, SEVERITY[rule])


def score_of(result: Result, code: str) -> Decimal:
    assert result.scoring is not None
    return next(s.score for s in result.scoring.indicators if s.indicator.code == code)


def basis_of(result: Result, code: str) -> str:
    assert result.scoring is not None
    return next(s.basis.zh for s in result.scoring.indicators if s.indicator.code == code)


# ---- cells -------------------------------------------------------------------------------------

def budget_cell(book: Workbook, label: str, column: str) -> str:
    return str(table_cell(book[BUDGET], "项目", label, column).coordinate)


def funds_cell(book: Workbook, label: str, column: str) -> str:
    return str(table_cell(book[FUNDS], "项目", label, column).coordinate)


def score_cell(book: Workbook, code: str, column: str = "自评得分") -> str:
    return str(table_cell(book[SCORES], "指标编号", code, column).coordinate)


def field_at(book: Workbook, sheet: str, label: str) -> str:
    return str(field_cell(book[sheet], label).coordinate)


def sample_t002(book: Workbook) -> Row:
    """The sample's own 尾差: 334.38 + 104.22 + 15.34 = 453.94 vs 453.95, n = 3, bound 0.015."""
    return row(BUDGET, budget_cell(book, "基本支出", INITIAL), "T002")


# ---- edits -------------------------------------------------------------------------------------

def amounts(values: dict[tuple[str, str], object]) -> Edit:
    """收支预算 cells by (row label, column); None empties a cell."""
    def edit(book: Workbook) -> None:
        for (label, column), value in values.items():
            set_cell(book[BUDGET], "项目", label, column, value)
    return edit


def funds(values: dict[tuple[str, str], object]) -> Edit:
    def edit(book: Workbook) -> None:
        for (label, column), value in values.items():
            set_cell(book[FUNDS], "项目", label, column, value)
    return edit


def fields(sheet: str, values: dict[str, object]) -> Edit:
    def edit(book: Workbook) -> None:
        for label, value in values.items():
            set_field(book[sheet], label, value)
    return edit


def self_scores(values: dict[str, object]) -> Edit:
    """评分表 自评得分 (or 扣分原因 with a key "A2/扣分原因") by indicator code; 合计 as "合计"."""
    def edit(book: Workbook) -> None:
        for key, value in values.items():
            code, _, column = key.partition("/")
            set_cell(book[SCORES], "指标编号", code, column or "自评得分", value)
    return edit


def answers(values: dict[str, tuple[object, object]]) -> Edit:
    """管理核对 (是否符合, 说明) by item code."""
    def edit(book: Workbook) -> None:
        for code, (answer, note) in values.items():
            set_cell(book[CHECKLIST], "编号", code, "是否符合", answer)
            set_cell(book[CHECKLIST], "编号", code, "说明", note)
    return edit


def statuses(sheet: str, values: list[tuple[str | None, str | None]]) -> Edit:
    """Exactly these (完成情况, 说明) rows in 绩效目标 / 重点工作; the sample's others cleared."""
    def edit(book: Workbook) -> None:
        filled = [(f"{sheet}{i}", s, n) for i, (s, n) in enumerate(values, start=1)]
        filled += [(None, None, None)] * (10 - len(values))
        fill_rows(book[sheet], "序号", [sheet, "完成情况", "说明"], filled)
    return edit


def projects(scores: list[object]) -> Edit:
    """One 重点项目 row per score (named 项目1, 项目2, ...)."""
    def edit(book: Workbook) -> None:
        fill_rows(book[PROJECTS], "序号", ["项目名称", "项目自评得分"],
                  [(f"项目{i}", s) for i, s in enumerate(scores, start=1)])
    return edit
