"""Project schemes (项目支出绩效自评表) are data, validated as strictly as the 整体 scheme: every
mistake is one line naming the file, the line and the key."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT

from selfeval_xlsx.errors import SchemeError
from selfeval_xlsx.scheme.load import load_scheme, parse_scheme
from selfeval_xlsx.scheme.project import (
    is_project_scheme,
    load_project_scheme,
    parse_project_scheme,
)

SCHEMES = ROOT / "selfeval_xlsx" / "scheme" / "schemes"
DEFAULT = SCHEMES / "project_default.toml"


def edited(old: str, new: str) -> str:
    text = DEFAULT.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def error_of(text: str, name: str = "bureau.toml") -> str:
    with pytest.raises(SchemeError) as caught:
        parse_project_scheme(text.encode(), name)
    message = caught.value.text.zh
    assert "\n" not in message and name in message and name in caught.value.text.en
    return message


def test_default_scheme_is_the_national_split() -> None:
    scheme = load_project_scheme()
    assert (scheme.id, scheme.execution, scheme.total) == ("project_default", 10, 100)
    assert scheme.groups == (("产出指标", 50), ("效益指标", 30), ("满意度指标", 10))
    assert [(g.name, g.min) for g in scheme.grades] == [("优", 90), ("良", 80), ("中", 60), ("差", 0)]
    assert (scheme.qualitative, scheme.caps, scheme.split_check) == ((80, 60), (), "groups")


def test_hubei_example_is_twenty_plus_eighty() -> None:
    scheme = load_project_scheme(Path("project_hubei"))
    assert (scheme.execution, scheme.indicator_points, scheme.split_check) == (20, 80, "total")
    assert scheme.qualitative == (Decimal(80), Decimal(50))


CASES = {
    "unknown_key": (("execution = 10", "executoin = 10"), "executoin", "executoin",
                    "是否应为 execution"),
    "groups_off": (('name = "效益指标"\nweight = 30', 'name = "效益指标"\nweight = 35'),
                   "[[groups]]", "[[groups]]", "各一级指标分值之和为 95"),
    "unknown_group": (('name = "满意度指标"', 'name = "满意指标"'), 'name = "满意指标"', "name",
                      "不是项目支出绩效自评表的一级指标"),
    "grades": (('name = "良"\nmin = 80', 'name = "良"\nmin = 95'), "min = 95", "min", "从高到低"),
    "qualitative": (("qualitative = [80, 60]", "qualitative = [60, 80]"), "qualitative = [60, 80]",
                    "qualitative", "两个递减的百分数"),
    "split_check": (('split_check = "groups"', 'split_check = "each"'), 'split_check = "each"',
                    "split_check", '"groups"、"total"、"off"'),
    "over_achievement": (("over_achievement = 120", "over_achievement = 90"),
                         "over_achievement = 90", "over_achievement", "应在 100～ 之间"),
    "form": (('form = "project"', 'form = "department"'), 'form = "department"', "form",
             "不是项目支出绩效自评表的评分方案"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_wrong_scheme_names_the_line_and_the_key(name: str) -> None:
    (old, new), needle, key, words = CASES[name]
    text = edited(old, new)
    message = error_of(text)
    assert f"第 {line_of(text, needle)} 行（{key}）" in message, message
    assert words in message, message


def test_the_cap_can_be_enabled_with_its_bands() -> None:
    scheme = parse_project_scheme(edited("enabled = false", "enabled = true").encode(), "cap.toml")
    assert scheme.caps[0] == (Decimal(80), Decimal(89)) and len(scheme.caps) == 4


def test_the_department_loader_refuses_a_project_scheme_and_back(tmp_path: Path) -> None:
    with pytest.raises(SchemeError) as caught:
        parse_scheme(DEFAULT.read_bytes(), "project_default.toml")
    assert "项目支出绩效自评表的评分方案" in caught.value.text.zh
    with pytest.raises(SchemeError) as caught:
        load_scheme(Path("project_hubei"))
    assert "只能用于项目表" in caught.value.text.zh
    with pytest.raises(SchemeError) as caught:
        load_project_scheme(Path("default"))
    assert "不是项目支出绩效自评表的评分方案" in caught.value.text.zh
    copy = tmp_path / "mine.toml"
    copy.write_bytes(DEFAULT.read_bytes())
    assert is_project_scheme(copy) and is_project_scheme(Path("project_default"))
    assert not is_project_scheme(SCHEMES / "default.toml")
