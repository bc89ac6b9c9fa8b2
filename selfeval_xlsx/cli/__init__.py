"""The command line: parse options, call one library function, render, map to an exit code.

Heavy modules (pandas, openpyxl, xlsxwriter) are imported inside the commands so that
`--help` and `--version` stay fast. Help texts are Chinese, English when `--lang en` is on the
command line; click's own words are Chinese through `cli.words`.

Takes the command line. Gives output on stdout/stderr and an exit code. `boundary.py` holds the
one-line messages of the boundary and the signal handlers.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from selfeval_xlsx import __version__
from selfeval_xlsx.cli.boundary import (
    SHORT_USAGE,
    STOPPED,
    STOPPED_BATCH,
    STOPPED_REPORT,
    STOPPED_SCORE,
    STOPPED_TEMPLATE,
    handle_termination,
    internal_error,
    locale_error,
    safe_streams,
    usage_error,
)
from selfeval_xlsx.errors import Interrupted, SelfevalError
from selfeval_xlsx.text import Text, one_line


def _usage_error_class() -> type[Exception]:
    """Recent typer carries its own copy of click; older typer uses click itself."""
    for module in ("typer._click.exceptions", "click.exceptions"):
        with contextlib.suppress(ImportError):
            found: type[Exception] = importlib.import_module(module).UsageError
            return found
    return type("UsageError", (Exception,), {})


UsageError = _usage_error_class()


def english_requested(argv: list[str]) -> bool:
    """`--lang en` (or `--lang=en`) anywhere on the command line."""
    pairs = zip(argv, [*argv[1:], ""], strict=True)
    return any(a == "--lang=en" or (a == "--lang" and b == "en") for a, b in pairs)


def console_speaks_chinese() -> bool:
    """Whether stdout and stderr can show Chinese (not so on a bare C locale terminal)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            "中文".encode(getattr(stream, "encoding", None) or "ascii")
        except (LookupError, UnicodeEncodeError):
            return False
    return True


ENGLISH = english_requested(sys.argv) or not console_speaks_chinese()


def _t(zh: str, en: str) -> str:
    return en if ENGLISH else zh


app = typer.Typer(
    help=_t("部门整体支出绩效自评及项目支出绩效自评表：生成模板、校验数据、评分、批量汇总、起草报告。",
            "Budget self-evaluation (部门整体 and 项目支出): template, check, score, batch, report."),
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    options_metavar=_t("[选项]", "[OPTIONS]"),
    subcommand_metavar=_t("命令 [参数]...", "COMMAND [ARGS]..."),
)
OPTIONS = _t("[选项]", "[OPTIONS]")




class Lang(StrEnum):
    zh = "zh"
    en = "en"


class Form(StrEnum):
    department = "department"
    project = "project"


DEFAULT_LANG = Lang.en if ENGLISH else Lang.zh  # English where the console cannot show Chinese


LangOption = Annotated[Lang, typer.Option("--lang", help=_t("消息语言：zh 中文，en 英文",
                                                            "message language: zh or en"))]
JsonOption = Annotated[bool, typer.Option("--json", help=_t("在标准输出打印 JSON 结果",
                                                            "print the JSON result"))]
StrictOption = Annotated[bool, typer.Option("--strict", help=_t("警告也视为不通过",
                                                                "warnings fail too"))]
SchemeOption = Annotated[Path | None, typer.Option(
    "--scheme", metavar=_t("方案文件", "FILE"),
    help=_t("评分方案文件（.toml），默认使用模板记录的方案或默认方案",
            "scoring scheme file (.toml); default: the workbook's own or the default scheme"))]
ProjectsOption = Annotated[list[Path] | None, typer.Option(
    "--projects", metavar=_t("文件或文件夹", "PATH"), show_default=False,
    help=_t("项目支出绩效自评表工作簿或其文件夹（可多次给出）：按项目名称把核定的项目得分填入《重点项目》",
            "project workbooks or folders (repeatable): their computed scores replace the "
            "重点项目 scores, matched by 项目名称"))]
