"""The blank template prints and edits as 填表说明 promises: no wrapped text overprints its
neighbours on paper (measured on LibreOffice's PDF), rows and columns may be inserted, free text
has room, and a template made from a bureau's scheme says so and is scored by it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from build_sample import fill_sample
from conftest import ROOT, TEMPLATE
from typer.testing import CliRunner

from selfeval_xlsx.api import write_blank_template
from selfeval_xlsx.cli import app
from selfeval_xlsx.evaluate import check_workbook
from selfeval_xlsx.scheme.load import load_scheme

EXAMPLE = ROOT / "selfeval_xlsx" / "scheme" / "schemes" / "example_bureau.toml"
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">')
Convert = Callable[[list[Path], str, Path], list[Path]]


def word_boxes(pdf: Path) -> list[list[tuple[float, ...]]]:
    """Every word's box on every page, as pdftotext measures it."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [[tuple(map(float, m.groups())) for m in WORD.finditer(page)]
            for page in html.split("<page")[1:]]


def overprints(boxes: list[tuple[float, ...]], slack: float = 0.6) -> int:
    """Pairs of words whose boxes overlap: text drawn over text (a row too low for its lines)."""
    count = 0
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if min(a[2], b[2]) - max(a[0], b[0]) > slack and min(a[3], b[3]) - max(a[1], b[1]) > slack:
                count += 1
    return count


@pytest.mark.slow
def test_no_text_of_the_template_overprints_another_on_paper(libreoffice: Convert,
                                                            tmp_path: Path) -> None:
    (pdf,) = libreoffice([TEMPLATE], "pdf", tmp_path)
    pages = word_boxes(pdf)
    assert len(pages) == 10 and all(pages)  # one page per sheet, each with text
    assert [overprints(page) for page in pages] == [0] * len(pages)


@pytest.mark.slow
def test_the_project_template_prints_each_sheet_on_one_page_without_overprint(
        libreoffice: Convert, tmp_path: Path) -> None:
    """填表说明 and 项目1 each on one A4 page; the note beside 总分 wraps within its row."""
    (pdf,) = libreoffice([ROOT / "workbook_templates" / "project_template.xlsx"], "pdf", tmp_path)
    pages = word_boxes(pdf)
    assert len(pages) == 2 and all(pages)
    assert [overprints(page) for page in pages] == [0, 0]


def test_the_overprint_measure_finds_overlapping_words() -> None:
    assert overprints([(0, 0, 10, 10), (5, 5, 20, 20)]) == 1  # a line drawn into the next row
    assert overprints([(0, 0, 10, 10), (10, 0, 20, 10), (0, 11, 10, 20)]) == 0


def sheet_protection(path: Path, sheet_number: int) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(f"xl/worksheets/sheet{sheet_number}.xml").decode()
    found = re.search(r"<sheetProtection ([^>]*)/>", xml)
    assert found is not None
    return dict(re.findall(r'(\w+)="([^"]*)"', found[1]))


def test_protection_lets_a_clerk_insert_rows_and_columns() -> None:
    """In OOXML an action is allowed when its attribute is "0" (the default "1" forbids it)."""
    for number in range(1, 11):
        attributes = sheet_protection(TEMPLATE, number)
        assert attributes.get("sheet") == "1" and "password" not in attributes
        assert attributes.get("insertRows") == "0" and attributes.get("insertColumns") == "0"


def merged_area_of(ws: openpyxl.worksheet.worksheet.Worksheet, label: str) -> tuple[int, int]:
    cell = next(c for row in ws.iter_rows() for c in row if c.value == label)
    right = ws.cell(cell.row, cell.column + 1)
    area = next(r for r in ws.merged_cells.ranges if right.coordinate in r)
    assert not right.protection.locked and right.fill.fgColor.rgb == "FFFFF2CC"
    return area.max_row - area.min_row + 1, area.max_col - area.min_col + 1


