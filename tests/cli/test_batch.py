"""`selfeval batch`: many workbooks into one consolidated workbook (`spec/outputs.md`, Batch output).

Expected figures come from `spec/sample-mazhang-2023.md` and `spec/scoring.md`:
- the sample scores 99.00 优 (B1 = 812.03 ÷ 902.25 = 90.00% × 10 = 9; every other indicator full);
- T001_basic_parts_off changes only 工资福利支出 年初预算数, an input of no scored indicator: 99.00;
- V006_three_decimals sets 公用经费 预算数 to 8.015: B6 control rate 8.02 ÷ 8.015 = 100.0624%,
  0.0624 points over, so B6 = 6 − 0.0624 = 5.94 and the total 99 − 0.06 = 98.94 (a warning only);
- P006_no_targets empties 绩效目标: D1 scores 0 of 10, so 89.00, 良, with an error.
The clerk's 自评得分 stay those of the sample (B6 6, D1 10), so where the computed score now
differs, each also has a P004 warning (`spec/scoring.md`, "Clerk's scores on computed indicators").
R001 (高分低执行, `spec/checks.md`): E = B1 ÷ 10, I = (total − B1) ÷ 90, a warning when
(I − E) ÷ I > 5%: the sample and T001 (E 0.9, I 90/90 = 1: 10%), V006 (I 89.94/90 = 0.99933:
(0.99933 − 0.9) ÷ 0.99933 = 9.94%); not P006 (I 80/90 = 0.889 is below E).
"""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from fill import set_field
from hostile_corpus import csv_renamed, empty_file
from rule_workbooks import BASIC, CASES, Case, build_case
from typer.testing import CliRunner

from selfeval_xlsx import batch
from selfeval_xlsx.batch import BatchOptions, Task, WorkerJob, batch_files, evaluate_all, status_of
from selfeval_xlsx.cli import app
from selfeval_xlsx.scheme.load import load_scheme

runner = CliRunner()
EPOCH = "1700000000"
SAMPLE_NAME = "mazhang_2023.xlsx"
RENAMED_UNITS = {"T001_basic_parts_off": "测试单位甲", "V006_three_decimals": "测试单位乙",
                 "P006_no_targets": "测试单位丙"}
READABLE = 5  # the sample twice and the three rule workbooks


