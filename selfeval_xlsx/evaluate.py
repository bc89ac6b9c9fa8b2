"""The library API: read a workbook, check it, (later) score it, return one Result value."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfeval_xlsx.checks import run_checks
from selfeval_xlsx.checks.context import Context
from selfeval_xlsx.findings import Finding, Severity, count_by_severity
from selfeval_xlsx.read.inputs import Inputs, type_inputs
from selfeval_xlsx.read.locate import RawWorkbook, read_workbook
from selfeval_xlsx.read.values import formula_operand
from selfeval_xlsx.scheme.load import load_scheme
from selfeval_xlsx.scheme.model import Scheme
from selfeval_xlsx.scoring.engine import score_workbook
from selfeval_xlsx.scoring.results import Scoring, scoring_json
from selfeval_xlsx.template.department import build_template
from selfeval_xlsx.template.spec import BASIC, Template
from selfeval_xlsx.xlsx.workbook import LoadedWorkbook, load

SCHEMA = "selfeval-result/1"


@dataclass
class Result:
    file: str
    sha256: str
    scheme: str
    unit: str | None
    year: int | None
    findings: list[Finding] = field(default_factory=list)
    scoring: Scoring | None = None

    @property
    def counts(self) -> dict[str, int]:
        return count_by_severity(self.findings)

    @property
    def passed(self) -> bool:
        return self.counts[Severity.ERROR.value] == 0

    def exit_code(self, strict: bool = False) -> int:
        counts = self.counts
        failed = counts["error"] > 0 or (strict and counts["warning"] > 0)
        return 1 if failed else 0

    def to_json(self, lang: str = "zh") -> dict[str, Any]:
        data: dict[str, Any] = {
            "schema": SCHEMA,
            "file": self.file,
            "sha256": self.sha256,
            "scheme": self.scheme,
            "unit": self.unit,
            "year": self.year,
            "passed": self.passed,
        }
        if self.scoring is not None:
            data.update(scoring_json(self.scoring, lang))
        data["findings"] = [f.to_json(lang) for f in self.findings]
        data["counts"] = self.counts
        return data


def _order(template: Template) -> Callable[[Finding], tuple[int, int, int, str, str]]:
    """Errors first; then in the order a clerk reads the workbook: sheet, row, column."""
    sheets = {s.name: i for i, s in enumerate(template.sheets)}

    def key(finding: Finding) -> tuple[int, int, int, str, str]:
        row = int("".join(ch for ch in finding.cell if ch.isdigit()) or 0)
        column = "".join(ch for ch in finding.cell if ch.isalpha())
        return (finding.severity.rank, sheets.get(finding.sheet, -1), row,
                column.rjust(3), finding.rule)

    return key


@dataclass
class Evaluation:
    """A result with what the output workbook needs: the open input and how it was read."""

    result: Result
    book: LoadedWorkbook
    raw: RawWorkbook
    template: Template
    scheme: Scheme
    inputs: Inputs


def _evaluate(path: Path, scheme: Scheme, display_name: str | None, score: bool) -> Evaluation:
    template = build_template(scheme)
    book = load(path, formula_operand)  # the file is read once: its SHA-256 is of those bytes
    raw = read_workbook(book, template, path.name)
    inputs = type_inputs(raw, template)
    context = Context(inputs, raw, scheme, template)
    findings = [*raw.findings, *inputs.findings, *run_checks(context)]
    scoring = None
    if score:
        scored = score_workbook(context)
        scoring = scored.scoring
        findings.extend(scored.findings)
    unit = inputs.field(BASIC, "单位名称").value
    year = inputs.field(BASIC, "评价年度").value
    result = Result(
        file=display_name if display_name is not None else str(path),
        sha256=book.sha256,
        scheme=scheme.id,
        unit=unit if isinstance(unit, str) else None,
        year=year if isinstance(year, int) else None,
        findings=sorted(findings, key=_order(template)),
        scoring=scoring,
    )
    return Evaluation(result, book, raw, template, scheme, inputs)


def check_workbook(path: Path, scheme: Scheme | None = None,
                   display_name: str | None = None) -> Result:
    """Validate one workbook. Raises InputError when it cannot be read as a template at all."""
    return _evaluate(path, scheme or load_scheme(), display_name, score=False).result


def evaluate_workbook(path: Path, scheme: Scheme | None = None,
                      display_name: str | None = None) -> Evaluation:
    """Validate and score one workbook."""
    return _evaluate(path, scheme or load_scheme(), display_name, score=True)
