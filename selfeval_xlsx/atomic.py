"""Atomic output: the finished bytes go to a temporary file in the target folder, renamed at the end.

Writers build their file in memory and hand over the bytes (`write_atomically`), so the only
file handle is the one opened here: a full disk, a read-only folder or a target that is locked
or replaced while writing gives one `OutputError` line, after the handle is closed and the
temporary file removed. Temporary files are named `.~selfeval-<pid>-…`, so that whoever stops a
process (the batch parent stopping a worker) can remove what that process left.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from selfeval_xlsx.errors import OutputError, os_reason
from selfeval_xlsx.text import Text, one_line

TEMP_PREFIX = ".~selfeval-"


def temp_prefix(pid: int | None = None) -> str:
    """The prefix of the temporary files of process `pid` (this one by default)."""
    return f"{TEMP_PREFIX}{os.getpid() if pid is None else pid}-"


def write_atomically(target: Path, data: bytes) -> None:
    """Write `data` to `target`: all of it or nothing (OutputError naming the target)."""
    with atomic_output(target) as tmp:
        fd = os.open(tmp, os.O_WRONLY | os.O_TRUNC | getattr(os, "O_BINARY", 0))
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target`."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, name = tempfile.mkstemp(prefix=temp_prefix(), suffix=target.suffix, dir=folder)
    except (OSError, ValueError) as exc:
        raise _not_writable(target, exc) from None
    os.close(fd)
    tmp = Path(name)
    failure: OSError | None = None
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        yield tmp
        os.replace(tmp, target)
    except OSError as exc:
        failure = exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    if failure is not None:  # raised outside the handler: nothing of the failed write stays alive
        raise _not_writable(target, failure)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _not_writable(target: Path, exc: OSError | ValueError) -> OutputError:
    reason = os_reason(exc) if isinstance(exc, OSError) else Text(
        f"系统错误（{one_line(str(exc))}）", one_line(str(exc)))
    shown = one_line(str(target))
    return OutputError(Text(
        f"无法写入“{shown}”：{reason.zh}。请确认文件夹存在且可写、磁盘有空间、该文件没有在 Excel/WPS "
        "中打开，或用 -o 指定其他位置。",
        f"Cannot write '{shown}': {reason.en}. Check that the folder exists and is writable, that "
        "the disk has space and that the file is not open in Excel/WPS, or choose another path "
        "with -o.",
    ))
