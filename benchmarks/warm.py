"""Per-workbook cost in a warm process, and the bureau's summary workbook at province size.

- `warm_rows`: `check` (no output) and `score` (with the output workbook) of the 整体 sample and
  of a project workbook with ten projects, each in ms per workbook after a warm-up (best of
  several rounds, process CPU time and wall time), against issue 15's targets (≤ 15 ms without
  output, ≤ 30 ms with it).
- `summary_seconds`: the consolidated workbook of `count` simulated results (copies of real
  summaries with other file and unit names) written by `output.batch_workbook` (target: 30,000 in
  under 20 s).
"""

from __future__ import annotations

import copy
import hashlib
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "mazhang_2023.xlsx"
PROJECT_SAMPLE = ROOT / "samples" / "project_2023.xlsx"
PROJECTS = 10
WITHOUT_OUTPUT_MS, WITH_OUTPUT_MS = 15.0, 30.0
SUMMARY_UNITS, SUMMARY_SECONDS = 30_000, 20.0


def ten_projects() -> Path:
    """The project sample with its three project sheets copied to ten, each copy given a name
    of its own (as a clerk's would be; a copy left with its name is J013), cached by content."""
    import openpyxl

    digest = hashlib.sha256(PROJECT_SAMPLE.read_bytes()).hexdigest()[:12]
    path = Path(tempfile.gettempdir()) / f"selfeval-bench-projects{PROJECTS}-named-{digest}.xlsx"
    if path.exists():
        return path
    book = openpyxl.load_workbook(PROJECT_SAMPLE)
    originals = [name for name in book.sheetnames if name != "填表说明"]
    for number in range(len(originals) + 1, PROJECTS + 1):
        copied = book.copy_worksheet(book[originals[(number - 1) % len(originals)]])
        copied.title = f"项目{number}"
        _rename(copied, number)
    partial = path.with_suffix(".part")
    book.save(partial)
    partial.replace(path)
    return path


def _rename(sheet: Any, number: int) -> None:
    """The 项目名称 of a copied project sheet (the cell right of its label) gets the copy's
    number: 农村人居环境整治项目（4）."""
    for row in sheet.iter_rows(max_row=12):
        for cell in row:
            if cell.value == "项目名称":
                named = sheet.cell(cell.row, cell.column + 1)
                named.value = f"{named.value}（{number}）"
                return


def _best_ms(run: Callable[[], object], rounds: int = 5, per_round: int = 10) -> tuple[float, float]:
    """(wall ms, CPU ms) per call: the best round of `rounds`, after two warm-up calls."""
    run()
    run()
    walls, cpus = [], []
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(per_round):
            run()
        walls.append((time.perf_counter() - wall) * 1000 / per_round)
        cpus.append((time.process_time() - cpu) * 1000 / per_round)
    return min(walls), min(cpus)


def warm_rows(scratch: Path) -> list[tuple[str, float, float, float]]:
    """(what, wall ms, CPU ms, target ms) for each workbook, without and with output."""
    from selfeval_xlsx.api import check_file, score_file

    rows = []
    for name, path in (("整体 sample", SAMPLE), (f"project workbook, {PROJECTS} projects",
                                                 ten_projects())):
        target = scratch / f"warm-{path.stem}_评分结果.xlsx"
        wall, cpu = _best_ms(lambda p=path: check_file(p))
        rows.append((f"{name}: check (no output)", wall, cpu, WITHOUT_OUTPUT_MS))
        wall, cpu = _best_ms(lambda p=path, t=target: score_file(p, t, force=True))
        rows.append((f"{name}: score (with output)", wall, cpu, WITH_OUTPUT_MS))
    return rows


def summaries_of(files: list[Path]) -> list[dict[str, Any]]:
    """What batch workers hand back for `files` (as `batch` without --outputs)."""
    from selfeval_xlsx.api import generation_time
    from selfeval_xlsx.batch import Task, WorkerJob, summarize
    from selfeval_xlsx.scheme.load import load_scheme

    job = WorkerJob(load_scheme(), "zh", generation_time(), full_results=False)
    return [summarize(job, Task(index, path, str(path))) for index, path in enumerate(files)]


def summary_seconds(summaries: list[dict[str, Any]], count: int, scratch: Path) -> float:
    """Seconds to write the consolidated workbook of `count` simulated results."""
    from selfeval_xlsx.api import generation_time
    from selfeval_xlsx.batch import status_of
    from selfeval_xlsx.output.batch_workbook import write_batch_workbook
    from selfeval_xlsx.scheme.load import load_scheme

    simulated = []
    for index in range(count):
        summary = copy.copy(summaries[index % len(summaries)])
        summary["file"] = f"单位{index:05d}.xlsx"
        summary["unit"] = f"模拟单位{index:05d}"
        summary["status"] = status_of(summary, False)
        simulated.append(summary)
    start = time.perf_counter()
    write_batch_workbook(simulated, load_scheme(), scratch / "province.xlsx", generation_time())
    return time.perf_counter() - start
