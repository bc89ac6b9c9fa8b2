"""Benchmarks of `selfeval score` and `selfeval batch`, each against its baseline and target.

    python benchmarks/bench.py [--quick] [--pathological]

Inputs are variants of `samples/mazhang_2023.xlsx` with other figures (决算数, 公用经费, assets,
unit name), built once with openpyxl and cached in the temp folder. Prints, in one run:
cold `score`, `check` and `--help` vs the import floors (`ISSUE_FLOOR` and each command's own);
batch throughput vs a naive pandas loop and --jobs 2 vs 1; peak memory of all batch processes at
two sizes; then the stage-by-stage cost of one workbook with its floors (`stages.py`: the
python-calamine floor needs the bench extra, `pip install -e ".[bench]"`) and a profile.
`--quick` uses 50/100/200 inputs. `--pathological` runs only the section of pathological files
(`pathological.py`): each one's peak memory and time.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import hashlib
import os
import platform
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from project_stages import ROUNDS as PROJECT_ROUNDS
from project_stages import project_stage_table
from stages import stage_table
from warm import (
    PROJECTS,
    SUMMARY_SECONDS,
    SUMMARY_UNITS,
    summaries_of,
    summary_seconds,
    ten_projects,
    warm_rows,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT / "samples" / "mazhang_2023.xlsx"
# The import floor of a cold start. Issue 15 defines it as the bare imports of pandas, openpyxl,
# xlsxwriter and typer, what `score` imported when the issue was written. Reading no longer imports
# openpyxl, so the floor of a command is now the bare imports of what it still needs: `score`
# pandas (the totals), xlsxwriter (the output workbook) and typer; `check` pandas and typer;
# `--help` typer. Both are printed: against the issue's floor, and against the command's own.
ISSUE_FLOOR = "import pandas, openpyxl, xlsxwriter, typer"
SCORE_FLOOR = "import pandas, xlsxwriter, typer"
CHECK_FLOOR = "import pandas, typer"
HELP_FLOOR = "import typer"
COLD_TARGET = 1.15
NAIVE_TARGET, RATE_TARGET, JOBS_TARGET = 4.0, 80, 1.8  # issue 15: >= 4x naive, >= 80 wb/s, 1.8x
COLD_RUNS = 5
THROUGHPUT_RUNS = 2
SAMPLE_EVERY = 0.05  # seconds between memory samples
BASIC_PARTS = ["工资福利支出", "对个人和家庭的补助", "商品和服务支出", "资本性支出"]
SOURCES = ["一般公共预算拨款", "政府性基金拨款", "国有资本经营预算拨款", "财政专户管理资金", "单位资金"]
NAIVE_SUMS = {"收入合计": SOURCES, "支出合计": ["基本支出", "项目支出"], "基本支出": BASIC_PARTS,
              "一般公共预算拨款支出合计": ["一般公共预算基本支出", "一般公共预算项目支出"]}
AMOUNTS = ["年初预算数", "调整后预算数", "决算数"]


@dataclass(frozen=True)
class Sizes:
    throughput: int
    memory: tuple[int, int]
    profile: int
    summary: int  # simulated units of the consolidated workbook


FULL = Sizes(throughput=1000, memory=(200, 2000), profile=40, summary=30_000)
QUICK = Sizes(throughput=100, memory=(50, 200), profile=20, summary=3_000)


# ---- inputs ----

def variants(count: int) -> list[Path]:
    """`count` variants of the sample, built once and cached in the temp folder."""
    digest = hashlib.sha256(SAMPLE.read_bytes()).hexdigest()[:12]
    folder = Path(tempfile.gettempdir()) / f"selfeval-bench-{digest}"
    folder.mkdir(exist_ok=True)
    paths = [folder / f"variant_{i:05d}.xlsx" for i in range(count)]
    missing = [(i, p) for i, p in enumerate(paths) if not p.exists()]
    if missing:
        print(f"building {len(missing)} variants in {folder} ...", file=sys.stderr, flush=True)
        _build(missing)
    return paths


def _build(missing: list[tuple[int, Path]]) -> None:
    import openpyxl

    book = openpyxl.load_workbook(SAMPLE)
    cells = _variant_cells(book)
    for index, path in missing:
        for key, value in _figures(index).items():
            cells[key].value = value
        partial = path.with_suffix(".part")
        book.save(partial)
        partial.replace(path)  # a cached variant is always complete


def _figures(i: int) -> dict[str, object]:
    """Different, plausible figures: execution 83.6%-99.97%, 公用经费 under or over budget."""
    project = round(300 + (i * 7919 % 14800) / 100, 2)
    return {"project": project, "total": round(453.95 + project, 2),
            "public": round(7.5 + (i * 31 % 100) / 100, 2),
            "assets": round(80 + (i * 13 % 894) / 100, 2), "unit": f"麻章区测试单位{i:05d}"}


def _variant_cells(book: Any) -> dict[str, Any]:
    return {"project": _table_cell(book["收支预算"], "项目支出", "决算数"),
            "total": _table_cell(book["收支预算"], "支出合计", "决算数"),
            "public": _table_cell(book["经费控制"], "公用经费", "实际支出数"),
            "assets": _field_cell(book["资产管理"], "实际在用固定资产总额"),
            "unit": _field_cell(book["基本信息"], "单位名称")}


def _find(ws: Any, text: str) -> Any:
    return next(c for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.strip() == text)


def _field_cell(ws: Any, label: str) -> Any:
    cell = _find(ws, label)
    return ws.cell(cell.row, cell.column + 1)


def _table_cell(ws: Any, row_label: str, header: str) -> Any:
    return ws.cell(_find(ws, row_label).row, _find(ws, header).column)


# ---- running things ----

def selfeval() -> list[str]:
    """The console script of this interpreter (not a pyenv shim), else `python -m`."""
    script = Path(sys.executable).parent / "selfeval"
    return [str(script)] if script.exists() else [sys.executable, "-m", "selfeval_xlsx"]


# Cold runs as a clerk's second run sees them: bytecode cached. Some shells (and this project's
# sessions) set PYTHONDONTWRITEBYTECODE, which would make every run compile the package again.
RUN_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def compile_package() -> None:
    package = Path(__file__).resolve().parent.parent / "selfeval_xlsx"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True,
                   stdout=subprocess.DEVNULL, env=RUN_ENV)


def wall(command: Sequence[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=RUN_ENV)
    return time.perf_counter() - start


def best_interleaved(runs: int, *measures: Callable[[], float]) -> list[float]:
    """The best of `runs` of each measure, taken in turns: this VM's CPU speed drifts, and
    turns expose every measure to the same drift."""
    best = [float("inf")] * len(measures)
    for _ in range(runs):
        for index, measure in enumerate(measures):
            best[index] = min(best[index], measure())
    return best


def batch_command(files: Sequence[Path], out: Path, jobs: int) -> list[str]:
    return [*selfeval(), "batch", *map(str, files), "-o", str(out), "--jobs", str(jobs)]


def run_batch(files: Sequence[Path], scratch: Path, jobs: int) -> float:
    command = batch_command(files, scratch / f"batch-{len(files)}-{jobs}.xlsx", jobs)
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          env=RUN_ENV)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"batch failed with exit code {done.returncode}")
    return time.perf_counter() - start


# ---- memory of a process tree ----

def peak_memory(command: Sequence[str]) -> tuple[int, str]:
    """Peak of the summed RSS of a process and its descendants (bytes) and how it was measured."""
    if not Path("/proc/self/statm").exists():
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        return max(before, after) * 1024, "largest single process (getrusage)"
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(SAMPLE_EVERY)
    return peak, f"sum of RSS of all processes, sampled every {SAMPLE_EVERY * 1000:.0f} ms"


def tree_rss(root: int) -> int:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            parent = _parent_pid(int(entry))
            if parent is not None:
                parents[int(entry)] = parent
    tree, grew = {root}, True
    while grew:
        added = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= added
        grew = bool(added)
    return sum(_rss(pid) for pid in tree)


def _parent_pid(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def _rss(pid: int) -> int:
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


# ---- the naive baseline: pandas reads every sheet, checks the 收支预算 totals ----

def naive_check(path: Path) -> tuple[int, float]:
    import pandas as pd

    frames = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    budget = frames["收支预算"]
    header = int(budget.index[budget.iloc[:, 0].eq("项目")][0])
    table = budget.iloc[header + 1:].set_axis(list(budget.iloc[header]), axis=1)
    table = table.dropna(subset=["项目"]).set_index("项目")
    amounts = table[AMOUNTS].apply(pd.to_numeric, errors="coerce")
    problems = 0
    for total, parts in NAIVE_SUMS.items():
        for column in AMOUNTS:
            values = amounts.loc[[total, *parts], column]
            if values.notna().any() and abs(values.iloc[1:].sum() - values.iloc[0]) > 0.015:
                problems += 1
    spent = amounts.loc["支出合计"]
    return problems, float(spent["决算数"] / spent["年初预算数"])


def naive_seconds(files: Sequence[Path]) -> float:
    naive_check(files[0])  # imports and first-call setup outside the timing
    start = time.perf_counter()
    for path in files:
        naive_check(path)
    return time.perf_counter() - start


# ---- where the batch's time goes (one workbook's stages: stages.py) ----

AREAS = (("selfeval_xlsx/batch/", "batch code (batch, batch_workbook)"),
         ("selfeval_xlsx/output/batch_workbook", "batch code (batch, batch_workbook)"),
         ("/openpyxl/", "openpyxl (shared formulas only)"), ("/xml/", "xml parsing (etree)"),
         ("/pandas/", "pandas (checks.sums)"), ("/numpy/", "pandas (checks.sums)"),
         ("/xlsxwriter/", "xlsxwriter (writing)"), ("selfeval_xlsx/", "selfeval_xlsx library"))


def profile_batch(files: Sequence[Path], scratch: Path) -> list[str]:
    """cProfile of the whole batch in this process (--jobs 1): own time by area."""
    from selfeval_xlsx.batch import BatchOptions, batch_files

    profiler = cProfile.Profile()
    profiler.enable()
    batch_files(files, BatchOptions(scratch / "profiled.xlsx", jobs=1, full_results=False,
                                    limits=None))  # in this process, where the profiler is
    profiler.disable()
    stats: dict[tuple[str, int, str], tuple[Any, ...]] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    areas: dict[str, float] = {}
    for (filename, _, _), (_, _, own, *_) in stats.items():
        area = next((name for key, name in AREAS if key in filename), "stdlib and builtins")
        areas[area] = areas.get(area, 0.0) + own
    total = sum(areas.values())
    return [f"  {name:<42}{seconds * 1000 / len(files):8.1f} ms {seconds / total:6.1%}"
            for name, seconds in sorted(areas.items(), key=lambda item: -item[1])]


# ---- report ----

def verdict(ratio: float, target: float, at_most: bool) -> str:
    met = ratio <= target if at_most else ratio >= target
    return "met" if met else "NOT met"


def row(name: str, value: str, baseline: str, ratio: float, target: str, met: str) -> str:
    return f"{name:<34}{value:>14}{baseline:>22}{ratio:>9.2f}  {target:<8}{met}"


def machine() -> str:
    model = ""
    with contextlib.suppress(OSError, StopIteration):
        model = next(line.split(":", 1)[1].strip() for line in
                     Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name"))
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs {model}, "
            f"Python {platform.python_version()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50/100/200 inputs")
    parser.add_argument("--pathological", action="store_true",
                        help="only the pathological files: peak memory and time of each")
    arguments = parser.parse_args()
    compile_package()
    if arguments.pathological:
        from pathological import report as pathological_report

        pathological_report()
        return
    sizes = QUICK if arguments.quick else FULL
    files = variants(max(sizes.throughput, *sizes.memory))
    scratch = Path(tempfile.mkdtemp(prefix="selfeval-bench-out-"))
    try:
        report(sizes, files, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def report(sizes: Sizes, files: list[Path], scratch: Path) -> None:
    print(f"machine: {machine()}")
    print(f"{'measure':<34}{'value':>14}{'baseline':>22}{'ratio':>9}  target")
    cold_start(scratch)
    sample = files[:sizes.throughput]
    two, naive, one = (len(sample) / seconds for seconds in best_interleaved(
        THROUGHPUT_RUNS, partial(run_batch, sample, scratch, 2), partial(naive_seconds, sample),
        partial(run_batch, sample, scratch, 1)))
    print(row(f"batch --jobs 2 (wb/s, n={len(sample)})", f"{two:.1f}", f"naive pandas {naive:.1f}",
              two / naive, f">= {NAIVE_TARGET:g}", verdict(two / naive, NAIVE_TARGET, False)))
    print(row("batch --jobs 2 (wb/s) vs target", f"{two:.1f}", f"{RATE_TARGET} wb/s",
              two / RATE_TARGET, ">= 1", verdict(two / RATE_TARGET, 1, False)))
    print(row("batch --jobs 2 vs --jobs 1 (wb/s)", f"{two:.1f}", f"jobs 1 {one:.1f}",
              two / one, f">= {JOBS_TARGET:g}", verdict(two / one, JOBS_TARGET, False)), flush=True)
    small, large = sizes.memory
    low, how = peak_memory(batch_command(files[:small], scratch / "m1.xlsx", 2))
    high, _ = peak_memory(batch_command(files[:large], scratch / "m2.xlsx", 2))
    print(row(f"peak memory n={large} vs n={small} (MB)", f"{high / 2**20:.0f}",
              f"n={small}: {low / 2**20:.0f}", high / low, "<= 1.2", verdict(high / low, 1.2, True)))
    print(f"  (memory: {how}; --jobs 2)")
    print(f"\nper workbook of the 整体 sample, stage by stage, in-process after a warm-up, mean of "
          f"{sizes.profile} variants:")
    print("\n".join(stage_table(files[:sizes.profile], scratch)), flush=True)
    warm_section(files[:sizes.profile], scratch, sizes.summary)
    print(f"\ncProfile of the batch (--jobs 1, {sizes.profile} variants), own time per workbook:")
    print("\n".join(profile_batch(files[:sizes.profile], scratch)))


def warm_section(files: list[Path], scratch: Path, units: int) -> None:
    """Per workbook in a warm process (整体 and ten projects), and the province's summary."""
    print("\nper workbook in a warm process (best of 5 rounds of 10):")
    print(f"  {'':<52}{'wall ms':>9}{'CPU ms':>9}  target")
    for name, wall, cpu, target in warm_rows(scratch):
        print(f"  {name:<52}{wall:9.1f}{cpu:9.1f}  <= {target:g} ms  "
              f"{verdict(wall / target, 1, True)}")
    print(f"\nper workbook of the project workbook with {PROJECTS} projects, stage by stage, "
          f"in-process after a warm-up, best of {PROJECT_ROUNDS} check and score runs per stage:")
    print("\n".join(project_stage_table(ten_projects(), scratch)), flush=True)
    seconds = summary_seconds(summaries_of(files), units, scratch)
    scaled = seconds * SUMMARY_UNITS / units
    shown = "" if units == SUMMARY_UNITS else f" (measured at {units:,}, scaled)"
    print(row(f"summary of {SUMMARY_UNITS:,} units (s)", f"{scaled:.1f}", f"target {SUMMARY_SECONDS:g} s",
              scaled / SUMMARY_SECONDS, "<= 1", verdict(scaled / SUMMARY_SECONDS, 1, True)) + shown,
          flush=True)


