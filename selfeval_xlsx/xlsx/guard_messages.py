"""The one-line, bilingual messages of `guard`: what is wrong with the file and what to do."""

from __future__ import annotations

from selfeval_xlsx.errors import InputError
from selfeval_xlsx.text import Text, one_line

MIB = 1024 * 1024
SAVE_AS_ZH = (
    "请另存为 .xlsx 后再试（在 Excel 或 WPS 中打开该文件，选择“文件 → 另存为”，"
    "保存类型选“Excel 工作簿（*.xlsx）”）。"
)
SAVE_AS_EN = (
    "Save it as .xlsx and try again (open it in Excel or WPS, choose File > Save As, "
    'type "Excel Workbook (*.xlsx)").'
)
RESAVE_ZH = "请在 Excel 或 WPS 中打开后重新保存为 .xlsx 再试。"
RESAVE_EN = "Open it in Excel or WPS, save it again as .xlsx and try again."
CHECK_FILE_ZH = "请确认选择了正确的文件；如果是其他软件导出的表格，"
CHECK_FILE_EN = "Check that you chose the right file. If the table was exported by other software: "




def display(raw: str) -> str:
    r"""A name safe to print on one line: a newline shows as `\n`, other controls escaped too."""
    return one_line(raw)


def refuse(name: str, zh: str, en: str) -> InputError:
    return InputError(Text(f"无法读取“{name}”：{zh}", f'Cannot read "{name}": {en}'))


def missing_file(name: str) -> InputError:
    return refuse(
        name,
        "找不到该文件。请检查文件路径和文件名是否正确。",
        "the file does not exist. Check the path and the file name.",
    )


def no_permission(name: str) -> InputError:
    return refuse(
        name,
        "没有读取该文件的权限。请检查文件权限，或把文件复制到自己的文件夹后再试。",
        "no permission to read the file. Check its permissions, or copy it to your own "
        "folder and try again.",
    )


def read_failed(name: str, reason: Text) -> InputError:
    return refuse(
        name,
        f"读取文件时出错（{reason.zh}）。请把文件复制到本机磁盘后再试。",
        f"reading the file failed ({reason.en}). Copy the file to a local disk and try again.",
    )


def empty_file(name: str) -> InputError:
    return refuse(
        name,
        "文件是空的（0 字节）。请重新下载或重新保存该文件后再试。",
        "the file is empty (0 bytes). Download or save it again and try again.",
    )


def file_too_large(name: str, size: int) -> InputError:
    return refuse(
        name,
        f"文件过大（{size / MIB:.1f} MiB，上限 50 MiB），不像是填写好的自评模板。"
        "请确认选择了正确的文件，或删除表中多余的图片和内容后再试。",
        f"the file is too large ({size / MIB:.1f} MiB, limit 50 MiB) to be a filled "
        "template. Check that you chose the right file, or remove extra pictures and content.",
    )


def encrypted_file(name: str) -> InputError:
    return refuse(
        name,
        "文件已加密，请取消密码后再试（在 Excel 或 WPS 中用密码打开，清除打开密码后保存）。",
        "the file is password-encrypted. Remove the password and try again (open it in Excel "
        "or WPS with the password, clear the password and save).",
    )


def damaged(name: str) -> InputError:
    return refuse(
        name,
        "文件已损坏或不完整（可能下载或复制时中断）。请重新下载，或从原表格重新保存一份后再试。",
        "the file is damaged or incomplete (perhaps an interrupted download or copy). "
        "Download it again, or save it again from the original, and try again.",
    )


def not_a_workbook(name: str, detail_zh: str) -> InputError:
    return refuse(
        name,
        f"该文件不是 Excel 工作簿{detail_zh}。" + CHECK_FILE_ZH + SAVE_AS_ZH,
        "the file is not an Excel workbook. " + CHECK_FILE_EN + SAVE_AS_EN,
    )


def unsafe_xml(name: str, member: str, problem_zh: str, problem_en: str) -> InputError:
    part = display(member)
    return refuse(
        name,
        f"文件内部的 XML 部件“{part}”{problem_zh}，出于安全原因已拒绝读取。"
        "如果文件来源可靠，" + RESAVE_ZH + "否则请勿打开。",
        f'the XML part "{part}" {problem_en} and was refused for safety. If the file comes '
        "from a trusted source: " + RESAVE_EN + " Otherwise do not open it.",
    )