ProjectSchemeOption = Annotated[Path | None, typer.Option(
    "--project-scheme", metavar=_t("方案文件", "FILE"),
    help=_t("项目支出绩效自评表的评分方案（默认：项目表记录的方案或 project_default）",
            "the scheme of project workbooks (default: the workbook's own or project_default)"))]
DebugOption = Annotated[bool, typer.Option("--debug", help=_t("出错时显示技术细节",
                                                              "show tracebacks"))]
ForceOption = Annotated[bool, typer.Option("--force", help=_t(
    "覆盖已存在的、不是本工具生成的文件", "overwrite existing files this tool did not write"))]
FileArgument = Annotated[Path, typer.Argument(metavar=_t("文件", "FILE"), help=_t(
    "填好的模板（.xlsx）", "the filled workbook (.xlsx)"), show_default=False)]


scheme_app = typer.Typer(
    help=_t("评分方案：检查方案文件", "scoring schemes: check a scheme file"),
    no_args_is_help=True,
    rich_markup_mode=None,
    options_metavar=OPTIONS,
    subcommand_metavar=_t("命令 [参数]...", "COMMAND [ARGS]..."),
)
app.add_typer(scheme_app, name="scheme")


@scheme_app.callback()
def scheme_options(lang: LangOption = DEFAULT_LANG) -> None:
    """评分方案。"""


def _version(value: bool) -> None:
    if value:
        typer.echo(f"selfeval {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help=_t("显示版本号", "show the version"))] = False,
    lang: LangOption = DEFAULT_LANG,  # read from the command line before parsing (help texts)
) -> None:
    """部门整体支出绩效自评工具。"""


@app.command("template", options_metavar=OPTIONS,
             help=_t("生成空白模板", "write a blank template"))
def template_command(
    output: Annotated[Path | None, typer.Option("-o", "--output", metavar=_t("文件", "FILE"), help=_t(
        "输出的模板文件（.xlsx），默认 selfeval_template.xlsx（项目表为 project_template.xlsx）",
        "the template file to write (.xlsx); default selfeval_template.xlsx "
        "(project_template.xlsx for --form project)"), show_default=False)] = None,
    form: Annotated[Form, typer.Option("--form", help=_t(
        "表单：department 部门整体支出绩效自评（默认），project 项目支出绩效自评表",
        "department (部门整体, default) or project (项目支出绩效自评表)"))] = Form.department,
    scheme: SchemeOption = None,
    force: ForceOption = False,
    lang: LangOption = DEFAULT_LANG,
    debug: DebugOption = False,
) -> None:
    if output is None:
        output = Path("project_template.xlsx" if form is Form.project else "selfeval_template.xlsx")

    def run() -> int:
        from selfeval_xlsx.api import write_blank_template

        write_blank_template(output, scheme, force, form.value)
        typer.echo(f"已生成模板：{output}" if lang is Lang.zh else f"Template written: {output}")
        return 0

    _guarded(run, lang, debug, output, STOPPED_TEMPLATE)


@app.command("check", options_metavar=OPTIONS,
             help=_t("校验工作簿并评分，列出问题（不写文件）",
                     "validate and score a workbook, list the findings (writes nothing)"))
def check_command(
    file: FileArgument,
    as_json: JsonOption = False,
    strict: StrictOption = False,
    scheme: SchemeOption = None,
    projects: ProjectsOption = None,
    project_scheme: ProjectSchemeOption = None,
    lang: LangOption = DEFAULT_LANG,
    debug: DebugOption = False,
) -> None:
    def run() -> int:
        from selfeval_xlsx.api import check_file

        result = check_file(file, scheme, projects or (), project_scheme, strict)
        if as_json:
            _print_json(result.to_json(lang.value))
        else:
            _print_scored(result, lang)
        return result.exit_code()

    _guarded(run, lang, debug, file)


@app.command("score", options_metavar=OPTIONS,
             help=_t("校验、评分并生成评分结果工作簿", "validate, score and write the output workbook"))
