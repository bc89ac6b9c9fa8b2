"""One 项目支出绩效自评表 workbook through the pipeline: 填表说明 read once, every project sheet
read with a template of its own, checked (J rules) and scored, giving one `ProjectResult`
(`selfeval-project-result/1`, `docs/json.md`).

The project form's sibling of `evaluate`: neither imports the other; `api` chooses between them
from the workbook it loaded once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from selfeval_xlsx import TEMPLATE_VERSION
from selfeval_xlsx.checks.context import fmt2
from selfeval_xlsx.checks.fractions import check_fraction_slips
from selfeval_xlsx.checks.merged import explain_covered
from selfeval_xlsx.checks.project import (
    ProjectContext,
    check_duplicate_names,
    check_guide,
    run_project_checks,
)
from selfeval_xlsx.checks.structure import open_elsewhere
from selfeval_xlsx.errors import InputError
from selfeval_xlsx.findings import EMPTY, Finding, Verdict, finding_at
from selfeval_xlsx.read.project import (
    Guide,
    Project,
    read_guide,
    read_project_sheet,
    untitled_project_sheets,
)
from selfeval_xlsx.read.values import money
from selfeval_xlsx.scheme.project import ProjectScheme, find_project_scheme, load_project_scheme
from selfeval_xlsx.scoring.key_projects import ProjectTotal
from selfeval_xlsx.scoring.project import ProjectScore, score_project
from selfeval_xlsx.template.department import SCHEME_DIGEST, SCHEME_ID
from selfeval_xlsx.template.project import TOTAL_ROW
from selfeval_xlsx.template.spec import GUIDE, PROJECT_FORM
from selfeval_xlsx.text import Text
from selfeval_xlsx.xlsx.workbook import LoadedWorkbook

SCHEMA = "selfeval-project-result/1"


@dataclass
class ProjectResult(Verdict):
    file: str
    sha256: str
    scheme: str
    unit: str | None
    year: int | None
    grades: tuple[str, ...]  # the scheme's grade names, best first
    findings: list[Finding] = field(default_factory=list)
    projects: list[ProjectScore] = field(default_factory=list)
    form: str = PROJECT_FORM
    strict: bool = False  # `--strict` (set by `api` and the batch worker)

    @property
    def mean(self) -> Decimal | None:
        totals = [p.total for p in self.projects]
        return money(sum(totals, Decimal(0)) / len(totals)) if totals else None

    @property
    def weighted_mean(self) -> Decimal | None:
        """Weighted by 全年预算数 (projects without a budget above 0 are left out)."""
        pairs = [(p.total, p.execution.budget) for p in self.projects
                 if p.execution.budget is not None and p.execution.budget > 0]
        funds = sum((b for _, b in pairs if b is not None), Decimal(0))
        if not funds:
            return None
        return money(sum((t * b for t, b in pairs if b is not None), Decimal(0)) / funds)

    @property
    def grade_counts(self) -> dict[str, int]:
        counted = Counter(p.grade for p in self.projects)
        return {name: counted[name] for name in self.grades}

    def totals(self) -> list[ProjectTotal]:
        """What the 整体 workbook's 重点项目 takes (`--projects`)."""
        name = Path(self.file).name
        return [ProjectTotal(p.name, p.total, p.execution.budget, p.sheet, name)
                for p in self.projects]

    def to_json(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "schema": SCHEMA, "form": PROJECT_FORM, "file": self.file, "sha256": self.sha256,
            "scheme": self.scheme, "unit": self.unit, "year": self.year, "passed": self.passed,
            "projects": [p.to_json(lang) for p in self.projects],
            "mean": _float(self.mean), "weighted_mean": _float(self.weighted_mean),
            "grades": self.grade_counts,
            "findings": [f.to_json(lang) for f in self.findings], "counts": self.counts,
        }


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@dataclass
class ProjectEvaluation:
    """A project result with what the output workbook needs."""

    result: ProjectResult
    book: LoadedWorkbook
    guide: Guide
    projects: list[Project]
    scheme: ProjectScheme


