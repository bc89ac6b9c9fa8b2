"""The drafted 整体绩效自评报告: figures, sections, deductions, the draft mark, layout, PDF, pages.

The allowed figures are built here from `spec/sample-mazhang-2023.md` and `spec/scoring.md`, not
from the tool, so a figure the report invents (or computes differently) fails the test.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from fill import header_columns, set_cell, set_field
from render_report import render
from rule_workbooks import CASES, budget, build_case

from selfeval_xlsx.evaluate import evaluate_workbook
from selfeval_xlsx.report.document import default_report_path, write_report

Converter = Callable[[list[Path], str, Path], list[Path]]
UNIT = "湛江市麻章区科工贸和信息化局"
DRAFT = "草稿（校验未通过）"
HEADINGS = ("整体绩效自评报告", "一、单位基本情况", "（一）单位机构设置、部门职能情况", "（二）年度重点工作",
            "（三）部门整体支出绩效目标", "（四）部门整体支出情况", "二、自评工作开展情况",
            "三、绩效自评情况", "（一）自评结果", "（二）部门整体支出绩效指标分析", "（三）存在问题",
            "（四）改进措施", "四、其他自评情况")
NUMBER = re.compile(r"\d+(?:\.\d+)?%|\d+\.\d+")
CENT = Decimal("0.01")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# spec/sample-mazhang-2023.md, 万元
SAMPLE_AMOUNTS = ("902.25", "872.25", "30.00", "812.03", "453.95", "334.38", "104.22", "15.34",
                  "448.30", "358.08", "418.30", "0.00", "8.02", "88.94")
# spec/scoring.md: weights of A1..D3 and of the four 一级指标
WEIGHTS = {"A1": 4, "A2": 4, "A3": 4, "A4": 8, "B1": 10, "B2": 8, "B3": 4, "B4": 6, "B5": 6,
           "B6": 6, "C1": 5, "C2": 6, "C3": 4, "D1": 10, "D2": 10, "D3": 5}
GROUPS = {"预算编制": 20, "预算执行": 40, "预算监督": 15, "预算使用效益": 25}


def two(value: Decimal) -> str:
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):f}"


def percent(part: str, whole: str) -> str:
    return two(Decimal(part) / Decimal(whole) * 100) + "%"


def clerk_numbers(sample: Path) -> set[str]:
    """Figures inside the clerk's own text: 绩效目标, 重点工作 and the 扣分原因 column."""
    book = openpyxl.load_workbook(sample)
    texts = [c.value for name in ("绩效目标", "重点工作") for row in book[name].iter_rows()
             for c in row if isinstance(c.value, str)]
    head_row, columns = header_columns(book["评分表"], "指标编号", ["扣分原因"])
    sheet = book["评分表"]
    texts += [str(sheet.cell(r, columns["扣分原因"]).value or "")
              for r in range(head_row + 1, sheet.max_row + 1)]
    return {n for text in texts for n in NUMBER.findall(text)}


def allowed_numbers(sample: Path) -> set[str]:
    shares = {percent("453.95", "902.25"), percent("448.30", "902.25"),
              percent("453.95", "872.25"), percent("418.30", "872.25")}
    rates = {percent("812.03", "902.25"), "100.00%", "0.00%"}  # execution; full rates; no adjustment
    rounding = {two(Decimal("334.38") + Decimal("104.22") + Decimal("15.34")), "0.01"}  # 尾差
    scores = {f"{w}.00" for w in WEIGHTS.values()} | {"9.00", "1.00"}  # B1 = 9.00: 1 point off
    groups = {f"{w}.00" for w in GROUPS.values()} | {"39.00", "99.00"}
    return (set(SAMPLE_AMOUNTS) | shares | rates | rounding | scores | groups
            | clerk_numbers(sample))


def invented(text: str, allowed: set[str]) -> list[str]:
    return [n for n in NUMBER.findall(text) if n not in allowed]


def lines_of(path: Path) -> list[str]:
    """Paragraphs and table rows in reading order."""
    document = docx.Document(str(path))
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            lines += [" | ".join(c.text for c in row.cells) for row in block.rows]
        else:
            lines.append(block.text)
    return lines


def section(lines: list[str], start: str, end: str) -> str:
    first = lines.index(start)
    return "\n".join(lines[first + 1:lines.index(end, first)])


def variant(sample: Path, folder: Path, name: str, change: Callable[[openpyxl.Workbook], None]) -> Path:
    book = openpyxl.load_workbook(sample)
    change(book)
    path = folder / f"{name}.xlsx"
    book.save(path)
    return path


