"""Scheme files are validated strictly: every mistake is one line naming the file, the line and
the key (`spec/scoring.md`, "Indicator rule types"). The expected line is found in the edited
text here, independently of the tool's own scan."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from selfeval_xlsx.cli import app
from selfeval_xlsx.errors import SchemeError
from selfeval_xlsx.scheme.load import parse_scheme
from selfeval_xlsx.scheme.toml_lines import key_lines

DEFAULT = ROOT / "selfeval_xlsx" / "scheme" / "schemes" / "default.toml"
runner = CliRunner()


def edited(old: str, new: str, count: int = 1) -> str:
    text = DEFAULT.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, count)


def line_of(text: str, needle: str, after: str = "") -> int:
    """The 1-based line of the first `needle` after the line holding `after`."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines) if i >= start and needle in line) + 1


def error_of(text: str, name: str = "bureau.toml") -> str:
    with pytest.raises(SchemeError) as caught:
        parse_scheme(text.encode(), name)
    message = caught.value.text.zh
    assert "\n" not in message and name in message
    assert "\n" not in caught.value.text.en and name in caught.value.text.en
    return message


CASES = {
    # a typo in a parameter name: unknown, with the right one suggested
    "unknown_key": (("partial_credit = 0.5  # 本方案自定：部分完成按 0.5 计", "partial_credt = 0.5"),
                    "partial_credt", "partial_credt", "是否应为 partial_credit"),
    # a parameter of another rule type: bands on the proportional B1
    "misplaced": (('measure_name = "执行率"', 'measure_name = "执行率"\nbands = [[0, 8]]'),
                  "bands = [[0, 8]]", "bands", "不能用于 proportional 规则"),
    # a field the template does not have, with the close one suggested
    "unknown_field": (("measure = \"支出合计.决算数 / 支出合计.调整后预算数\"",
                       "measure = \"支出合计.决算 / 支出合计.调整后预算数\""),
                      "支出合计.决算 /", "measure", "“支出合计.决算”不是模板中的数值字段"),
    # weights adding up to 110: B1 20 instead of 10
    "total": (('weight = 10\nmethod = "自动"\nrule = "proportional"',
               'weight = 20\nmethod = "自动"\nrule = "proportional"'),
              "total = 100", "total", "各指标分值之和为 110"),
    # grades out of order: 良 from 95 after 优 from 90
    "grades": (('name = "良"\nmin = 80', 'name = "良"\nmin = 95'), "min = 95", "min",
               "绩效等级须从高到低排列"),
    "unknown_top_key": (('total = 100', 'total = 100\nversion = 2'), "version = 2", "version",
                        "方案顶层有未知的键 version"),
    "measure_on_checklist": (('criteria = "按《管理核对》A1-1～A1-4 逐项计分，符合的得该项分值。"',
                              'criteria = "按《管理核对》A1-1～A1-4 逐项计分，符合的得该项分值。"\n'
                              'measure = "绩效目标"'), 'measure = "绩效目标"', "measure",
                             "measure 只用于自动指标"),
    "proportional_needs_a_rate": (("measure = \"支出合计.决算数 / 支出合计.调整后预算数\"",
                                   "measure = \"支出合计.决算数\""), "measure = \"支出合计.决算数\"",
                                  "measure", "须为比率"),
    "completion_table": (('measure = "绩效目标"', 'measure = "绩效指标"'), 'measure = "绩效指标"',
                         "measure", "只能是 绩效目标、重点工作"),
    "review_key": (("[review.R002]  # 预算执行率低于 threshold\nenabled = true",
                    "[review.R002]  # 预算执行率低于 threshold\nenabled = true\nbelow = 70"),
                   "below = 70", "below", "复核规则 R002 中有未知的键 below"),
    "review_code": (("[review.R006]", "[review.R007]"), "[review.R007]", "R007",
                    "有未知的键 R007"),
    "bad_threshold": (("threshold = 80", 'threshold = "八十"'), 'threshold = "八十"', "threshold",
                      "threshold 必须是数字"),
    "direction_missing": (('rule = "completion"\nmeasure = "绩效目标"',
                           'rule = "target"\nmeasure = "支出合计.决算数 / 支出合计.调整后预算数"\n'
                           'target = 90'), 'rule = "target"', "direction", "缺少 direction"),
    "optional_field_name": (('total = 100', 'total = 100\nfields = ["年末结余"]'),
                            'fields = ["年末结余"]', "fields", "不是可选字段"),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_a_bad_scheme_names_the_file_the_line_and_the_key(case: str) -> None:
    (old, new), needle, key, words = CASES[case]
    text = edited(old, new)
    message = error_of(text)
    line = line_of(text, needle)
    if case == "direction_missing":  # no direction key: the line of D1's own table
        line = max(i for i, t in enumerate(text.splitlines(), start=1)
                   if t.strip() == "[[indicators]]" and i < line_of(text, 'code = "D1"'))
    assert f"第 {line} 行（{key}）" in message, message
    assert words in message, message


# Each rule of the validation at its edge. scoring.md: weights that do not add up (either way),
# grades out of order (an equal min leaves a grade unreachable). Where it is silent, what a
# bureau expects: a 核对 indicator worth its items, bands that rise strictly and stay within the
# weight, 部分完成 never worth more than 完成, thresholds in percent, no negative weight, one
# indicator per code. (old, new), the line's needle and the line after which it is looked for,
# the key named, the words of the message: (old, new), the line's needle and the line
# after which it is looked for, the key named, the words of the message.
EDGE_CASES = {
    # weights adding up to 95 (B1 5 instead of 10), short of the total of 100
    "weights_short": (('weight = 10\nmethod = "自动"\nrule = "proportional"',
                       'weight = 5\nmethod = "自动"\nrule = "proportional"'),
                      "total = 100", "", "total", "各指标分值之和为 95"),
    # 良 from 90, as 优: grades must fall strictly
    "grades_equal": (('name = "良"\nmin = 80', 'name = "良"\nmin = 90'), "min = 90", 'name = "良"',
                     "min", "不低于上一级“优”（90）"),
    # A1-1 worth 0.5: A1's items add up to 3.5, its weight is 4 (short, not over)
    "checklist_short": (('content = "设置了部门整体绩效目标"\npoints = 1',
                         'content = "设置了部门整体绩效目标"\npoints = 0.5'),
                        "weight = 4", 'code = "A1"', "weight", "与其核对项分值之和 3.5 不一致"),
    # two bands of one limit: 10 % twice (limits must rise strictly)
    "bands_equal": (("bands = [[0, 8], [10, 6], [20, 4], [30, 2]]",
                     "bands = [[0, 8], [10, 6], [10, 4], [30, 2]]"), "bands = [[0, 8]", "",
                    "bands", "界限按递增排列"),
    # a band worth 9 on A4 of weight 8
    "band_points": (("bands = [[0, 8], [10, 6], [20, 4], [30, 2]]",
                     "bands = [[0, 9], [10, 6], [20, 4], [30, 2]]"), "bands = [[0, 9]", "",
                    "bands", "得分在 0～8 之间"),
    # 部分完成 worth 1.5 of 完成
    "partial_above_one": (("partial_credit = 0.5  # 本方案自定：部分完成按 0.5 计",
                           "partial_credit = 1.5"), "partial_credit = 1.5", "", "partial_credit",
                          "partial_credit 应在 0～1 之间（写的是 1.5）"),
    # R002 below 120 % (a percentage above 100)
    "threshold_above_100": (("threshold = 80", "threshold = 120"), "threshold = 120", "",
                            "threshold", "threshold 应在 0～100 之间（写的是 120）"),
    # A2 of weight -4 (named at its own line, not only as a wrong total)
    "negative_weight": (('level3 = "绩效指标明确性"\nweight = 4', 'level3 = "绩效指标明确性"\nweight = -4'),
                        "weight = -4", "", "weight", "weight 应在 0～"),
    # D2 renamed D1: two indicators of one code, named at the second
    "duplicate_code": (('code = "D2"', 'code = "D1"'), 'code = "D1"', "部门整体绩效目标实现率",
                       "code", "指标编号 D1 重复"),
}


@pytest.mark.parametrize("case", list(EDGE_CASES), ids=list(EDGE_CASES))
def test_each_validation_rule_at_its_edge(case: str) -> None:
    (old, new), needle, after, key, words = EDGE_CASES[case]
    text = edited(old, new)
    message = error_of(text)
    assert f"第 {line_of(text, needle, after)} 行（{key}）" in message, message
    assert words in message, message


def test_a_bad_scheme_names_the_first_problem_and_counts_the_others() -> None:
    text = edited("partial_credit = 0.5  # 本方案自定：部分完成按 0.5 计", "partial_credt = 0.5", 2)
    message = error_of(text)
    assert f"第 {line_of(text, 'partial_credt')} 行" in message and "另有 1 处问题" in message


def test_a_bad_indicator_weight_is_named_before_the_total() -> None:
    # B1's weight unreadable: the total cannot be checked, so only the weight is named
    text = edited("weight = 10", 'weight = "十"')
    message = error_of(text)
    line = line_of(text, 'weight = "十"')
    assert f"第 {line} 行（weight）" in message and "另有" not in message


def test_a_checklist_item_of_a_switched_off_indicator() -> None:
    text = edited('level3 = "预决算信息公开"\nweight = 4', 'level3 = "预决算信息公开"\nweight = 4\nenabled = false')
    text = text.replace("total = 100", "total = 96")
    message = error_of(text)
    line = line_of(text, 'indicator = "C3"')
    assert f"第 {line} 行（indicator）" in message
    assert "不是方案中（已启用）的核对指标" in message


def test_the_line_scan_skips_strings_and_multi_line_values() -> None:
    text = ('id = "x"\n[[indicators]]\ncriteria = """\nweight = 5\n"""\nbands = [\n  [0, 8],\n'
            '  ["weight = 1", 2],\n]\nweight = 4  # the real one\n[[indicators]]\n'
            "'quoted key' = 1\n[review.R001]\nthreshold = 5\n")
    found = key_lines(text)
    assert found.line(("indicators", 0, "weight")) == 10
    assert found.line(("indicators", 0, "bands")) == 6
    assert found.line(("indicators", 1, "quoted key")) == 12
    assert found.line(("indicators", 1, "missing")) == 11  # its table's header
    assert found.line(("review", "R001", "threshold")) == 14


def test_english_messages_are_english(tmp_path: Path) -> None:
    path = tmp_path / "bureau.toml"
    path.write_text(edited('measure_name = "执行率"', 'measure_name = "执行率"\nbands = [[0, 8]]'),
                    encoding="utf-8")
    result = runner.invoke(app, ["scheme", "check", str(path), "--lang", "en"])
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Scoring scheme file 'bureau.toml' is invalid: line ")
    assert "(bands)" in line and "not of proportional" in line


def test_scheme_check_prints_the_tree_with_weights() -> None:
    result = runner.invoke(app, ["scheme", "check", str(DEFAULT)])
    assert result.exit_code == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "评分方案 default：部门整体支出绩效自评指标评分表（默认方案）"
    assert lines[1] == "总分 100 分，指标 16 个，核对项 18 个"
    # spec/scoring.md: 预算编制 20, 预算执行 40, 预算监督 15, 预算使用效益 25
    assert [line for line in lines if not line.startswith(" ")][2:6] == [
        "预算编制 20", "预算执行 40", "预算监督 15", "预算使用效益 25"]
    assert "  预算完成 10" in lines
    assert any(line.startswith("    B1 预算执行率 10 自动 proportional") for line in lines)
    assert "复核规则：" in result.stdout and "R004 按执行率封顶 关" in result.stdout
    assert lines[-1] == "方案有效。"


def test_scheme_check_of_a_bad_file_is_one_line_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "bureau.toml"
    path.write_text(edited('name = "良"\nmin = 80', 'name = "良"\nmin = 95'), encoding="utf-8")
    result = runner.invoke(app, ["scheme", "check", str(path)])
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert "“bureau.toml”" in line and "（min）" in line and "Traceback" not in line
    missing = runner.invoke(app, ["scheme", "check", str(tmp_path / "none.toml")])
    assert missing.exit_code == 2 and "无法读取" in missing.stderr


def test_the_score_command_refuses_a_bad_scheme_the_same_way(tmp_path: Path, sample: Path) -> None:
    path = tmp_path / "bureau.toml"
    path.write_text(edited("partial_credit = 0.5  # 本方案自定：部分完成按 0.5 计", "partial_credt = 0.5"),
                    encoding="utf-8")
    result = runner.invoke(app, ["score", str(sample), "-o", str(tmp_path / "o.xlsx"),
                                 "--scheme", str(path)])
    assert result.exit_code == 2 and "partial_credt" in result.stderr
    assert not (tmp_path / "o.xlsx").exists()
