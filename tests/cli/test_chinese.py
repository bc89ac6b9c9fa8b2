"""Chinese throughout the command line, English with --lang en: help, usage errors, OS errors,
and a readable fallback on a console that cannot show Chinese. Run as a real process, since
click's own words are localised when `selfeval` starts."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE

COMMANDS = ("template", "check", "score", "batch", "report", "scheme", "scheme check")
# what may stay ASCII in a Chinese line: option names, the program, file names, formats, the ids
# of shipped schemes a clerk types
ALLOWED = re.compile(r"project_default|project_hubei|[\w.~$-]*\.(xlsx|xlsm|docx|toml)|--?[a-z][a-z-]*|selfeval|template|check|"
                     r"score|batch|report|scheme|zh|en|project|department|UTF|LANG|"
                     r"PYTHONUTF8|C\.UTF-8|SHA-256|JSON|Excel|WPS|TOML|Word|CPU|x>=1", re.I)


def selfeval(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None
             ) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).parent / "selfeval"  # the console script, named `selfeval`
    command = [str(script)] if script.exists() else [sys.executable, "-m", "selfeval_xlsx"]
    return subprocess.run([*command, *args], capture_output=True,
                          text=True, encoding="utf-8", timeout=60, env=env, cwd=cwd, check=False)


def english_words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]{2,}", ALLOWED.sub(" ", text))


@pytest.mark.slow
@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_is_chinese_and_english_with_lang_en(command: str) -> None:
    args = command.split()
    zh = selfeval(*args, "--help")
    assert zh.returncode == 0 and zh.stdout.startswith("用法: selfeval")
    assert english_words(zh.stdout) == [], zh.stdout
    assert "显示本帮助并退出。" in zh.stdout
    en = selfeval(*args, "--help", "--lang", "en") if command else selfeval("--lang", "en", "--help")
    assert en.stdout.startswith("Usage: selfeval") and "Show this message and exit." in en.stdout


USAGE_ERRORS = {  # arguments -> what the one Chinese line must say
    ("check",): "缺少参数 '文件'",
    ("check", "a.xlsx", "--lang", "fr"): "'--lang' 的取值无效：'fr' 不在可选值 'zh', 'en' 中",
    ("nosuch",): "没有命令 'nosuch'",
    ("check", "--foo", "a.xlsx"): "没有选项 '--foo'",
    ("check", "a.xlsx", "b.xlsx"): "多余的参数（b.xlsx）",
    ("batch", "a", "--jobs", "0", "-o", "s.xlsx"): "'--jobs' 的取值无效：须为不小于 1 的整数，实际为 0",
    ("batch", "a"): "缺少选项 '-o' / '--output'",
}


@pytest.mark.slow
@pytest.mark.parametrize("args", list(USAGE_ERRORS), ids=" ".join)
def test_every_usage_error_is_one_chinese_line(args: tuple[str, ...]) -> None:
    done = selfeval(*args)
    assert (done.returncode, done.stdout) == (2, "")
    (line,) = done.stderr.splitlines()
    assert line.startswith("命令用法有误：") and USAGE_ERRORS[args] in line, line
    assert line.endswith("请运行 selfeval --help 查看用法。")
    typed = ("nosuch", "foo", "fr")  # what the clerk typed is quoted back
    assert english_words(re.sub("|".join(typed), "", line)) == [], line


@pytest.mark.slow
def test_bare_selfeval_prints_a_short_usage() -> None:
    done = selfeval()
    assert done.returncode == 2 and done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("用法：selfeval 命令") and "selfeval score 文件.xlsx" in line


def test_os_errors_are_told_in_chinese(tmp_path: Path) -> None:
    from selfeval_xlsx.errors import os_reason

    missing = os_reason(FileNotFoundError(2, "No such file or directory"))
    full = os_reason(OSError(28, "No space left on device"))
    odd = os_reason(OSError(125, "Operation canceled"))
    assert (missing.zh, full.zh) == ("文件或文件夹不存在", "磁盘空间不足")
    assert odd.zh == "系统错误（errno 125）" and english_words(odd.zh) == ["errno"]


@pytest.mark.slow
def test_a_missing_scheme_file_is_told_in_chinese(tmp_path: Path) -> None:
    done = selfeval("check", str(SAMPLE), "--scheme", str(tmp_path / "没有.toml"))
    assert done.returncode == 2 and "无法读取评分方案文件“没有.toml”：找不到该文件" in done.stderr
    assert "No such file" not in done.stderr


@pytest.mark.slow
def test_a_console_that_cannot_show_chinese_gets_english_not_an_internal_error(
        tmp_path: Path) -> None:
    env = {"PATH": os.environ["PATH"], "LC_ALL": "C", "PYTHONUTF8": "0"}
    unit = tmp_path / "unit.xlsx"
    unit.write_bytes(SAMPLE.read_bytes())
    scored = selfeval("score", "unit.xlsx", "-o", "out.xlsx", env=env, cwd=tmp_path)
    assert scored.returncode == 0, scored.stderr
    assert "Total: 99.00" in scored.stdout and "内部错误" not in scored.stderr
    default_name = selfeval("score", "unit.xlsx", env=env, cwd=tmp_path)  # <stem>_评分结果.xlsx
    assert default_name.returncode == 2 and "Internal error" not in default_name.stderr
    assert "LANG=C.UTF-8" in default_name.stderr and len(default_name.stderr.splitlines()) == 1
