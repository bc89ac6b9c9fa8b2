"""`selfeval batch` holds on a shared server: ceilings per file, any folder depth, and signals that
end the run cleanly (one line, exit 130 / 143, no worker left, no temporary file)."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path
from typing import Any

import hostile_packages
import pytest
from processes import alive, children, start, wait_until

from selfeval_xlsx import batch
from selfeval_xlsx.batch import BatchOptions, Task, WorkerJob, batch_files, evaluate_all
from selfeval_xlsx.batch.workers import Limits
from selfeval_xlsx.scheme.load import load_scheme

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
TEMP_MARK = ".~selfeval-"


def job() -> WorkerJob:
    return WorkerJob(load_scheme(), "zh", batch.generation_time(), full_results=False)


def leftovers(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob("*") if p.name.startswith(TEMP_MARK)]


# --- ceilings per file ---------------------------------------------------------------------


def test_a_file_past_the_time_ceiling_is_unreadable_and_the_run_goes_on(
        sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = batch.evaluate_file

    def slow_on_one(path: Path, *args: Any, **kwargs: Any) -> Any:
        if path.name == "slow.xlsx":
            time.sleep(60)  # far past the 1 s ceiling: the worker must be stopped
        return real(sample, *args, **kwargs)

    monkeypatch.setattr(batch, "evaluate_file", slow_on_one)  # inherited by the fork
    tasks = [Task(i, Path(name), name) for i, name in enumerate(["a.xlsx", "slow.xlsx", "b.xlsx"])]
    started = time.monotonic()
    summaries = evaluate_all(tasks, job(), jobs=1, limits=Limits(seconds=1.0))
    assert time.monotonic() - started < 20  # not the 60 s of the slow file
    assert [s.get("status") for s in summaries] == [None, "unreadable", None]  # None: scored
    assert "total" in summaries[0] and "total" in summaries[2]
    assert "超过 1 秒" in summaries[1]["error"] and summaries[1]["file"] == "slow.xlsx"


def test_a_file_past_the_memory_ceiling_is_unreadable_and_the_run_goes_on(
        sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = batch.evaluate_file

    def greedy_on_one(path: Path, *args: Any, **kwargs: Any) -> Any:
        if path.name == "greedy.xlsx":
            hoard = [bytearray(1 << 20) for _ in range(400)]  # 400 MiB, touched
            time.sleep(30)
            return hoard
        return real(sample, *args, **kwargs)

    monkeypatch.setattr(batch, "evaluate_file", greedy_on_one)
    tasks = [Task(i, Path(n), n) for i, n in enumerate(["greedy.xlsx", "ok.xlsx"])]
    summaries = evaluate_all(tasks, job(), jobs=2, limits=Limits(seconds=25, memory_mib=250))
    assert summaries[0]["status"] == "unreadable" and "内存超过 250 MiB" in summaries[0]["error"]
    assert "total" in summaries[1]


def test_an_exception_escaping_the_worker_is_one_unreadable_file(
        sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(job: WorkerJob, task: Task) -> Any:
        raise RuntimeError("a bug past summarize's own guard")

    monkeypatch.setattr(batch, "summarize", broken)
    summaries = evaluate_all([Task(0, sample, "a.xlsx"), Task(1, sample, "b.xlsx")], job(), jobs=1)
    assert [s["status"] for s in summaries] == ["unreadable", "unreadable"]
    assert all("意外退出" in s["error"] for s in summaries)


def test_an_internal_error_names_the_file_and_says_send_it(sample: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: Path, *args: Any, **kwargs: Any) -> Any:
        raise KeyError("a bug")

    monkeypatch.setattr(batch, "evaluate_file", broken)
    (summary,) = evaluate_all([Task(0, sample, str(sample))], job(), jobs=1)
    assert summary["error"].startswith("内部错误（KeyError）")
    assert f"“{sample.name}”" in summary["error"] and "发送给财政局" in summary["error"]


# --- folders -------------------------------------------------------------------------------


def test_a_very_deep_folder_tree_is_walked(sample: Path, tmp_path: Path) -> None:
    """1,200 levels: deeper than Python's recursion limit (os.walk of Python 3.11 recurses)."""
    root = tmp_path / "tree"
    deep = str(root)
    os.mkdir(deep)
    for _ in range(1200):  # Path.mkdir(parents=True) itself recurses
        deep = os.path.join(deep, "d")
        os.mkdir(deep)
    shutil.copy(sample, os.path.join(deep, "麻章.xlsx"))
    try:
        result = batch_files([root], BatchOptions(tmp_path / "汇总.xlsx", jobs=1))
    finally:
        remove_deep_tree(root, deep)  # shutil.rmtree recurses too: pytest's cleanup would fail
    assert [(Path(s["file"]).name, s["status"]) for s in result.summaries] == [("麻章.xlsx", "ok")]


