"""Memory follows the content, and the content a workbook may hold is bounded: at the limits
(99,000 cells of distinct four-byte text, the most memory a workbook may cost, and a cell at
XFD1048576), `score` stays under 300 MB and ends in bounded time. The benchmark's
`--pathological` section prints these figures for more such files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import hostile_packages
import pytest
from package_edit import append_rows, edit_sheet
from processes import measured

pytestmark = pytest.mark.slow
MAX_RSS_KIB = 300 * 1024
FAR_CELL = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>末格</t></is></c></row>'


def test_at_the_limits_memory_stays_bounded(sample: Path, tmp_path: Path) -> None:
    built, _ = hostile_packages.most_distinct_texts(tmp_path, sample)
    path = edit_sheet(built, tmp_path / "far.xlsx", "资产管理",
                      lambda xml: append_rows(xml, FAR_CELL))
    out = tmp_path / "结果.xlsx"
    run = measured(["score", str(path), "-o", str(out)], timeout=120)
    assert run.code == 0, run.stderr.decode()
    assert run.peak_kib < MAX_RSS_KIB, run.peak_kib
    assert run.seconds < 60
    with zipfile.ZipFile(out) as archive:  # everything was read and copied, nothing cut
        sheets = b"".join(archive.read(n) for n in archive.namelist()
                          if n.startswith("xl/worksheets/"))
    assert b'r="M9909"' in sheets and b'r="XFD1048576"' in sheets
