"""The public library API behind the commands.

Each input workbook is loaded once; its form decides the pipeline: a workbook with sheets titled
项目支出绩效自评表 is a project workbook (`evaluate.project`), any other a 部门整体 workbook
(`evaluate`). `--projects` feeds the project scores into the 整体 workbook's 重点项目.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from selfeval_xlsx.errors import InputError
from selfeval_xlsx.evaluate import Evaluation, Result, evaluate_workbook
from selfeval_xlsx.evaluate.project import ProjectEvaluation, ProjectResult, evaluate_project_book
from selfeval_xlsx.read.project import project_sheet_names
from selfeval_xlsx.read.values import formula_operand
from selfeval_xlsx.scheme.load import load_scheme
from selfeval_xlsx.scheme.model import Scheme
from selfeval_xlsx.scheme.project import ProjectScheme, load_project_scheme
from selfeval_xlsx.scoring.key_projects import ProjectTotal
from selfeval_xlsx.template.department import build_template
from selfeval_xlsx.template.project import build_project_template
from selfeval_xlsx.template.spec import PROJECT_FORM
from selfeval_xlsx.text import Text, one_line
from selfeval_xlsx.xlsx.discovery import Unlisted, skip_reason, walk
from selfeval_xlsx.xlsx.ownership import Made, claim_target
from selfeval_xlsx.xlsx.workbook import load

__all__ = ["ProjectResult", "Result", "check_file", "check_scheme_file", "evaluate_file",
           "report_file", "score_file", "write_blank_template", "write_evaluation"]

AnyEvaluation = Evaluation | ProjectEvaluation


def write_blank_template(output: Path, scheme_file: Path | None = None, force: bool = False,
                         form: str = "department") -> None:
    """Write the blank template of `form` (部门整体 or project); an existing file is replaced
    only when it is ours (or `force`)."""
    from selfeval_xlsx.template.writer import write_template  # xlsxwriter: only when writing

    claim_target(output, Made.TEMPLATE, force)
    if form == PROJECT_FORM:
        write_template(build_project_template(("项目1",), load_project_scheme(scheme_file)), output)
    else:
        write_template(build_template(load_scheme(scheme_file)), output)


def check_scheme_file(path: Path, lang: str = "zh") -> list[str]:
    """Validate a scheme file strictly; its indicator tree as lines (SchemeError when invalid).
    A scheme of the 项目支出绩效自评表 (`form = "project"`) is described as such."""
    from selfeval_xlsx.scheme.describe import describe
    from selfeval_xlsx.scheme.project import describe_project, is_project_scheme

    if is_project_scheme(path):
        return describe_project(load_project_scheme(path), lang)
    return describe(load_scheme(path), lang)


def generation_time() -> datetime:
    """Now, or `SOURCE_DATE_EPOCH` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).replace(tzinfo=None)
    return datetime.now().replace(microsecond=0)


# ---- one workbook of either form ----

def evaluate_file(path: Path, scheme: Scheme | None = None,
                  project_scheme: ProjectScheme | None = None, display_name: str | None = None,
                  projects: Sequence[ProjectTotal] = (), strict_scheme: bool = False,
                  strict: bool = False) -> AnyEvaluation:
    """Load `path` once and evaluate it by its form. `scheme` scores a 整体 workbook,
    `project_scheme` a project workbook (None: the one the workbook records, else the
    default); `projects` feeds a 整体 workbook's 重点项目; with `strict` a warning fails it."""
    book = load(path, formula_operand)
    sheets = project_sheet_names(book)
    if not sheets:
        return judged(evaluate_workbook(path, scheme, display_name, strict_scheme, book, projects),
                      strict)
    if projects:
        raise InputError(_projects_into_project(path))
    return judged(evaluate_project_book(book, path, sheets, project_scheme, display_name,
                                        strict_scheme), strict)


