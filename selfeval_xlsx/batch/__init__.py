"""The bureau's command: many workbooks in, one consolidated workbook out (`docs/json.md`, README).

Each workbook is evaluated in a worker process (`workers`) that returns only a small summary:
the JSON result as a dict (the same object `score --json` prints), or an `unreadable` one with
the reason. A file past the time or memory ceiling has its worker stopped and is listed as
unreadable with that reason; the run goes on. The parent keeps the summaries, ranks them and
writes the consolidated workbook (`output.batch_workbook`). One task per worker is in flight,
so memory stays bounded whatever the number of inputs. Ctrl+C or SIGTERM stops the workers and
removes their temporary files before the command ends.

Takes the files and folders given and the options. Gives a `BatchResult` (one summary per input,
what was left out) and the consolidated workbook. `workers.py` is the pool of worker processes.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from selfeval_xlsx.api import AnyEvaluation, evaluate_file, generation_time, write_evaluation
from selfeval_xlsx.atomic import atomic_output, temp_prefix
from selfeval_xlsx.batch.workers import Failure, Limits, WorkerPool
from selfeval_xlsx.errors import InputError, OutputError, OwnOutputError, SelfevalError, os_reason
from selfeval_xlsx.evaluate import SCHEMA
from selfeval_xlsx.scheme.load import load_scheme
from selfeval_xlsx.scheme.model import Scheme
from selfeval_xlsx.scheme.project import ProjectScheme, load_project_scheme
from selfeval_xlsx.text import Text, one_line
from selfeval_xlsx.xlsx.discovery import SKIP_OUR_OUTPUT, Skipped, Unlisted, find_inputs, no_inputs
from selfeval_xlsx.xlsx.ownership import OUTPUT_SUFFIX, Made, claim_folder, claim_target

OK, FAILED, UNREADABLE = "ok", "failed", "unreadable"
SKIPPED = "skipped"  # our own output found by its sheets: listed under 未纳入, not scored
DEFAULT_LIMITS = Limits()

ProgressCallback = Callable[[int, int, str], None]  # (done, total, file)


@dataclass(frozen=True)
class BatchOptions:
    output: Path
    jobs: int | None = None  # None: os.cpu_count(); 1: in this process, no pool
    strict: bool = False
    outputs: Path | None = None  # a folder for each unit's scored workbook
    scheme_file: Path | None = None
    lang: str = "zh"
    full_results: bool = True  # keep `indicators` in the summaries (False saves ~60% memory)
    show_progress: bool = False  # a progress bar (or plain lines) on stderr
    limits: Limits | None = field(default_factory=Limits)  # None with jobs 1: in this process
    force: bool = False  # replace existing files that this tool did not write
    project_scheme_file: Path | None = None  # the scheme of the project workbooks


@dataclass(frozen=True)
class Task:
    index: int
    path: Path
    display: str  # the path as given on the command line, or found under a given folder
    output: Path | None = None  # where the unit's scored workbook goes (`--outputs`)
    error: Text | None = None  # why the input could not even be found (a folder not listed)


@dataclass(frozen=True)
class WorkerJob:
    """What every worker needs besides its task (sent with each task: a few KB)."""

    scheme: Scheme
    lang: str
    generated_at: datetime
    full_results: bool
    force: bool = False
    project_scheme: ProjectScheme | None = None  # None: each project workbook's own, or default
    strict: bool = False  # `--strict`: a warning fails a workbook (its `passed`, its output)


@dataclass(frozen=True)
class BatchResult:
    summaries: list[dict[str, Any]]  # one per input, in input order, each with its `status`
    output: Path
    outputs: Path | None = None
    skipped: list[Skipped] = field(default_factory=list)

    def skipped_lines(self, lang: str = "zh") -> list[str]:
        """For stderr: each spreadsheet-like file left out, then one line for the rest."""
        lines = [s.line(lang) for s in self.skipped if s.workbook_like]
        others = sum(1 for s in self.skipped if not s.workbook_like)
        if others:
            lines.append(f"Not included: {others} other files (not workbooks)" if lang == "en"
                         else f"未纳入：另有 {others} 个其他文件（不是工作簿）")
        return lines

    def count(self, status: str) -> int:
        return sum(1 for s in self.summaries if s["status"] == status)

    def exit_code(self) -> int:
        return 0 if self.count(OK) == len(self.summaries) else 1

    def to_json(self) -> list[dict[str, Any]]:
        return self.summaries

    def summary_lines(self, lang: str = "zh") -> list[str]:
        n, ok, failed, bad = (len(self.summaries), self.count(OK), self.count(FAILED),
                              self.count(UNREADABLE))
        if lang == "en":
            lines = [f"{n} workbooks: {ok} passed, {failed} failed, {bad} unreadable"
                     + (f"; {len(self.skipped)} files not included (sheet 未纳入)."
                        if self.skipped else "."),
                     f"Consolidated workbook written: {self.output}"]
            return lines + self._outputs_lines(lang)
        lines = [f"共 {n} 份：通过 {ok} 份，未通过 {failed} 份，无法读取 {bad} 份"
                 + (f"；另有 {len(self.skipped)} 个文件未纳入（见汇总工作簿的“未纳入”表）。"
                    if self.skipped else "。"),
                 f"汇总已写入：{self.output}"]
        return lines + self._outputs_lines(lang)

    def _outputs_lines(self, lang: str) -> list[str]:
        """With --outputs: how many units' workbooks were written where, and how many not."""
        if self.outputs is None:
            return []
        written = sum(1 for s in self.summaries if "output" in s)
        failed = sum(1 for s in self.summaries if "output_error" in s)
        if lang == "en":
            return [f"Scored workbooks written to {self.outputs}: {written}"
                    + (f"; {failed} could not be written (see 备注 in 汇总)" if failed else "")]
        return [f"各单位评分结果已写入 {self.outputs}：{written} 份"
                + (f"；{failed} 份未能写出（原因见汇总表的“备注”）" if failed else "")]


