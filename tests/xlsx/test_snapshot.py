"""One snapshot per input: the bytes guarded, the SHA-256 in the result and the values scored are
the same bytes, even when the file is replaced on disk while the tool runs."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rule_workbooks import CASES, build_case

from selfeval_xlsx.evaluate import evaluate_workbook
from selfeval_xlsx.xlsx import snapshot, workbook
from selfeval_xlsx.xlsx.snapshot import FileRefused, Problem, read_snapshot


def replaced_after_first_read(path: Path, replacement: Path) -> Callable[..., Any]:
    """Wrap whatever function of `workbook` reads the file first, so that the file is replaced
    on disk as soon as it returns (the moment another reader would look again)."""
    original = getattr(workbook, "read_workbook", None) or workbook.inspect_workbook_file

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        shutil.copy(replacement, path)
        return result

    return wrapped


def test_a_file_replaced_during_the_run_is_scored_as_first_read(
        sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # P006_no_targets empties 绩效目标: 89.00 instead of the sample's 99.00 (test_batch.py)
    other = build_case(next(c for c in CASES if c.name == "P006_no_targets"), tmp_path)[0]
    path = tmp_path / "单位.xlsx"
    shutil.copy(sample, path)
    first = hashlib.sha256(path.read_bytes()).hexdigest()
    name = "read_workbook" if hasattr(workbook, "read_workbook") else "inspect_workbook_file"
    monkeypatch.setattr(workbook, name, replaced_after_first_read(path, other))
    result = evaluate_workbook(path).result
    assert hashlib.sha256(path.read_bytes()).hexdigest() != first  # it was replaced
    assert result.sha256 == first
    assert result.scoring is not None and str(result.scoring.total) == "99.00"
    assert "P006" not in {f.rule for f in result.findings}


def test_the_snapshot_is_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "data.bin"
    data = bytes(range(256)) * 5000  # 1.28 MB: more than one read chunk
    path.write_bytes(data)
    assert read_snapshot(path, len(data)) == data
    with pytest.raises(FileRefused) as caught:
        read_snapshot(path, len(data) - 1)
    assert caught.value.problem is Problem.TOO_LARGE and caught.value.size == len(data)


def test_a_file_that_grows_past_the_limit_while_it_is_read_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the size seen when the file is opened is 10 bytes, but 1,500 are there to read by then
    # (it grew): beyond a limit of 1,000, refused with the size read, never cut off at it
    path = tmp_path / "growing.xlsx"
    path.write_bytes(b"x" * 1500)
    real_fstat, inode = snapshot.os.fstat, path.stat().st_ino

    def fstat_before_growth(fd: int) -> os.stat_result:
        seen = list(real_fstat(fd))
        if seen[stat.ST_INO] == inode:  # only this file's handle: as it was when opened
            seen[stat.ST_SIZE] = 10
        return os.stat_result(seen)
    monkeypatch.setattr(snapshot.os, "fstat", fstat_before_growth)
    with pytest.raises(FileRefused) as caught:
        read_snapshot(path, 1000)
    assert caught.value.problem is Problem.TOO_LARGE and caught.value.size == 1500
