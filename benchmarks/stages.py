"""Where one workbook's time goes, stage by stage, with the floors beside it (issue 15).

`stage_table(files, scratch)` calls the stages of `evaluate_workbook` one by one, as it does,
on each variant of the 整体 sample in this process after one warm-up (a warm worker): guard,
read (the file's SHA-256, the package parts and the sheets' XML), locate, type, checks (and each
family), scoring, result assembly (the Result with its findings sorted, and its JSON), then the
output workbook written and the row of the bureau's summary workbook. The sum of the stages is
printed beside `evaluate_workbook` as one call, so the table can be seen to add up.

Floors, on the same files: python-calamine reading every sheet (a Rust reader that types
nothing and checks nothing: the least any reading costs; in the `bench` extra,
`pip install -e ".[bench]"`, else "not installed") and pandas building and grouping the frame the
totals check builds, from the same records (`checks/sums.py`). openpyxl's `load_workbook` is
shown for comparison: what reading cost before the package had its own reader.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any

Timings = dict[str, float]
CLOSE = "  of which xlsxwriter's XML and zip"


class Clock:
    """Seconds summed per stage name, in the order the stages first ran."""

    def __init__(self) -> None:
        self.totals: Timings = {}

    def timed(self, name: str, action: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        value = action()
        self.totals[name] = self.totals.get(name, 0.0) + time.perf_counter() - start
        return value

    def per_workbook(self, count: int) -> Timings:
        return {name: seconds * 1000 / count for name, seconds in self.totals.items()}


def one_workbook(path: Path, clock: Clock, target: Path) -> dict[str, Any]:
    """The stages of `evaluate._evaluate` in its order, each timed; then the output workbook
    and the batch summary of the workbook. Gives that summary."""
    from selfeval_xlsx.api import generation_time
    from selfeval_xlsx.checks import CHECKS
    from selfeval_xlsx.checks.context import Context
    from selfeval_xlsx.checks.structure import open_elsewhere
    from selfeval_xlsx.evaluate import Evaluation, Result, _order
    from selfeval_xlsx.output.workbook import write_output
    from selfeval_xlsx.output.worksheet import OutputWorkbook
    from selfeval_xlsx.read.inputs import type_inputs
    from selfeval_xlsx.read.locate import read_workbook
    from selfeval_xlsx.read.values import formula_operand
    from selfeval_xlsx.scheme.load import load_scheme
    from selfeval_xlsx.scoring.engine import score_workbook
    from selfeval_xlsx.template.department import build_template
    from selfeval_xlsx.template.spec import BASIC
    from selfeval_xlsx.xlsx import guard
    from selfeval_xlsx.xlsx.workbook import LoadedWorkbook

    data, archive = clock.timed("guard", partial(guard.read_workbook, path))

    def chosen() -> tuple[Any, Any]:
        scheme = load_scheme()
        return scheme, build_template(scheme)

    scheme, template = clock.timed("scheme and template (cached)", chosen)

    def read() -> LoadedWorkbook:
        book = LoadedWorkbook(path, formula_operand, data, archive)
        book.preload([s.name for s in template.sheets if s.name in book.sheet_names])
        return book

    book = clock.timed("read (sha256, parts, sheet XML)", read)
    raw = clock.timed("locate (labels -> cells)", partial(read_workbook, book, template,
                                                          path.name))
    inputs = clock.timed("type (values by kind)", partial(type_inputs, raw, template))
    context = Context(inputs, raw, scheme, template)
    found = [*raw.findings, *inputs.findings]
    for check in CHECKS:
        family = check.__module__.rsplit(".", 1)[1]
        found += clock.timed(f"  checks.{family}", partial(_all, check, context))
    scored = clock.timed("scoring", partial(score_workbook, context))

    def assemble() -> tuple[Result, dict[str, Any]]:
        findings = [*found, *open_elsewhere(path), *scored.findings]
        unit, year = (inputs.field(BASIC, label).value for label in ("单位名称", "评价年度"))
        result = Result(str(path), book.sha256, scheme.id,
                        unit if isinstance(unit, str) else None,
                        year if isinstance(year, int) else None,
                        sorted(findings, key=_order(template)), scored.scoring)
        summary = result.to_json("zh")
        summary.pop("indicators", None)  # as a batch keeps it
        return result, summary

    result, summary = clock.timed("result (sorted findings, JSON)", assemble)
    evaluation = Evaluation(result, book, raw, template, scheme, inputs)
    with timed_calls(clock, [(OutputWorkbook, "close", CLOSE)]):
        clock.timed("output workbook (score -o)",
                    partial(write_output, evaluation, target, generation_time(), "zh"))
    return summary


@contextlib.contextmanager
def timed_calls(clock: Clock, places: list[tuple[Any, str, str]]) -> Iterator[None]:
    """While inside, each (owner, attribute, stage) call is timed into `clock` under `stage`."""
    saved = [(owner, attribute, getattr(owner, attribute)) for owner, attribute, _ in places]
    try:
        for (owner, attribute, stage), (_, _, original) in zip(places, saved, strict=True):
            setattr(owner, attribute, _timing(clock, stage, original))
        yield
    finally:
        for owner, attribute, original in saved:
            setattr(owner, attribute, original)


def _timing(clock: Clock, stage: str, original: Callable[..., Any]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        return clock.timed(stage, lambda: original(*args, **kwargs))
    return timed


def _all(check: Callable[[Any], Any], context: Any) -> list[Any]:
    return list(check(context))


def stage_table(files: Sequence[Path], scratch: Path) -> list[str]:
    """The lines of the table: each stage in ms per workbook, its floor beside it."""
    one_workbook(files[0], Clock(), scratch / "warm.xlsx")  # imports and caches: a warm worker
    clock = Clock()
    summaries = [one_workbook(path, clock, scratch / "stage.xlsx") for path in files]
    stages = clock.per_workbook(len(files))
    close = stages.pop(CLOSE)
    checks = sum(ms for name, ms in stages.items() if name.startswith("  checks."))
    floors = floor_times(files)
    whole = whole_times(files)
    evaluate = sum(ms for name, ms in stages.items() if not name.startswith("output"))
    shown: list[str] = []
    lines = [f"  {'stage':<38}{'ms':>8}   floor (ms) beside it"]
    for name, ms in stages.items():
        if name.startswith("  checks.") and not any(n.startswith("checks") for n in shown):
            shown.append("checks")
            lines.append(_line("checks", checks, _beside(checks, "pandas frame of the totals",
                                                         floors["pandas"])))
        shown.append(name)
        beside = ""
        if name.startswith("read"):
            beside = _beside(ms, "python-calamine, every sheet", floors["calamine"])
        lines.append(_line(name, ms, beside))
        if name.startswith("output"):
            lines.append(_line(CLOSE, close, "(xlsxwriter's own: any output written with it "
                                             "pays this)"))
    lines.append(_line("batch summary workbook, per row", batch_row_ms(summaries, scratch), ""))
    lines.append(_line("sum: guard .. result", evaluate,
                       _beside(evaluate, "calamine + pandas frame", _sum(floors))))
    lines.append(_line("evaluate_workbook as one call", whole["evaluate"], ""))
    lines.append(_line("batch worker task (summarize)", whole["summarize"], ""))
    lines.append(_line("openpyxl.load_workbook (comparison)", floors["openpyxl"],
                       "(data_only; the reader before its own)"))
    return lines


def _line(name: str, ms: float | None, beside: str) -> str:
    shown = f"{ms:8.2f}" if ms is not None else "     n/a"
    return f"  {name:<38}{shown}   {beside}".rstrip()


def _beside(ms: float, floor_name: str, floor: float | None) -> str:
    if floor is None:
        return f"{floor_name}: not installed (pip install -e \".[bench]\")"
    return f"{floor_name}: {floor:.2f} ({ms / floor:.1f}x)"


def _sum(floors: dict[str, float | None]) -> float | None:
    calamine, frame = floors["calamine"], floors["pandas"]
    return calamine + frame if calamine is not None and frame is not None else None


def floor_times(files: Sequence[Path]) -> dict[str, float | None]:
    """ms per workbook: python-calamine reading every sheet (None when it is not installed),
    pandas over the records of the totals check, openpyxl's load_workbook."""
    import openpyxl

    records = [sum_records(path) for path in files]
    clock = Clock()
    frames(records[0])  # pandas' first-call setup outside the timing
    for each in records:
        clock.timed("pandas", partial(frames, each))
    for path in files:
        clock.timed("openpyxl", partial(openpyxl.load_workbook, path, data_only=True,
                                        keep_links=False))
    found: dict[str, float | None] = {"calamine": None, **clock.per_workbook(len(files))}
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return found

    def calamine(path: Path) -> list[Any]:
        book = CalamineWorkbook.from_path(str(path))
        return [book.get_sheet_by_name(name).to_python() for name in book.sheet_names]

    calamine(files[0])
    clock = Clock()
    for path in files:
        clock.timed("calamine", partial(calamine, path))
    found["calamine"] = clock.per_workbook(len(files))["calamine"]
    return found


