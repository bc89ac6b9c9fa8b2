"""The bureau's command: many workbooks in, one consolidated workbook out (`docs/json.md`, README).

Each workbook is evaluated in a worker process that returns only a small summary: the JSON
result as a dict (the same object `score --json` prints), or an `unreadable` one with the
reason. The parent keeps those summaries, ranks them and writes the consolidated workbook
(`output.batch_workbook`). At most a few tasks per worker are in flight, so memory stays bounded
whatever the number of inputs.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import sys
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from selfeval_xlsx.api import generation_time
from selfeval_xlsx.atomic import atomic_output
from selfeval_xlsx.errors import InputError, OutputError, OwnOutputError, SelfevalError, os_reason
from selfeval_xlsx.evaluate import SCHEMA, Evaluation, evaluate_workbook
from selfeval_xlsx.output.workbook import OUTPUT_SUFFIX, write_output
from selfeval_xlsx.scheme.load import load_scheme
from selfeval_xlsx.scheme.model import Scheme
from selfeval_xlsx.text import Text
from selfeval_xlsx.xlsx.locks import LOCK_PREFIX
from selfeval_xlsx.xlsx.ownership import Made, claim_folder, claim_target

INPUT_SUFFIXES = (".xlsx", ".xlsm")

TEMP_PREFIX = ".~selfeval-"  # the tool's own temporary files (`atomic_output`)
TASKS_PER_WORKER = 4  # tasks in flight per worker: enough to keep it busy, few to hold
OK, FAILED, UNREADABLE = "ok", "failed", "unreadable"
SKIPPED = "skipped"  # our own output found by its sheets: listed under 未纳入, not scored

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
    force: bool = False  # replace existing files that this tool did not write


@dataclass(frozen=True)
class Task:
    index: int
    path: Path
    display: str  # the path as given on the command line, or found under a given folder
    output: Path | None = None  # where the unit's scored workbook goes (`--outputs`)


@dataclass(frozen=True)
class WorkerJob:
    """What every worker needs besides its task (sent with each task: a few KB)."""

    scheme: Scheme
    lang: str
    generated_at: datetime
    full_results: bool
    force: bool = False


@dataclass(frozen=True)
class Skipped:
    """A file under the given folders that the batch did not score, and why."""

    path: Path
    reason: Text
    workbook_like: bool = True  # a spreadsheet or one of our files, not e.g. a PDF

    def line(self, lang: str) -> str:
        if lang == "en":
            return f"Not included: {self.path} ({self.reason.en})"
        return f"未纳入：{self.path}（{self.reason.zh}）"


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
            return lines + ([f"Scored workbooks written to: {self.outputs}"] if self.outputs else [])
        lines = [f"共 {n} 份：通过 {ok} 份，未通过 {failed} 份，无法读取 {bad} 份"
                 + (f"；另有 {len(self.skipped)} 个文件未纳入（见汇总工作簿的“未纳入”表）。"
                    if self.skipped else "。"),
                 f"汇总已写入：{self.output}"]
        return lines + ([f"各单位评分结果已写入：{self.outputs}"] if self.outputs else [])


def batch_files(paths: Sequence[Path], options: BatchOptions) -> BatchResult:
    """Evaluate every workbook under `paths` and write the consolidated workbook."""
    from selfeval_xlsx.output.batch_workbook import write_batch_workbook

    scheme = load_scheme(options.scheme_file)
    claim_target(options.output, Made.BATCH, options.force)
    require_writable(options.output)
    files, skipped = find_inputs(paths, options.output)
    if not files:
        raise InputError(_no_inputs(paths))
    if options.outputs is not None:
        _prepare_folder(options.outputs)
    tasks = plan_tasks(files, options.outputs)
    job = WorkerJob(scheme, options.lang, generation_time(), options.full_results, options.force)
    with stderr_progress(options.show_progress) as progress:
        summaries = evaluate_all(tasks, job, options.jobs or os.cpu_count() or 1, progress)
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

def find_inputs(arguments: Sequence[Path], output: Path) -> tuple[list[Path], list[Skipped]]:
    """The workbooks named or found (recursively) under `arguments`, in order, each once; and
    every other file found there, with the reason it is not scored."""
    excluded = {output.resolve()}
    found: list[Path] = []
    skipped: list[Skipped] = []
    for argument in arguments:
        if not argument.exists():
            raise InputError(_missing(argument))
        candidates = _walk(argument) if argument.is_dir() else iter([argument])
        for path in candidates:
            key = path.resolve()
            if key in excluded:
                if key == output.resolve():
                    skipped.append(Skipped(path, SKIP_THIS_OUTPUT))
                continue
            excluded.add(key)
            reason = skip_reason(path)
            if reason is None:
                found.append(path)
            else:
                skipped.append(reason)
    return found, skipped


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            yield Path(root, name)


SKIP_LOCK = Text("Excel/WPS 的锁定文件（对应的工作簿正打开着），不是工作簿",
                 "an Excel/WPS lock file (its workbook is open), not a workbook")
SKIP_TEMP = Text("本工具写入时的临时文件", "a temporary file of this tool")
SKIP_OUR_OUTPUT = Text("本工具生成的评分结果或汇总工作簿", "a result or summary workbook of this tool")
SKIP_THIS_OUTPUT = Text("本次汇总的输出文件", "this run's own summary workbook")
SKIP_OTHER = Text("不是工作簿", "not a workbook")
OTHER_SPREADSHEETS = (".xls", ".et", ".ett", ".xlsb", ".ods", ".csv", ".xlt", ".xltx", ".xltm",
                      ".numbers", ".wps")


def skip_reason(path: Path) -> Skipped | None:
    """Why a file found under a folder is not scored; None for a workbook to score."""
    name, suffix = path.name, path.suffix.lower()
    if name.startswith(LOCK_PREFIX):
        return Skipped(path, SKIP_LOCK)
    if name.startswith(TEMP_PREFIX):
        return Skipped(path, SKIP_TEMP)
    if name.endswith(OUTPUT_SUFFIX):
        return Skipped(path, SKIP_OUR_OUTPUT)
    if suffix in INPUT_SUFFIXES:
        return None
    if suffix in OTHER_SPREADSHEETS:
        return Skipped(path, Text(f"{suffix} 格式不能直接评分：请在 Excel 或 WPS 中另存为 .xlsx 后再放入",
                                  f"{suffix} files cannot be scored: save it as .xlsx in Excel or WPS"))
    return Skipped(path, SKIP_OTHER, workbook_like=False)


def is_skipped(name: str) -> bool:
    """Lock files, the tool's own outputs and temporary files are never inputs."""
    return skip_reason(Path(name)) is not None and Path(name).suffix.lower() in INPUT_SUFFIXES


