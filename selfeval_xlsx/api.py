"""The public library API behind the commands."""

from __future__ import annotations

from pathlib import Path

from selfeval_xlsx.evaluate import Result, check_workbook
from selfeval_xlsx.scheme import load_scheme
from selfeval_xlsx.template_v1 import build_template
from selfeval_xlsx.template_writer import write_template

__all__ = ["Result", "check_file", "write_blank_template"]


def write_blank_template(output: Path, scheme_file: Path | None = None) -> None:
    write_template(build_template(load_scheme(scheme_file)), output)


def check_file(path: Path, scheme_file: Path | None = None) -> Result:
    return check_workbook(path, load_scheme(scheme_file), display_name=str(path))