def rule_workbook(name: str, unit: str, folder: Path) -> Path:
    """A rule workbook with its own 单位名称, so that only the sample's copies share one."""
    case = next(c for c in CASES if c.name == name)

    def mutate(book: Any) -> Any:
        expected = case.mutate(book)
        set_field(book[BASIC], "单位名称", unit)
        return expected

    return build_case(Case(name, mutate), folder)[0]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory, sample: Path) -> Path:
    folder = tmp_path_factory.mktemp("batch") / "in"
    (folder / "copy").mkdir(parents=True)
    shutil.copy(sample, folder / SAMPLE_NAME)
    shutil.copy(sample, folder / "copy" / SAMPLE_NAME)  # same unit and year, same file name
    for name, unit in RENAMED_UNITS.items():
        rule_workbook(name, unit, folder)
    empty_file(folder, sample)
    csv_renamed(folder, sample)
    shutil.copy(sample, folder / "~$另一单位.xlsx")  # an Excel lock file (of a workbook not here)
    shutil.copy(sample, folder / "mazhang_2023_评分结果.xlsx")  # the tool's own output
    (folder / "notes.txt").write_text("不是工作簿", encoding="utf-8")
    return folder


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["batch", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def cli_run(inputs: Path) -> dict[str, Any]:
    """One run through the CLI with two workers and --json."""
    out = inputs.parent / "汇总.xlsx"
    code, stdout, stderr = invoke(str(inputs), "-o", str(out), "--jobs", "2", "--json")
    return {"code": code, "json": json.loads(stdout), "stderr": stderr, "out": out}


def by_file(results: list[dict[str, Any]], inputs: Path) -> dict[str, dict[str, Any]]:
    return {str(Path(r["file"]).relative_to(inputs)): r for r in results}


def sheet_rows(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    """The rows under the header (row 3) of one sheet."""
    book = openpyxl.load_workbook(path)
    return list(book[sheet].iter_rows(min_row=4, values_only=True))


def test_batch_statuses_scores_and_exit_code(cli_run: dict[str, Any], inputs: Path) -> None:
    assert cli_run["code"] == 1  # failed and unreadable workbooks
    results = by_file(cli_run["json"], inputs)
    assert sorted(results) == sorted([SAMPLE_NAME, f"copy/{SAMPLE_NAME}", "empty.xlsx",
                                      "export.xlsx", *(n + ".xlsx" for n in RENAMED_UNITS)])
    expected = {SAMPLE_NAME: ("ok", 99.0, "优"), "T001_basic_parts_off.xlsx": ("failed", 99.0, "优"),
                "V006_three_decimals.xlsx": ("ok", 98.94, "优"),
                "P006_no_targets.xlsx": ("failed", 89.0, "良")}
    for name, (status, total, grade) in expected.items():
        assert (results[name]["status"], results[name]["total"], results[name]["grade"]) == (
            status, total, grade)
    v006 = results["V006_three_decimals.xlsx"]["findings"]
    assert [(f["rule"], f["label"]) for f in v006 if f["severity"] == "warning"] == [
        ("V006", "公用经费"), ("R001", "B1"), ("P004", "B6")]
    for name in ("empty.xlsx", "export.xlsx"):
        assert results[name]["status"] == "unreadable" and "无法读取" in results[name]["error"]
        assert "total" not in results[name]


def test_json_results_are_full_result_objects(cli_run: dict[str, Any], inputs: Path) -> None:
    sample = by_file(cli_run["json"], inputs)[SAMPLE_NAME]
    assert sample["schema"] == "selfeval-result/1" and sample["file"] == str(inputs / SAMPLE_NAME)
    assert sample["unit"] == "湛江市麻章区科工贸和信息化局" and sample["year"] == 2023
    assert [f["rule"] for f in sample["findings"]] == ["R001", "T002", "P007"]
    assert len(sample["indicators"]) == 16


def test_progress_goes_to_stderr(cli_run: dict[str, Any], inputs: Path) -> None:
    lines = [line for line in cli_run["stderr"].splitlines() if line.startswith("[")]
    assert [line.split("]")[0] for line in lines] == [f"[{i}/7" for i in range(1, 8)]
    assert {line.split("] ", 1)[1] for line in lines} == {r["file"] for r in cli_run["json"]}


def by_header(path: Path, sheet: str) -> list[dict[str, Any]]:
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    headers = [c.value for c in ws[3]]
    return [dict(zip(headers, row, strict=True)) for row in ws.iter_rows(min_row=4, values_only=True)]


def test_summary_sheet_ranks_and_flags(cli_run: dict[str, Any], inputs: Path) -> None:
    rows = by_header(cli_run["out"], "汇总")
    names = [str(Path(r["文件"]).relative_to(inputs)) for r in rows]
    # passing first by total (99, 99 by file name, 98.94), then the failed apart (99, 89),
    # then the unreadable by file name
    assert names == [f"copy/{SAMPLE_NAME}", SAMPLE_NAME, "V006_three_decimals.xlsx",
                     "T001_basic_parts_off.xlsx", "P006_no_targets.xlsx", "empty.xlsx",
                     "export.xlsx"]
    assert [r["排名"] for r in rows] == [1, 1, 3, "—", "—", "—", "—"]
    assert [r["总分"] for r in rows[:READABLE]] == [99, 99, 98.94, 99, 89]
    assert [r["校验状态"] for r in rows] == ["通过", "通过", "通过", "未通过", "未通过", "无法读取",
                                          "无法读取"]
    # each passing sample also has R001 (高分低执行: E = 9/10, I = 90/90, (I - E)/I = 0.1 > 0.05)
    assert [(r["错误"], r["警告"]) for r in rows[:READABLE]] == [(0, 1), (0, 1), (0, 3), (1, 1),
                                                                 (1, 1)]
    notes = [r["备注"] or "" for r in rows]
    assert ["同一单位同一年度有多份" in n for n in notes[:READABLE]] == [True, True, False, False,
                                                                    False]
    assert ["校验未通过，不参与排名" in n for n in notes] == [False] * 3 + [True] * 2 + [False] * 2
    assert all(n.startswith("无法读取") for n in notes[READABLE:])
    assert rows[1]["预算执行率"] == pytest.approx(812.03 / 902.25, abs=1e-6)
    assert [r["复核提示"] or "" for r in rows] == ["R001 高分低执行"] * 4 + [""] * 3


def test_every_skipped_file_is_listed_with_its_reason(cli_run: dict[str, Any],
                                                      inputs: Path) -> None:
    skipped = {Path(r["文件"]).name: r["原因"] for r in by_header(cli_run["out"], "未纳入")}
    assert skipped == {"~$另一单位.xlsx": "Excel/WPS 的锁定文件（对应的工作簿正打开着），不是工作簿",
                       "mazhang_2023_评分结果.xlsx": "本工具生成的评分结果或汇总工作簿",
                       "notes.txt": "不是工作簿"}
    stderr = cli_run["stderr"]
    assert f"未纳入：{inputs / '~$另一单位.xlsx'}（Excel/WPS 的锁定文件" in stderr
    assert "未纳入：另有 1 个其他文件（不是工作簿）" in stderr and "notes.txt" not in stderr


def test_the_summary_prints_two_landscape_pages_wide_not_shrunk(cli_run: dict[str, Any]) -> None:
    ws = openpyxl.load_workbook(cli_run["out"])["汇总"]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_cols == "$A:$B"  # 排名 and 单位名称 on both pages
    headers = [c.value for c in ws[3]]
    (page_break,) = [b.id for b in ws.col_breaks.brk]
    assert headers[page_break] == "预算执行率"  # the ratios begin the second page
    assert int(ws.page_setup.scale) >= 70


def test_issue_sheet_lists_every_finding(cli_run: dict[str, Any], inputs: Path) -> None:
    rows = sheet_rows(cli_run["out"], "问题清单")
    assert len(rows) == sum(len(r["findings"]) for r in cli_run["json"])
    t001 = [r for r in rows if r[0].endswith("T001_basic_parts_off.xlsx") and r[3] == "T001"]
    assert [(r[1], r[2], r[4]) for r in t001] == [("测试单位甲", "错误", "收支预算")]
    book = openpyxl.load_workbook(cli_run["out"])
    assert book["问题清单"].auto_filter.ref == f"A3:J{3 + len(rows)}"


def test_grade_sheet_counts_with_a_chart(cli_run: dict[str, Any]) -> None:
    rows = sheet_rows(cli_run["out"], "等级分布")
    assert [r[:2] for r in rows[:5]] == [("优", 4), ("良", 1), ("中", 0), ("差", 0), ("无法读取", 2)]
    with zipfile.ZipFile(cli_run["out"]) as package:
        assert any(name.startswith("xl/charts/chart") for name in package.namelist())


def test_jobs_do_not_change_the_bytes(inputs: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    files = [inputs / SAMPLE_NAME, inputs / "P006_no_targets.xlsx", inputs / "export.xlsx"]
    for jobs in (1, 2):
        batch_files(files, BatchOptions(tmp_path / f"jobs{jobs}.xlsx", jobs=jobs))
    assert (tmp_path / "jobs1.xlsx").read_bytes() == (tmp_path / "jobs2.xlsx").read_bytes()


def test_outputs_one_scored_workbook_per_readable_input(inputs: Path, tmp_path: Path) -> None:
    outputs = tmp_path / "units"
    result = batch_files([inputs], BatchOptions(tmp_path / "all.xlsx", jobs=2, outputs=outputs))
    written = sorted(p.name for p in outputs.iterdir())
    assert len(written) == READABLE and all(n.endswith("_评分结果.xlsx") for n in written)
    copies = [n for n in written if n.startswith("mazhang_2023_")]
    assert len(copies) == 2  # the same file name from two folders: each with its own suffix
    readable = [s for s in result.summaries if s["status"] != "unreadable"]
    assert sorted(Path(s["output"]).name for s in readable) == written


def test_no_inputs_is_exit_2_with_one_chinese_line(tmp_path: Path) -> None:
    (tmp_path / "~$locked.xlsx").write_bytes(b"")
    code, out, err = invoke(str(tmp_path), "-o", str(tmp_path / "out.xlsx"))
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and "没有找到" in err


def test_unwritable_output_is_exit_2_before_any_work(inputs: Path, tmp_path: Path) -> None:
    code, out, err = invoke(str(inputs), "-o", str(tmp_path / "missing" / "out.xlsx"))
    assert (code, out) == (2, "")
    # the same rule as every command: the folder that would hold the output must exist
    assert len(err.splitlines()) == 1 and f"输出文件夹“{tmp_path / 'missing'}”不存在" in err


def test_strict_fails_on_warnings() -> None:
    counts = {"error": 0, "warning": 1, "info": 0}
    assert (status_of({"counts": counts}, False), status_of({"counts": counts}, True)) == (
        "ok", "failed")


def job() -> WorkerJob:
    return WorkerJob(load_scheme(), "zh", batch.generation_time(), full_results=False)


def test_an_unexpected_exception_is_one_unreadable_file(sample: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: Path, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("a bug")

    monkeypatch.setattr(batch, "evaluate_file", broken)
    (summary,) = evaluate_all([Task(0, sample, "x.xlsx")], job(), jobs=1)
    assert summary["status"] == "unreadable" and summary["file"] == "x.xlsx"
    assert summary["error"].startswith("内部错误（ValueError）") and "Traceback" not in summary["error"]


@pytest.mark.skipif(os.name != "posix", reason="the patched worker is inherited through fork")
def test_a_dying_worker_loses_only_its_file(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = batch.evaluate_file

    def crash_on_bad(path: Path, *args: Any, **kwargs: Any) -> Any:
        if path.name == "bad.xlsx":
            os._exit(3)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(batch, "evaluate_file", crash_on_bad)
    tasks = [Task(i, Path(name), name) for i, name in enumerate([str(sample), "bad.xlsx"])]
    tasks.append(Task(2, sample, "again.xlsx"))
    summaries = evaluate_all(tasks, job(), jobs=2)
    assert [s.get("status") for s in summaries] == [None, "unreadable", None]
    assert "total" in summaries[0] and "total" in summaries[2]
    assert "工作进程意外退出" in summaries[1]["error"]
