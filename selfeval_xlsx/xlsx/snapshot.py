"""Read an input file once, safely: one open handle, checked before a byte is read.

Every file the tool reads (workbooks, scheme files) comes through `read_snapshot`: it opens the
path without blocking (a FIFO never hangs the tool), checks on that same handle that it is a
regular file within the size limit (no folders, devices such as `/dev/zero`, sockets), and reads
it with a bounded read. The caller gets the bytes: whatever checks, hashes and parses them sees
the same bytes, even when the file is replaced on disk during the run.
"""

from __future__ import annotations

import errno
import os
import stat
from enum import Enum, auto
from pathlib import Path

from selfeval_xlsx.errors import os_reason
from selfeval_xlsx.text import Text

CHUNK_BYTES = 1 << 20
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(
    os, "O_CLOEXEC", 0)


class Problem(Enum):
    MISSING = auto()
    DIRECTORY = auto()
    NOT_REGULAR = auto()  # a FIFO, a device, a socket
    NO_PERMISSION = auto()
    TOO_LARGE = auto()
    READ_FAILED = auto()


class FileRefused(Exception):
    """The file cannot be read as an input; `problem` says why (the caller words the message)."""

    def __init__(self, problem: Problem, size: int = 0, error: OSError | None = None) -> None:
        super().__init__(problem.name)
        self.problem = problem
        self.size = size  # for TOO_LARGE: the size seen
        self.reason = os_reason(error) if error is not None else Text("", "")  # zh and en


def read_snapshot(path: Path, limit: int) -> bytes:
    """The bytes of the regular file `path`, at most `limit` of them; FileRefused otherwise."""
    try:
        fd = os.open(path, _FLAGS)
    except (FileNotFoundError, NotADirectoryError, ValueError) as error:
        raise FileRefused(Problem.MISSING) from error  # also "a.xlsx/x", a NUL in the path
    except IsADirectoryError as error:
        raise FileRefused(Problem.DIRECTORY) from error
    except PermissionError as error:
        raise FileRefused(Problem.NO_PERMISSION, error=error) from error
    except OSError as error:  # a socket gives ENXIO
        problem = Problem.NOT_REGULAR if error.errno == errno.ENXIO else Problem.READ_FAILED
        raise FileRefused(problem, error=error) from error
    try:
        return _read_checked(fd, limit)
    finally:
        os.close(fd)


def _read_checked(fd: int, limit: int) -> bytes:
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileRefused(Problem.DIRECTORY)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(Problem.NOT_REGULAR)
        if info.st_size > limit:
            raise FileRefused(Problem.TOO_LARGE, info.st_size)
        data = _read_at_most(fd, info.st_size, limit)
    except PermissionError as error:
        raise FileRefused(Problem.NO_PERMISSION, error=error) from error
    except IsADirectoryError as error:
        raise FileRefused(Problem.DIRECTORY) from error
    except OSError as error:
        raise FileRefused(Problem.READ_FAILED, error=error) from error
    if len(data) > limit:  # the file grew past the limit after fstat
        raise FileRefused(Problem.TOO_LARGE, len(data))
    return data


def _read_at_most(fd: int, expected: int, limit: int) -> bytes:
    """Read to the end of the file (or past `limit`): one read gives a regular file whole, the
    loop catches short reads and a file that grows while it is read."""
    first = os.read(fd, expected + 1)
    chunks, total = [first], len(first)
    while first and total <= limit and (chunk := os.read(fd, CHUNK_BYTES)):
        chunks.append(chunk)
        total += len(chunk)
    return first if len(chunks) == 1 else b"".join(chunks)
