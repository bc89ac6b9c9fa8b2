"""Feeding the 整体 workbook's D3 from the project workbooks (`--projects`, project-form.md,
Feeding the 整体 workbook): matched by 项目名称, the computed totals replace the typed scores.

The project sample's totals (tests/test_project_sample.py): 农村人居环境整治项目 100.00 (全年预算数
7.29), 耕地地力保护补贴项目 99.00 (89.97), 农产品质量安全检测项目 90.85 (48)."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from build_project_sample import PROJECT_SAMPLE
from conftest import ROOT
from fill import fill_rows, free_row, header_columns

from selfeval_xlsx.api import check_file
from selfeval_xlsx.evaluate import Result
from selfeval_xlsx.findings import Severity

HEADERS = ["序号", "项目名称", "预算数", "实际支出数", "项目自评得分"]


def whole(sample: Path, tmp_path: Path, rows: list[tuple[object, ...]]) -> Path:
    book = openpyxl.load_workbook(sample)
    fill_rows(book["重点项目"], "序号", HEADERS, rows)
    book["评分表"].cell(1, 1)  # untouched: the clerk's 自评得分 of D3 stays 5
    path = tmp_path / "整体.xlsx"
    book.save(path)
    return path


def score_cell(book_path: Path, number: int) -> str:
    ws = openpyxl.load_workbook(book_path)["重点项目"]
    _, columns = header_columns(ws, "序号", ["项目自评得分", "项目名称"])
    return ws.cell(free_row(ws, "序号", number), columns["项目自评得分"]).coordinate


def name_cell(book_path: Path, number: int) -> str:
    ws = openpyxl.load_workbook(book_path)["重点项目"]
    _, columns = header_columns(ws, "序号", ["项目名称"])
    return ws.cell(free_row(ws, "序号", number), columns["项目名称"]).coordinate


def d3(result: Result) -> Decimal:
    assert result.scoring is not None
    return next(s.score for s in result.scoring.indicators if s.indicator.code == "D3")


def test_matched_rows_take_the_computed_totals(sample: Path, tmp_path: Path) -> None:
    # typed 95 and 99; computed 100.00 and 99.00 (the name written with spaces still matches);
    # mean (100 + 99) / 2 = 99.50 → D3 = 99.50 / 100 × 5 = 4.975 → 4.98
    path = whole(sample, tmp_path, [(1, "农村人居环境整治项目", 7.29, 7.29, 95),
                                    (2, " 耕地地力保护 补贴项目", 89.97, 89.97, 99)])
    result = check_file(path, projects=[PROJECT_SAMPLE])
    assert isinstance(result, Result)
    assert d3(result) == Decimal("4.98")
    fed = [(f.sheet, f.cell, f.rule) for f in result.findings if f.rule.startswith("J")]
    # 项目3 has no row (J012, info); the first row's typed 95 differs (J010, warning)
    assert sorted(fed) == [("重点项目", "", "J012"), ("重点项目", score_cell(path, 1), "J010")]
    j010 = next(f for f in result.findings if f.rule == "J010")
    assert (j010.expected, j010.actual, j010.severity) == ("100.00", "95.00", Severity.WARNING)
    assert "project_2023.xlsx!项目1" in j010.message.zh
    assert result.to_json()["ratios"]["key_project_score"] == pytest.approx(0.995)


def test_a_row_without_a_project_keeps_its_score_and_warns(sample: Path, tmp_path: Path) -> None:
    # computed 100.00 for the first; the second keeps its typed 70: mean 85.00 → 4.25
    path = whole(sample, tmp_path, [(1, "农村人居环境整治项目", 7.29, 7.29, 100),
                                    (2, "没有项目表的项目", 10, 10, 70)])
    result = check_file(path, projects=[PROJECT_SAMPLE])
    assert isinstance(result, Result)
    assert d3(result) == Decimal("4.25")
    j011 = [f for f in result.findings if f.rule == "J011"]
    assert [(f.cell, f.severity) for f in j011] == [(name_cell(path, 2), Severity.WARNING)]
    j012 = [f.label for f in result.findings if f.rule == "J012"]
    assert sorted(j012) == sorted(["耕地地力保护补贴项目", "农产品质量安全检测项目"])
    assert all(f.severity is Severity.INFO for f in result.findings if f.rule == "J012")


def test_fund_weighted_d3_uses_the_projects_full_year_budgets(sample: Path, tmp_path: Path) -> None:
    # weighting = "funds": weights are the projects' 全年预算数 (7.29, 89.97, 48), not the typed
    # 预算数 (1, 1, 1): (100 × 7.29 + 99 × 89.97 + 90.85 × 48) / 145.26 = 13996.83 / 145.26
    # = 96.3570… → D3 = 96.3570… / 100 × 5 = 4.8178… → 4.82 (the plain mean 96.6167 gives 4.83)
    scheme = tmp_path / "funds.toml"
    default = (ROOT / "selfeval_xlsx" / "scheme" / "schemes" / "default.toml").read_text("utf-8")
    scheme.write_text(default.replace('id = "default"', 'id = "funds"').replace(
        'weighting = "plain"', 'weighting = "funds"'), encoding="utf-8")
    path = whole(sample, tmp_path, [(1, "农村人居环境整治项目", 1, 1, None),
                                    (2, "耕地地力保护补贴项目", 1, 1, None),
                                    (3, "农产品质量安全检测项目", 1, 1, None)])
    folder = tmp_path / "项目"
    folder.mkdir()
    shutil.copy(PROJECT_SAMPLE, folder / "project_2023.xlsx")
    # a folder: the 整体 workbook itself and other files in it are passed over
    result = check_file(path, scheme, projects=[tmp_path])
    assert isinstance(result, Result)
    assert d3(result) == Decimal("4.82")
    # no typed scores: nothing differs, and an empty 项目自评得分 is no longer a V001
    assert {f.rule for f in result.findings} & {"J010", "J011", "J012", "V001"} == set()
    plain = check_file(path, projects=[PROJECT_SAMPLE])
    assert isinstance(plain, Result) and d3(plain) == Decimal("4.83")


def test_without_projects_the_typed_scores_count(sample: Path, tmp_path: Path) -> None:
    # typed 95 and 99: mean 97 → 4.85
    path = whole(sample, tmp_path, [(1, "农村人居环境整治项目", 7.29, 7.29, 95),
                                    (2, "耕地地力保护补贴项目", 89.97, 89.97, 99)])
    result = check_file(path)
    assert isinstance(result, Result)
    assert d3(result) == Decimal("4.85")
    assert not any(f.rule.startswith("J") for f in result.findings)


def test_a_project_given_twice_counts_once_and_is_named(sample: Path, tmp_path: Path) -> None:
    # the sample's 耕地地力保护补贴项目 (99.00) and the unsummed 池州 file's (execution 0: 89.00);
    # the first given counts: D3 = 99 / 100 × 5 = 4.95
    path = whole(sample, tmp_path, [(1, "耕地地力保护补贴项目", 89.97, 89.97, 99)])
    unsummed = PROJECT_SAMPLE.parent / "project_chizhou_unsummed.xlsx"
    result = check_file(path, projects=[PROJECT_SAMPLE, unsummed])
    assert isinstance(result, Result) and d3(result) == Decimal("4.95")
    twice = [f for f in result.findings if f.rule == "J012" and f.label == "耕地地力保护补贴项目"]
    assert len(twice) == 1 and "project_chizhou_unsummed.xlsx!项目1" in twice[0].message.zh


def test_a_folder_that_cannot_be_listed_is_refused_not_passed_over(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from selfeval_xlsx.api import project_totals
    from selfeval_xlsx.errors import InputError
    from selfeval_xlsx.xlsx import discovery

    locked = tmp_path / "各项目" / "二科"
    locked.mkdir(parents=True)
    shutil.copy(PROJECT_SAMPLE, tmp_path / "各项目" / "项目.xlsx")
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str]) -> object:
        if Path(path) == locked:  # as a folder without read permission (root can read anything)
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(discovery.os, "scandir", scandir)
    with pytest.raises(InputError) as raised:
        project_totals([tmp_path / "各项目"], None)
    assert "无法读取文件夹" in raised.value.render("zh") and "二科" in raised.value.render("zh")
