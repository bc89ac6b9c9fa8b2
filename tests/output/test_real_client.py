"""The output workbook in a real spreadsheet application (headless LibreOffice).

(a) it prints on A4 pages, few per sheet; (b) LibreOffice's recalculated values equal the values
the file stores; (c) a control file proves that the recalculation really happens; (d) the pages of
汇总 and 评分表 render to PNG. All conversions of the module take three soffice calls.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from conftest import RECALC_PROFILE, soffice_binary
from render_pages import page_texts, render, sheet_pages
from scored import build_failing, write

from selfeval_xlsx.evaluate import evaluate_workbook

A4 = {(595, 842), (842, 595)}
LANDSCAPE_SHEETS = ("评分表", "校验结果")
MOST_PAGES = {"汇总": 2, "评分表": 3, "校验结果": 3}
MOST_PAGES_OF_A_COPY = 3
OUTPUTS = ("sample", "failing")
Converter = Callable[[list[Path], str, Path], list[Path]]
pytestmark = pytest.mark.slow  # LibreOffice


@pytest.fixture(scope="session")
def recalc_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A LibreOffice profile that recalculates every formula of an .xlsx on load."""
    profile = tmp_path_factory.mktemp("lo-recalc-profile")
    (profile / "user").mkdir()
    shutil.copy(RECALC_PROFILE, profile / "user" / "registrymodifications.xcu")
    return profile


@pytest.fixture(scope="module")
def files(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample's output, a failing workbook's output (grade 中, errors) and the control."""
    folder = tmp_path_factory.mktemp("client")
    failing = build_failing(sample, folder / "failing.xlsx")
    return {"sample": write(evaluate_workbook(sample), folder / "sample_out.xlsx"),
            "failing": write(evaluate_workbook(failing), folder / "failing_out.xlsx"),
            "control": _control(folder / "control.xlsx")}


def _control(path: Path) -> Path:
    """`=1+1` stored with the wrong value 3: only a real recalculation turns it into 2."""
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("control").write_formula(0, 0, "=1+1", None, 3)
    book.close()
    return path


@pytest.fixture(scope="module")
def recalculated(files: dict[str, Path], recalc_profile: Path,
                 tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    outdir = tmp_path_factory.mktemp("recalculated")
    command = [soffice_binary(), f"-env:UserInstallation={recalc_profile.as_uri()}", "--headless",
               "--convert-to", "xlsx", "--outdir", str(outdir), *map(str, files.values())]
    done = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
    converted = {name: outdir / path.name for name, path in files.items()}
    missing = [p for p in converted.values() if not p.exists()]
    assert not missing, f"LibreOffice did not convert {missing}: {done.stdout} {done.stderr}"
    return converted


@pytest.fixture(scope="module")
def pdfs(files: dict[str, Path], libreoffice: Converter,
         tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    converted = libreoffice([files[n] for n in OUTPUTS], "pdf", tmp_path_factory.mktemp("pdf"))
    return dict(zip(OUTPUTS, converted, strict=True))


def page_sizes(pdf: Path) -> list[tuple[int, int]]:
    done = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True,
                          text=True, check=True, timeout=60)
    sizes = [line.split("size:")[1].split("pts")[0].split("x")
             for line in done.stdout.splitlines() if line.startswith("Page") and "size:" in line]
    return [(round(float(w)), round(float(h))) for w, h in sizes]


@pytest.mark.parametrize("name", OUTPUTS)
def test_every_sheet_prints_on_a_few_a4_pages(name: str, files: dict[str, Path],
                                              pdfs: dict[str, Path]) -> None:
    sizes = page_sizes(pdfs[name])
    assert sizes and set(sizes) <= A4
    pages = sheet_pages(files[name], pdfs[name])
    assert list(pages) == openpyxl.load_workbook(files[name], read_only=True).sheetnames
    assert sum(len(p) for p in pages.values()) == len(sizes)  # every page belongs to a sheet
    for sheet, numbers in pages.items():
        assert 1 <= len(numbers) <= MOST_PAGES.get(sheet, MOST_PAGES_OF_A_COPY), (sheet, numbers)
        if sheet in LANDSCAPE_SHEETS:
            assert all(sizes[n - 1] == (842, 595) for n in numbers), sheet
    assert sizes[pages["汇总"][0] - 1] == (595, 842)


def test_printed_summary_shows_the_numbers(pdfs: dict[str, Path], files: dict[str, Path]) -> None:
    texts = page_texts(pdfs["sample"])
    summary = texts[sheet_pages(files["sample"], pdfs["sample"])["汇总"][0] - 1]
    for shown in ("湛江市麻章区科工贸和信息化局", "99.00", "优", "通过", "97.50%", "单位负责人"):
        assert shown in summary


def formula_cells(path: Path) -> list[tuple[str, str]]:
    book = openpyxl.load_workbook(path)
    return [(ws.title, cell.coordinate) for ws in book.worksheets for row in ws.iter_rows()
            for cell in row if cell.data_type == "f"]


def assert_same(stored: Any, recalculated: Any, where: tuple[str, str]) -> None:
    if isinstance(stored, int | float) and not isinstance(stored, bool):
        assert recalculated == pytest.approx(stored, abs=0.005), where
    else:
        assert recalculated == stored, where


@pytest.mark.parametrize("name", OUTPUTS)
def test_recalculated_values_equal_the_stored_ones(name: str, files: dict[str, Path],
                                                   recalculated: dict[str, Path]) -> None:
    cells = formula_cells(files[name])
    assert len(cells) >= 30  # totals, 差异, grade, SUMIFs, rates
    stored = openpyxl.load_workbook(files[name], data_only=True)
    again = openpyxl.load_workbook(recalculated[name], data_only=True)
    for sheet, cell in cells:
        assert stored[sheet][cell].value is not None, (sheet, cell)
        assert_same(stored[sheet][cell].value, again[sheet][cell].value, (sheet, cell))


def test_failing_output_recalculates_to_grade_and_negative_differences(
        recalculated: dict[str, Path]) -> None:
    again = openpyxl.load_workbook(recalculated["failing"], data_only=True)
    values = [c.value for row in again["评分表"].iter_rows() for c in row]
    assert "中" in values and -4 in values


def test_control_file_proves_the_recalculation(files: dict[str, Path],
                                               recalculated: dict[str, Path]) -> None:
    assert openpyxl.load_workbook(files["control"], data_only=True)["control"]["A1"].value == 3
    assert openpyxl.load_workbook(recalculated["control"], data_only=True)["control"]["A1"].value == 2


def test_render_pages_draws_summary_and_score_sheet(files: dict[str, Path],
                                                   tmp_path: Path) -> None:
    pngs = render(files["sample"], tmp_path)
    names = [p.name for p in pngs]
    assert any(n.startswith("汇总-") for n in names) and any(n.startswith("评分表-") for n in names)
    assert all(p.exists() and p.read_bytes()[:4] == b"\x89PNG" for p in pngs)