def evaluate_project_book(book: LoadedWorkbook, path: Path, sheets: list[str],
                          scheme: ProjectScheme | None = None, display_name: str | None = None,
                          strict_scheme: bool = False) -> ProjectEvaluation:
    """Check and score the project `sheets` of a loaded workbook. `scheme` None: the scheme
    the template records when it is shipped, else project_default."""
    guide = read_guide(book, path.name)
    chosen = _settle(guide.recorded((SCHEME_ID, SCHEME_DIGEST)), scheme, strict_scheme, path.name)
    findings = [*guide.findings, *check_guide(guide), *_version(guide),
                *untitled_project_sheets(book, sheets)]
    projects, scores = [], []
    for name in sheets:
        project = read_project_sheet(book, name, chosen, path.name)
        ctx = ProjectContext(project, chosen)
        scored = score_project(ctx)
        findings += [*project.findings, *run_project_checks(ctx), *check_fraction_slips(ctx),
                     *_weight(ctx), *scored.findings]
        projects.append(project)
        scores.append(scored.score)
    findings += [*check_duplicate_names(projects), *open_elsewhere(path)]
    unit, year = guide.value("单位名称"), guide.value("评价年度")
    result = ProjectResult(
        file=display_name if display_name is not None else str(path), sha256=book.sha256,
        scheme=chosen.id, unit=unit if isinstance(unit, str) else None,
        year=year if isinstance(year, int) else None,
        grades=tuple(g.name for g in chosen.grades),
        findings=explain_covered(sorted(findings, key=_order(sheets)), book), projects=scores)
    return ProjectEvaluation(result, book, guide, projects, chosen)


def _order(sheets: list[str]) -> Callable[[Finding], tuple[int, int, int, str, str]]:
    """Errors first; then 填表说明, the project sheets in workbook order, row, column."""
    position = {GUIDE: -1, **{name: i for i, name in enumerate(sheets)}}

    def key(finding: Finding) -> tuple[int, int, int, str, str]:
        row = int("".join(ch for ch in finding.cell if ch.isdigit()) or 0)
        column = "".join(ch for ch in finding.cell if ch.isalpha())
        return (finding.severity.rank, position.get(finding.sheet, len(sheets)), row,
                column.rjust(3), finding.rule)

    return key


def _settle(recorded: tuple[str, str] | None, given: ProjectScheme | None, strict: bool,
            name: str) -> ProjectScheme:
    """The scheme given, else the one the template records (when shipped), else the default; a
    template made for a scheme we do not have cannot be scored without it."""
    if given is not None:
        if strict and recorded is not None and recorded[0] != given.id:
            raise InputError(Text(
                f"“{name}”是按项目评分方案“{recorded[0]}”生成的模板，本次按方案“{given.id}”评分，二者不一致。"
                "请按方案分批运行，或用 --project-scheme 指定该工作簿的方案。",
                f"'{name}' was made from the project scheme '{recorded[0]}', but this run "
                f"scores with '{given.id}'. Run each scheme's workbooks separately."))
        return given
    if recorded is None:
        return load_project_scheme()
    shipped = find_project_scheme(recorded[0])
    if shipped is None or (recorded[1] and recorded[1] != shipped.digest):
        raise InputError(Text(
            f"“{name}”是按项目评分方案“{recorded[0]}”生成的模板，工具自带的方案中没有这一方案。"
            f"请加 --scheme 指定生成模板时所用的方案文件，例如：selfeval score {name} --scheme {recorded[0]}.toml。",
            f"'{name}' was made from the project scheme '{recorded[0]}', which is not shipped "
            f"with the tool. Give that scheme file with --scheme."))
    return shipped


def _version(guide: Guide) -> list[Finding]:
    entry = guide.inputs.field(GUIDE, "模板版本")
    if entry.cell is None or entry.value == TEMPLATE_VERSION:
        return []
    found = "（空）" if entry.value is None else str(entry.value)
    return [finding_at("S003", GUIDE, entry.coordinate, entry.label,
                       f"模板版本为 {found}，本工具使用第 {TEMPLATE_VERSION} 版模板。"
                       "请用 selfeval template --form project 生成新模板并把数据转填过去。",
                       f"the template version is {found}; this tool knows version "
                       f"{TEMPLATE_VERSION}. Generate a new template and copy the data over.",
                       str(TEMPLATE_VERSION), found)]


def _weight(ctx: ProjectContext) -> list[Finding]:
    """S004: the 分值 of 年度资金总额 differs from the scheme's execution weight."""
    entry = ctx.project.fund_entry(TOTAL_ROW, "分值")
    written = entry.decimal()
    if entry.cell is None or written is None or written == ctx.scheme.execution:
        return []
    return [finding_at("S004", ctx.sheet, entry.coordinate, TOTAL_ROW,
                       f"年度资金总额的分值为 {fmt2(written)}，评分方案“{ctx.scheme.id}”规定执行率占 "
                       f"{fmt2(ctx.scheme.execution)} 分，按方案计分。按其他方案生成的模板请用同一方案评分（--scheme）。",
                       f"the execution weight is {fmt2(written)}; scheme '{ctx.scheme.id}' gives "
                       f"{fmt2(ctx.scheme.execution)}, which counts.", fmt2(ctx.scheme.execution),
                       fmt2(written) or EMPTY, "分值")]