def remove_deep_tree(root: Path, deepest: str) -> None:
    for name in os.listdir(deepest):
        os.unlink(os.path.join(deepest, name))
    while deepest != str(root):
        os.rmdir(deepest)
        deepest = os.path.dirname(deepest)
    os.rmdir(deepest)


def test_a_folder_that_cannot_be_listed_is_reported_not_skipped(
        sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "甲").mkdir()
    (tmp_path / "乙").mkdir()
    shutil.copy(sample, tmp_path / "乙" / "麻章.xlsx")
    real = os.scandir

    def deny(path: Any) -> Any:  # the tests run as root: permissions cannot deny it
        if Path(path).name == "甲":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", deny)
    result = batch_files([tmp_path], BatchOptions(tmp_path / "汇总.xlsx", jobs=1))
    statuses = {Path(s["file"]).name: s["status"] for s in result.summaries}
    assert statuses == {"甲": "unreadable", "麻章.xlsx": "ok"}
    assert "无法读取该文件夹" in next(s["error"] for s in result.summaries if s["file"].endswith("甲"))


# --- signals, with a real run --------------------------------------------------------------


@pytest.fixture(scope="module")
def slow_inputs(tmp_path_factory: pytest.TempPathFactory, sample: Path) -> Path:
    """Eight workbooks that take about a second each (5,000 chained formulas)."""
    folder = tmp_path_factory.mktemp("slow")
    built, _ = hostile_packages.formula_chain(folder, sample)
    inputs = folder / "inputs"
    inputs.mkdir()
    for number in range(8):
        shutil.copy(built, inputs / f"单位{number}.xlsx")
    built.unlink()
    return inputs


def interrupted_run(inputs: Path, tmp_path: Path, send: Any) -> tuple[int, str, set[int]]:
    """Start a batch with two workers, stop it with `send(process)` once both work; return the
    exit code, stderr and the workers seen."""
    units = tmp_path / "units"
    process = start(["batch", str(inputs), "-o", str(tmp_path / "汇总.xlsx"), "--jobs", "2",
                     "--outputs", str(units)])
    assert wait_until(lambda: len(children(process.pid)) >= 2, timeout=30), "no workers started"
    workers = children(process.pid)
    time.sleep(0.3)
    send(process)
    _, err = process.communicate(timeout=30)
    return process.returncode, err.decode(), workers


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_ends_the_batch_cleanly(slow_inputs: Path, tmp_path: Path, signum: int,
                                         code: int) -> None:
    returncode, stderr, workers = interrupted_run(
        slow_inputs, tmp_path, lambda process: os.kill(process.pid, signum))
    assert returncode == code, stderr
    assert stderr.splitlines()[-1] == "已中断，未写出汇总。" and "Traceback" not in stderr
    assert wait_until(lambda: not any(alive(pid) for pid in workers), timeout=10)
    assert not (tmp_path / "汇总.xlsx").exists()
    assert leftovers(tmp_path, slow_inputs) == []


def test_ctrl_c_to_the_process_group_ends_the_batch_cleanly(slow_inputs: Path,
                                                            tmp_path: Path) -> None:
    returncode, stderr, workers = interrupted_run(
        slow_inputs, tmp_path, lambda process: os.killpg(process.pid, signal.SIGINT))
    assert returncode == 130 and stderr.splitlines()[-1] == "已中断，未写出汇总。"
    assert wait_until(lambda: not any(alive(pid) for pid in workers), timeout=10)
    assert leftovers(tmp_path, slow_inputs) == []


def test_workers_do_not_outlive_a_killed_batch(slow_inputs: Path, tmp_path: Path) -> None:
    """SIGKILL cannot be handled: the workers are told to end by the kernel (Linux)."""
    _, _, workers = interrupted_run(slow_inputs, tmp_path,
                                    lambda process: os.kill(process.pid, signal.SIGKILL))
    assert workers and wait_until(lambda: not any(alive(pid) for pid in workers), timeout=10)
