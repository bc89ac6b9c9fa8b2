"""The project result workbook in a real spreadsheet application (headless LibreOffice), as for
the 整体 output: (a) LibreOffice's recalculated values equal the stored ones, (b) a control file
proves that it recalculates, (c) every sheet prints on a few A4 pages, (d) the pages render.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from build_project_sample import PROJECT_SAMPLE
from conftest import RECALC_PROFILE, soffice_binary
from project_workbooks import CASES, build_case, scored_output
from render_pages import page_texts, render, sheet_pages
from test_real_client import _control, assert_same, formula_cells, page_sizes

pytestmark = pytest.mark.slow
A4_PORTRAIT, A4_LANDSCAPE = (595, 842), (842, 595)
OUTPUTS = ("sample", "failing")
MOST_PAGES = {"汇总": 1, "校验结果": 2}
MOST_PAGES_OTHERWISE = 2  # a scored sheet, a copy of a project sheet
Converter = Callable[[list[Path], str, Path], list[Path]]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("project-client")
    failing, _ = build_case(next(c for c in CASES if c.name == "J004_missed_target_full_marks"),
                            folder)
    return {"sample": scored_output(PROJECT_SAMPLE, folder / "sample_out.xlsx"),
            "failing": scored_output(failing, folder / "failing_out.xlsx"),
            "control": _control(folder / "control.xlsx")}


@pytest.fixture(scope="module")
def recalculated(files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    profile = tmp_path_factory.mktemp("lo-recalc-project")
    (profile / "user").mkdir()
    shutil.copy(RECALC_PROFILE, profile / "user" / "registrymodifications.xcu")
    outdir = tmp_path_factory.mktemp("project-recalculated")
    command = [soffice_binary(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--convert-to", "xlsx", "--outdir", str(outdir), *map(str, files.values())]
    done = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
    converted = {name: outdir / path.name for name, path in files.items()}
    assert all(p.exists() for p in converted.values()), done.stdout + done.stderr
    return converted


def test_control_file_proves_the_recalculation(files: dict[str, Path],
                                               recalculated: dict[str, Path]) -> None:
    assert openpyxl.load_workbook(files["control"], data_only=True)["control"]["A1"].value == 3
    assert openpyxl.load_workbook(recalculated["control"], data_only=True)["control"]["A1"].value == 2


@pytest.mark.parametrize("name", OUTPUTS)
def test_recalculated_values_equal_the_stored_ones(name: str, files: dict[str, Path],
                                                   recalculated: dict[str, Path]) -> None:
    cells = formula_cells(files[name])
    assert len(cells) >= 30  # rates, differences, sums, totals, grades, means, counts
    stored = openpyxl.load_workbook(files[name], data_only=True)
    again = openpyxl.load_workbook(recalculated[name], data_only=True)
    for sheet, cell in cells:
        assert stored[sheet][cell].value is not None, (sheet, cell)
        assert_same(stored[sheet][cell].value, again[sheet][cell].value, (sheet, cell))


@pytest.fixture(scope="module")
def pdfs(files: dict[str, Path], libreoffice: Converter,
         tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    converted = libreoffice([files[n] for n in OUTPUTS], "pdf", tmp_path_factory.mktemp("ppdf"))
    return dict(zip(OUTPUTS, converted, strict=True))


@pytest.mark.parametrize("name", OUTPUTS)
def test_every_sheet_prints_on_a_few_a4_pages(name: str, files: dict[str, Path],
                                              pdfs: dict[str, Path]) -> None:
    sizes = page_sizes(pdfs[name])
    pages = sheet_pages(files[name], pdfs[name])
    assert list(pages) == openpyxl.load_workbook(files[name], read_only=True).sheetnames
    assert sum(len(p) for p in pages.values()) == len(sizes)
    for sheet, numbers in pages.items():
        assert 1 <= len(numbers) <= MOST_PAGES.get(sheet, MOST_PAGES_OTHERWISE), (sheet, numbers)
        expected = A4_PORTRAIT if sheet == "汇总" else A4_LANDSCAPE
        assert all(sizes[n - 1] == expected for n in numbers), (sheet, numbers)


def test_printed_pages_show_the_scores(files: dict[str, Path], pdfs: dict[str, Path]) -> None:
    texts = page_texts(pdfs["sample"])
    pages = sheet_pages(files["sample"], pdfs["sample"])
    summary = texts[pages["汇总"][0] - 1]
    for shown in ("示例县农业农村局", "96.62", "96.36", "农产品质量安全检测项目", "90.85", "84.00%"):
        assert shown in summary
    scored_page = texts[pages["核定_项目3"][0] - 1]
    assert "13.50" in scored_page and "19.17" in scored_page and "8.40" in scored_page


def test_pages_render_to_png(files: dict[str, Path], tmp_path: Path) -> None:
    pngs = render(files["sample"], tmp_path, ("汇总", "核定_项目1", "项目1"))
    names = [p.name for p in pngs]
    assert any(n.startswith("汇总-") for n in names) and any(n.startswith("核定_项目1-") for n in names)
    assert all(p.read_bytes()[:4] == b"\x89PNG" for p in pngs)
