"""Atomic output: write to a temporary file in the target folder, rename at the end."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from selfeval_xlsx.errors import OutputError, os_reason
from selfeval_xlsx.text import Text


@contextlib.contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target`."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, name = tempfile.mkstemp(prefix=".~selfeval-", suffix=target.suffix, dir=folder)
    except OSError as exc:
        raise _not_writable(target, exc) from exc
    os.close(fd)
    tmp = Path(name)
    os.chmod(tmp, 0o666 & ~_umask())
    try:
        yield tmp
        os.replace(tmp, target)
    except OSError as exc:
        raise _not_writable(target, exc) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _not_writable(target: Path, exc: OSError) -> OutputError:
    reason = os_reason(exc)
    return OutputError(Text(
        f"无法写入“{target}”：{reason.zh}。请确认文件夹存在且可写、磁盘有空间、该文件没有在 Excel/WPS 中打开，"
        "或用 -o 指定其他位置。",
        f"Cannot write '{target}': {reason.en}. Check that the folder exists and is writable, "
        "that the disk has space and that the file is not open in Excel/WPS, or choose another "
        "path with -o.",
    ))
