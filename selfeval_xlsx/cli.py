"""The command line: parse options, call one library function, render, map to an exit code.

Heavy modules (pandas, openpyxl, xlsxwriter) are imported inside the commands so that
`--help` and `--version` stay fast.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import signal
import sys
from enum import StrEnum
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import typer

from selfeval_xlsx import __version__
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

app = typer.Typer(
    help="部门整体支出绩效自评：生成模板、校验数据、评分。Budget self-evaluation: template, check, score.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Lang(StrEnum):
    zh = "zh"
    en = "en"


LangOption = Annotated[Lang, typer.Option("--lang", help="消息语言 zh|en (message language)")]
JsonOption = Annotated[bool, typer.Option("--json", help="在标准输出打印 JSON 结果 (print the JSON result)")]
StrictOption = Annotated[bool, typer.Option("--strict", help="警告也视为不通过 (warnings fail too)")]
SchemeOption = Annotated[Path | None, typer.Option("--scheme", help="评分方案文件 (scoring scheme file)")]
DebugOption = Annotated[bool, typer.Option("--debug", help="出错时显示技术细节 (show tracebacks)")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"selfeval {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="显示版本号 (show the version)")] = False,
) -> None:
    """部门整体支出绩效自评工具。"""


@app.command("template")
def template_command(
    output: Annotated[Path, typer.Option("-o", "--output", help="输出文件 (output file)")] = Path(
        "selfeval_template.xlsx"),
    scheme: SchemeOption = None,
    lang: LangOption = Lang.zh,
    debug: DebugOption = False,
) -> None:
    """生成空白模板 (write a blank template)."""

    def run() -> int:
        from selfeval_xlsx.api import write_blank_template

        write_blank_template(output, scheme)
        typer.echo(f"已生成模板：{output}" if lang is Lang.zh else f"Template written: {output}")
        return 0

    _guarded(run, lang, debug, output, STOPPED_TEMPLATE)


@app.command("check")
def check_command(
    file: Annotated[Path, typer.Argument(help="填好的模板 (the filled workbook)")],
    as_json: JsonOption = False,
    strict: StrictOption = False,
    scheme: SchemeOption = None,
    lang: LangOption = Lang.zh,
    debug: DebugOption = False,
) -> None:
    """校验工作簿，列出问题 (validate a workbook and list the findings)."""

    def run() -> int:
        from selfeval_xlsx.api import check_file

        result = check_file(file, scheme)
        if as_json:
            _print_json(result.to_json(lang.value))
        else:
            _print_findings(result, lang)
        return result.exit_code(strict)

    _guarded(run, lang, debug, file)


@app.command("score")
def score_command(
    file: Annotated[Path, typer.Argument(help="填好的模板 (the filled workbook)")],
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="输出工作簿，默认为“<文件名>_评分结果.xlsx” (output workbook)")] = None,
    as_json: JsonOption = False,
    strict: StrictOption = False,
    scheme: SchemeOption = None,
    lang: LangOption = Lang.zh,
    debug: DebugOption = False,
) -> None:
    """校验、评分并生成评分结果工作簿 (validate, score and write the output workbook)."""

    def run() -> int:
        from selfeval_xlsx.api import score_file
        from selfeval_xlsx.console import score_lines

        result, written = score_file(file, output, scheme, lang.value)
        if as_json:
            _print_json(result.to_json(lang.value))
            return result.exit_code(strict)
        for line in score_lines(result, lang.value):
            typer.echo(line)
        _print_findings(result, lang)
        typer.echo(f"评分结果已写入：{written}" if lang is Lang.zh else f"Output written: {written}")
        return result.exit_code(strict)

    _guarded(run, lang, debug, file, STOPPED_SCORE)


@app.command("batch")
def batch_command(
    paths: Annotated[list[Path], typer.Argument(
        help="文件夹或工作簿，文件夹中的 .xlsx/.xlsm 逐级查找 (folders or workbooks)")],
    output: Annotated[Path, typer.Option("-o", "--output", help="汇总工作簿 (consolidated workbook)")],
    jobs: Annotated[int | None, typer.Option(
        "--jobs", min=1, help="并行进程数，默认为 CPU 数 (parallel processes)")] = None,
    outputs: Annotated[Path | None, typer.Option(
        "--outputs", help="另把各单位的评分结果工作簿写入此文件夹 (folder for each unit's output)")] = None,
    as_json: JsonOption = False,
    strict: StrictOption = False,
    scheme: SchemeOption = None,
    lang: LangOption = Lang.zh,
    debug: DebugOption = False,
) -> None:
    """批量校验、评分并生成汇总工作簿 (validate and score many workbooks into one summary)."""

    def run() -> int:
        from selfeval_xlsx.batch import BatchOptions, batch_files

        options = BatchOptions(output, jobs, strict, outputs, scheme, lang.value,
                               full_results=as_json, show_progress=True)
        result = batch_files(paths, options)
        if as_json:
            _print_json(result.to_json())
        else:
            for line in result.summary_lines(lang.value):
                typer.echo(line)
        return result.exit_code()

    _guarded(run, lang, debug, None, STOPPED_BATCH)


@app.command("report")
def report_command(
    file: Annotated[Path, typer.Argument(help="填好的模板 (the filled workbook)")],
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="输出 Word 文档，默认为“<文件名>_自评报告.docx” (output .docx)")] = None,
    scheme: SchemeOption = None,
    lang: LangOption = Lang.zh,
    debug: DebugOption = False,
) -> None:
    """起草整体绩效自评报告 (draft the narrative self-evaluation report)."""

    def run() -> int:
        from selfeval_xlsx.api import report_file

        result, written = report_file(file, output, scheme, lang.value)
        if lang is Lang.zh:
            status = "" if result.passed else "（校验未通过，已标为草稿）"
            typer.echo(f"自评报告草稿已写入：{written}{status}")
        else:
            status = "" if result.passed else " (validation failed: marked as a draft)"
            typer.echo(f"Report draft written: {written}{status}")
        return result.exit_code()

    _guarded(run, lang, debug, file, STOPPED_REPORT)


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


STOPPED = Text("已中断。", "Interrupted.")
STOPPED_SCORE = Text("已中断，未写出评分结果。", "Interrupted; no output workbook was written.")
STOPPED_BATCH = Text("已中断，未写出汇总。", "Interrupted; no summary was written.")
STOPPED_REPORT = Text("已中断，未写出报告。", "Interrupted; no report was written.")
STOPPED_TEMPLATE = Text("已中断，未写出模板。", "Interrupted; no template was written.")


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
    except Exception as exc:  # the last guard: never a traceback for a clerk
        if debug:
            raise
        _fail(_internal_error(exc, lang, subject), 2)
    raise typer.Exit(code)


def _fail(line: str, code: int) -> None:
    typer.echo(one_line(line), err=True)
    raise typer.Exit(code) from None


def _internal_error(exc: Exception, lang: Lang, subject: Path | None = None) -> str:
    name = type(exc).__name__
    shown = one_line(subject.name) if subject is not None else ""
    if lang is Lang.en:
        about = f' while processing "{shown}"' if shown else ""
        send = (f'Please send "{shown}" to the finance bureau' if shown else
                "Please tell the finance bureau") + " so that it can be looked into"
        return f"Internal error ({name}){about}: the command could not finish. {send} " \
               "(--debug shows the details)."
    about = f"处理“{shown}”时" if shown else ""
    send = f"请把文件“{shown}”发送给财政局" if shown else "请告知财政局"
    return f"内部错误（{name}）：{about}出现意外问题，命令未能完成。{send}，以便查明原因（加 --debug 可查看技术细节）。"


def _raise_interrupted(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


def _handle_termination() -> None:
    """SIGTERM and SIGHUP end the command like Ctrl+C: temporary files removed, workers
    stopped, one line."""
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _raise_interrupted)


def _safe_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def _usage_error(exc: Exception) -> str:
    detail = getattr(exc, "format_message", lambda: str(exc))()
    if "--lang" in sys.argv and "en" in sys.argv:
        return f"Usage error: {detail} Run `selfeval --help` for usage."
    return f"命令用法有误：{detail} 请运行 selfeval --help 查看用法。"


def main() -> None:
    _safe_streams()
    _handle_termination()
    try:
        code = app(standalone_mode=False)
    except UsageError as exc:
        typer.echo(one_line(_usage_error(exc)), err=True)
        code = 2
    except typer.Abort:  # Ctrl+C before a command ran (click turns it into Abort)
        typer.echo(STOPPED.render("en" if "en" in sys.argv else "zh"), err=True)
        code = 130
    except Interrupted as exc:
        typer.echo(STOPPED.render("en" if "en" in sys.argv else "zh"), err=True)
        code = exc.exit_code
    except BrokenPipeError:  # the reader of a pipe went away (`selfeval check x | head`)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 1
    sys.exit(code if isinstance(code, int) else 0)
