"""Chinese for the command line's own words: click's help headings and usage errors.

click and typer take these words from `gettext` when they print them (`_("Usage:")`,
`ngettext(...)`); `install()` gives their modules this catalogue instead, so `selfeval --help`
and every usage error ("Missing argument", "Invalid value", "No such option") read in Chinese.
With `--lang en` nothing is installed and click's English stays. Words not in the catalogue
pass through unchanged.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

WORDS = {
    "Usage:": "用法:",
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
    "Show this message and exit.": "显示本帮助并退出。",
    "required": "必填",
    "default: {default}": "默认：{default}",
    "Error: {message}": "错误：{message}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "Invalid value: {message}": "取值无效：{message}",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受取值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在 {range} 范围内。",
    "integer": "整数",
    "float": "数字",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "Aborted!": "已中止。",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看帮助。",
    "argument": "参数",
    "option": "选项",
    "parameter": "参数",
}
PLURALS = {  # ngettext: the English form click picks by count -> Chinese
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Did you mean {possibility}?": "您是否想用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（您是否想用其中之一：{possibilities}？）",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不在可选值 {choices} 中。",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个取值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个取值。",
}
MODULES = ("click.core", "click.exceptions", "click.formatting", "click.types", "click.parser",
           "click.decorators", "typer.core")


class Template(str):
    """A translated message whose `format` also translates the words put into it (click fills
    "Missing {param_type}" with the English "argument")."""

    __slots__ = ()

    def format(self, *args: object, **kwargs: object) -> str:
        words = {k: WORDS.get(v, v) if isinstance(v, str) else v for k, v in kwargs.items()}
        return str.format(self, *args, **words)


def chinese(message: str) -> str:
    return Template(WORDS.get(message, message))


def chinese_plural(singular: str, plural: str, count: int) -> str:
    english = singular if count == 1 else plural
    return Template(PLURALS.get(english, english))


def display_width(text: str) -> int:
    """Terminal columns: CJK characters take two (click counts one, misaligning the help)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def install() -> None:
    """Give click and typer the Chinese catalogue (for the rest of this process)."""
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # another click layout: its words stay English
            continue
        replacements: dict[str, Callable[..., object]] = {
            "_": chinese, "ngettext": chinese_plural, "term_len": display_width}
        for attribute, replacement in replacements.items():
            if hasattr(module, attribute):
                setattr(module, attribute, replacement)