def plan_tasks(files: Sequence[Path], outputs: Path | None) -> list[Task]:
    """One task per file; with `outputs`, the scored workbook's path, unique per input."""
    stems = Counter(path.stem.casefold() for path in files)
    return [Task(index, path, str(path), _unit_output(path, outputs, stems))
            for index, path in enumerate(files)]


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
        raise OutputError(Text(
            f"无法创建文件夹“{folder}”：{os_reason(exc).zh}。请用 --outputs 指定一个可写的文件夹。",
            f"Cannot create the folder '{folder}': {os_reason(exc).en}. "
            "Choose a writable folder with --outputs.")) from exc
    require_writable(folder / ("probe" + OUTPUT_SUFFIX))


def _missing(argument: Path) -> Text:
    return Text(f"找不到“{argument}”：请检查文件或文件夹的路径后再试。",
                f"'{argument}' does not exist: check the path of the file or folder.")


def _no_inputs(arguments: Sequence[Path]) -> Text:
    shown = [str(a) for a in arguments[:3]]
    more_zh, more_en = ("等", ", ...") if len(arguments) > 3 else ("", "")
    return Text(
        f"在“{'”“'.join(shown)}”{more_zh}中没有找到要评分的工作簿（.xlsx/.xlsm；已跳过 ~$ 开头的"
        "临时文件和“_评分结果.xlsx”）。请指定存放填好的模板的文件夹或文件。",
        f"No workbooks (.xlsx/.xlsm) found in {', '.join(shown)}{more_en} (lock files and "
        "'_评分结果.xlsx' outputs are skipped). Name the folder or files of filled templates.")


# ---- evaluating: in this process, or in a bounded pool ----

def evaluate_all(tasks: Sequence[Task], job: WorkerJob, jobs: int,
                 progress: ProgressCallback | None = None) -> list[dict[str, Any]]:
    """The summary of every task, in task order, whatever the completion order."""
    summaries: list[dict[str, Any]] = [{} for _ in tasks]
    workers = min(jobs, len(tasks))
    stream = _in_process(tasks, job) if workers <= 1 else _pooled(tasks, job, workers)
    for done, (index, summary) in enumerate(stream, start=1):
        summaries[index] = summary
        if progress is not None:
            progress(done, len(tasks), tasks[index].display)
    return summaries


def _in_process(tasks: Sequence[Task], job: WorkerJob) -> Iterator[tuple[int, dict[str, Any]]]:
    for task in tasks:
        yield task.index, summarize(job, task)


