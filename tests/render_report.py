"""Render a report to PDF (LibreOffice) and its pages to PNG (pdftoppm), for a look at the layout.

    python tests/render_report.py REPORT.docx OUTDIR
    python tests/render_report.py WORKBOOK.xlsx OUTDIR   # drafts the report first

`render(docx, outdir)` returns the PNG pages in order; pass `convert` (the signature of the
`libreoffice` fixture in conftest.py) to reuse a LibreOffice profile or a conversion already made.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

Convert = Callable[[list[Path], str, Path], list[Path]]


def soffice_convert(files: list[Path], target: str, outdir: Path) -> list[Path]:
    """One headless LibreOffice call with a throw-away profile."""
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run([binary, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", target, "--outdir", str(outdir), *map(str, files)],
                       capture_output=True, check=True, timeout=240)
    return [outdir / f"{f.stem}.{target.split(':')[0]}" for f in files]


def render(docx: Path, outdir: Path, convert: Convert | None = None, dpi: int = 70) -> list[Path]:
    """Convert `docx` to PDF in `outdir` and render every page to `<stem>-<n>.png` there."""
    outdir.mkdir(parents=True, exist_ok=True)
    pdf = (convert or soffice_convert)([docx], "pdf", outdir)[0]
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice did not convert {docx}")
    for old in outdir.glob(f"{docx.stem}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(outdir / docx.stem)],
                   capture_output=True, check=True, timeout=120)
    return sorted(outdir.glob(f"{docx.stem}-*.png"), key=_page_number)


def _page_number(png: Path) -> int:
    return int(png.stem.rsplit("-", 1)[1])


def _report_for(path: Path, outdir: Path) -> Path:
    if path.suffix.lower() != ".xlsx":
        return path
    from selfeval_xlsx.evaluate import evaluate_workbook
    from selfeval_xlsx.report.document import default_report_path, write_report

    target = outdir / default_report_path(path).name
    outdir.mkdir(parents=True, exist_ok=True)
    write_report(evaluate_workbook(path), target)
    return target


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    source, outdir = Path(argv[0]), Path(argv[1])
    for page in render(_report_for(source, outdir), outdir):
        print(page)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
