"""Output faults: a full disk, a read-only folder, a target replaced while it is written. Each is
one line (exit 2), no traceback, no partial or temporary file, an existing target untouched."""

from __future__ import annotations

import errno
import os
import resource
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfeval_xlsx.api import score_file
from selfeval_xlsx.batch import BatchOptions, batch_files
from selfeval_xlsx.cli import app
from selfeval_xlsx.errors import OutputError

runner = CliRunner()


def _small_file_limit() -> None:
    """A disk that fills up after 20 KB: writes beyond fail with EFBIG (SIGXFSZ ignored)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


def test_a_full_disk_is_one_line_without_traceback(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "结果.xlsx"
    done = subprocess.run([sys.executable, "-m", "selfeval_xlsx", "score", str(sample), "-o",
                           str(out)], capture_output=True, timeout=120, check=False,
                          preexec_fn=_small_file_limit,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    err = done.stderr.decode()
    assert done.returncode == 2 and done.stdout == b""
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert "无法写入" in err and "文件超过了允许的大小" in err
    assert list(tmp_path.iterdir()) == []


def no_space(*args: object) -> int:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_no_space_left_keeps_the_previous_output(sample: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "结果.xlsx"
    score_file(sample, target)  # last year's output (the tool's own, so it may be replaced)
    last = target.read_bytes()
    monkeypatch.setattr(os, "write", no_space)
    with pytest.raises(OutputError) as caught:
        score_file(sample, target)
    assert "磁盘空间不足" in caught.value.text.zh and "结果.xlsx" in caught.value.text.zh
    assert "disk has space" in caught.value.text.en
    assert target.read_bytes() == last
    assert [p.name for p in tmp_path.iterdir()] == ["结果.xlsx"]


def test_no_space_for_the_batch_summary(sample: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "write", no_space)
    with pytest.raises(OutputError) as caught:
        batch_files([sample], BatchOptions(tmp_path / "汇总.xlsx", jobs=1, limits=None))
    assert "磁盘空间不足" in caught.value.text.zh
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_folder_is_one_line(sample: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Root ignores permission bits, so the read-only file system is simulated where the
    temporary file is created."""
    def read_only(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    result = runner.invoke(app, ["score", str(sample), "-o", str(tmp_path / "结果.xlsx")])
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert "磁盘或文件夹是只读的" in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_target_replaced_by_a_folder_while_writing(sample: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "结果.xlsx"
    real_write = os.write

    def replacing(fd: int, data: object) -> int:
        if not target.exists():
            target.mkdir()  # someone puts a folder where the output goes
            (target / "别人的文件.txt").write_text("keep", encoding="utf-8")
        return real_write(fd, data)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "write", replacing)
    with pytest.raises(OutputError) as caught:
        score_file(sample, target)
    assert "无法写入" in caught.value.text.zh and "\n" not in caught.value.text.zh
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["别人的文件.txt", "结果.xlsx"]
    assert (target / "别人的文件.txt").read_text(encoding="utf-8") == "keep"


def test_a_target_locked_while_writing_keeps_it(sample: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "结果.xlsx"
    score_file(sample, target)  # the tool's own earlier output, now open in Excel
    before = target.read_bytes()

    def busy(src: object, dst: object) -> None:
        raise OSError(errno.EBUSY, "Device or resource busy")

    monkeypatch.setattr(os, "replace", busy)
    with pytest.raises(OutputError) as caught:
        score_file(sample, target)
    assert "文件正被占用" in caught.value.text.zh
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["结果.xlsx"]


def test_the_template_and_the_report_use_the_same_writer(sample: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "write", no_space)
    for args in (["template", "-o", str(tmp_path / "模板.xlsx")],
                 ["report", str(sample), "-o", str(tmp_path / "报告.docx")]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and "磁盘空间不足" in result.stderr, args
    assert list(tmp_path.iterdir()) == []
