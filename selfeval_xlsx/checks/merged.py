"""Findings at a cell that a merged range covers: the cell shows the range's first cell and has
no value of its own, so it reads as empty (a 自评得分 merged over H4:H5 leaves H5 without a
score: P002 at H5). Such a finding says so, and what to do.

Takes the findings of a workbook and the workbook they were found in; gives the same findings,
those at a covered cell (not the first cell of its range) with the hint after their detail.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from selfeval_xlsx.findings import Finding
from selfeval_xlsx.text import Text
from selfeval_xlsx.xlsx.cells import REFERENCE, Merge, column_number, range_text
from selfeval_xlsx.xlsx.workbook import LoadedWorkbook


def explain_covered(findings: Iterable[Finding], book: LoadedWorkbook) -> list[Finding]:
    """`findings`, each at a covered cell with the merged range named in its detail."""
    names = set(book.sheet_names)
    merged: dict[str, list[Merge]] = {}
    explained = []
    for finding in findings:
        if finding.cell and finding.sheet in names:
            if finding.sheet not in merged:
                merged[finding.sheet] = book.sheet(finding.sheet).merged
            covering = _covering(finding.cell, merged[finding.sheet])
            if covering is not None:
                finding = replace(finding, detail=_hinted(finding.detail, covering))
        explained.append(finding)
    return explained


def _covering(cell: str, ranges: list[Merge]) -> Merge | None:
    """The merged range that covers `cell` without starting at it (None when none does)."""
    match = REFERENCE.fullmatch(cell)
    if match is None or not ranges:
        return None
    row, col = int(match[2]), column_number(match[1])
    for merge in ranges:
        first_row, first_col, last_row, last_col = merge
        if first_row <= row <= last_row and first_col <= col <= last_col \
                and (row, col) != (first_row, first_col):
            return merge
    return None


def _hinted(detail: Text, merge: Merge) -> Text:
    whole = range_text(merge)
    first = whole.partition(":")[0]
    return Text(f"{detail.zh}（本格在合并单元格 {whole} 中，显示的是 {first} 的内容，本格没有自己的值："
                "请取消合并，再分别填写各格。）",
                f"{detail.en} (This cell lies in the merged range {whole}, which shows {first}'s "
                "content; the cell has no value of its own: unmerge the range and fill in each "
                "cell.)")
