"""Real `selfeval` processes: start one, find its workers in /proc, wait for a condition, tell
whether a process is gone; run one measured (its own peak memory and time)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


def start(args: list[str], **kwargs: object) -> subprocess.Popen[bytes]:
    """`python -m selfeval_xlsx ARGS` in its own session (so it has its own process group)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.Popen([sys.executable, "-m", "selfeval_xlsx", *args],  # type: ignore[call-overload, no-any-return]
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            start_new_session=True, **kwargs)


def children(pid: int) -> set[int]:
    """The live (not zombie) processes whose parent is `pid`."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat(int(entry))
            if fields is not None and fields[1] == str(pid) and fields[0] != "Z":
                found.add(int(entry))
    return found


def alive(pid: int) -> bool:
    """Whether `pid` exists and is not a zombie."""
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()  # state, ppid, ...


def wait_until(condition: Callable[[], bool], timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


# A small process between the caller and the measured one. Linux carries a process's peak RSS
# over fork and exec, so a child forked straight from pytest (or from a benchmark that built
# big files) would report pytest's peak as its own; forked from this wrapper, it reports its own.
_WRAPPER = r"""
import json, os, resource, signal, sys, time
spec = json.loads(sys.argv[1])
started = time.monotonic()
pid = os.fork()
if pid == 0:
    if spec["cap"]:
        resource.setrlimit(resource.RLIMIT_AS, (spec["cap"], spec["cap"]))
    os.execv(spec["command"][0], spec["command"])
signal.signal(signal.SIGALRM, lambda *_: os.kill(pid, signal.SIGKILL))
signal.alarm(spec["timeout"])
_, status, usage = os.wait4(pid, 0)
with open(spec["report"], "w") as report:
    json.dump({"code": os.waitstatus_to_exitcode(status), "peak_kib": usage.ru_maxrss,
               "seconds": time.monotonic() - started}, report)
"""


@dataclass(frozen=True)
class Measured:
    code: int
    stdout: bytes
    stderr: bytes
    seconds: float
    peak_kib: int


def measured(args: list[str], timeout: int = 60, cap: int = 3 << 30) -> Measured:
    """`python -m selfeval_xlsx ARGS`: exit code, output, seconds and its own peak RSS (KiB);
    killed after `timeout` s, its address space capped at `cap` bytes (a blow-up fails it)."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        spec = {"command": [sys.executable, "-m", "selfeval_xlsx", *args], "cap": cap,
                "timeout": timeout, "report": str(report)}
        done = subprocess.run([sys.executable, "-c", _WRAPPER, json.dumps(spec)],
                              capture_output=True, timeout=timeout + 30, check=False,
                              env={**os.environ, "PYTHONIOENCODING": "utf-8"})
        facts = json.loads(report.read_text())
    return Measured(facts["code"], done.stdout, done.stderr, facts["seconds"], facts["peak_kib"])