def sum_records(path: Path) -> Any:
    """The records `checks.sums.check_sums` gives pandas for this workbook (its own loop)."""
    from selfeval_xlsx.checks import sums
    from selfeval_xlsx.checks.context import Context
    from selfeval_xlsx.evaluate import evaluate_workbook

    evaluation = evaluate_workbook(path)
    context = Context(evaluation.inputs, evaluation.raw, evaluation.scheme, evaluation.template)
    records = sums.Records()
    index = 0
    for spec in sums.SUM_TABLES:
        table = context.inputs.table(spec.name)
        for group in spec.groups:
            labels = sums._labels(table, group)
            if labels:
                records.add(table, spec, index, labels, {})
                index += 1
    return records


def frames(records: Any) -> int:
    """What the totals check asks of pandas: one frame, one groupby, a walk over its rows."""
    return sum(1 for _ in records.sums())


def whole_times(files: Sequence[Path]) -> Timings:
    """ms per workbook of `evaluate_workbook` and of a batch worker's task, each as one call."""
    from selfeval_xlsx.api import generation_time
    from selfeval_xlsx.batch import Task, WorkerJob, summarize
    from selfeval_xlsx.evaluate import evaluate_workbook
    from selfeval_xlsx.scheme.load import load_scheme

    job = WorkerJob(load_scheme(), "zh", generation_time(), full_results=False)
    clock = Clock()
    for index, path in enumerate(files):
        clock.timed("evaluate", partial(evaluate_workbook, path))
        clock.timed("summarize", partial(summarize, job, Task(index, path, str(path))))
    return clock.per_workbook(len(files))


def batch_row_ms(summaries: list[dict[str, Any]], scratch: Path) -> float:
    """The cost of one more row in the bureau's summary workbook: the workbook of all the
    summaries less that of one, per added row (best of three each)."""
    from selfeval_xlsx.api import generation_time
    from selfeval_xlsx.batch import status_of
    from selfeval_xlsx.output.batch_workbook import write_batch_workbook
    from selfeval_xlsx.scheme.load import load_scheme

    for summary in summaries:
        summary["status"] = status_of(summary, False)
    scheme, now = load_scheme(), generation_time()

    def best(part: list[dict[str, Any]]) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            write_batch_workbook(part, scheme, scratch / "rows.xlsx", now)
            times.append(time.perf_counter() - start)
        return min(times)

    return (best(summaries) - best(summaries[:1])) * 1000 / max(len(summaries) - 1, 1)
