"""Pre-flight checks on an input file, run before any XML of it is parsed.

`read_workbook` reads the file once (`snapshot`: a regular file of at most 50 MiB, never a FIFO
or a device) and inspects those bytes: the header, the zip central directory, every member read
to its end in chunks (CRC and deflate errors, truncation; nothing is kept), the prologue of every
XML part (DOCTYPE and entity declarations). An ambiguous package (two members of one name) or
an incomplete one is refused too. It never modifies the file, and raises `InputError` with a
one-line bilingual message naming the file, what is wrong and what to do.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import struct
import unicodedata
import zipfile
import zlib
from pathlib import Path
from typing import IO

from selfeval_xlsx.errors import InputError
from selfeval_xlsx.xlsx.guard_messages import (
    MIB,
    RESAVE_EN,
    RESAVE_ZH,
    SAVE_AS_EN,
    SAVE_AS_ZH,
    damaged,
    display,
    empty_file,
    encrypted_file,
    file_too_large,
    missing_file,
    no_permission,
    not_a_workbook,
    read_failed,
    refuse,
    unsafe_xml,
)
from selfeval_xlsx.xlsx.prologue import Prologue, scan_xml_prologue
from selfeval_xlsx.xlsx.snapshot import FileRefused, Problem, read_snapshot

MAX_FILE_BYTES = 50 * MIB  # on disk
MAX_UNPACKED_BYTES = 200 * MIB  # sum of uncompressed sizes of all zip members
MAX_COMPRESSION_RATIO = 1000  # with a member larger than RATIO_CHECK_MIN_BYTES
RATIO_CHECK_MIN_BYTES = 10 * MIB
MAX_MEMBERS = 10_000  # a filled template has fewer than a hundred parts
CHUNK_BYTES = 64 * 1024
HEAD_BYTES = 4096

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_LOCAL_HEADER = b"PK\x03\x04"
OLE_ENCRYPTION_STREAMS = (
    "EncryptedPackage".encode("utf-16-le"),
    "EncryptionInfo".encode("utf-16-le"),
)
WORKBOOK_PART = "xl/workbook.xml"
BINARY_WORKBOOK_PART = "xl/workbook.bin"
CONTENT_TYPES_PART = "[Content_Types].xml"
# what reading a damaged zip member raises, besides BadZipFile (CRC) and zlib.error (deflate)
ZIP_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, struct.error, OSError,
              RuntimeError, OverflowError)


def read_workbook(path: Path) -> tuple[bytes, zipfile.ZipFile]:
    """The file's bytes, read once, and the zip package over them, when it is a safe,
    readable .xlsx/.xlsm; InputError otherwise."""
    name = display(path.name)
    data = _snapshot(path, name)
    return data, inspect_workbook_bytes(data, name)


def inspect_workbook_file(path: Path) -> None:
    """Raise InputError if `path` is not a safe, readable .xlsx/.xlsm zip package."""
    read_workbook(path)[1].close()


def inspect_workbook_bytes(data: bytes, name: str) -> zipfile.ZipFile:
    """Inspect the bytes of a file shown as `name`; the open package, or InputError."""
    if not data:
        raise empty_file(name)
    head = data[:HEAD_BYTES]
    if head.startswith(OLE_SIGNATURE):
        raise _ole_file_error(data, name)
    stream = io.BytesIO(data)
    if not zipfile.is_zipfile(stream):
        raise _not_zip_error(name, head)
    return _inspect_zip(stream, name)


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of the file, read in chunks (raises OSError if unreadable)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(MIB):
            digest.update(chunk)
    return digest.hexdigest()


# --- file system -------------------------------------------------------------------------------


def _snapshot(path: Path, name: str) -> bytes:
    try:
        return read_snapshot(path, MAX_FILE_BYTES)
    except FileRefused as refused:
        raise _refused_file(refused, name) from None


def _refused_file(refused: FileRefused, name: str) -> InputError:
    if refused.problem is Problem.MISSING:
        return missing_file(name)
    if refused.problem is Problem.NO_PERMISSION:
        return no_permission(name)
    if refused.problem is Problem.TOO_LARGE:
        return file_too_large(name, refused.size)
    if refused.problem is Problem.DIRECTORY:
        return refuse(
            name,
            "这是一个文件夹，不是文件。请指定要检查的 .xlsx 文件。",
            "this is a folder, not a file. Give the .xlsx file to check.",
        )
    if refused.problem is Problem.NOT_REGULAR:
        return refuse(
            name,
            "这不是普通文件（可能是管道、设备或套接字），已拒绝读取。请指定要检查的 .xlsx 文件。",
            "this is not a regular file (a pipe, a device or a socket) and was refused. Give "
            "the .xlsx file to check.",
        )
    return read_failed(name, refused.reason)


# --- OLE and non-zip files ---------------------------------------------------------------------


def _ole_file_error(data: bytes, name: str) -> InputError:
    if any(marker in data for marker in OLE_ENCRYPTION_STREAMS):
        return encrypted_file(name)
    return refuse(
        name,
        "这是旧版 Excel 格式（.xls），本工具只读取 .xlsx / .xlsm。" + SAVE_AS_ZH,
        "this is the old Excel format (.xls); this tool reads only .xlsx / .xlsm. " + SAVE_AS_EN,
    )


def _not_zip_error(name: str, head: bytes) -> InputError:
    if head.startswith(ZIP_LOCAL_HEADER):  # the end of the zip is missing: cut-off download
        return damaged(name)
    text = _decode_text(head)
    if text is not None and text.lstrip("\ufeff \t\r\n").startswith("<"):
        return refuse(
            name,
            "该文件不是 Excel 工作簿，而是网页（HTML）或 XML 格式的表格。" + SAVE_AS_ZH,
            "the file is not an Excel workbook but an HTML or XML table. " + SAVE_AS_EN,
        )
    if text is not None:
        return refuse(
            name,
            "该文件不是 Excel 工作簿，看起来是 CSV 或文本文件。" + SAVE_AS_ZH,
            "the file is not an Excel workbook; it looks like a CSV or text file. " + SAVE_AS_EN,
        )
    return not_a_workbook(name, "")


def _decode_text(head: bytes) -> str | None:
    """The head as text if it looks like a text file (UTF-8, GB18030 or UTF-16 with BOM)."""
    candidates: tuple[str, ...]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    else:
        candidates = ("utf-8", "gb18030")
    for encoding in candidates:
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        if not any(_is_control(char) for char in text):
            return text
    return None


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc" and char not in "\t\r\n\f"


# --- zip packages ------------------------------------------------------------------------------


def _inspect_zip(stream: IO[bytes], name: str) -> zipfile.ZipFile:
    archive: zipfile.ZipFile | None = None
    try:
        archive = zipfile.ZipFile(stream)
        members = archive.infolist()
        _check_member_count(members, name)
        _check_not_encrypted(members, name)
        _check_unique_members(members, name)
        _check_package_kind(archive, name)
        _check_unpacked_size(members, name)
        _check_content_types(archive, name)
        for member in members:
            _check_member(archive, member, name)
    except InputError:
        _close(archive)
        raise
    except NotImplementedError as error:  # unsupported compression method
        _close(archive)
        raise refuse(
            name,
            "文件使用了本工具不支持的压缩方式。" + RESAVE_ZH,
            "the file uses a compression method this tool does not support. " + RESAVE_EN,
        ) from error
    except ZIP_DAMAGE as error:
        _close(archive)
        raise damaged(name) from error
    return archive


def _close(archive: zipfile.ZipFile | None) -> None:
    if archive is not None:
        archive.close()


def _check_unique_members(members: list[zipfile.ZipInfo], name: str) -> None:
    """Part names are case-insensitive (OPC): two members of one name leave it open which is
    the workbook's, so the file is refused rather than one of them read."""
    seen: set[str] = set()
    for member in members:
        key = member.filename.casefold()
        if key in seen:
            part = display(member.filename)
            raise refuse(
                name,
                f"文件内部有两个同名的部件“{part}”，无法确定应读取哪一个，文件可能已损坏或被改动。"
                + RESAVE_ZH,
                f'the file holds two parts named "{part}", so which one to read is ambiguous; '
                "it may be damaged or tampered with. " + RESAVE_EN,
            )
        seen.add(key)


