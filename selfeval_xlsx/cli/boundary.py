"""The command line's boundary words and signals: the one line for an interruption, a locale
that cannot encode a file name, an internal error and a usage error; SIGTERM / SIGHUP as an
interruption; streams that never fail on a character.

Takes exceptions and the language; gives lines (`cli` prints them and maps the exit code).
Imports neither typer nor any stage of the pipeline.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from types import FrameType

from selfeval_xlsx.errors import Interrupted
from selfeval_xlsx.text import Text, one_line

STOPPED = Text("已中断。", "Interrupted.")
STOPPED_SCORE = Text("已中断，未写出评分结果。", "Interrupted; no output workbook was written.")
STOPPED_BATCH = Text("已中断，未写出汇总。", "Interrupted; no summary was written.")
STOPPED_REPORT = Text("已中断，未写出报告。", "Interrupted; no report was written.")
STOPPED_TEMPLATE = Text("已中断，未写出模板。", "Interrupted; no template was written.")


def locale_error(en: bool) -> str:
    """A file name the locale cannot encode."""
    if en:
        return ("The system's locale cannot handle Chinese file names (e.g. on a bare C locale): "
                "set LANG=C.UTF-8 or PYTHONUTF8=1, or give an output name in plain letters with -o.")
    return ("当前系统的区域设置（locale）不支持中文文件名：请设置 LANG=zh_CN.UTF-8（或 C.UTF-8）、"
            "或以 PYTHONUTF8=1 运行，也可以用 -o 指定只含英文字母的输出文件名。")


def internal_error(exc: Exception, en: bool, subject: Path | None = None) -> str:
    """The last guard's line: never a traceback for a clerk, and the file to send."""
    name = type(exc).__name__
    shown = one_line(subject.name) if subject is not None else ""
    if en:
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


def handle_termination() -> None:
    """SIGTERM and SIGHUP end the command like Ctrl+C: temporary files removed, workers
    stopped, one line."""
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _raise_interrupted)


def safe_streams() -> None:
    """Never fail on printing a character the console cannot show."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def usage_error(exc: Exception, english: bool) -> str:
    """click's usage error as one line."""
    detail = " ".join(str(getattr(exc, "format_message", lambda: str(exc))()).split())
    if english:
        return f"Usage error: {detail} Run `selfeval --help` for usage."
    detail = detail.removesuffix(".").removesuffix("。")
    return f"命令用法有误：{detail}。请运行 selfeval --help 查看用法。"


SHORT_USAGE = {
    False: "用法：selfeval 命令 [选项]。给单位评分：selfeval score 文件.xlsx；只校验：selfeval check 文件.xlsx；"
           "生成模板：selfeval template；全部命令：selfeval --help。",
    True: "Usage: selfeval COMMAND [OPTIONS]. Score a unit: selfeval score FILE.xlsx; check only: "
          "selfeval check FILE.xlsx; a blank template: selfeval template; all commands: "
          "selfeval --help.",
}