def judged(evaluation: AnyEvaluation, strict: bool) -> AnyEvaluation:
    """The evaluation with `--strict` recorded in its result (before anything shows `passed`)."""
    evaluation.result.strict = strict
    return evaluation


def write_evaluation(evaluation: AnyEvaluation, target: Path, generated_at: datetime,
                     lang: str = "zh") -> None:
    """The output workbook of either form."""
    if isinstance(evaluation, ProjectEvaluation):
        from selfeval_xlsx.output.project_workbook import write_project_output

        write_project_output(evaluation, target, generated_at, lang)
    else:
        from selfeval_xlsx.output.workbook import write_output

        write_output(evaluation, target, generated_at, lang)


def _evaluate(path: Path, scheme_file: Path | None, project_scheme_file: Path | None,
              projects: Sequence[Path] = (), strict: bool = False) -> AnyEvaluation:
    """`--scheme` names the scheme of the workbook's form; `--project-scheme` that of project
    workbooks (given with --projects, or the workbook itself)."""
    project_scheme = load_project_scheme(project_scheme_file) if project_scheme_file else None
    book = load(path, formula_operand)
    sheets = project_sheet_names(book)
    if sheets:
        if projects:
            raise InputError(_projects_into_project(path))
        if scheme_file is not None and project_scheme is None:
            project_scheme = load_project_scheme(scheme_file)
        return judged(evaluate_project_book(book, path, sheets, project_scheme, str(path)),
                      strict)
    scheme = load_scheme(scheme_file) if scheme_file is not None else None
    totals = project_totals(projects, project_scheme, exclude=path) if projects else []
    return judged(evaluate_workbook(path, scheme, str(path), book=book, projects=totals), strict)


def check_file(path: Path, scheme_file: Path | None = None, projects: Sequence[Path] = (),
               project_scheme_file: Path | None = None,
               strict: bool = False) -> Result | ProjectResult:
    """Validate and score one workbook of either form (no output file); with `strict` a
    warning fails it."""
    return _evaluate(path, scheme_file, project_scheme_file, projects, strict).result


def score_file(path: Path, output: Path | None = None, scheme_file: Path | None = None,
               lang: str = "zh", force: bool = False, projects: Sequence[Path] = (),
               project_scheme_file: Path | None = None,
               strict: bool = False) -> tuple[Result | ProjectResult, Path]:
    """Validate and score `path`, write the output workbook; return the result and its path.
    An existing target is replaced only when it is the tool's own earlier output (or `force`);
    with `strict` a warning fails the workbook (as its 校验状态 shows)."""
    from selfeval_xlsx.output.workbook import default_output_path, refuse_input_as_output

    target = output if output is not None else default_output_path(path)
    refuse_input_as_output(path, target)
    claim_target(target, Made.RESULT, force)
    evaluation = _evaluate(path, scheme_file, project_scheme_file, projects, strict)
    write_evaluation(evaluation, target, generation_time(), lang)
    return evaluation.result, target


def report_file(path: Path, output: Path | None = None, scheme_file: Path | None = None,
                lang: str = "zh", force: bool = False, projects: Sequence[Path] = (),
                project_scheme_file: Path | None = None) -> tuple[Result, Path]:
    """Draft the narrative report of a 整体 workbook as a .docx; return the result and its path."""
    from selfeval_xlsx.output.workbook import refuse_input_as_output
    from selfeval_xlsx.report.document import default_report_path, write_report

    target = output if output is not None else default_report_path(path)
    refuse_input_as_output(path, target)
    claim_target(target, Made.REPORT, force)
    evaluation = _evaluate(path, scheme_file, project_scheme_file, projects)
    if isinstance(evaluation, ProjectEvaluation):
        raise InputError(_report_of_project(path))
    write_report(evaluation, target, lang)
    return evaluation.result, target


# ---- --projects ----

