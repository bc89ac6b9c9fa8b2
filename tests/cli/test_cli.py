"""The command line through typer's CliRunner: every error line and exit code."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLE
from fill import set_cell
from rule_workbooks import CASES, build_case
from typer.testing import CliRunner

from selfeval_xlsx import __version__
from selfeval_xlsx.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def case_file(name: str, folder: Path) -> Path:
    return build_case(next(c for c in CASES if c.name == name), folder)[0]


def test_check_sample_prints_the_t002_note_and_passes(sample: Path) -> None:
    code, out, err = run("check", str(sample))
    assert code == 0 and err == ""
    lines = out.splitlines()
    # like `score`: unit, total and grade first (99.00 优, sample-mazhang-2023.md), then the table
    assert lines[1].startswith("总分：99.00  绩效等级：优  校验：通过")
    head = lines.index(next(line for line in lines if line.split()[:1] == ["级别"]))
    assert lines[head].split() == ["级别", "规则", "位置", "说明"]
    assert lines[head + 1].split()[:3] == ["警告", "R001", "评分表!H8"]  # 高分低执行 (checks.md)
    assert lines[head + 2].split()[:3] == ["提示", "T002", "收支预算!B11"]
    assert "453.94" in lines[head + 2] and "453.95" in lines[head + 2]
    assert lines[head + 3].split()[:3] == ["提示", "P007", "评分表!H19"]
    assert "错误 0 个，警告 1 个，提示 2 个" in out and "校验结果：通过" in out


def test_check_json_is_the_spec_object(sample: Path) -> None:
    code, out, _ = run("check", str(sample), "--json")
    data = json.loads(out)
    assert code == 0
    assert data["schema"] == "selfeval-result/1" and data["file"] == str(sample)
    assert data["sha256"] == hashlib.sha256(sample.read_bytes()).hexdigest()
    assert (data["scheme"], data["unit"], data["year"], data["passed"]) == (
        "default", "湛江市麻章区科工贸和信息化局", 2023, True)
    assert (data["total"], data["grade"]) == (99.0, "优")
    assert data["counts"] == {"error": 0, "warning": 1, "info": 2}
    r001, finding, p007 = data["findings"]
    assert (r001["rule"], r001["severity"], r001["cell"]) == ("R001", "warning", "H8")
    assert finding == {"rule": "T002", "severity": "info", "sheet": "收支预算", "cell": "B11",
                       "label": "基本支出", "message": finding["message"], "expected": "453.94",
                       "actual": "453.95"}
    assert finding["message"].startswith("收支预算!B11 基本支出，年初预算数：")
    assert (p007["rule"], p007["cell"], p007["label"]) == ("P007", "H19", "D3")


def test_check_in_english(sample: Path) -> None:
    code, out, _ = run("check", str(sample), "--lang", "en")
    assert code == 0
    lines = out.splitlines()
    head = next(line for line in lines if line.split()[:1] == ["Level"])
    assert head.split() == ["Level", "Rule", "Place", "Message"]
    assert "0 errors, 1 warnings, 2 notes" in out and "Result: passed" in out
    data = json.loads(run("check", str(sample), "--json", "--lang", "en")[1])
    assert "rounding bound" in data["findings"][1]["message"]


CHECK_SCORE_CASES = ("V006_three_decimals", "T009_sangong_without_budget", "P005_checklist_unanswered",
                     "X010_low_execution_no_note", "T001_basic_parts_off")


@pytest.mark.parametrize("name", CHECK_SCORE_CASES)
def test_check_and_score_agree(name: str, tmp_path: Path) -> None:
    """`check` runs the same evaluation as `score`: same findings, same exit code (also with
    --strict); it only writes nothing."""
    path = case_file(name, tmp_path)
    for strict in ([], ["--strict"]):
        check_code, check_out, _ = run("check", str(path), "--json", *strict)
        score_code, score_out, _ = run("score", str(path), "--json", "-o",
                                       str(tmp_path / "out.xlsx"), *strict)
        checked, scored = json.loads(check_out), json.loads(score_out)
        assert check_code == score_code
        assert checked["findings"] == scored["findings"] and checked["total"] == scored["total"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{name}.xlsx", "out.xlsx"]


def test_check_fails_an_overspent_public_fund_like_score(tmp_path: Path) -> None:
    """公用经费 spent 12.03 on a budget of 8.02 (150 %): B6 = 6 - 50 -> 0 in both commands, and
    the clerk's unchanged 6 is a P004 warning in both, so --strict fails both."""
    book = openpyxl.load_workbook(SAMPLE)
    set_cell(book["经费控制"], "项目", "公用经费", "实际支出数", 12.03)
    path = tmp_path / "overspent.xlsx"
    book.save(path)
    runs = (run("check", str(path), "--json", "--strict"),
            run("score", str(path), "--json", "--strict", "-o", str(tmp_path / "o.xlsx")))
    for code, out, _ in runs:
        data = json.loads(out)
        b6 = next(i for i in data["indicators"] if i["code"] == "B6")
        assert (code, b6["score"], data["total"]) == (1, 0.0, 93.0)
        assert ("P004", "评分表") in {(f["rule"], f["sheet"]) for f in data["findings"]}