def _check_member_count(members: list[zipfile.ZipInfo], name: str) -> None:
    if len(members) > MAX_MEMBERS:
        raise refuse(
            name,
            f"文件包含的部件过多（{len(members)} 个，上限 {MAX_MEMBERS} 个），"
            "不像是自评模板，可能是异常文件，已拒绝打开。请确认选择了正确的文件。",
            f"the file has too many parts ({len(members)}, limit {MAX_MEMBERS}); it does not "
            "look like the self-evaluation template and was refused. Check the file.",
        )


def _check_not_encrypted(members: list[zipfile.ZipInfo], name: str) -> None:
    if any(member.flag_bits & 0x1 for member in members):  # zip-level password
        raise encrypted_file(name)


def _check_package_kind(archive: zipfile.ZipFile, name: str) -> None:
    names = set(archive.namelist())
    if "mimetype" in names and b"opendocument" in _read_prefix(archive, "mimetype", 200):
        raise refuse(
            name,
            "这是 OpenDocument 表格（.ods），不是 Excel 工作簿。" + SAVE_AS_ZH,
            "this is an OpenDocument spreadsheet (.ods), not an Excel workbook. " + SAVE_AS_EN,
        )
    if WORKBOOK_PART in names:
        return
    if BINARY_WORKBOOK_PART in names:
        raise refuse(
            name,
            "这是 Excel 二进制工作簿（.xlsb），本工具只读取 .xlsx / .xlsm。" + SAVE_AS_ZH,
            "this is an Excel binary workbook (.xlsb); this tool reads only .xlsx / .xlsm. "
            + SAVE_AS_EN,
        )
    raise not_a_workbook(name, "（是压缩包或其他类型的文档）")