def deduct(book: openpyxl.Workbook) -> None:
    set_cell(book["管理核对"], "编号", "C2-3", "是否符合", "否")
    set_cell(book["管理核对"], "编号", "C2-3", "说明", "存在超标准开支")
    budget(book, "支出合计", "决算数", 800)
    budget(book, "项目支出", "决算数", 346.05)


def clear_unit(book: openpyxl.Workbook) -> None:
    set_field(book["基本信息"], "单位名称", None)


@pytest.fixture(scope="module")
def reports(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reports")
    sources = {"sample": sample, "deduction": variant(sample, folder, "deduction", deduct),
               "error": variant(sample, folder, "error", clear_unit)}
    written = {}
    for name, source in sources.items():
        written[name] = folder / f"{name}_自评报告.docx"
        write_report(evaluate_workbook(source), written[name])
    return written


@pytest.fixture(scope="module")
def pdfs(reports: dict[str, Path], libreoffice: Converter,
         tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One LibreOffice call for every report of this module."""
    converted = libreoffice(list(reports.values()), "pdf", tmp_path_factory.mktemp("pdf"))
    return dict(zip(reports, converted, strict=True))


def pdf_text(pdf: Path, first: int = 1, last: int = 999) -> str:
    return subprocess.run(["pdftotext", "-f", str(first), "-l", str(last), "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True, timeout=60).stdout


# ---------------------------------------------------------------- content


def test_sample_report_states_the_workbook_figures(reports: dict[str, Path]) -> None:
    lines = lines_of(reports["sample"])
    text = "\n".join(lines)
    for shown in (UNIT, "2023年度", "2024年5月28日", "收入预算902.25万元", "一般公共预算拨款872.25万元",
                  "政府性基金拨款30.00万元", "基本支出预算453.95万元，占50.31%",
                  "项目支出预算448.30万元，占49.69%", "占52.04%", "项目支出预算418.30万元，占47.96%",
                  "工资福利支出334.38万元", "决算数812.03万元", "预算执行率为90.00%",
                  "自评得分为99.00分，绩效等级为优", "行政编制11名", "离退休人员30名", "局退休14名",
                  "固定资产利用率100.00%", "公用经费预算安排数8.02万元", "1.大力推动工业发展。",
                  "10.完成高新技术企业改造。"):
        assert shown in text, shown
    for heading in HEADINGS:
        assert heading in lines, heading
    assert DRAFT not in text
    assert "国有资本经营预算拨款" not in section(lines, "（四）部门整体支出情况", "二、自评工作开展情况")


def test_sample_report_has_no_invented_figures(sample: Path, reports: dict[str, Path]) -> None:
    text = "\n".join(lines_of(reports["sample"]))
    allowed = allowed_numbers(sample)
    assert invented(text, allowed) == []
    assert invented(text + "，另有123.45万元、12.5%", allowed) == ["123.45", "12.5%"]  # it can fail
    assert all("." in a and len(a.split(".")[1]) == 2 for a in re.findall(r"([\d.]+)万元", text))


def test_sample_report_names_the_one_deduction_and_the_info_findings(reports: dict[str, Path]) -> None:
    lines = lines_of(reports["sample"])
    problems = section(lines, "（三）存在问题", "（四）改进措施")
    assert "预算执行率得9.00分（满分10分），扣1.00分" in problems
    assert "加强预算执行进度管理" in section(lines, "（四）改进措施", "四、其他自评情况")
    # the rounding residue and the indicator that does not apply are the tool's notes, not
    # narrative: 四、其他自评情况 says 无 as the seed report does, and D3 is told in the analysis
    others = lines[lines.index("四、其他自评情况") + 1]
    assert others == "无。" and "453.94" not in "\n".join(lines)
    analysis = section(lines, "（二）部门整体支出绩效指标分析", "（三）存在问题")
    assert "本单位无部门重点项目，该指标不适用，按满分计" in analysis


def test_deductions_and_reasons_appear_under_problems_with_measures(reports: dict[str, Path]) -> None:
    lines = lines_of(reports["deduction"])
    problems = section(lines, "（三）存在问题", "（四）改进措施")
    measures = section(lines, "（四）改进措施", "四、其他自评情况")
    assert "资金使用合规性得4.00分（满分6分），扣2.00分" in problems
    assert "“无超标准开支情况”一项不符合（存在超标准开支）" in problems
    assert "预算执行率得8.87分（满分10分），扣1.13分" in problems
    assert "88.67%" in problems
    # X010 (执行率 below 90% without 执行情况说明), said formally with no cell or rule code
    assert "【请核实：《收支预算》中“预算执行情况说明”未说明预算执行率偏低的原因】" in problems
    assert "【请核实：《评分表》中“预算执行率”的自评得分与按数据计算的得分不一致】" in problems
    assert "一是在保证资金使用合理" in measures and "严格执行开支标准" in measures
    assert "数据填报质量" in measures
    assert "支出决算数800.00万元，其中：基本支出453.95万元，项目支出346.05万元" in "\n".join(lines)


@pytest.mark.slow
def test_a_failed_workbook_still_gets_a_draft_marked_on_the_first_page(
        reports: dict[str, Path], pdfs: dict[str, Path]) -> None:
    lines = lines_of(reports["error"])
    assert lines[0] == DRAFT
    assert any(line.startswith("评价单位：【请填写：单位名称】本级") for line in lines)
    header = docx.Document(str(reports["error"])).sections[0].header
    assert DRAFT in "".join(p.text for p in header.paragraphs)
    assert DRAFT in pdf_text(pdfs["error"], 1, 1)
    assert DRAFT not in pdf_text(pdfs["sample"])


def test_placeholders_are_highlighted(reports: dict[str, Path]) -> None:
    document = docx.Document(str(reports["sample"]))
    runs = [r for p in document.paragraphs for r in p.runs if r.text.startswith("【请填写")]
    assert len(runs) >= 4
    assert all(r.font.highlight_color is not None for r in runs)


ROUGH = ("S001_missing_sheet", "V002_assets_in_words", "V003_negative_spending",
         "T009_sangong_without_budget", "P002_self_score_missing", "P006_no_targets",
         "P008_no_key_tasks")


@pytest.mark.parametrize("name", ROUGH)
def test_a_rough_workbook_still_gets_a_whole_draft(name: str, tmp_path: Path) -> None:
    source, _ = build_case(next(c for c in CASES if c.name == name), tmp_path)
    target = tmp_path / "report.docx"
    write_report(evaluate_workbook(source), target)
    lines = lines_of(target)
    text = "\n".join(lines)
    assert all(h in lines for h in HEADINGS)
    assert "None" not in text and not re.search(r"得\s*[\d.]+，得", text)
    assert "自评数据中以下事项需要核实" in text  # each case has a warning or an error
    assert no_tool_speak(text) == [], no_tool_speak(text)


CELL_OR_RULE = re.compile(r"(?<![A-Za-z])(?:[A-Z]{1,3}[0-9]{1,5}(?![0-9])|[STVPXRJ][0-9]{3})|!")


def no_tool_speak(text: str) -> list[str]:
    """Cell references (B11, 收支预算!B11), rule codes (T002) and the tool's warning words."""
    words = [w for w in ("警告：", "错误：", "提示：", "计分依据", "校验发现") if w in text]
    codes = [m for m in CELL_OR_RULE.findall(text)
             if m not in {"A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4", "B5", "B6", "C1", "C2",
                          "C3", "D1", "D2", "D3"} or m == "!"]
    return words + codes


def test_no_report_holds_cell_references_rule_codes_or_tool_words(reports: dict[str, Path]) -> None:
    for name, path in reports.items():
        assert no_tool_speak("\n".join(lines_of(path))) == [], name
    assert set(no_tool_speak("见收支预算!B11（T002）")) == {"!", "B11", "T002"}  # it can fail


def test_the_cover_names_the_unit_with_its_subordinate_units_and_the_seal(
        reports: dict[str, Path]) -> None:
    lines = lines_of(reports["sample"])
    assert f"评价单位：{UNIT}本级及下属单位麻章区国有和集体企业管理办公室" in lines  # as the seed
    assert f"预算部门单位（公章）：{UNIT}" in lines


def test_the_functions_of_the_unit_come_from_the_workbook_or_a_placeholder(
        reports: dict[str, Path], tmp_path: Path, sample: Path) -> None:
    lines = lines_of(reports["sample"])
    body = section(lines, "（一）单位机构设置、部门职能情况", "（二）年度重点工作")
    assert "主要职责是：统筹推进全区科技创新体系建设" in body
    book = openpyxl.load_workbook(sample)
    set_field(book["基本信息"], "主要职能", None)
    source = tmp_path / "no_functions.xlsx"
    book.save(source)
    target = tmp_path / "report.docx"
    write_report(evaluate_workbook(source), target)
    body = section(lines_of(target), "（一）单位机构设置、部门职能情况", "（二）年度重点工作")
    assert "【请填写：部门主要职能（三定方案所列职责）】" in body


def test_targets_are_reported_one_by_one_with_their_actual_values(tmp_path: Path,
                                                                  sample: Path) -> None:
    book = openpyxl.load_workbook(sample)
    ws = book["绩效目标"]
    head, columns = header_columns(ws, "序号", ["指标值", "计量单位", "实际完成值", "完成情况"])
    for header, value in (("指标值", 10), ("计量单位", "%"), ("实际完成值", 12.5),
                          ("完成情况", "完成")):
        ws.cell(head + 8, columns[header]).value = value  # target 8: 社消零增长 10 %
    source = tmp_path / "targets.xlsx"
    book.save(source)
    target = tmp_path / "report.docx"
    write_report(evaluate_workbook(source), target)
    (table,) = [t for t in docx.Document(str(target)).tables if t.rows[0].cells[1].text == "绩效目标"]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["序号", "绩效目标", "指标值", "实际完成值", "完成情况"]
    assert rows[8] == ["8", "完成社消零考核工作，完成全区社消零增长10%的工作任务", "10%", "12.5%", "完成"]
    assert len(rows) == 11


def test_the_expenditure_budget_is_split_by_funding_source_as_the_seed_writes_it(
        reports: dict[str, Path]) -> None:
    text = "\n".join(lines_of(reports["sample"]))
    assert "2023年支出预算902.25万元，其中：一般公共预算拨款872.25万元，政府性基金拨款30.00万元。" in text


# ---------------------------------------------------------------- layout, PDF, pages


def east_asia_font(element: Any) -> str | None:
    fonts = element.find(f"{{{W}}}rPr/{{{W}}}rFonts")
    return None if fonts is None else fonts.get(f"{{{W}}}eastAsia")


def test_a4_margins_fonts_spacing_and_page_field(reports: dict[str, Path]) -> None:
    document = docx.Document(str(reports["sample"]))
    section = document.sections[0]
    width, height = section.page_width, section.page_height
    assert width is not None and height is not None
    assert (round(width.cm, 1), round(height.cm, 1)) == (21.0, 29.7)
    margins = (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin)
    assert all(m is not None and 2.4 <= m.cm <= 2.6 for m in margins)
    footer = section.footer._element.xml
    assert re.search(r"<w:instrText[^>]*>\s*PAGE\s*</w:instrText>", footer) or "w:instr=\"PAGE" in footer
    normal = document.styles["Normal"]
    assert east_asia_font(normal.element) == "仿宋"
    assert normal.paragraph_format.line_spacing == 1.5 and 12 <= normal.font.size.pt <= 16
    assert east_asia_font(document.styles["Heading 1"].element) == "黑体"
    body = next(p for p in document.paragraphs if p.text.startswith("2023年收入预算"))
    assert east_asia_font(body.runs[0]._r) == "仿宋"
    assert 'w:firstLineChars="200"' in normal.element.xml


@pytest.mark.slow
def test_libreoffice_prints_the_reports_on_a4(pdfs: dict[str, Path]) -> None:
    for pdf in pdfs.values():
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True,
                              timeout=60).stdout
        assert re.search(r"Page size:\s+595\.\d* x 841\.\d* pts \(A4\)", info), info
    text = pdf_text(pdfs["sample"])
    assert UNIT in text and "99.00" in text and re.search(r"—\s*2\s*—", text)  # page numbers


@pytest.mark.slow
def test_render_gives_one_png_per_page(reports: dict[str, Path], pdfs: dict[str, Path],
                                       tmp_path: Path) -> None:
    def reuse(files: list[Path], target: str, outdir: Path) -> list[Path]:
        return [Path(shutil.copy(pdfs["sample"], outdir / f"{f.stem}.pdf")) for f in files]

    pages = render(reports["sample"], tmp_path, convert=reuse)
    info = subprocess.run(["pdfinfo", str(pdfs["sample"])], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert len(pages) == count >= 4
    assert all(p.parent == tmp_path and p.read_bytes()[:4] == b"\x89PNG" for p in pages)


# ---------------------------------------------------------------- API


def test_default_report_path_is_beside_the_input() -> None:
    assert default_report_path(Path("/data/麻章 2023.xlsx")) == Path("/data/麻章 2023_自评报告.docx")


def test_english_keeps_the_chinese_body_and_leaves_no_temporary_file(sample: Path,
                                                                     tmp_path: Path) -> None:
    target = tmp_path / "report.docx"
    write_report(evaluate_workbook(sample), target, lang="en")
    assert [p.name for p in tmp_path.iterdir()] == ["report.docx"]
    assert "三、绩效自评情况" in lines_of(target)


def test_the_same_report_written_twice_is_the_same_bytes(sample: Path, tmp_path: Path) -> None:
    evaluation = evaluate_workbook(sample)
    first, second = tmp_path / "第一次.docx", tmp_path / "第二次.docx"
    write_report(evaluation, first)
    with zipfile.ZipFile(first) as package:
        assert {m.date_time for m in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert package.testzip() is None
    write_report(evaluation, second)
    assert first.read_bytes() == second.read_bytes()
    assert docx.Document(str(first)).core_properties.title  # still a document Word opens