def _pooled(tasks: Sequence[Task], job: WorkerJob,
            workers: int) -> Iterator[tuple[int, dict[str, Any]]]:
    """Run in a pool; when a worker dies (a crash, the OOM killer), the tasks then in flight
    are retried one by one in a fresh process each, so only the culprit is lost."""
    queue = deque(tasks)
    while queue:
        lost = yield from _until_broken(queue, job, workers)
        for task in lost:
            yield task.index, _isolated(task, job)


def _until_broken(queue: deque[Task], job: WorkerJob,
                  workers: int) -> Generator[tuple[int, dict[str, Any]], None, list[Task]]:
    """Run tasks from `queue`, a few per worker in flight; return those lost to a broken pool."""
    lost: list[Task] = []
    with ProcessPoolExecutor(workers, initializer=_ignore_interrupts) as pool:
        pending: dict[Future[dict[str, Any]], Task] = {}
        _submit(pool, pending, queue, job, workers * TASKS_PER_WORKER)
        while pending:
            done, _ = wait(pending, return_when=ALL_COMPLETED if lost else FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: pending[f].index):
                task = pending.pop(future)
                summary = _outcome(future, task, job)
                if summary is None:
                    lost.append(task)
                else:
                    yield task.index, summary
            if not lost:
                _submit(pool, pending, queue, job, workers * TASKS_PER_WORKER)
    return lost


def _outcome(future: Future[dict[str, Any]], task: Task, job: WorkerJob) -> dict[str, Any] | None:
    """The task's summary; None when its worker died."""
    try:
        return future.result()
    except BrokenProcessPool:
        return None
    except Exception as exc:  # e.g. a result that could not be sent back
        return unreadable(task, job, _internal_reason(exc, job.lang))


def _submit(pool: ProcessPoolExecutor, pending: dict[Future[dict[str, Any]], Task],
            queue: deque[Task], job: WorkerJob, limit: int) -> None:
    while queue and len(pending) < limit:
        task = queue.popleft()
        pending[pool.submit(summarize, job, task)] = task


def _isolated(task: Task, job: WorkerJob) -> dict[str, Any]:
    with ProcessPoolExecutor(1, initializer=_ignore_interrupts) as pool:
        try:
            return pool.submit(summarize, job, task).result()
        except BrokenProcessPool:
            return unreadable(task, job, Text(
                "处理该文件时工作进程意外退出（可能内存不足）；请单独运行 selfeval score 该文件。",
                "The worker process died on this file (out of memory?); run selfeval score "
                "on it alone.").render(job.lang))


def _ignore_interrupts() -> None:
    """Workers leave Ctrl+C to the parent (no traceback per worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


# ---- one workbook (runs in a worker) ----

def summarize(job: WorkerJob, task: Task) -> dict[str, Any]:
    """The summary of one workbook; never raises for a bad file."""
    try:
        evaluation = evaluate_workbook(task.path, job.scheme, display_name=task.display,
                                       strict_scheme=True)
        summary = evaluation.result.to_json(job.lang)
    except OwnOutputError:
        return {"file": task.display, "status": SKIPPED}
    except SelfevalError as exc:
        return unreadable(task, job, exc.render(job.lang))
    except Exception as exc:  # one bad file never stops the batch
        return unreadable(task, job, _internal_reason(exc, job.lang))
    if task.output is not None:
        summary.update(_write_unit_output(evaluation, task.output, job))
    if not job.full_results:
        summary.pop("indicators", None)
    return summary


def _write_unit_output(evaluation: Evaluation, target: Path, job: WorkerJob) -> dict[str, str]:
    try:
        claim_target(target, Made.RESULT, job.force)
        write_output(evaluation, target, job.generated_at, job.lang)
    except SelfevalError as exc:
        return {"output_error": exc.render(job.lang)}
    except Exception as exc:  # the unit's own workbook failing never stops the batch
        return {"output_error": _internal_reason(exc, job.lang)}
    return {"output": str(target)}


def unreadable(task: Task, job: WorkerJob, reason: str) -> dict[str, Any]:
    """The summary of a file that could not be evaluated: the JSON keys as far as known."""
    return {"schema": SCHEMA, "file": task.display, "sha256": None, "scheme": job.scheme.id,
            "unit": None, "year": None, "passed": False, "findings": [],
            "counts": {"error": 0, "warning": 0, "info": 0},
            "status": UNREADABLE, "error": reason}


def _internal_reason(exc: Exception, lang: str) -> str:
    name = type(exc).__name__
    return Text(f"内部错误（{name}）：无法处理该文件；请单独运行 selfeval score 该文件并加 --debug，"
                "把输出报告给维护人员。",
                f"Internal error ({name}): the file could not be processed; run selfeval score "
                "on it alone with --debug and report the output.").render(lang)


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
