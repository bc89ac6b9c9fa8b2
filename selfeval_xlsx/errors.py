"""Exceptions for "cannot continue". Bad data never raises: it becomes a finding.

Every error carries a bilingual, clerk-readable message; the CLI prints exactly one line of it.
"""

from __future__ import annotations

import errno

from selfeval_xlsx.text import Text


class SelfevalError(Exception):
    """The command cannot do its job (exit code 2)."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.zh)
        self.text = text

    def render(self, lang: str = "zh") -> str:
        return self.text.render(lang)


class InputError(SelfevalError):
    """The input file cannot be read as a workbook of this template."""


class OwnOutputError(InputError):
    """The input is a workbook this tool wrote (a 评分结果 or a batch summary)."""


class SchemeError(SelfevalError):
    """A scoring scheme file is invalid."""


class OutputError(SelfevalError):
    """An output file cannot be written."""


OS_REASONS = {
    errno.ENOENT: ("文件或文件夹不存在", "no such file or folder"),
    errno.EACCES: ("没有访问权限", "permission denied"),
    errno.EPERM: ("操作不被允许", "operation not permitted"),
    errno.ENOSPC: ("磁盘空间不足", "no space left on the disk"),
    errno.EDQUOT: ("超出磁盘配额", "disk quota exceeded"),
    errno.EROFS: ("磁盘或文件夹是只读的", "read-only file system"),
    errno.EISDIR: ("这是一个文件夹", "it is a folder"),
    errno.ENOTDIR: ("路径中有一项不是文件夹", "a part of the path is not a folder"),
    errno.EBUSY: ("文件正被占用", "the file is busy"),
    errno.EEXIST: ("文件已存在", "the file exists"),
    errno.ENAMETOOLONG: ("文件名太长", "the file name is too long"),
    errno.EIO: ("读写设备出错", "input/output error"),
    errno.EFBIG: ("文件超过了允许的大小", "the file is too large"),
    errno.ETXTBSY: ("文件正被占用", "the file is busy"),
}


def os_reason(error: OSError) -> Text:
    """Why an operating-system call failed, in words for a clerk (never the English strerror
    in a Chinese message)."""
    zh, en = OS_REASONS.get(error.errno or -1, ("", ""))
    if zh:
        return Text(zh, en)
    code = f"errno {error.errno}" if error.errno else type(error).__name__
    return Text(f"系统错误（{code}）", error.strerror or code)


class Interrupted(BaseException):
    """The user or the system stopped the command (SIGINT, SIGTERM, SIGHUP).

    A BaseException, like KeyboardInterrupt: no `except Exception` on the way may swallow it, and
    every `finally` (temporary files, worker processes) runs before the one line is printed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum
