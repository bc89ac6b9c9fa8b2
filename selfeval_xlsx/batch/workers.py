"""Worker processes with a ceiling per task, that never outlive the run.

`WorkerPool` runs a function over tasks in a few worker processes, one task per worker at a
time, so that the task a worker was on when it failed is known. A task past the time or memory
ceiling has its worker killed and comes back as a `Failure` (the run goes on with a fresh
worker); so does a task whose worker died. Leaving the pool, however (the end, an exception, an
interruption), stops every worker: SIGTERM (a worker removes its temporary files), SIGKILL
after a grace period, then `cleanup(pid)` for each worker that had to be stopped. On Linux a
worker is also told to end when the parent dies (even by SIGKILL), so no process is orphaned.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from types import FrameType, TracebackType
from typing import Any

GRACE_SECONDS = 3.0  # after SIGTERM, before SIGKILL
_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Limits:
    """Ceilings per task: wall-clock seconds and resident memory of its worker (MiB)."""

    seconds: float = 60.0
    memory_mib: int = 1024
    poll_seconds: float = 0.1


@dataclass(frozen=True)
class Failure:
    """A task that gave no result: `kind` is "time", "memory" or "died"."""

    kind: str
    seconds: float = 0.0
    memory_mib: int = 0
    exit_code: int | None = None


class _Worker:
    def __init__(self, context: Any, function: Callable[[Any], Any],
                 others: list[Connection]) -> None:
        self.conn, child_end = context.Pipe()
        self.process = context.Process(target=_serve, daemon=True,
                                       args=(child_end, function, others, os.getpid()))
        self.process.start()
        child_end.close()
        self.task: tuple[int, Any] | None = None
        self.started = 0.0


class WorkerPool:
    """`with WorkerPool(function, workers, limits, cleanup) as pool: for index, result in
    pool.run(tasks)` – a result is the function's value, or a `Failure`."""

    def __init__(self, function: Callable[[Any], Any], workers: int, limits: Limits,
                 cleanup: Callable[[int], None] = lambda pid: None) -> None:
        methods = multiprocessing.get_all_start_methods()
        self._context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._function, self._size, self._limits = function, max(1, workers), limits
        self._cleanup = cleanup
        self._workers: list[_Worker] = []

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def run(self, tasks: Iterable[tuple[int, Any]]) -> Iterator[tuple[int, Any]]:
        """(index, result) of every task, in completion order."""
        queue = deque(tasks)
        while queue or self._busy():
            self._assign(queue)
            ready = wait([w.conn for w in self._busy()], timeout=self._limits.poll_seconds)
            for worker in self._busy():
                outcome = self._collect(worker) if worker.conn in ready else self._ceiling(worker)
                if outcome is not None:
                    yield outcome

    def close(self) -> None:
        """Stop every worker (idle ones end at once; busy ones get SIGTERM, then SIGKILL).
        A second Ctrl+C or SIGTERM meanwhile waits until every worker is gone."""
        with _signals_held():
            self._stop_all()

    def _stop_all(self) -> None:
        workers, self._workers = self._workers, []
        for worker in workers:
            with contextlib.suppress(OSError):
                if worker.task is None:
                    worker.conn.send(None)
                elif worker.process.pid is not None:
                    os.kill(worker.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for worker in workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
        for worker in workers:
            self._reap(worker, clean=worker.task is not None)

    # --- the loop ---

    def _busy(self) -> list[_Worker]:
        return [w for w in self._workers if w.task is not None]

    def _assign(self, queue: deque[tuple[int, Any]]) -> None:
        idle = [w for w in self._workers if w.task is None]
        while queue and (idle or len(self._workers) < self._size):
            worker = idle.pop() if idle else self._start()
            worker.task, worker.started = queue.popleft(), time.monotonic()
            worker.conn.send(worker.task)

    def _start(self) -> _Worker:
        worker = _Worker(self._context, self._function, [w.conn for w in self._workers])
        self._workers.append(worker)
        return worker

    def _collect(self, worker: _Worker) -> tuple[int, Any]:
        assert worker.task is not None
        index = worker.task[0]
        try:
            _, result = worker.conn.recv()
        except (EOFError, OSError):  # it died before or while answering
            return index, self._replace(worker, Failure("died", exit_code=self._exit(worker)))
        worker.task = None
        return index, result

    def _ceiling(self, worker: _Worker) -> tuple[int, Any] | None:
        assert worker.task is not None
        elapsed = time.monotonic() - worker.started
        if elapsed > self._limits.seconds:
            return worker.task[0], self._replace(worker, Failure("time", seconds=elapsed))
        memory = _resident_mib(worker.process.pid)
        if memory > self._limits.memory_mib:
            return worker.task[0], self._replace(worker, Failure("memory", memory_mib=memory))
        if not worker.process.is_alive():
            return worker.task[0], self._replace(worker, Failure("died",
                                                                 exit_code=self._exit(worker)))
        return None

    def _replace(self, worker: _Worker, failure: Failure) -> Failure:
        """Kill the worker (its task is lost) and forget it; a new one starts when needed."""
        if worker.process.is_alive() and worker.process.pid is not None:
            with contextlib.suppress(OSError):
                os.kill(worker.process.pid, signal.SIGKILL)
        self._workers.remove(worker)
        self._reap(worker, clean=True)
        return failure

    def _reap(self, worker: _Worker, clean: bool) -> None:
        if worker.process.is_alive() and worker.process.pid is not None:
            with contextlib.suppress(OSError):
                os.kill(worker.process.pid, signal.SIGKILL)
        worker.process.join()
        worker.conn.close()
        if clean and worker.process.pid is not None:
            self._cleanup(worker.process.pid)

    @staticmethod
    def _exit(worker: _Worker) -> int | None:
        worker.process.join(1.0)
        code: int | None = worker.process.exitcode
        return code


def _resident_mib(pid: int | None) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as stream:
            return int(stream.read().split()[1]) * _PAGE_BYTES >> 20
    except (OSError, ValueError, IndexError):
        return 0


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    held = {signal.SIGINT, signal.SIGTERM}
    can_hold = hasattr(signal, "pthread_sigmask") and _in_main_thread()
    if can_hold:
        signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        if can_hold:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, held)


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


# --- in the worker ---

def _serve(conn: Connection, function: Callable[[Any], Any], others: list[Connection],
           parent: int) -> None:
    """A worker's life: tasks from the parent until it says stop or goes away."""
    for other in others:  # the parent's ends of the other workers' pipes, inherited by fork
        other.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    for name in ("SIGTERM", "SIGHUP"):  # not the parent's handlers, inherited by fork
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _end)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    _end_with_parent(parent)
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):
            return
        if item is None:
            return
        index, task = item
        try:
            result = function(task)
        except Exception:  # the function answers for its own errors; this is a last net
            result = Failure("died")
        conn.send((index, result))


def _end(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds: `finally` blocks remove temporary files


def _end_with_parent(parent: int) -> None:
    """Linux: SIGTERM to this worker when the parent dies, whatever kills it."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before the call above
        raise SystemExit(143)
