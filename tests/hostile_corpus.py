"""Build the hostile-input corpus of `hostile_inventory.md`: one function per case.

Each builder gets a work folder and the sample and returns the input path and the `-o` output
path to pass (None: let `score` choose its default beside the input).
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
from openpyxl.workbook.workbook import Workbook

sys.path.insert(0, str(Path(__file__).parent))
from fill import set_cell, set_field

Built = tuple[Path, Path | None]
Convert = Callable[[list[Path], str, Path], list[Path]]
ZEROS = b"\0" * (1 << 20)


def _edited(folder: Path, sample: Path, name: str, edit: Callable[[Workbook], None]) -> Built:
    book = openpyxl.load_workbook(sample)
    edit(book)
    path = folder / f"{name}.xlsx"
    book.save(path)
    return path, folder / f"{name}_out.xlsx"


def empty_file(folder: Path, sample: Path) -> Built:
    path = folder / "empty.xlsx"
    path.touch()
    return path, None


def random_bytes(folder: Path, sample: Path) -> Built:
    path = folder / "random.xlsx"
    path.write_bytes(os.urandom(64 * 1024))
    return path, None


def truncated_sample(folder: Path, sample: Path) -> Built:
    path = folder / "truncated.xlsx"
    data = sample.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path, None


def csv_renamed(folder: Path, sample: Path) -> Built:
    path = folder / "export.xlsx"
    path.write_text("项目,年初预算数\n收入合计,902.25\n支出合计,902.25\n", encoding="utf-8")
    return path, None


def converted(folder: Path, sample: Path, convert: Convert, target: str) -> Built:
    source = folder / "lo" / "converted.xlsx"
    source.parent.mkdir(exist_ok=True)
    shutil.copy(sample, source)
    (result,) = convert([source], target, folder / target)
    return result, None


def encrypted_xlsx(folder: Path, sample: Path) -> Built:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(sample.read_bytes())).encrypt("secret", out)
    path = folder / "encrypted.xlsx"
    path.write_bytes(out.getvalue())
    return path, None


def _rezip(sample: Path, path: Path, replace: dict[str, Callable[[zipfile.ZipFile, str], None]]) -> None:
    with zipfile.ZipFile(sample) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED,
                                                         compresslevel=1) as dst:
        for info in src.infolist():
            if info.filename in replace:
                replace[info.filename](dst, info.filename)
            else:
                dst.writestr(info.filename, src.read(info.filename))


def zip_bomb(folder: Path, sample: Path) -> Built:
    def zeros(dst: zipfile.ZipFile, name: str) -> None:
        with dst.open(name, "w", force_zip64=True) as stream:
            for _ in range(1100 // 4):  # 1,100 MiB of zeros: past 1 GiB once expanded
                stream.write(ZEROS * 4)
    path = folder / "bomb.xlsx"
    _rezip(sample, path, {"xl/worksheets/sheet8.xml": zeros})
    return path, None


def entity_bomb(folder: Path, sample: Path) -> Built:
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                        for i in range(1, 10))
              + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol9;</t></is></c></row>"
              "</sheetData></worksheet>")

    def bomb(dst: zipfile.ZipFile, name: str) -> None:
        dst.writestr(name, laughs)
    path = folder / "entities.xlsx"
    _rezip(sample, path, {"xl/worksheets/sheet8.xml": bomb})
    return path, None


def directory(folder: Path, sample: Path) -> Built:
    path = folder / "folder.xlsx"
    path.mkdir()
    return path, None


def missing_path(folder: Path, sample: Path) -> Built:
    return folder / "不存在.xlsx", None


def spaces_and_chinese(folder: Path, sample: Path) -> Built:
    path = folder / "测试 目录" / "麻章 样例.xlsx"
    path.parent.mkdir()
    shutil.copy(sample, path)
    return path, None


def output_not_writable(folder: Path, sample: Path) -> Built:
    path = folder / "ok.xlsx"
    shutil.copy(sample, path)
    blocker = folder / "a_file"
    blocker.write_text("not a folder", encoding="utf-8")
    return path, blocker / "out.xlsx"


def output_is_input(folder: Path, sample: Path) -> Built:
    path = folder / "same.xlsx"
    shutil.copy(sample, path)
    return path, path


def million_rows(folder: Path, sample: Path) -> Built:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("基本信息")  # write-only sheets carry no <dimension>
    for number in range(1_000_000):
        sheet.append([number])
    path = folder / "million.xlsx"
    book.save(path)
    return path, folder / "million_out.xlsx"


def all_columns(folder: Path, sample: Path) -> Built:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("收支预算")
    sheet.append(list(range(16_384)))
    path = folder / "wide.xlsx"
    book.save(path)
    return path, folder / "wide_out.xlsx"


def long_text(folder: Path, sample: Path) -> Built:
    return _edited(folder, sample, "long_text",
                   lambda b: set_field(b["基本信息"], "单位名称", "局" * 32_767))


def excel_errors(folder: Path, sample: Path) -> Built:
    def edit(book: Workbook) -> None:
        for label, error in (("三公经费合计", "#DIV/0!"), ("公务接待费", "#REF!")):
            set_cell(book["经费控制"], "项目", label, "预算数", error)
        set_field(book["资产管理"], "固定资产总额", "#VALUE!")
        set_field(book["基本信息"], "行政编制数", "#N/A")
    return _edited(folder, sample, "errors", edit)


def date_before_1900(folder: Path, sample: Path) -> Built:
    return _edited(folder, sample, "old_date",
                   lambda b: set_field(b["基本信息"], "填报日期", "1899-12-31"))


def renamed_sheet(folder: Path, sample: Path) -> Built:
    def edit(book: Workbook) -> None:
        book["经费控制"].title = "经费控制表"
    return _edited(folder, sample, "renamed", edit)


def hidden_and_reordered(folder: Path, sample: Path) -> Built:
    def edit(book: Workbook) -> None:
        book._sheets.reverse()
        book.active = 0
        for sheet in book.worksheets[1:]:
            sheet.sheet_state = "hidden"
    return _edited(folder, sample, "hidden", edit)