def test_free_text_fields_are_large_merged_input_areas() -> None:
    book = openpyxl.load_workbook(TEMPLATE)
    rows, cols = merged_area_of(book["收支预算"], "预算执行情况说明")
    assert rows >= 4 and cols >= 4
    rows, cols = merged_area_of(book["基本信息"], "主要职能")
    assert rows >= 5 and cols >= 2


def test_the_retirees_table_has_a_caption_above_its_header() -> None:
    ws = openpyxl.load_workbook(TEMPLATE)["基本信息"]
    header = next(c for row in ws.iter_rows() for c in row if c.value == "类别")
    assert str(ws.cell(header.row - 1, header.column).value).startswith("离退休人员构成")


# ---- a template made from a bureau's scheme ----

def filled(template: Path, path: Path) -> Path:
    """The sample's figures typed into a template made from some scheme (评分表 left blank)."""
    book = openpyxl.load_workbook(template)
    fill_sample(book, set_scores=False)
    book.save(path)
    return path


@pytest.fixture(scope="module")
def bureau_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bureau")
    template = folder / "template.xlsx"
    write_blank_template(template, EXAMPLE)
    return filled(template, folder / "unit.xlsx")


def guide_text(path: Path) -> str:
    ws = openpyxl.load_workbook(path)["填表说明"]
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)


def test_a_bureau_template_records_its_scheme_and_shows_the_command(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_blank_template(path, EXAMPLE)
    ws = openpyxl.load_workbook(path)["填表说明"]
    values = {c.value: ws.cell(c.row, c.column + 1).value for row in ws.iter_rows() for c in row
              if c.value in ("评分方案", "方案校验码")}
    scheme = load_scheme(EXAMPLE)
    assert values == {"评分方案": "example_bureau", "方案校验码": scheme.digest}
    assert len(scheme.digest) == 16
    assert "selfeval score 文件.xlsx --scheme example_bureau.toml" in guide_text(path)
    assert "--scheme" not in guide_text(TEMPLATE)


def test_a_workbook_of_a_shipped_scheme_is_scored_by_it_without_scheme(bureau_workbook: Path) -> None:
    result = check_workbook(bureau_workbook)
    assert result.scheme == "example_bureau"
    assert not {f.rule for f in result.findings} & {"S002", "S004"}


def test_a_workbook_of_an_unknown_scheme_names_the_scheme_it_needs(tmp_path: Path) -> None:
    own = tmp_path / "our_bureau.toml"
    own.write_text(EXAMPLE.read_text(encoding="utf-8").replace(
        'id = "example_bureau"', 'id = "our_bureau"'), encoding="utf-8")
    template = tmp_path / "t.xlsx"
    write_blank_template(template, own)
    unit = filled(template, tmp_path / "unit.xlsx")
    result = CliRunner().invoke(app, ["check", str(unit)])
    assert result.exit_code == 2 and result.stdout == ""
    assert "评分方案“our_bureau”" in result.stderr and "--scheme" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    scored = CliRunner().invoke(app, ["check", str(unit), "--scheme", str(own), "--json"])
    data = json.loads(scored.stdout)
    assert data["scheme"] == "our_bureau" and not {f["rule"] for f in data["findings"]} & {
        "S002", "S004"}


def test_a_batch_scores_one_scheme_and_lists_a_workbook_of_another(bureau_workbook: Path,
                                                                   sample: Path,
                                                                   tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(bureau_workbook, folder / "bureau.xlsx")
    shutil.copy(sample, folder / "sample.xlsx")
    result = CliRunner().invoke(app, ["batch", str(folder), "-o", str(tmp_path / "s.xlsx"),
                                      "--json", "--jobs", "1"])
    statuses = {r["file"].split("/")[-1]: (r["status"], r.get("error", "")) for r in
                json.loads(result.stdout)}
    assert statuses["sample.xlsx"] == ("ok", "")
    status, error = statuses["bureau.xlsx"]
    assert status == "unreadable" and "评分方案“example_bureau”" in error
