"""Shared fixtures: the sample, generated rule workbooks, and one LibreOffice per session."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "mazhang_2023.xlsx"
TEMPLATE = ROOT / "workbook_templates" / "selfeval_template.xlsx"
# LibreOffice profile setting "always recalculate on load" (OOXMLRecalcMode = 0), kept here so the
# tests need nothing outside the repository
RECALC_PROFILE = ROOT / "tests" / "libreoffice-recalc.xcu"


@pytest.fixture(scope="session")
def sample() -> Path:
    return SAMPLE


def soffice_binary() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.fail("LibreOffice (soffice) is not installed: .ci/run installs it; "
                    "run `apt-get install libreoffice-calc-nogui libreoffice-writer-nogui`.")
    return found


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory: pytest.TempPathFactory) -> Callable[[list[Path], str, Path], list[Path]]:
    """Convert files with one headless LibreOffice call per batch (profile kept for the session)."""
    binary = soffice_binary()
    profile = tmp_path_factory.mktemp("lo-profile")

    def convert(files: list[Path], target: str, outdir: Path) -> list[Path]:
        outdir.mkdir(parents=True, exist_ok=True)
        command = [binary, f"-env:UserInstallation=file://{profile}", "--headless",
                   "--convert-to", target, "--outdir", str(outdir), *map(str, files)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
        suffix = "." + target.split(":")[0]
        results = [outdir / (f.stem + suffix) for f in files]
        missing = [p for p in results if not p.exists()]
        assert not missing, f"LibreOffice did not convert {missing}: {done.stdout} {done.stderr}"
        return results

    return convert
