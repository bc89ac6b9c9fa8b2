"""Render the printed pages of an output workbook's 汇总 and 评分表 to PNG, to look at them.

    python tests/render_pages.py OUTPUT.xlsx OUTDIR

Converts the workbook to PDF with headless LibreOffice, finds each sheet's pages by its title
(the text of A1) with pdftotext, and renders the wanted sheets' pages with pdftoppm.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

RENDERED_SHEETS = ("汇总", "评分表")
RESOLUTION = 80  # dpi: enough to read CJK text in a page image


def render(xlsx: Path, outdir: Path, sheets: tuple[str, ...] = RENDERED_SHEETS,
           profile: Path | None = None) -> list[Path]:
    """PNGs of the printed pages of `sheets`, named `<sheet>-<page>.png`, in `outdir`."""
    outdir.mkdir(parents=True, exist_ok=True)
    pdf = to_pdf(xlsx, outdir, profile)
    pages = sheet_pages(xlsx, pdf)
    return [_render_page(pdf, page, outdir / f"{sheet}-{page}")
            for sheet in sheets for page in pages.get(sheet, [])]


def to_pdf(xlsx: Path, outdir: Path, profile: Path | None = None) -> Path:
    """Convert with one soffice call, in its own profile (a temporary one unless given)."""
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as scratch:
        home = profile or Path(scratch)
        subprocess.run([binary, f"-env:UserInstallation={home.resolve().as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(outdir), str(xlsx)],
                       capture_output=True, check=True, timeout=240)
    pdf = outdir / (xlsx.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice did not convert {xlsx}")
    return pdf


def page_texts(pdf: Path) -> list[str]:
    """The text of each page, in order."""
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          check=True, timeout=60)
    return done.stdout.decode("utf-8").split("\f")[:-1]


def sheet_titles(xlsx: Path) -> dict[str, str]:
    """Each sheet's title: the text of its A1 cell (all sheets of the output have one)."""
    book = openpyxl.load_workbook(xlsx, read_only=True)
    try:
        return {ws.title: str(next(ws.iter_rows(max_row=1, max_col=1, values_only=True))[0])
                for ws in book.worksheets}
    finally:
        book.close()


def sheet_pages(xlsx: Path, pdf: Path) -> dict[str, list[int]]:
    """1-based page numbers of each sheet: a sheet starts at the page whose line is its title."""
    titles = list(sheet_titles(xlsx).items())
    pages: dict[str, list[int]] = {name: [] for name, _ in titles}
    current = -1
    for number, text in enumerate(page_texts(pdf), start=1):
        lines = {line.strip() for line in text.splitlines()}
        starts = [i for i, (_, title) in enumerate(titles) if i > current and title in lines]
        current = starts[0] if starts else current
        if current >= 0:
            pages[titles[current][0]].append(number)
    return pages


def _render_page(pdf: Path, page: int, stem: Path) -> Path:
    subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(RESOLUTION), "-png",
                    "-singlefile", str(pdf), str(stem)], capture_output=True, check=True,
                   timeout=60)
    return stem.with_name(stem.name + ".png")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    for png in render(Path(argv[0]), Path(argv[1])):
        print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