def _check_content_types(archive: zipfile.ZipFile, name: str) -> None:
    if CONTENT_TYPES_PART not in archive.namelist():
        raise refuse(
            name,
            f"文件不完整：缺少 {CONTENT_TYPES_PART} 部件，不是有效的 Excel 工作簿。" + RESAVE_ZH,
            f"the file is incomplete: it has no {CONTENT_TYPES_PART} part, so it is not a "
            "valid Excel workbook. " + RESAVE_EN,
        )


def _read_prefix(archive: zipfile.ZipFile, member: str, size: int) -> bytes:
    with archive.open(member) as stream:
        return stream.read(size)


def _check_unpacked_size(members: list[zipfile.ZipInfo], name: str) -> None:
    total = sum(member.file_size for member in members)
    if total > MAX_UNPACKED_BYTES or any(_ratio_is_suspicious(member) for member in members):
        raise refuse(
            name,
            "文件解压后过大或压缩比异常（解压后上限 200 MiB），不像是填写好的自评模板，"
            "可能是异常文件（压缩炸弹），已拒绝打开。请确认选择了正确的文件，"
            "或删除表中多余的图片和内容后重新保存再试。",
            "the file is too large once unpacked or abnormally compressed (limit 200 MiB "
            "unpacked); it may be a zip bomb and was refused. Check that you chose the right "
            "file, or remove extra pictures and content, save it again and try again.",
        )


def _ratio_is_suspicious(member: zipfile.ZipInfo) -> bool:
    return (
        member.file_size > RATIO_CHECK_MIN_BYTES
        and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
    )


# --- members: read to the end, XML prologues scanned -------------------------------------------


def _check_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str) -> None:
    """Read the member to its end (zipfile checks its CRC there; a damaged deflate stream or a
    truncated member raises on the way), scanning the prologue of an XML part first."""
    with archive.open(member) as stream:
        verdict = scan_xml_prologue(stream, member.file_size) if member.file_size else None
        while stream.read(CHUNK_BYTES):
            pass
    if verdict is Prologue.DECLARATION:
        raise unsafe_xml(
            name, member.filename, "含有实体声明（DOCTYPE/ENTITY）", "declares entities"
        )
    if verdict is Prologue.UNDECIDED:
        raise unsafe_xml(
            name, member.filename, "开头异常（1 MiB 内未开始正文）", "has an abnormal 1 MiB header"
        )