def batch_files(paths: Sequence[Path], options: BatchOptions) -> BatchResult:
    """Evaluate every workbook under `paths` and write the consolidated workbook."""
    from selfeval_xlsx.output.batch_workbook import write_batch_workbook

    scheme = load_scheme(options.scheme_file)
    project_scheme = (load_project_scheme(options.project_scheme_file)
                      if options.project_scheme_file is not None else None)
    claim_target(options.output, Made.BATCH, options.force)
    require_writable(options.output)
    files, skipped = find_inputs(paths, options.output)
    if not files:
        raise InputError(no_inputs(paths))
    if options.outputs is not None:
        _prepare_folder(options.outputs)
    tasks = plan_tasks(files, options.outputs)
    job = WorkerJob(scheme, options.lang, generation_time(), options.full_results, options.force,
                    project_scheme, options.strict)
    jobs = options.jobs or os.cpu_count() or 1
    with stderr_progress(options.show_progress) as progress:
        summaries = evaluate_all(tasks, job, jobs, progress, options.limits,
                                 functools.partial(remove_temporary_files, options.outputs))
    skipped += [Skipped(Path(s["file"]), SKIP_OUR_OUTPUT) for s in summaries
                if s.get("status") == SKIPPED]
    summaries = [s for s in summaries if s.get("status") != SKIPPED]
    for summary in summaries:
        summary["status"] = status_of(summary, options.strict)
    write_batch_workbook(summaries, scheme, options.output, job.generated_at,
                         [(str(s.path), s.reason.render(options.lang)) for s in skipped])
    return BatchResult(summaries, options.output, options.outputs, skipped)


def status_of(summary: dict[str, Any], strict: bool) -> str:
    if summary.get("status") == UNREADABLE:
        return UNREADABLE
    counts = summary["counts"]
    failed = counts["error"] > 0 or (strict and counts["warning"] > 0)
    return FAILED if failed or "output_error" in summary else OK


# ---- finding the inputs ----

def plan_tasks(files: Sequence[Path | Unlisted], outputs: Path | None) -> list[Task]:
    """One task per file; with `outputs`, the scored workbook's path, unique per input."""
    stems = Counter(path.stem.casefold() for path in files if isinstance(path, Path))
    return [Task(index, path, str(path), _unit_output(path, outputs, stems))
            if isinstance(path, Path) else
            Task(index, path.path, str(path.path), error=_unlisted_reason(path.reason))
            for index, path in enumerate(files)]


