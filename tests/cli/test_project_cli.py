"""The command line on project workbooks (typer's CliRunner): the form detected from the workbook,
`template --form project`, `--projects` on score / check / report, batch with both forms."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
from build_project_sample import PROJECT_SAMPLE, UNSUMMED_SAMPLE
from fill import fill_rows, find_text
from typer.testing import CliRunner

from selfeval_xlsx.cli import app
from selfeval_xlsx.xlsx.ownership import Made, mark_of

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_template_form_project_writes_the_project_template(tmp_path: Path) -> None:
    target = tmp_path / "项目表.xlsx"
    code, out, err = run("template", "--form", "project", "-o", str(target))
    assert (code, err) == (0, "") and str(target) in out
    assert openpyxl.load_workbook(target).sheetnames == ["填表说明", "项目1"]
    assert mark_of(target) is Made.TEMPLATE


def test_check_project_sample_prints_each_project_and_passes() -> None:
    code, out, err = run("check", str(PROJECT_SAMPLE))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "单位：示例县农业农村局（2023 年度）  项目 3 个  校验：通过"
    assert lines[1].startswith("  项目1 农村人居环境整治项目：总分 100.00  等级 优（执行率 100.00%")
    assert lines[3].startswith("  项目3 农产品质量安全检测项目：总分 90.85  等级 优（执行率 84.00%")
    assert "平均分 96.62  按资金加权平均分 96.36" in out and "校验结果：通过" in out


def test_check_unsummed_fails_naming_sheet_cell_and_row() -> None:
    code, out, _ = run("check", str(UNSUMMED_SAMPLE))
    assert code == 1
    j001 = [line for line in out.splitlines() if "J001" in line]
    assert len(j001) == 3 and all("项目1!" in line and "年度资金总额" in line for line in j001)
    assert "校验结果：未通过" in out


def test_score_json_is_the_project_result_object(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    code, out, _ = run("score", str(PROJECT_SAMPLE), "-o", str(target), "--json")
    assert code == 0 and target.is_file()
    data = json.loads(out)
    assert (data["schema"], data["form"], data["passed"], data["file"]) == (
        "selfeval-project-result/1", "project", True, str(PROJECT_SAMPLE))
    first = data["projects"][0]
    assert {"sheet", "name", "total", "grade", "execution", "indicators"} <= set(first)
    assert set(first["execution"]) >= {"budget", "spent", "rate", "score"}
    assert first["execution"] == {"budget": 7.29, "spent": 7.29, "rate": 1.0, "weight": 10.0,
                                  "score": 10.0, "self_score": 10.0}
    row = data["projects"][2]["indicators"][2]
    assert row == {"row": row["row"], "level1": "产出指标", "level2": "成本指标",
                   "level3": "单批次检测成本", "kind": "≤", "unit": "元", "target": 300.0,
                   "actual": 330.0, "weight": 15.0, "self_score": 13.5, "score": 13.5,
                   "basis": "反向：(1 − (完成值 330 − 指标值 300) ÷ 指标值 300) × 15 = 13.50"}
    qualitative = data["projects"][2]["indicators"][4]
    assert (qualitative["kind"], qualitative["target"], qualitative["actual"]) == (
        "定性", "明显提高", "部分达成年度指标并具有一定效果")
    assert (data["mean"], data["weighted_mean"]) == (96.62, 96.36)
    assert data["grades"] == {"优": 3, "良": 0, "中": 0, "差": 0}
    assert data["counts"] == {"error": 0, "warning": 0, "info": 0}


def test_score_default_output_beside_the_input(tmp_path: Path) -> None:
    source = tmp_path / "项目.xlsx"
    shutil.copy(PROJECT_SAMPLE, source)
    code, out, _ = run("score", str(source))
    assert code == 0 and (tmp_path / "项目_评分结果.xlsx").is_file()
    assert "评分结果已写入" in out


def whole_with_projects(sample: Path, folder: Path) -> Path:
    book = openpyxl.load_workbook(sample)
    fill_rows(book["重点项目"], "序号", ["序号", "项目名称", "预算数", "实际支出数", "项目自评得分"],
              [(1, "农村人居环境整治项目", 7.29, 7.29, 100), (2, "耕地地力保护补贴项目", 89.97, 89.97, 99),
               (3, "农产品质量安全检测项目", 48, 40.32, 90.85)])
    path = folder / "整体.xlsx"
    book.save(path)
    return path


def test_score_department_with_projects_feeds_d3(sample: Path, tmp_path: Path) -> None:
    # (100 + 99 + 90.85) / 3 = 96.6166… → D3 = 96.6166… / 100 × 5 = 4.83
    path = whole_with_projects(sample, tmp_path)
    code, out, _ = run("score", str(path), "-o", str(tmp_path / "o.xlsx"), "--json",
                       "--projects", str(PROJECT_SAMPLE))
    data = json.loads(out)
    d3 = next(i for i in data["indicators"] if i["code"] == "D3")
    assert d3["score"] == 4.83 and "按项目支出绩效自评表核定" in d3["basis"]
    assert not any(f["rule"].startswith("J") for f in data["findings"])
    code2, out2, _ = run("check", str(path), "--json", "--projects", str(PROJECT_SAMPLE))
    assert json.loads(out2)["findings"] == data["findings"] and code2 == code  # check agrees


def test_projects_option_refuses_wrong_inputs(sample: Path, tmp_path: Path) -> None:
    other = tmp_path / "另一单位.xlsx"
    shutil.copy(sample, other)
    code, out, err = run("check", str(sample), "--projects", str(other))
    assert code == 2 and out == "" and "不是项目支出绩效自评表工作簿" in err
    code, out, err = run("check", str(PROJECT_SAMPLE), "--projects", str(PROJECT_SAMPLE))
    assert code == 2 and "--projects 用于把项目得分填入部门整体工作簿" in err
    code, _, err = run("check", str(sample), "--projects", str(tmp_path / "无此文件.xlsx"))
    assert code == 2 and "找不到" in err and len(err.splitlines()) == 1


def test_report_of_a_project_workbook_is_refused(tmp_path: Path) -> None:
    code, _, err = run("report", str(PROJECT_SAMPLE), "-o", str(tmp_path / "r.docx"))
    assert code == 2 and "自评报告按部门整体工作簿起草" in err


def test_a_department_scheme_on_a_project_workbook_is_refused() -> None:
    code, _, err = run("check", str(PROJECT_SAMPLE), "--scheme", "chongqing_2021")
    assert code == 2 and "不是项目支出绩效自评表的评分方案" in err


def test_a_project_scheme_on_a_department_workbook_is_refused(sample: Path) -> None:
    code, _, err = run("check", str(sample), "--scheme", "project_hubei")
    assert code == 2 and "项目支出绩效自评表的评分方案" in err


def test_english_lines_for_a_project_workbook() -> None:
    code, out, _ = run("check", str(PROJECT_SAMPLE), "--lang", "en")
    assert code == 0 and out.startswith("Unit: 示例县农业农村局 2023  Projects: 3  Validation: passed")


def test_a_fraction_in_a_percent_row_is_named_in_both_languages(tmp_path: Path) -> None:
    # 项目1 受益群众满意度 (T 90 %) with its 实际完成值 typed as 0.95: J014 at that cell says it
    # looks like 95 % typed as a fraction, in the language asked for (J004, J009, J010 follow)
    book = openpyxl.load_workbook(PROJECT_SAMPLE)
    ws = book["项目1"]
    (actual,) = [c for c in ws[find_text(ws, "受益群众满意度").row] if c.value == "95%"]
    actual.value = 0.95
    path = tmp_path / "fraction.xlsx"
    book.save(path)
    zh = json.loads(run("check", str(path), "--json")[1])["findings"]
    en = json.loads(run("check", str(path), "--json", "--lang", "en")[1])["findings"]
    on_row = [(z, e) for z, e in zip(zh, en, strict=True) if z["label"] == "受益群众满意度"]
    assert sorted(z["rule"] for z, _ in on_row) == ["J004", "J009", "J010", "J014"]
    ((j014, j014_en),) = [(z, e) for z, e in on_row if z["rule"] == "J014"]
    assert (j014["cell"], j014["expected"], j014["actual"]) == (actual.coordinate, "95", "0.95")
    assert "实际完成值 0.95 像是把 95% 填成了小数（本行是百分数指标，年度指标值为 90）：请填 95" \
        in j014["message"]
    assert "the actual 0.95 looks like 95% typed as a fraction" in j014_en["message"]
    code, out, _ = run("check", str(path), "--lang", "en")
    assert code == 1 and "looks like 95% typed as a fraction" in out and "像是把" not in out


def test_scheme_check_describes_a_project_scheme() -> None:
    code, out, _ = run("scheme", "check", "project_default")
    assert code == 0 and "项目资金执行率（年度资金总额）10 分" in out and "产出指标 50 分" in out


def test_batch_takes_project_workbooks_beside_department_ones(sample: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(sample, folder / "mazhang.xlsx")
    shutil.copy(PROJECT_SAMPLE, folder / "projects.xlsx")
    shutil.copy(UNSUMMED_SAMPLE, folder / "chizhou.xlsx")
    target = tmp_path / "汇总.xlsx"
    code, out, _ = run("batch", str(folder), "-o", str(target), "--jobs", "1", "--json")
    assert code == 1  # the unsummed workbook fails
    forms = {Path(s["file"]).name: (s.get("form"), s["status"]) for s in json.loads(out)}
    assert forms == {"mazhang.xlsx": (None, "ok"), "projects.xlsx": ("project", "ok"),
                     "chizhou.xlsx": ("project", "failed")}
    book = openpyxl.load_workbook(target, data_only=True)
    assert book.sheetnames == ["汇总", "问题清单", "等级分布", "项目汇总", "未纳入"]
    units = [row[1] for row in book["汇总"].iter_rows(min_row=4, values_only=True) if row[1]]
    assert units == ["湛江市麻章区科工贸和信息化局"]  # the 整体 workbook only
    projects = [(Path(r[0]).name, r[3], r[8], r[9]) for r in
                book["项目汇总"].iter_rows(min_row=4, values_only=True) if r[0]]
    assert projects == [("chizhou.xlsx", "项目1", 89, "良"), ("projects.xlsx", "项目1", 100, "优"),
                        ("projects.xlsx", "项目2", 99, "优"),
                        ("projects.xlsx", "项目3", 90.85, "优")]
    issues = {r[3] for r in book["问题清单"].iter_rows(min_row=4, values_only=True) if r[0]}
    assert {"J001", "J003", "T002"} <= issues
    # 等级分布 counts the one 整体 workbook (优, R001 is only a warning); the two project
    # workbooks are said to be elsewhere, so its 合计 (1) and "共 3 份" above do not disagree
    grades = [r[:2] for r in book["等级分布"].iter_rows(min_row=4, values_only=True) if r[0]]
    assert grades[:6] == [("优", 1), ("良", 0), ("中", 0), ("差", 0), ("无法读取", 0), ("合计", 1)]
    assert grades[6:] == [("另有项目支出绩效自评表工作簿 2 份，不在此表：其各项目的等级见“项目汇总”表。",
                           None)]


def test_a_project_workbook_without_a_titled_sheet_is_refused_as_such(tmp_path: Path) -> None:
    # every title edited: its 填表说明 still records project_default (a shipped project scheme),
    # so the refusal says what is missing, not that the scheme is not shipped
    book = openpyxl.load_workbook(PROJECT_SAMPLE)
    for name in ("项目1", "项目2", "项目3"):
        find_text(book[name], "项目支出绩效自评表").value = "绩效自评"
    path = tmp_path / "无标题.xlsx"
    book.save(path)
    code, out, err = run("check", str(path))
    assert (code, out) == (2, "")
    assert err == ("“无标题.xlsx”是项目支出绩效自评表工作簿（填表说明记录的是项目评分方案“project_default”），"
                   "但没有找到标题为“项目支出绩效自评表”的工作表，无法校验和评分。"
                   "请在每张项目表的标题单元格中恢复标题“项目支出绩效自评表”。\n")
    code, out, err = run("check", str(path), "--lang", "en")
    assert (code, out) == (2, "")
    assert err == ("'无标题.xlsx' is a project workbook (its 填表说明 records the project scheme "
                   "'project_default'), but no sheet titled 项目支出绩效自评表 was found, so "
                   "nothing can be checked or scored. Restore the title 项目支出绩效自评表 in "
                   "each project sheet's title cell.\n")
