"""The golden copy of the sample's output workbook, and the cell-by-cell comparison.

Regenerate after an intended change of the output: `python tests/golden.py` (then look at the
difference with `git diff --stat` and at the pages with `python tests/render_pages.py`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import openpyxl

sys.path.insert(0, str(Path(__file__).parent))
from conftest import SAMPLE

GOLDEN = Path(__file__).parent / "golden" / "mazhang_2023_result.xlsx"
EPOCH = "1716854400"  # 2024-05-28 00:00:00 UTC, the sample's 填报日期
VOLATILE_LABELS = ("SHA-256", "工具版本")  # the value right of these labels may differ


def write_golden(target: Path) -> None:
    import os

    from selfeval_xlsx.api import score_file

    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    score_file(SAMPLE, target, force=True)  # regenerating replaces the previous golden copy


def cell_facts(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Per sheet: (coordinate, formula or value, cached value, number format) of every cell."""
    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    facts: dict[str, list[tuple[Any, ...]]] = {}
    for ws in formulas.worksheets:
        cached = values[ws.title]
        rows = []
        for row in ws.iter_rows():
            masked = any(c.value in VOLATILE_LABELS for c in row)
            for cell in row:
                value = "<volatile>" if masked and cell.column > 1 else cell.value
                cached_value = cached[cell.coordinate].value if not masked else None
                rows.append((cell.coordinate, value, cached_value, cell.number_format))
        facts[ws.title] = rows
    return facts


if __name__ == "__main__":
    write_golden(GOLDEN)
    print(f"written {GOLDEN}")