def project_totals(paths: Sequence[Path], scheme: ProjectScheme | None,
                   exclude: Path | None = None) -> list[ProjectTotal]:
    """The computed scores of every project sheet in the project workbooks named or found
    under `paths` (folders at any depth; other workbooks found in a folder are passed over; a
    file named that is not a project workbook is refused)."""
    totals: list[ProjectTotal] = []
    for path, named in _project_inputs(paths, exclude):
        book = load(path, formula_operand)
        sheets = project_sheet_names(book)
        if not sheets:
            if named:
                raise InputError(_not_projects(path))
            continue
        totals += evaluate_project_book(book, path, sheets, scheme, str(path)).result.totals()
    if not totals:
        raise InputError(_no_projects(paths))
    return totals


def _project_inputs(paths: Sequence[Path], exclude: Path | None) -> list[tuple[Path, bool]]:
    """(file, named on the command line) for every candidate, each once, in order: under a
    folder, the workbooks a batch would score (`discovery`)."""
    seen = {exclude.resolve()} if exclude is not None else set()
    found: list[tuple[Path, bool]] = []
    for argument in paths:
        if not argument.exists():
            raise InputError(Text(f"找不到“{one_line(str(argument))}”：请检查 --projects 后的文件或文件夹路径。",
                                  f"'{one_line(str(argument))}' does not exist: check the path "
                                  "after --projects."))
        candidates = _in_folder(argument) if argument.is_dir() else [(argument, True)]
        for path, named in candidates:
            if path.resolve() not in seen:
                seen.add(path.resolve())
                found.append((path, named))
    return found


def _in_folder(folder: Path) -> list[tuple[Path, bool]]:
    found: list[tuple[Path, bool]] = []
    for path in walk(folder):
        if isinstance(path, Unlisted):
            shown = one_line(str(path.path))
            raise InputError(Text(f"无法读取文件夹“{shown}”（{path.reason}），其中的项目表未能读取；"
                                  "请检查文件夹的权限，或在 --projects 后逐个给出项目表。",
                                  f"The folder '{shown}' could not be listed ({path.reason}); "
                                  "check its permissions or name the project workbooks one by one."))
        if skip_reason(path) is None:
            found.append((path, False))
    return found


def _projects_into_project(path: Path) -> Text:
    name = one_line(path.name)
    return Text(f"“{name}”是项目支出绩效自评表工作簿；--projects 用于把项目得分填入部门整体工作簿，"
                f"例如：selfeval score 整体.xlsx --projects {name}。",
                f"'{name}' is a project workbook; --projects feeds project scores into a "
                f"部门整体 workbook, e.g. selfeval score 整体.xlsx --projects {name}.")


def _not_projects(path: Path) -> Text:
    name = one_line(path.name)
    return Text(f"--projects 给出的“{name}”不是项目支出绩效自评表工作簿（没有标题为“项目支出绩效自评表”的工作表）。"
                "请给出项目表工作簿或其所在文件夹。",
                f"'{name}' given with --projects is not a project workbook (no sheet titled "
                "项目支出绩效自评表). Give project workbooks or their folder.")


def _no_projects(paths: Sequence[Path]) -> Text:
    shown = "”“".join(one_line(str(p)) for p in paths[:3])
    return Text(f"在“{shown}”中没有找到项目支出绩效自评表。请用 selfeval template --form project 生成项目表，"
                "填写后用 --projects 给出。",
                f"No project sheets found in {shown}. Create project workbooks with "
                "selfeval template --form project and give them with --projects.")


def _report_of_project(path: Path) -> Text:
    name = one_line(path.name)
    return Text(f"“{name}”是项目支出绩效自评表工作簿；自评报告按部门整体工作簿起草。项目得分可用 "
                f"selfeval report 整体.xlsx --projects {name} 写入报告的部门重点项目部分。",
                f"'{name}' is a project workbook; the report is drafted from a 部门整体 workbook. "
                f"Use selfeval report 整体.xlsx --projects {name} to include the project scores.")