def score_command(
    file: FileArgument,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", metavar=_t("文件", "FILE"), help=_t(
            "输出工作簿，默认为“<文件名>_评分结果.xlsx”",
            "the output workbook; default: <name>_评分结果.xlsx"))] = None,
    as_json: JsonOption = False,
    strict: StrictOption = False,
    scheme: SchemeOption = None,
    projects: ProjectsOption = None,
    project_scheme: ProjectSchemeOption = None,
    force: ForceOption = False,
    lang: LangOption = DEFAULT_LANG,
    debug: DebugOption = False,
) -> None:
    def run() -> int:
        from selfeval_xlsx.api import score_file

        result, written = score_file(file, output, scheme, lang.value, force, projects or (),
                                     project_scheme, strict)
        if as_json:
            _print_json(result.to_json(lang.value))
            return result.exit_code()
        _print_scored(result, lang)
        typer.echo(f"评分结果已写入：{written}" if lang is Lang.zh else f"Output written: {written}")
        return result.exit_code()

    _guarded(run, lang, debug, file, STOPPED_SCORE)


def _at_least_one(value: int | None) -> int | None:
    if value is not None and value < 1:
        raise typer.BadParameter(_t(f"须为不小于 1 的整数，实际为 {value}", f"must be at least 1, not {value}"))
    return value


@app.command("batch", options_metavar=OPTIONS,
             help=_t("批量校验、评分并生成汇总工作簿（财政局用）",
                     "validate and score many workbooks into one summary (for the bureau)"))
def batch_command(
    paths: Annotated[list[Path], typer.Argument(
        metavar=_t("文件夹或文件...", "PATHS..."), show_default=False, help=_t(
            "文件夹或工作簿；文件夹中的 .xlsx/.xlsm 逐级查找",
            "folders or workbooks; folders are searched for .xlsx/.xlsm"))],
    output: Annotated[Path, typer.Option("-o", "--output", metavar=_t("文件", "FILE"), help=_t(
        "汇总工作簿（.xlsx）", "the consolidated workbook (.xlsx)"))],
    jobs: Annotated[int | None, typer.Option(
        "--jobs", callback=_at_least_one, metavar=_t("进程数", "N"),
        help=_t("并行进程数，默认为 CPU 数", "parallel processes; default: the CPUs"))] = None,
    outputs: Annotated[Path | None, typer.Option(
        "--outputs", metavar=_t("文件夹", "FOLDER"), help=_t(
            "另把各单位的评分结果工作簿写入此文件夹", "also write each unit's output workbook here"))] = None,
    as_json: JsonOption = False,
    strict: StrictOption = False,
    scheme: SchemeOption = None,
    project_scheme: ProjectSchemeOption = None,
    force: ForceOption = False,
    lang: LangOption = DEFAULT_LANG,
    debug: DebugOption = False,
) -> None:
    def run() -> int:
        from selfeval_xlsx.batch import BatchOptions, batch_files

        options = BatchOptions(output, jobs, strict, outputs, scheme, lang.value,
                               full_results=as_json, show_progress=True, force=force,
                               project_scheme_file=project_scheme)
        result = batch_files(paths, options)
        for line in result.skipped_lines(lang.value):
            typer.echo(line, err=True)
        if as_json:
            _print_json(result.to_json())
        else:
            for line in result.summary_lines(lang.value):
                typer.echo(line)
        return result.exit_code()

    _guarded(run, lang, debug, None, STOPPED_BATCH)


@scheme_app.command("check", options_metavar=OPTIONS,
                    help=_t("检查评分方案文件，列出指标树和分值", "validate a scheme file, print its indicator tree"))
def scheme_check_command(
    file: Annotated[Path, typer.Argument(metavar=_t("方案文件", "FILE"), show_default=False, help=_t(
        "评分方案文件（.toml），或自带方案的名称", "a scheme file (.toml), or a shipped scheme's name"))],
    lang: LangOption = DEFAULT_LANG,
    debug: DebugOption = False,
) -> None:
    def run() -> int:
        from selfeval_xlsx.api import check_scheme_file

        for line in check_scheme_file(file, lang.value):
            typer.echo(line)
        return 0

    _guarded(run, lang, debug)


@app.command("report", options_metavar=OPTIONS,
             help=_t("起草整体绩效自评报告（Word）", "draft the narrative self-evaluation report (Word)"))