def test_errors_exit_1(tmp_path: Path) -> None:
    code, out, _ = run("check", str(case_file("T001_basic_parts_off", tmp_path)))
    assert code == 1 and "T001" in out and "校验结果：未通过" in out


def test_warnings_exit_0_unless_strict(tmp_path: Path) -> None:
    path = case_file("V006_three_decimals", tmp_path)
    assert run("check", str(path))[0] == 0
    assert run("check", str(path), "--strict")[0] == 1


def _summary_status(path: Path) -> str:
    sheet = openpyxl.load_workbook(path)["汇总"]
    return next(row[1] for row in sheet.iter_rows(values_only=True) if row[0] == "校验状态")


def test_strict_fails_the_sample_wherever_its_verdict_shows(tmp_path: Path) -> None:
    """The sample has no error and one warning (R001): it passes, and with --strict it fails
    (checks.md: warnings fail only with --strict) in the exit code, the JSON `passed`, the
    printed verdict and the output workbook's 校验状态 alike."""
    sample = tmp_path / "样例.xlsx"
    sample.write_bytes(SAMPLE.read_bytes())
    for strict, code, passed, verdict in (([], 0, True, "通过"), (["--strict"], 1, False, "未通过")):
        checked = run("check", str(sample), "--json", *strict)
        assert (checked[0], json.loads(checked[1])["passed"]) == (code, passed)
        printed = run("check", str(sample), *strict)
        assert printed[0] == code and f"校验结果：{verdict}\n" in printed[1]
        out = tmp_path / f"结果{len(strict)}.xlsx"
        scored = run("score", str(sample), "--json", "-o", str(out), *strict)
        assert (scored[0], json.loads(scored[1])["passed"]) == (code, passed)
        assert _summary_status(out) == verdict


def one_line_failure(args: list[str], *needles: str) -> None:
    code, out, err = run(*args)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    for needle in needles:
        assert needle in err


def test_a_text_file_named_xlsx_is_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "预算 表.xlsx"
    path.write_text("项目,金额\n收入合计,902.25\n", encoding="utf-8")
    one_line_failure(["check", str(path)], "预算 表.xlsx", "不是 Excel 工作簿")


def test_a_workbook_of_another_system_is_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    book.save(path)
    one_line_failure(["check", str(path)], "other.xlsx", "不是部门整体支出绩效自评模板",
                     "selfeval template")


def test_a_missing_file_is_exit_2(tmp_path: Path) -> None:
    one_line_failure(["check", str(tmp_path / "nope.xlsx")], "nope.xlsx", "找不到")


def test_a_legacy_xls_is_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 1024)
    one_line_failure(["check", str(path)], "old.xls", "请另存为 .xlsx")


def test_a_damaged_zip_is_exit_2(tmp_path: Path, sample: Path) -> None:
    path = tmp_path / "cut.xlsx"
    path.write_bytes(sample.read_bytes()[:5000])
    one_line_failure(["check", str(path)], "cut.xlsx")


def test_english_failure_line(tmp_path: Path) -> None:
    code, _, err = run("check", str(tmp_path / "nope.xlsx"), "--lang", "en")
    assert code == 2 and "nope.xlsx" in err and not any("\u4e00" <= c <= "\u9fff" for c in err)


def test_a_bad_scheme_file_is_exit_2(tmp_path: Path, sample: Path) -> None:
    scheme = tmp_path / "bureau.toml"
    scheme.write_text('id = "x"\n[[indicators]]\ncode = "A1"\n', encoding="utf-8")
    one_line_failure(["check", str(sample), "--scheme", str(scheme)], "bureau.toml",
                     "评分方案文件")


