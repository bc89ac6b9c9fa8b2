"""One workbook through the pipeline: read, check and score it, giving one Result value.

`check` and `score` run the same evaluation (so they report the same findings and exit code);
`score` then writes the output workbook.

Takes a path (or the workbook `api` loaded once) and a scheme. Gives an `Evaluation` (the
`Result` and what the outputs need). `project.py` is the same for a 项目支出绩效自评表 workbook
(`ProjectEvaluation`); neither uses the other."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfeval_xlsx.checks import run_checks
from selfeval_xlsx.checks.context import Context
from selfeval_xlsx.checks.merged import explain_covered
from selfeval_xlsx.checks.structure import open_elsewhere
from selfeval_xlsx.errors import InputError
from selfeval_xlsx.findings import Finding, Verdict
from selfeval_xlsx.read.inputs import Inputs, type_inputs
from selfeval_xlsx.read.locate import RawWorkbook, read_workbook
from selfeval_xlsx.read.values import formula_operand
from selfeval_xlsx.scheme.load import PROJECT_SHIPPED, load_scheme, shipped_scheme
from selfeval_xlsx.scheme.model import Scheme
from selfeval_xlsx.scoring.engine import score_workbook
from selfeval_xlsx.scoring.key_projects import ProjectTotal, feed_key_projects
from selfeval_xlsx.scoring.results import Scoring, scoring_json
from selfeval_xlsx.template.department import SCHEME_DIGEST, SCHEME_ID, build_template
from selfeval_xlsx.template.spec import BASIC, GUIDE, Template
from selfeval_xlsx.text import Text
from selfeval_xlsx.xlsx.workbook import LoadedWorkbook, load

SCHEMA = "selfeval-result/1"


@dataclass
class Result(Verdict):
    file: str
    sha256: str
    scheme: str
    unit: str | None
    year: int | None
    findings: list[Finding] = field(default_factory=list)
    scoring: Scoring | None = None
    strict: bool = False  # `--strict` (set by `api` and the batch worker)

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


def _evaluate(path: Path, scheme: Scheme | None, display_name: str | None,
              strict_scheme: bool = False, book: LoadedWorkbook | None = None,
              projects: Sequence[ProjectTotal] = ()) -> Evaluation:
    if book is None:
        book = load(path, formula_operand)  # the file is read once: its SHA-256 is of those bytes
    digest = book.sha256
    chosen = scheme or load_scheme()
    template = build_template(chosen)
    raw = read_workbook(book, template, path.name)
    settled = _settle_scheme(_recorded_scheme(raw), chosen, scheme is not None, strict_scheme,
                             path.name)
    if settled is not chosen:  # the workbook names a shipped scheme: read it by that template
        chosen, template = settled, build_template(settled)
        raw = read_workbook(book, template, path.name)
    inputs = type_inputs(raw, template)
    fed: list[Finding] = []
    if projects:  # --projects: 重点项目 scores computed from the project sheets
        feed = feed_key_projects(inputs, projects)
        inputs, fed = feed.inputs, feed.findings
    context = Context(inputs, raw, chosen, template)
    findings = [*raw.findings, *inputs.findings, *fed, *run_checks(context),
                *open_elsewhere(path)]
    scored = score_workbook(context)
    findings.extend(scored.findings)
    unit = inputs.field(BASIC, "单位名称").value
    year = inputs.field(BASIC, "评价年度").value
    result = Result(
        file=display_name if display_name is not None else str(path),
        sha256=digest,
        scheme=chosen.id,
        unit=unit if isinstance(unit, str) else None,
        year=year if isinstance(year, int) else None,
        findings=explain_covered(sorted(findings, key=_order(template)), book),
        scoring=scored.scoring,
    )
    return Evaluation(result, book, raw, template, chosen, inputs)


def _recorded_scheme(raw: RawWorkbook) -> tuple[str, str] | None:
    """(id, digest) of the scheme a template was generated from (填表说明); None for templates
    that do not record it."""
    cells = [raw.field(GUIDE, label) for label in (SCHEME_ID, SCHEME_DIGEST)]
    values = ["" if c is None or c.blank else str(c.value).strip() for c in cells]
    return (values[0], values[1]) if values[0] else None


def _settle_scheme(recorded: tuple[str, str] | None, chosen: Scheme, given: bool, strict: bool,
                   name: str) -> Scheme:
    """The scheme to score with: the one given (`--scheme`), else the workbook's own when it is
    shipped with the tool; a workbook made for a scheme we do not have cannot be scored."""
    if recorded is None or recorded[0] == chosen.id:
        return chosen
    scheme_id, digest = recorded
    if scheme_id in PROJECT_SHIPPED:  # a project workbook whose sheets all lost their title
        raise InputError(_no_project_sheets(name, scheme_id))
    if given:
        if strict:
            raise InputError(_other_scheme(name, scheme_id, chosen.id))
        return chosen
    shipped = shipped_scheme(scheme_id)
    if shipped is None or (digest and digest != shipped.digest):
        raise InputError(_scheme_needed(name, scheme_id, digest))
    return shipped


def _scheme_needed(name: str, scheme_id: str, digest: str) -> Text:
    return Text(
        f"“{name}”是按评分方案“{scheme_id}”（校验码 {digest or '未记录'}）生成的模板，工具自带的方案中没有这一方案。"
        f"请加 --scheme 指定生成模板时所用的方案文件，例如：selfeval score {name} --scheme {scheme_id}.toml。",
        f"'{name}' was made from the scoring scheme '{scheme_id}' (digest {digest or 'none'}), "
        f"which is not shipped with the tool. Give that scheme file with --scheme, e.g. "
        f"selfeval score {name} --scheme {scheme_id}.toml.")


def _no_project_sheets(name: str, scheme_id: str) -> Text:
    return Text(
        f"“{name}”是项目支出绩效自评表工作簿（填表说明记录的是项目评分方案“{scheme_id}”），"
        "但没有找到标题为“项目支出绩效自评表”的工作表，无法校验和评分。请在每张项目表的标题单元格中恢复标题“项目支出绩效自评表”。",
        f"'{name}' is a project workbook (its 填表说明 records the project scheme '{scheme_id}'), "
        "but no sheet titled 项目支出绩效自评表 was found, so nothing can be checked or scored. "
        "Restore the title 项目支出绩效自评表 in each project sheet's title cell.")


def _other_scheme(name: str, scheme_id: str, chosen: str) -> Text:
    return Text(
        f"“{name}”是按评分方案“{scheme_id}”生成的模板，本次按方案“{chosen}”评分，二者不一致。"
        "请按方案分批运行，或用 --scheme 指定该工作簿的方案。",
        f"'{name}' was made from the scoring scheme '{scheme_id}', but this run scores with "
        f"'{chosen}'. Run the workbooks of each scheme separately, or give its scheme with --scheme.")


def check_workbook(path: Path, scheme: Scheme | None = None,
                   display_name: str | None = None) -> Result:
    """Validate (and score) one workbook: the result of `score` without the output workbook.
    `scheme` None: the scheme the workbook records when it is shipped, else the default.
    Raises InputError when it cannot be read as a template at all."""
    return _evaluate(path, scheme, display_name).result


def evaluate_workbook(path: Path, scheme: Scheme | None = None,
                      display_name: str | None = None, strict_scheme: bool = False,
                      book: LoadedWorkbook | None = None,
                      projects: Sequence[ProjectTotal] = ()) -> Evaluation:
    """Validate and score one workbook. With `strict_scheme` (batch: one scheme for all), a
    workbook made from another scheme is refused instead of raising S004 on every row. `book`:
    the workbook already loaded (it is read once); `projects`: the computed project scores that
    replace the 重点项目 rows' 项目自评得分 (`scoring.key_projects`)."""
    return _evaluate(path, scheme, display_name, strict_scheme, book, projects)