def _unlisted_reason(reason: str) -> Text:
    return Text(f"无法读取该文件夹（{reason}），其中的工作簿未能评分；请检查文件夹的权限或路径长度。",
                f"The folder could not be listed ({reason}); its workbooks were not scored. "
                "Check the folder's permissions or the length of its path.")


def _unit_output(path: Path, outputs: Path | None, stems: Counter[str]) -> Path | None:
    """`<stem>_评分结果.xlsx`, with a short suffix when the same stem is found in several folders."""
    if outputs is None:
        return None
    stem = path.stem
    if stems[stem.casefold()] > 1:
        stem += "_" + hashlib.sha1(str(path).encode()).hexdigest()[:6]
    return outputs / (stem + OUTPUT_SUFFIX)


class _Probe(Exception):
    """Raised inside `atomic_output` to test a folder without writing the target."""


def require_writable(target: Path) -> None:
    """Refuse, before any work, an output that could not be written at the end."""
    if target.is_dir():
        raise OutputError(Text(
            f"输出“{target}”是一个文件夹；请用 -o 指定输出工作簿的文件名（.xlsx）。",
            f"The output '{target}' is a folder; give the output workbook's file name with -o."))
    with contextlib.suppress(_Probe), atomic_output(target):
        raise _Probe


def _prepare_folder(folder: Path) -> None:
    claim_folder(folder)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        reason = os_reason(exc)
        raise OutputError(Text(
            f"无法创建文件夹“{folder}”：{reason.zh}。请用 --outputs 指定一个可写的文件夹。",
            f"Cannot create the folder '{folder}': {reason.en}. "
            "Choose a writable folder with --outputs.")) from exc
    require_writable(folder / ("probe" + OUTPUT_SUFFIX))


# ---- evaluating: in worker processes with ceilings (or in this process) ----

def evaluate_all(tasks: Sequence[Task], job: WorkerJob, jobs: int,
                 progress: ProgressCallback | None = None,
                 limits: Limits | None = DEFAULT_LIMITS,
                 cleanup: Callable[[int], None] = lambda pid: None) -> list[dict[str, Any]]:
    """The summary of every task, in task order, whatever the completion order. With `limits`,
    each file is evaluated in a worker process within them; with None and one job, here."""
    summaries: list[dict[str, Any]] = [{} for _ in tasks]
    with contextlib.ExitStack() as stack:
        stream: Iterator[tuple[int, Any]]
        if limits is None and jobs <= 1:
            stream = ((t.index, summarize(job, t)) for t in tasks)
        else:
            pool = stack.enter_context(WorkerPool(functools.partial(summarize, job),
                                                  min(jobs, len(tasks)), limits or DEFAULT_LIMITS,
                                                  cleanup))
            stream = pool.run((t.index, t) for t in tasks)
        for done, (index, outcome) in enumerate(stream, start=1):
            summaries[index] = (unreadable(tasks[index], job, _failure_reason(outcome, limits, job.lang))
                                if isinstance(outcome, Failure) else shared(outcome))
            if progress is not None:
                progress(done, len(tasks), tasks[index].display)
    return summaries


SHORT_TEXT = 40  # rule codes, sheets, cells, labels, grades: what summaries repeat