def test_template_command_writes_the_template(tmp_path: Path) -> None:
    out = tmp_path / "模板.xlsx"
    code, stdout, _ = run("template", "-o", str(out))
    assert code == 0 and str(out) in stdout
    assert zipfile.is_zipfile(out)
    assert openpyxl.load_workbook(out).sheetnames[0] == "填表说明"
    assert [p.name for p in tmp_path.iterdir()] == ["模板.xlsx"]  # no temporary file left


def test_template_into_a_missing_folder_is_exit_2(tmp_path: Path) -> None:
    one_line_failure(["template", "-o", str(tmp_path / "nowhere" / "t.xlsx")],
                     f"输出文件夹“{tmp_path / 'nowhere'}”不存在")


def test_usage_error_is_exit_2() -> None:
    assert run("check")[0] == 2


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.strip() == f"selfeval {__version__}"


@pytest.mark.slow
@pytest.mark.parametrize("env", [{}, {"PYTHONIOENCODING": "gbk"}, {"NO_COLOR": "1"}])
def test_module_entry_point_with_redirected_output(sample: Path, env: dict[str, str]) -> None:
    import os

    done = subprocess.run([sys.executable, "-m", "selfeval_xlsx", "check", str(sample)],
                          capture_output=True, env={**os.environ, **env}, timeout=60, check=False)
    encoding = env.get("PYTHONIOENCODING", "utf-8")
    assert done.returncode == 0, done.stderr.decode(encoding, "replace")
    assert "T002" in done.stdout.decode(encoding) and done.stderr == b""


def test_an_xlsm_workbook_is_read(sample: Path, tmp_path: Path) -> None:
    path = tmp_path / "宏.xlsm"
    path.write_bytes(sample.read_bytes())
    code, out, _ = run("check", str(path))
    assert code == 0 and "T002" in out


