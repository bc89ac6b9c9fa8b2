"""The three published schemes shipped as data (重庆 2021, 岳阳, 四川 2017), each scoring a
workbook filled for it from its own template. Every expected score is worked out by hand below
from the figures the test writes and the rules of `spec/scoring.md` / `spec/project-form.md`.

The sample's data sheets are the base (`spec/sample-mazhang-2023.md`): 支出合计 年初 902.25,
决算 812.03 (执行率 90.0005%), 公用经费 8.02 / 8.02, "三公" 0 / 0, 固定资产 88.94 / 88.94,
行政编制 11 / 在职 11, 事业编制 9 / 在职事业在编 4; ten 绩效目标 and ten 重点工作, all 完成.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from fill import set_cell
from openpyxl.workbook.workbook import Workbook
from rule_workbooks import budget
from scheme_workbooks import (
    answers,
    fields,
    personal_rows,
    scheme_file,
    scheme_workbook,
    self_scores,
)

from selfeval_xlsx.evaluate import Result, evaluate_workbook
from selfeval_xlsx.scheme.load import load_scheme


def scored(scheme: str, folder: Path, fill: object) -> Result:
    path = scheme_workbook(scheme, folder, fill, scheme)  # type: ignore[arg-type]
    return evaluate_workbook(path, load_scheme(scheme_file(scheme))).result


def scores(result: Result) -> dict[str, Decimal]:
    assert result.scoring is not None
    return {s.indicator.code: s.score for s in result.scoring.indicators}


# ---- 重庆 2021: 执行率 10 + 14 common indicators 30 + 个性指标 60 ----

def fill_chongqing(book: Workbook) -> None:
    fields(book, "经费控制", {'上年"三公"经费决算数': 1.20})
    fields(book, "收支预算", {"年末结转和结余": 27.07, "政府采购预算数": 100, "政府采购实际数": 72.74})
    personal_rows(book, [
        ("党性教育培训次数", "定量", "正向", "次", 5, 5, 5, None, None),
        ("组织宣传活动次数", "定量", "正向", "次", 12, 9, 10, None, "两次活动因天气取消"),
        ("制作宣传品数量", "定量", "正向", "件", 5, 6, 5, None, None),
        ("播发稿件数量", "定量", "正向", "篇", 800, 820, 10, None, None),
        ("业务保障能力提升", "定性", None, None, "提升", "有所提升", 10, 9, "设备更新未全部完成"),
        ("播出差错次数", "定量", "反向", "次", 2, 3, 10, None, "直播设备故障"),
        ("受众满意度", "定量", "正向", "%", "95%", "90%", 10, None, "调查样本偏少"),
    ])
    # the clerk scores the 自评 rows in full, and G9 too (the 重庆 form's 得分系数 100%)
    self_scores(book, {"G3": 1, "G10": 3, "G11": 5, "G12": 1, "G13": 2, "G9": 2})


CHONGQING = {
    "Z1": "9.00",   # 执行率 812.03 / 902.25 = 90.0005% × 10 = 9.00
    "G1": "2",      # 反向 ≤100%: (11 + 4) / (11 + 9) = 75% ≤ 100%: full
    "G2": "2",      # 反向 ≤0: (0 − 1.20) / 1.20 = −100% ≤ 0 (T = 0, A counts as 0): full
    "G3": "1",      # 自评
    "G4": "2",      # 正向 ≥70%: 90.0005% ≥ 70%: full
    "G5": "2",      # 反向 ≤3%: 调整率 0 (调整后预算数 empty): full
    "G6": "1.00",   # 反向 ≤2%: 27.07 / 902.25 = 3.000277%, between T and 2T:
                    # (1 − 1.000277 / 2) × 2 = 0.99972 -> 1.00
    "G7": "2",      # 反向 ≤100%: 8.02 / 8.02 = 100%: full
    "G8": "2",      # 反向 ≤100%: 0 ÷ 0 counts as on target: full
    "G9": "1.45",   # 正向 100%: 72.74 / 100 = 72.74% -> 72.74 / 100 × 2 = 1.4548 -> 1.45
    "G10": "3", "G11": "5", "G12": "1", "G13": "2",  # 自评
    "G14": "2",     # 正向 90%: 88.94 / 88.94 = 100% ≥ 90%: full
    # 个性指标: 5 (5 of 5) + 7.50 (9 / 12 × 10) + 5 (6 ≥ 5) + 10 (820 ≥ 800) + 9 (定性, the
    # clerk's) + 5.00 (反向: 3 in (2, 4): (1 − 1/2) × 10) + 9.47 (90 / 95 × 10 = 9.4737) = 50.97
    "P1": "50.97",
}


def test_chongqing_2021_scores_by_hand(tmp_path: Path) -> None:
    result = scored("chongqing_2021", tmp_path, fill_chongqing)
    assert scores(result) == {code: Decimal(v) for code, v in CHONGQING.items()}
    assert result.scoring is not None
    # 9 + (2+2+1+2+2+1+2+2+1.45+3+5+1+2+2 = 28.45) + 50.97 = 88.42: 良 (80 ≤ 88.42 < 90)
    assert result.scoring.total == Decimal("88.42") and result.scoring.grade == "良"
    groups = {g.name: g.score for g in result.scoring.groups}
    assert groups == {"部门预算执行情况": Decimal("9.00"), "共性指标": Decimal("28.45"),
                      "个性指标": Decimal("50.97")}
    # R005: G9's 72.74% misses its 100% while the clerk wrote full marks (the fault the 重庆
    # form itself shows), with P004 for the differing score. No R001: E = 9/10 = 0.9,
    # I = (88.42 − 9) / 90 = 0.882 is below E.
    assert sorted((f.sheet, f.label, f.rule) for f in result.findings) == [
        ("收支预算", "基本支出", "T002"), ("评分表", "G9", "P004"), ("评分表", "G9", "R005")]


def test_chongqing_template_has_the_fields_and_the_personal_sheet(tmp_path: Path) -> None:
    import openpyxl

    from selfeval_xlsx.api import write_blank_template

    path = tmp_path / "cq.xlsx"
    write_blank_template(path, scheme_file("chongqing_2021"))
    book = openpyxl.load_workbook(path)
    assert "个性指标" in book.sheetnames
    assert book.sheetnames.index("个性指标") == book.sheetnames.index("重点项目") + 1
    texts = {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row}
    assert {"年末结转和结余", "政府采购预算数", "政府采购实际数", '上年"三公"经费决算数'} <= texts
    assert "年初结转和结余" not in texts  # not used by 重庆 (主要职能 is on every template)


# ---- 岳阳: 投入 15 and 过程 40 as published, 产出及效果 45 as 自评 ----

def fill_yueyang(book: Workbook) -> None:
    from fill import set_field

    set_field(book["基本信息"], "年末在职事业在编人员", 10)
    set_cell(book["经费控制"], "项目", "三公经费合计", "预算数", 1.20)
    set_cell(book["经费控制"], "项目", "三公经费合计", "实际支出数", 1.05)
    set_cell(book["经费控制"], "项目", "公务接待费", "预算数", 1.20)
    set_cell(book["经费控制"], "项目", "公务接待费", "实际支出数", 1.05)
    fields(book, "经费控制", {'上年"三公"经费决算数': 1.00})
    budget(book, "支出合计", "调整后预算数", 950.00)
    budget(book, "项目支出", "调整后预算数", 496.05)  # 453.95 + 496.05 = 950.00
    fields(book, "收支预算", {"年初结转和结余": 50.00, "年末结转和结余": 40.00,
                          "预算执行情况说明": "部分项目跨年度实施"})
    from fill import fill_rows

    fill_rows(book["重点项目"], "序号", ["序号", "项目名称", "预算数", "项目自评得分"],
              [(1, "园区道路", 200, 90), (2, "电商中心", 161.50, 85)])
    answers(book, {"P5-1": "是", "P5-2": "是", "P5-3": "否", "P6-1": "是", "P6-2": "是",
                   "P6-3": "是", "P6-4": "否", "P6-5": "是"},
            {"P5-3": "个别制度未执行到位", "P6-4": "一笔支出调整了用途"})
    self_scores(book, {"P2": 2.5, "P7": 3, "P8": 6, "P9": 10, "O1": 22, "O2": 18},
                {"P2": "一个专项延期拨付", "O1": "个别产出未完成", "O2": "满意度未达目标"})


YUEYANG = {
    "T1": "2.50",  # control ≤100%, −0.5/pp: (11 + 10) / (11 + 9) = 105%: 5 − 5 × 0.5
    "T2": "2.50",  # control ≤0, −0.5/pp: (1.05 − 1.00) / 1.00 = 5%: 5 − 5 × 0.5
    "T3": "3",     # bands ≥: (200 + 161.50) / 496.05 = 72.876%: [70%, 80%) -> 3
    "P1": "2",     # bands ≤: |950 − 902.25| / 902.25 = 5.292%: (0, 10%] -> 2
    "P2": "2.5",   # 自评
    "P3": "2",     # bands: 40 / 50 = 80%: not 0, ≤ 100% (not above 上年结转) -> 2
    "P4": "6",     # control ≤100%: 1.05 / 1.20 = 87.5%: full
    "P5": "2",     # checklist: P5-1 是 1 + P5-2 是 1 + P5-3 否 0
    "P6": "2",     # deduct: 3 − 1 × (P6-4 否)
    "P7": "3", "P8": "6", "P9": "10", "O1": "22", "O2": "18",  # 自评
}


def test_yueyang_scores_by_hand(tmp_path: Path) -> None:
    result = scored("yueyang", tmp_path, fill_yueyang)
    assert scores(result) == {code: Decimal(v) for code, v in YUEYANG.items()}
    assert result.scoring is not None
    # 2.5 + 2.5 + 3 + 2 + 2.5 + 2 + 6 + 2 + 2 + 3 + 6 + 10 + 22 + 18 = 83.50: 良
    assert result.scoring.total == Decimal("83.50") and result.scoring.grade == "良"
    groups = {g.name: (g.weight, g.score) for g in result.scoring.groups}
    assert groups["投入"] == (15, Decimal("8.00")) and groups["过程"] == (40, Decimal("35.50"))
    # T010: 在职事业在编 10 above 事业编制 9 (the staff over quota that T1 deducts for)
    assert sorted((f.sheet, f.rule) for f in result.findings) == [
        ("基本信息", "T010"), ("收支预算", "T002")]


# ---- 四川 2017: the whole 25 / 30 / 45 tree ----

def fill_sichuan(book: Workbook) -> None:
    from fill import header_columns

    items = ("B1-1", "B2-1", "B3-1", "B4-1", "B6-1", "B7-1", "B8-1", "B9-1", "B11-1", "B12-1",
             "B13-1", "B14-1", "B15-1")
    answers(book, {code: "否" if code == "B14-1" else "是" for code in items},
            {"B14-1": "绩效评价结果未公开"})
    personal_rows(book, [
        ("招商引资项目数", "定量", "正向", "个", 10, 8, 10, None, "两个项目推迟签约"),
        ("企业服务满意度", "定量", "正向", "%", "90%", "92%", 5, None, None),
        ("安全生产事故起数", "定量", "等于", "起", 0, 0, 5, None, None),
    ])
    tasks = book["重点工作"]
    head, columns = header_columns(tasks, "序号", ["完成情况", "说明"])
    for row in (head + 1, head + 2):
        tasks.cell(row, columns["完成情况"]).value = "部分完成"
        tasks.cell(row, columns["说明"]).value = "跨年度推进"
    self_scores(book, {"A1": 5, "A2": 5, "A3": 4, "A4": 5, "A5": 5, "B5": 3, "B10": 2, "B16": 2,
                       "C3": 4, "C4": 5, "C5": 3, "C6": 3, "C7": 4},
                {"A3": "个别目标偏高", "B16": "结果应用不充分", "C3": "创新成果较少"})


SICHUAN = {
    "A1": "5", "A2": "5", "A3": "4", "A4": "5", "A5": "5",  # 自评: 24 of 25
    # 核对, one item each answered 是 (B14-1 否): 1+1+2+2+1+1+2+2+2+2+2+0+2 = 20
    "B1": "1", "B2": "1", "B3": "2", "B4": "2", "B6": "1", "B7": "1", "B8": "2", "B9": "2",
    "B11": "2", "B12": "2", "B13": "2", "B14": "0", "B15": "2",
    "B5": "3", "B10": "2", "B16": "2",  # 自评: 7 of 8
    "C1": "18.00",  # 个性指标: 8 / 10 × 10 = 8.00 + 5 (92 ≥ 90) + 5 (等于, T = 0, A = 0)
    "C2": "4.50",   # completion: (8 + 2 × 0.5) / 10 = 90% × 5
    "C3": "4", "C4": "5", "C5": "3", "C6": "3", "C7": "4",  # 自评
}


def test_sichuan_2017_scores_by_hand(tmp_path: Path) -> None:
    result = scored("sichuan_2017", tmp_path, fill_sichuan)
    assert scores(result) == {code: Decimal(v) for code, v in SICHUAN.items()}
    assert result.scoring is not None
    # 24 + (20 + 7) + (18 + 4.50 + 4 + 5 + 3 + 3 + 4) = 24 + 27 + 41.50 = 92.50: 优
    assert result.scoring.total == Decimal("92.50") and result.scoring.grade == "优"
    groups = {g.name: (g.weight, g.score) for g in result.scoring.groups}
    assert groups == {"部门决策": (25, 24), "综合管理": (30, 27),
                      "部门绩效情况": (45, Decimal("41.50"))}
    assert [(f.sheet, f.rule) for f in result.findings] == [("收支预算", "T002")]


@pytest.mark.parametrize("scheme", ["chongqing_2021", "yueyang", "sichuan_2017"])
def test_published_schemes_mark_what_is_inferred(scheme: str) -> None:
    text = scheme_file(scheme).read_text(encoding="utf-8")
    assert "[SRC]" in text and "[INFER]" in text
    assert load_scheme(scheme_file(scheme)).total_weight == 100
