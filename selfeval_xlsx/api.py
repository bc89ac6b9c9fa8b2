"""The public library API behind the commands."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from selfeval_xlsx.evaluate import Result, check_workbook, evaluate_workbook
from selfeval_xlsx.scheme.load import load_scheme
from selfeval_xlsx.scheme.model import Scheme
from selfeval_xlsx.template.department import build_template
from selfeval_xlsx.xlsx.ownership import Made, claim_target

__all__ = ["Result", "check_file", "check_scheme_file", "report_file", "score_file",
           "write_blank_template"]


def write_blank_template(output: Path, scheme_file: Path | None = None,
                         force: bool = False) -> None:
    """Write the blank template; an existing file is replaced only when it is ours (or `force`)."""
    from selfeval_xlsx.template.writer import write_template  # xlsxwriter: only when writing

    claim_target(output, Made.TEMPLATE, force)
    write_template(build_template(load_scheme(scheme_file)), output)


def check_scheme_file(path: Path, lang: str = "zh") -> list[str]:
    """Validate a scheme file strictly; its indicator tree as lines (SchemeError when invalid)."""
    from selfeval_xlsx.scheme.describe import describe

    return describe(load_scheme(path), lang)


def check_file(path: Path, scheme_file: Path | None = None) -> Result:
    return check_workbook(path, _given(scheme_file), display_name=str(path))


def _given(scheme_file: Path | None) -> Scheme | None:
    """The scheme named with --scheme; None lets the workbook's own (shipped) scheme apply."""
    return load_scheme(scheme_file) if scheme_file is not None else None


def generation_time() -> datetime:
    """Now, or `SOURCE_DATE_EPOCH` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).replace(tzinfo=None)
    return datetime.now().replace(microsecond=0)


def score_file(path: Path, output: Path | None = None, scheme_file: Path | None = None,
               lang: str = "zh", force: bool = False) -> tuple[Result, Path]:
    """Validate and score `path`, write the output workbook; return the result and its path.
    An existing target is replaced only when it is the tool's own earlier output (or `force`)."""
    from selfeval_xlsx.output.workbook import (
        default_output_path,
        refuse_input_as_output,
        write_output,
    )

    target = output if output is not None else default_output_path(path)
    refuse_input_as_output(path, target)
    claim_target(target, Made.RESULT, force)
    evaluation = evaluate_workbook(path, _given(scheme_file), display_name=str(path))
    write_output(evaluation, target, generation_time(), lang)
    return evaluation.result, target


def report_file(path: Path, output: Path | None = None, scheme_file: Path | None = None,
                lang: str = "zh", force: bool = False) -> tuple[Result, Path]:
    """Draft the narrative report of `path` as a .docx; return the result and its path."""
    from selfeval_xlsx.output.workbook import refuse_input_as_output
    from selfeval_xlsx.report.document import default_report_path, write_report

    target = output if output is not None else default_report_path(path)
    refuse_input_as_output(path, target)
    claim_target(target, Made.REPORT, force)
    evaluation = evaluate_workbook(path, _given(scheme_file), display_name=str(path))
    write_report(evaluation, target, lang)
    return evaluation.result, target