@pytest.mark.slow
@pytest.mark.parametrize(("args", "needle"), [
    (["check"], "命令用法有误"),
    (["check", "x.xlsx", "--bogus"], "命令用法有误"),
    (["check", "x.xlsx", "--lang", "fr"], "命令用法有误"),
    (["check", "x.xlsx", "--bogus", "--lang", "en"], "Usage error"),
])
def test_usage_errors_are_one_line_exit_2(args: list[str], needle: str) -> None:
    done = subprocess.run([sys.executable, "-m", "selfeval_xlsx", *args], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and needle in done.stderr
    assert "Traceback" not in done.stderr


def copy_of(sample: Path, folder: Path, name: str = "麻章 2023.xlsx") -> Path:
    path = folder / name
    path.write_bytes(sample.read_bytes())
    return path


def test_score_prints_total_grade_groups_and_writes_beside_the_input(sample: Path,
                                                                    tmp_path: Path) -> None:
    path = copy_of(sample, tmp_path)
    code, out, err = run("score", str(path))
    assert code == 0 and err == ""
    assert "总分：99.00  绩效等级：优  校验：通过" in out
    assert "预算编制 20.00/20  预算执行 39.00/40  预算监督 15.00/15  预算使用效益 25.00/25" in out
    assert "T002" in out and "P007" in out
    written = tmp_path / "麻章 2023_评分结果.xlsx"
    assert written.is_file() and f"评分结果已写入：{written}" in out


def test_score_json_carries_the_scores(sample: Path, tmp_path: Path) -> None:
    code, out, _ = run("score", str(sample), "-o", str(tmp_path / "o.xlsx"), "--json")
    data = json.loads(out)
    assert code == 0 and (data["total"], data["grade"], data["passed"]) == (99.0, "优", True)
    assert [g["score"] for g in data["groups"]] == [20.0, 39.0, 15.0, 25.0]
    b1 = next(i for i in data["indicators"] if i["code"] == "B1")
    assert b1 == {"code": "B1", "name": "预算执行率", "weight": 10.0, "method": "自动",
                  "self_score": 9.0, "score": 9.0, "basis": "执行率 90.00% × 10 = 9.00"}
    ratios = data["ratios"]
    assert list(ratios) == ["budget_execution", "budget_adjustment", "basic_share",
                            "project_share", "sangong_control", "public_funds_control",
                            "fixed_asset_utilisation", "target_completion",
                            "key_task_completion", "key_project_score"]
    assert abs(ratios["budget_execution"] - 812.03 / 902.25) < 1e-6
    assert abs(ratios["basic_share"] - 453.95 / 902.25) < 1e-6
    assert (ratios["budget_adjustment"], ratios["sangong_control"]) == (0, 1)  # unadjusted; 0/0
    assert ratios["key_project_score"] is None  # no key projects
    # R001: B1 9/10 = 90% against 90/90 = 100% for the other indicators, a gap of 10% > 5%
    assert sorted(f["rule"] for f in data["findings"]) == ["P007", "R001", "T002"]
    assert data["counts"] == {"error": 0, "warning": 1, "info": 2}


def test_score_with_errors_still_writes_and_exits_1(tmp_path: Path) -> None:
    path = case_file("T001_basic_parts_off", tmp_path)
    out = tmp_path / "scored.xlsx"
    code, stdout, _ = run("score", str(path), "-o", str(out))
    assert code == 1 and "校验：未通过" in stdout and out.is_file()
    summary = openpyxl.load_workbook(out)["汇总"]
    assert "未通过" in [c.value for row in summary.iter_rows() for c in row]


def test_score_strict_fails_on_warnings(tmp_path: Path) -> None:
    path = case_file("V006_three_decimals", tmp_path)
    assert run("score", str(path), "-o", str(tmp_path / "a.xlsx"))[0] == 0
    assert run("score", str(path), "-o", str(tmp_path / "b.xlsx"), "--strict")[0] == 1


def test_score_refuses_to_overwrite_the_input(sample: Path, tmp_path: Path) -> None:
    path = copy_of(sample, tmp_path)
    before = path.read_bytes()
    one_line_failure(["score", str(path), "-o", str(path)], "输入文件")
    assert path.read_bytes() == before


def test_score_in_english(sample: Path, tmp_path: Path) -> None:
    code, out, _ = run("score", str(sample), "-o", str(tmp_path / "o.xlsx"), "--lang", "en")
    assert code == 0 and "Total: 99.00  Grade: 优  Validation: passed" in out


def test_report_writes_a_draft_beside_the_input(sample: Path, tmp_path: Path) -> None:
    path = copy_of(sample, tmp_path)
    code, out, _ = run("report", str(path))
    written = tmp_path / "麻章 2023_自评报告.docx"
    assert code == 0 and written.is_file() and str(written) in out
    assert zipfile.is_zipfile(written)


def test_report_on_a_failing_workbook_is_marked_and_exits_1(tmp_path: Path) -> None:
    path = case_file("V001_unit_name_empty", tmp_path)
    code, out, _ = run("report", str(path), "-o", str(tmp_path / "r.docx"))
    assert code == 1 and "草稿" in out and (tmp_path / "r.docx").is_file()


@pytest.mark.parametrize("command", ["check", "score"])
def test_our_own_output_as_input_is_named_as_such(command: str, tmp_path: Path) -> None:
    result = tmp_path / "单位_评分结果.xlsx"
    assert run("score", str(SAMPLE), "-o", str(result))[0] == 0
    summary = tmp_path / "汇总.xlsx"
    assert run("batch", str(SAMPLE), "-o", str(summary))[0] == 0
    for ours in (result, summary):
        code, out, err = run(command, str(ours), "-o", str(tmp_path / "x.xlsx")) \
            if command == "score" else run(command, str(ours))
        assert (code, out) == (2, "") and len(err.splitlines()) == 1
        assert f"“{ours.name}”是本工具生成的结果工作簿" in err and "原来填写的工作簿" in err


def test_a_lock_file_beside_the_input_warns_that_edits_may_be_unsaved(tmp_path: Path) -> None:
    path = case_file("S006_open_in_excel", tmp_path)
    code, out, _ = run("check", str(path))
    assert code == 0 and "警告  S006" in out and "~$S006_open_in_excel.xlsx" in out
    assert run("check", str(path), "--strict")[0] == 1


def test_expected_and_actual_follow_the_language(tmp_path: Path) -> None:
    path = case_file("V001_unit_name_empty", tmp_path)
    zh = json.loads(run("check", str(path), "--json")[1])
    en = json.loads(run("check", str(path), "--json", "--lang", "en")[1])
    (v001_zh,) = [f for f in zh["findings"] if f["rule"] == "V001"]
    (v001_en,) = [f for f in en["findings"] if f["rule"] == "V001"]
    assert (v001_zh["expected"], v001_zh["actual"]) == ("必填", "（空）")
    assert (v001_en["expected"], v001_en["actual"]) == ("required", "(empty)")