def report_command(
    file: FileArgument,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", metavar=_t("文件", "FILE"), help=_t(
            "输出 Word 文档，默认为“<文件名>_自评报告.docx”",
            "the output .docx; default: <name>_自评报告.docx"))] = None,
    scheme: SchemeOption = None,
    projects: ProjectsOption = None,
    project_scheme: ProjectSchemeOption = None,
    force: ForceOption = False,
    lang: LangOption = DEFAULT_LANG,
    debug: DebugOption = False,
) -> None:
    def run() -> int:
        from selfeval_xlsx.api import report_file

        result, written = report_file(file, output, scheme, lang.value, force, projects or (),
                                      project_scheme)
        if lang is Lang.zh:
            status = "" if result.passed else "（校验未通过，已标为草稿）"
            typer.echo(f"自评报告草稿已写入：{written}{status}")
        else:
            status = "" if result.passed else " (validation failed: marked as a draft)"
            typer.echo(f"Report draft written: {written}{status}")
        return result.exit_code()

    _guarded(run, lang, debug, file, STOPPED_REPORT)


def _print_scored(result: Any, lang: Lang) -> None:
    """What `check` and `score` print: the total and grade, then the findings."""
    from selfeval_xlsx.console import score_lines

    for line in score_lines(result, lang.value):
        typer.echo(line)
    _print_findings(result, lang)


def _print_findings(result: Any, lang: Lang) -> None:
    from selfeval_xlsx.console import findings_table, summary_line

    for line in findings_table(result.findings, lang.value):
        typer.echo(line)
    typer.echo(summary_line(result.counts, lang.value))
    if lang is Lang.zh:
        typer.echo("校验结果：" + ("通过" if result.passed else "未通过"))
    else:
        typer.echo("Result: " + ("passed" if result.passed else "failed"))


def _print_json(data: dict[str, Any] | list[dict[str, Any]]) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _guarded(run: Any, lang: Lang, debug: bool, subject: Path | None = None,
             stopped: Text = STOPPED) -> None:
    """The one boundary where "cannot continue" becomes one line on stderr and exit code 2, and
    an interruption (Ctrl+C, SIGTERM) one line and 130 / 143, after every `finally` has run."""
    try:
        code = run()
    except BrokenPipeError:
        raise
    except SelfevalError as exc:
        if debug:
            raise
        _fail(exc.render(lang.value), 2)
    except (KeyboardInterrupt, Interrupted) as exc:
        _fail(stopped.render(lang.value), exc.exit_code if isinstance(exc, Interrupted) else 130)
    except UnicodeError:  # a file name the system's locale cannot encode
        if debug:
            raise
        _fail(locale_error(lang is Lang.en), 2)
    except Exception as exc:  # the last guard: never a traceback for a clerk
        if debug:
            raise
        _fail(internal_error(exc, lang is Lang.en, subject), 2)
    raise typer.Exit(code)


def _fail(line: str, code: int) -> None:
    typer.echo(one_line(line), err=True)
    raise typer.Exit(code) from None


def main() -> None:
    safe_streams()
    if not ENGLISH:
        from selfeval_xlsx.cli.words import install

        install()
    if len(sys.argv) <= 1:  # bare `selfeval`: a short usage, not the whole help
        typer.echo(SHORT_USAGE[ENGLISH], err=True)
        sys.exit(2)
    handle_termination()
    try:
        code = app(standalone_mode=False)
    except UsageError as exc:
        typer.echo(one_line(usage_error(exc, ENGLISH)), err=True)
        code = 2
    except typer.Abort:  # Ctrl+C before a command ran (click turns it into Abort)
        typer.echo(STOPPED.render("en" if ENGLISH else "zh"), err=True)
        code = 130
    except Interrupted as exc:
        typer.echo(STOPPED.render("en" if ENGLISH else "zh"), err=True)
        code = exc.exit_code
    except BrokenPipeError:  # the reader of a pipe went away (`selfeval check x | head`)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 1
    sys.exit(code if isinstance(code, int) else 0)
