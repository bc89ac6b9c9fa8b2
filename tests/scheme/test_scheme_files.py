"""A scheme file is checked before it is read: a regular file of at most 1 MiB. A FIFO would
block the tool, /dev/zero would fill its memory: each is one clear line (exit 2) instead."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfeval_xlsx.cli import app

runner = CliRunner()


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))  # a runaway read fails the test


def run_check(sample: Path, scheme: str) -> tuple[int, str]:
    """`selfeval check SAMPLE --scheme SCHEME` in a child process that may not hang."""
    done = subprocess.run([sys.executable, "-m", "selfeval_xlsx", "check", str(sample),
                           "--scheme", scheme], capture_output=True, timeout=60, check=False,
                          preexec_fn=_capped, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    err = done.stderr.decode()
    assert done.stdout == b"" and len(err.splitlines()) == 1 and "Traceback" not in err, err
    return done.returncode, err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_as_scheme_is_refused_without_blocking(sample: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "方案.toml"
    os.mkfifo(fifo)  # nobody writes to it: opening it for reading would wait forever
    code, err = run_check(sample, str(fifo))
    assert code == 2 and "方案.toml" in err and "不是普通文件" in err


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_dev_zero_as_scheme_is_refused_without_reading(sample: Path) -> None:
    code, err = run_check(sample, "/dev/zero")
    assert code == 2 and "不是普通文件" in err


def test_a_scheme_file_over_1_mib_is_refused(sample: Path, tmp_path: Path) -> None:
    big = tmp_path / "大方案.toml"
    big.write_bytes(b"# " + b"x" * (1 << 20) + b"\n")
    result = runner.invoke(app, ["check", str(sample), "--scheme", str(big)])
    assert result.exit_code == 2 and "文件过大" in result.stderr and "1 MiB" in result.stderr


@pytest.mark.parametrize(("make", "phrase"), [
    (lambda p: p.mkdir(), "文件夹"),
    (lambda p: None, "找不到"),
])
def test_a_folder_or_a_missing_scheme_file(sample: Path, tmp_path: Path, make: object,
                                           phrase: str) -> None:
    path = tmp_path / "方案.toml"
    make(path)  # type: ignore[operator]
    result = runner.invoke(app, ["check", str(sample), "--scheme", str(path)])
    assert result.exit_code == 2 and phrase in result.stderr
    assert len(result.stderr.splitlines()) == 1