def cold_start(scratch: Path) -> None:
    """Cold `score`, `check` and `--help`, each against the bare imports it stands on."""
    commands = {"score": [*selfeval(), "score", str(SAMPLE), "-o", str(scratch / "s.xlsx")],
                "check": [*selfeval(), "check", str(SAMPLE)], "--help": [*selfeval(), "--help"]}
    floors = {"issue": ISSUE_FLOOR, "score": SCORE_FLOOR, "check": CHECK_FLOOR,
              "--help": HELP_FLOOR}
    measures = [partial(wall, c) for c in commands.values()]
    measures += [partial(wall, [sys.executable, "-c", f]) for f in floors.values()]
    best = dict(zip([*commands, *(f"floor {f}" for f in floors)],
                    best_interleaved(COLD_RUNS, *measures), strict=True))
    issue = best["floor issue"]
    for name in commands:
        own = best[f"floor {name}"]
        if name != "--help":
            ratio = best[name] / issue
            print(row(f"cold {name} (s, best of {COLD_RUNS})", f"{best[name]:.3f}",
                      f"issue's floor {issue:.3f}", ratio, f"<= {COLD_TARGET}",
                      verdict(ratio, COLD_TARGET, True)))
        print(row(f"cold {name} vs its own floor", f"{best[name]:.3f}", f"imports {own:.3f}",
                  best[name] / own, f"<= {COLD_TARGET}" if name != "--help" else "",
                  verdict(best[name] / own, COLD_TARGET, True) if name != "--help" else ""))
    print(f"  (issue's floor: {ISSUE_FLOOR}; own floors: score {SCORE_FLOOR}, check "
          f"{CHECK_FLOOR}, --help {HELP_FLOOR})", flush=True)


if __name__ == "__main__":
    main()
