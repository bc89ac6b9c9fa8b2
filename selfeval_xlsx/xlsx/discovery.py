"""Which files a batch (or `--projects`) scores: the workbooks named or found at any depth under the folders given,
each once, in order; and every other file found there with the reason it is left out (lock
files, our own outputs and temporary files, other spreadsheet formats), so that no input is
left out silently.

Takes the paths of the command line; gives the files to score, the folders that could not be
listed (`Unlisted`) and the files left out (`Skipped`, listed under 未纳入). Lists folders only;
opens no file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from selfeval_xlsx.atomic import TEMP_PREFIX
from selfeval_xlsx.errors import InputError, os_reason
from selfeval_xlsx.text import Text, one_line
from selfeval_xlsx.xlsx.locks import LOCK_PREFIX
from selfeval_xlsx.xlsx.ownership import OUTPUT_SUFFIX

INPUT_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Skipped:
    """A file under the given folders that the batch did not score, and why."""

    path: Path
    reason: Text
    workbook_like: bool = True  # a spreadsheet or one of our files, not e.g. a PDF

    def line(self, lang: str) -> str:
        shown = one_line(str(self.path))
        if lang == "en":
            return f"Not included: {shown} ({self.reason.en})"
        return f"未纳入：{shown}（{self.reason.zh}）"


@dataclass(frozen=True)
class Unlisted:
    """A folder under the arguments that could not be listed, and why."""

    path: Path
    reason: str


def find_inputs(arguments: Sequence[Path],
                output: Path) -> tuple[list[Path | Unlisted], list[Skipped]]:
    """The workbooks named or found (at any depth) under `arguments`, in order, each once, and
    the folders that could not be listed; and every other file found there, with the reason it
    is not scored: no input is left out silently."""
    target = output.resolve()
    excluded = {target}
    found: list[Path | Unlisted] = []
    skipped: list[Skipped] = []
    for argument in arguments:
        if not argument.exists():
            raise InputError(missing_input(argument))
        candidates = walk(argument) if argument.is_dir() else iter([argument])
        for path in candidates:
            if isinstance(path, Unlisted):
                found.append(path)
                continue
            key = path.resolve()
            if key in excluded:
                if key == target:
                    skipped.append(Skipped(path, SKIP_THIS_OUTPUT))
                continue
            excluded.add(key)
            reason = skip_reason(path)
            if reason is None:
                found.append(path)
            else:
                skipped.append(reason)
    return found, skipped


def walk(folder: Path) -> Iterator[Path | Unlisted]:
    """Every file under `folder`, depth first in name order, with an explicit stack (no
    recursion limit); symbolic links to folders are not followed (no cycles)."""
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            yield Unlisted(current, os_reason(exc).zh)
            continue
        folders = []
        for entry in listed:
            if _is_folder(entry):
                folders.append(Path(entry.path))
            else:
                yield Path(entry.path)
        stack.extend(reversed(folders))


SKIP_LOCK = Text("Excel/WPS 的锁定文件（对应的工作簿正打开着），不是工作簿",
                 "an Excel/WPS lock file (its workbook is open), not a workbook")
SKIP_TEMP = Text("本工具写入时的临时文件", "a temporary file of this tool")
SKIP_OUR_OUTPUT = Text("本工具生成的评分结果或汇总工作簿", "a result or summary workbook of this tool")
SKIP_THIS_OUTPUT = Text("本次汇总的输出文件", "this run's own summary workbook")
SKIP_OTHER = Text("不是工作簿", "not a workbook")
OTHER_SPREADSHEETS = (".xls", ".et", ".ett", ".xlsb", ".ods", ".csv", ".xlt", ".xltx", ".xltm",
                      ".numbers", ".wps")


def skip_reason(path: Path) -> Skipped | None:
    """Why a file found under a folder is not scored; None for a workbook to score."""
    name, suffix = path.name, path.suffix.lower()
    if name.startswith(LOCK_PREFIX):
        return Skipped(path, SKIP_LOCK)
    if name.startswith(TEMP_PREFIX):
        return Skipped(path, SKIP_TEMP)
    if name.endswith(OUTPUT_SUFFIX):
        return Skipped(path, SKIP_OUR_OUTPUT)
    if suffix in INPUT_SUFFIXES:
        return None
    if suffix in OTHER_SPREADSHEETS:
        return Skipped(path, Text(f"{suffix} 格式不能直接评分：请在 Excel 或 WPS 中另存为 .xlsx 后再放入",
                                  f"{suffix} files cannot be scored: save it as .xlsx in Excel or WPS"))
    return Skipped(path, SKIP_OTHER, workbook_like=False)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def missing_input(argument: Path) -> Text:
    return Text(f"找不到“{argument}”：请检查文件或文件夹的路径后再试。",
                f"'{argument}' does not exist: check the path of the file or folder.")


def no_inputs(arguments: Sequence[Path]) -> Text:
    shown = [str(a) for a in arguments[:3]]
    more_zh, more_en = ("等", ", ...") if len(arguments) > 3 else ("", "")
    return Text(
        f"在“{'”“'.join(shown)}”{more_zh}中没有找到要评分的工作簿（.xlsx/.xlsm；已跳过 ~$ 开头的"
        "临时文件和“_评分结果.xlsx”）。请指定存放填好的模板的文件夹或文件。",
        f"No workbooks (.xlsx/.xlsm) found in {', '.join(shown)}{more_en} (lock files and "
        "'_评分结果.xlsx' outputs are skipped). Name the folder or files of filled templates.")
