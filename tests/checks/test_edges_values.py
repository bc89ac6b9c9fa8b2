"""The V rules at their edges (`checks.md`, `workbook.md`): 填报日期 must fall after 31 Dec of 评价年度
(V005, error) and not after 31 Dec of the next year (V009, warning); an amount may not be negative
(V003, error) and has at most two decimals (V006, warning); a project score lies in 0–100 (V002,
error). Every V finding of each case is asserted with its severity.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from edges import (
    BASIC,
    FUNDS,
    PROJECTS,
    checked,
    field_at,
    fields,
    funds,
    funds_cell,
    projects,
    row,
    rows,
)
from fill import free_row, header_columns
from openpyxl.utils.cell import get_column_letter


# the sample's 评价年度 is 2023
@pytest.mark.parametrize(("filed", "rule"), [
    (dt.datetime(2023, 12, 30), "V005"),
    (dt.datetime(2023, 12, 31), "V005"),  # 31 Dec itself is not after the year
    (dt.datetime(2024, 1, 1), None),  # the first day after it
    (dt.datetime(2024, 12, 31), None),  # the last day of the next year
    (dt.datetime(2025, 1, 1), "V009"),  # later than 31 Dec of the next year
    ("2023年12月31日", "V005"), ("2024-01-01", None), ("2024/12/31", None), ("2025.1.1", "V009"),
    ("2024-02-29", None),  # 2024 is a leap year
    ("2023-02-29", "V005"),  # an impossible date
])
def test_report_date_edges(sample: Path, tmp_path: Path, filed: object, rule: str | None) -> None:
    findings, book = checked(sample, tmp_path, fields(BASIC, {"填报日期": filed}))
    expected = [row(BASIC, field_at(book, BASIC, "填报日期"), rule)] if rule else []
    assert rows(findings, "V") == expected


@pytest.mark.parametrize(("actual", "rule"), [(0, None), (-0.01, "V003")])
def test_an_amount_may_be_zero_but_not_negative(sample: Path, tmp_path: Path, actual: float,
                                                rule: str | None) -> None:
    findings, book = checked(sample, tmp_path, funds({("公用经费", "实际支出数"): actual}))
    expected = [row(FUNDS, funds_cell(book, "公用经费", "实际支出数"), rule)] if rule else []
    assert rows(findings, "V") == expected


@pytest.mark.parametrize(("planned", "rule"), [(8.01, None), (8.015, "V006"), ("8.015万元", "V006")])
def test_an_amount_has_at_most_two_decimals(sample: Path, tmp_path: Path, planned: object,
                                            rule: str | None) -> None:
    findings, book = checked(sample, tmp_path, funds({("公用经费", "预算数"): planned}))
    expected = [row(FUNDS, funds_cell(book, "公用经费", "预算数"), rule)] if rule else []
    assert rows(findings, "V") == expected


def project_score_cell(book: object, number: int) -> str:
    sheet = book[PROJECTS]  # type: ignore[index]
    _, columns = header_columns(sheet, "序号", ["项目自评得分"])
    return f"{get_column_letter(columns['项目自评得分'])}{free_row(sheet, '序号', number)}"


@pytest.mark.parametrize(("score", "rule"), [
    (0, None), (100, None), (99.99, None),
    (100.01, "V002"),  # just above 100
    (-0.01, "V002"),  # below 0
    (None, "V001"),  # a project row without its score
])
def test_project_score_lies_in_0_to_100(sample: Path, tmp_path: Path, score: object,
                                        rule: str | None) -> None:
    findings, book = checked(sample, tmp_path, projects([score]))
    expected = [row(PROJECTS, project_score_cell(book, 1), rule)] if rule else []
    assert rows(findings, "V") == expected