def shared(value: Any) -> Any:
    """`value` (a summary from a worker) with its keys and short texts interned. Each summary
    arrives with its own copy of the same keys, rules, sheets and labels: shared, the parent's
    summaries take about half the memory (a province's batch holds tens of thousands)."""
    if isinstance(value, dict):
        return {sys.intern(k) if type(k) is str else k: shared(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shared(item) for item in value]
    if type(value) is str and len(value) <= SHORT_TEXT:
        return sys.intern(value)
    return value


FAILURES = {
    "time": ("处理该文件超过 {seconds:g} 秒，已停止（文件可能异常复杂）",
             "Processing the file took more than {seconds:g} s and was stopped (the file may be "
             "abnormally complex)"),
    "memory": ("处理该文件占用内存超过 {memory} MiB，已停止（文件可能异常庞大）",
               "Processing the file used more than {memory} MiB of memory and was stopped (the "
               "file may be abnormally large)"),
    "died": ("处理该文件时工作进程意外退出（可能内存不足）",
             "The worker process died on this file (out of memory?)"),
}


def _failure_reason(failure: Failure, limits: Limits | None, lang: str) -> str:
    ceiling = limits or DEFAULT_LIMITS
    zh, en = (text.format(seconds=ceiling.seconds, memory=ceiling.memory_mib)
              for text in FAILURES.get(failure.kind, FAILURES["died"]))
    return Text(zh + "；请单独运行 selfeval score 该文件，或把文件发送给财政局。",
                en + "; run selfeval score on it alone, or send it to the finance bureau.",
                ).render(lang)


def remove_temporary_files(folder: Path | None, pid: int) -> None:
    """Remove what a stopped worker (`pid`) left in `folder`: its `.~selfeval-<pid>-…` files."""
    if folder is None:
        return
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(temp_prefix(pid)):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


# ---- one workbook (runs in a worker) ----

def summarize(job: WorkerJob, task: Task) -> dict[str, Any]:
    """The summary of one workbook; never raises for a bad file."""
    if task.error is not None:
        return unreadable(task, job, task.error.render(job.lang))
    try:
        evaluation = evaluate_file(task.path, job.scheme, job.project_scheme, task.display,
                                   strict_scheme=True, strict=job.strict)
        summary = evaluation.result.to_json(job.lang)
    except OwnOutputError:
        return {"file": task.display, "status": SKIPPED}
    except SelfevalError as exc:
        return unreadable(task, job, exc.render(job.lang))
    except Exception as exc:  # one bad file never stops the batch
        return unreadable(task, job, _internal_reason(exc, job.lang, task.path))
    if task.output is not None:
        summary.update(_write_unit_output(evaluation, task.output, job))
    if not job.full_results:
        summary.pop("indicators", None)
        for project in summary.get("projects", []):
            project.pop("indicators", None)
    return summary


def _write_unit_output(evaluation: AnyEvaluation, target: Path, job: WorkerJob) -> dict[str, str]:
    try:
        claim_target(target, Made.RESULT, job.force)
        write_evaluation(evaluation, target, job.generated_at, job.lang)
    except SelfevalError as exc:
        return {"output_error": exc.render(job.lang)}
    except Exception as exc:  # the unit's own workbook failing never stops the batch
        return {"output_error": _internal_reason(exc, job.lang, evaluation.book.path)}
    return {"output": str(target)}


def unreadable(task: Task, job: WorkerJob, reason: str) -> dict[str, Any]:
    """The summary of a file that could not be evaluated: the JSON keys as far as known."""
    return {"schema": SCHEMA, "file": task.display, "sha256": None, "scheme": job.scheme.id,
            "unit": None, "year": None, "passed": False, "findings": [],
            "counts": {"error": 0, "warning": 0, "info": 0},
            "status": UNREADABLE, "error": one_line(reason)}


def _internal_reason(exc: Exception, lang: str, path: Path) -> str:
    name, shown = type(exc).__name__, one_line(path.name)
    return Text(f"内部错误（{name}）：处理“{shown}”时出现意外问题，未能评分。请把文件“{shown}”"
                "发送给财政局，以便查明原因。",
                f'Internal error ({name}) while processing "{shown}": it could not be scored. '
                f'Please send "{shown}" to the finance bureau so that it can be looked into.'
                ).render(lang)


# ---- progress on stderr ----

@contextlib.contextmanager
def stderr_progress(enabled: bool = True) -> Iterator[ProgressCallback | None]:
    """A rich progress bar when stderr is a terminal, otherwise `[12/200] file` lines."""
    if not enabled:
        yield None
    elif sys.stderr.isatty():
        with _rich_progress() as advance:
            yield advance
    else:
        yield _plain_line


def _plain_line(done: int, total: int, name: str) -> None:
    print(f"[{done}/{total}] {name}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def _rich_progress() -> Iterator[ProgressCallback]:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())
    # no refresh thread: the pool forks its workers while the bar is shown
    with Progress(*columns, console=Console(stderr=True), auto_refresh=False) as bar:
        task_id = bar.add_task("评分", total=None)

        def advance(done: int, total: int, name: str) -> None:
            bar.update(task_id, completed=done, total=total, description=Path(name).name[:30],
                       refresh=True)

        yield advance
