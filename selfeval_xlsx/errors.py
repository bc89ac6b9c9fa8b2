"""Exceptions for "cannot continue". Bad data never raises: it becomes a finding.

Every error carries a bilingual, clerk-readable message; the CLI prints exactly one line of it.
"""

from __future__ import annotations

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


class SchemeError(SelfevalError):
    """A scoring scheme file is invalid."""


class OutputError(SelfevalError):
    """An output file cannot be written."""


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
