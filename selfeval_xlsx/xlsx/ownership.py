"""Which files are this tool's own: the mark every file we write carries, and the rule for targets.

Every workbook and document the tool writes carries a mark (a custom document property
`selfeval` in a workbook, the core property `category` in a Word document) naming what it is.
`claim_target` decides whether a target may be written: the extension must fit what is written,
the folder that holds it must exist, and an existing file is replaced only when it is the tool's
own earlier output (or `--force` is given). A clerk's file is never overwritten by accident.
"""

from __future__ import annotations

import re
import stat
import zipfile
from enum import StrEnum
from pathlib import Path

from selfeval_xlsx.errors import OutputError
from selfeval_xlsx.text import Text

MARK_PROPERTY = "selfeval"
OUTPUT_SUFFIX = "_评分结果.xlsx"  # the default name of a scored workbook: <input>_评分结果.xlsx
REPORT_CATEGORY_PREFIX = "selfeval:"
MAX_MARK_PART = 64 * 1024  # docProps parts are a few hundred bytes


class Made(StrEnum):
    """What a file of ours is (the value of its mark)."""

    TEMPLATE = "template"
    RESULT = "result"
    BATCH = "batch"
    REPORT = "report"

    @property
    def suffix(self) -> str:
        return ".docx" if self is Made.REPORT else ".xlsx"

    @property
    def zh(self) -> str:
        return {"template": "模板", "result": "评分结果工作簿", "batch": "汇总工作簿",
                "report": "自评报告"}[self.value]


_CUSTOM = re.compile(
    rb'name="' + MARK_PROPERTY.encode() + rb'"[^>]*>\s*<vt:lpwstr>([a-z]+)</vt:lpwstr>')
_CATEGORY = re.compile(rb"<cp:category>" + re.escape(REPORT_CATEGORY_PREFIX.encode())
                       + rb"([a-z]+)</cp:category>")


def mark_of(path: Path) -> Made | None:
    """The mark of an existing file, or None when it is not (recognisably) ours. Reads at most
    the zip directory and one small part; anything unreadable is simply not ours."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        with zipfile.ZipFile(path) as archive:
            for part, pattern in (("docProps/custom.xml", _CUSTOM), ("docProps/core.xml", _CATEGORY)):
                found = _read_small(archive, part)
                match = pattern.search(found) if found else None
                if match and match[1].decode() in Made._value2member_map_:
                    return Made(match[1].decode())
    except (OSError, zipfile.BadZipFile, ValueError, RuntimeError, EOFError):
        return None
    return None


def _read_small(archive: zipfile.ZipFile, part: str) -> bytes:
    try:
        info = archive.getinfo(part)
    except KeyError:
        return b""
    if info.file_size > MAX_MARK_PART:
        return b""
    with archive.open(info) as stream:
        return stream.read(MAX_MARK_PART)


def claim_target(target: Path, made: Made, force: bool = False) -> None:
    """Raise OutputError unless `made` may be written to `target`."""
    if target.suffix.lower() != made.suffix:
        raise _wrong_suffix(target, made)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise missing_folder(folder, target)
    if target.is_dir():
        raise _is_folder(target, made)
    if force or not (target.exists() or target.is_symlink()):
        return
    if mark_of(target) is None:
        raise _not_ours(target)


def claim_folder(folder: Path) -> None:
    """A folder named for outputs (`batch --outputs`) is created when missing, but never the
    folders above it: a mistyped path is not silently built."""
    parent = folder.parent if str(folder.parent) else Path(".")
    if folder.exists() and not folder.is_dir():
        raise OutputError(Text(
            f"“{folder}”已存在但不是文件夹；请用 --outputs 指定一个文件夹。",
            f"'{folder}' exists and is not a folder; give a folder with --outputs."))
    if not parent.is_dir():
        raise missing_folder(parent)


def missing_folder(folder: Path, target: Path | None = None) -> OutputError:
    """The folder meant to hold `target` (or `--outputs`) is missing or is not a folder."""
    named_zh = f"无法写入“{target}”：" if target is not None else ""
    named_en = f"Cannot write '{target}': " if target is not None else ""
    if folder.exists():
        return OutputError(Text(
            f"{named_zh}输出位置“{folder}”不是文件夹。请用 -o 指定已有文件夹中的文件。",
            f"{named_en}the output location '{folder}' is not a folder. Give a file in an "
            "existing folder with -o."))
    return OutputError(Text(
        f"{named_zh}输出文件夹“{folder}”不存在。请先创建该文件夹，或用 -o 指定已有文件夹中的文件。",
        f"{named_en}the output folder '{folder}' does not exist. Create it first, or give a "
        "file in an existing folder with -o."))


def _wrong_suffix(target: Path, made: Made) -> OutputError:
    return OutputError(Text(
        f"输出文件“{target}”的扩展名应为 {made.suffix}（工具写出的是{made.zh}）。"
        f"请用 -o 指定以 {made.suffix} 结尾的文件名。",
        f"The output '{target}' must end in {made.suffix} (the tool writes a {made.value} "
        f"file). Give a file name ending in {made.suffix} with -o."))


def _is_folder(target: Path, made: Made) -> OutputError:
    return OutputError(Text(
        f"输出“{target}”是一个文件夹；请用 -o 指定{made.zh}的文件名（{made.suffix}）。",
        f"The output '{target}' is a folder; give the file name ({made.suffix}) with -o."))


def _not_ours(target: Path) -> OutputError:
    return OutputError(Text(
        f"“{target}”已存在，且不是本工具生成的文件；为免覆盖您的文件，工具没有写入。"
        "请用 -o 指定另一个文件名，或确认可以覆盖后加 --force。",
        f"'{target}' already exists and was not written by this tool; it was left untouched. "
        "Choose another file name with -o, or add --force to overwrite it."))
