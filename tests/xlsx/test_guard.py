"""Tests for selfeval_xlsx.xlsx.guard: every input is built in tmp_path by the test itself."""

from __future__ import annotations

import os
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from selfeval_xlsx.errors import InputError
from selfeval_xlsx.xlsx import guard
from selfeval_xlsx.xlsx.guard import MAX_FILE_BYTES, inspect_workbook_file, sha256_of

MIB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
BILLION_LAUGHS = '<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'


# --- builders ----------------------------------------------------------------------------------


def write_xlsx(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "评分表"
    sheet.append(["指标编号", "分值", "自评得分"])
    sheet.append(["1", 10, 9.5])
    workbook.save(path)
    return path


def rewrite_members(
    source: Path, target: Path, edit: Callable[[str, bytes], bytes], extra: dict[str, bytes]
) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, edit(info.filename, old.read(info)))
        for name, data in extra.items():
            new.writestr(name, data)
    return target


def with_sheet_prologue(tmp_path: Path, prologue: str, encoding: str = "utf-8") -> Path:
    """A real workbook whose sheet XML gets `prologue` inserted before the root element."""

    def edit(member: str, data: bytes) -> bytes:
        if member != SHEET:
            return data
        body = data.decode("utf-8")
        root = body.index("<worksheet")
        return (body[:root] + prologue + body[root:]).encode(encoding)

    source = write_xlsx(tmp_path / "source.xlsx")
    return rewrite_members(source, tmp_path / "自评表.xlsx", edit, {})


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def write_zeros_member(path: Path, member_bytes: int, level: int) -> Path:
    """A workbook-like zip with one deflated member of zeros, streamed so memory stays small."""
    chunk = bytes(MIB)
    extra = {"xl/workbook.xml": b"<workbook/>"}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in extra.items():
            archive.writestr(name, data)
        with archive.open("xl/media/zeros.xml", "w", force_zip64=True) as stream:
            for _ in range(member_bytes // MIB):
                stream.write(chunk)
    return path


def fake_ole(path: Path, *stream_names: str) -> Path:
    directory = b"".join(name.encode("utf-16-le").ljust(64, b"\0") for name in stream_names)
    path.write_bytes(guard.OLE_SIGNATURE + bytes(504) + directory + bytes(1024))
    return path


# --- assertions --------------------------------------------------------------------------------


def refusal(path: Path) -> str:
    """Inspect `path`, expect InputError, check the shared message rules, return the zh text."""
    digest_before = sha256_of(path) if path.is_file() else None
    with pytest.raises(InputError) as caught:
        inspect_workbook_file(path)
    text = caught.value.text
    for message in (text.zh, text.en):
        assert "\n" not in message and "\r" not in message
        assert path.name in message
    if digest_before is not None:
        assert sha256_of(path) == digest_before
    return text.zh


# --- file system -------------------------------------------------------------------------------


def test_missing_path(tmp_path: Path) -> None:
    assert "找不到" in refusal(tmp_path / "不存在.xlsx")


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "自评.xlsx"
    folder.mkdir()
    assert "文件夹" in refusal(folder)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_xlsx(tmp_path / "锁定.xlsx")
    real_open = os.open

    def deny(target: object, *args: Any, **kwargs: Any) -> int:
        if Path(str(target)) == path:  # the tests run as root: permissions cannot deny it
            raise PermissionError(13, "Permission denied")
        return real_open(target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", deny)
    with pytest.raises(InputError) as caught:
        inspect_workbook_file(path)
    assert "没有读取该文件的权限" in caught.value.text.zh
    assert path.name in caught.value.text.zh


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "空.xlsx"
    path.touch()
    assert "空" in refusal(path)


def test_file_too_large_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "大.xlsx"
    with path.open("wb") as stream:
        stream.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk space
    assert "50 MiB" in refusal(path)


def test_newline_in_name_stays_one_line(tmp_path: Path) -> None:
    path = tmp_path / "a\nb.xlsx"
    path.write_bytes(b"x")
    with pytest.raises(InputError) as caught:
        inspect_workbook_file(path)
    assert "\n" not in caught.value.text.zh
    assert "a\\nb.xlsx" in caught.value.text.zh  # the newline shown escaped, as \n


# --- not a zip ---------------------------------------------------------------------------------


def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "随机.xlsx"
    path.write_bytes(bytes(range(256)) * 40)
    zh = refusal(path)
    assert "不是 Excel 工作簿" in zh
    assert "另存为 .xlsx" in zh


def test_csv_renamed_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "导出.xlsx"
    path.write_text("指标编号,分值,自评得分\n1,10,9.5\n", encoding="gbk")
    zh = refusal(path)
    assert "不是 Excel 工作簿" in zh
    assert "CSV" in zh


def test_html_table_named_xls(tmp_path: Path) -> None:
    path = tmp_path / "系统导出.xls"
    path.write_text("<html><body><table><tr><td>1</td></tr></table></body></html>")
    zh = refusal(path)
    assert "不是 Excel 工作簿" in zh
    assert "请另存为 .xlsx" in zh


def test_encrypted_ole(tmp_path: Path) -> None:
    path = fake_ole(tmp_path / "加密.xlsx", "Root Entry", "EncryptionInfo", "EncryptedPackage")
    assert "文件已加密，请取消密码后再试" in refusal(path)


def test_encrypted_marker_across_chunk_boundary(tmp_path: Path) -> None:
    marker = "EncryptedPackage".encode("utf-16-le")
    path = tmp_path / "加密.xlsx"
    path.write_bytes(guard.OLE_SIGNATURE + bytes(MIB - 8 - 10) + marker + bytes(100))
    assert "文件已加密" in refusal(path)


def test_legacy_xls(tmp_path: Path) -> None:
    path = fake_ole(tmp_path / "预算.xls", "Root Entry", "Workbook", "SummaryInformation")
    zh = refusal(path)
    assert "请另存为 .xlsx" in zh
    assert ".xls）" in zh


# --- damaged or foreign zips -------------------------------------------------------------------


def test_truncated_xlsx(tmp_path: Path) -> None:
    data = write_xlsx(tmp_path / "full.xlsx").read_bytes()
    path = tmp_path / "下载中断.xlsx"
    path.write_bytes(data[: len(data) // 2])
    assert "文件已损坏或不完整" in refusal(path)


def test_damaged_central_directory(tmp_path: Path) -> None:
    data = bytearray(write_xlsx(tmp_path / "full.xlsx").read_bytes())
    directory = data.rindex(b"PK\x01\x02")
    data[directory : directory + 4] = b"XXXX"
    path = tmp_path / "损坏.xlsx"
    path.write_bytes(bytes(data))
    assert "文件已损坏或不完整" in refusal(path)


def test_opendocument(tmp_path: Path) -> None:
    members = {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b""}
    zh = refusal(write_zip(tmp_path / "表格.ods", members))
    assert ".ods" in zh
    assert "请另存为 .xlsx" in zh


def test_zip_without_workbook(tmp_path: Path) -> None:
    members = {"word/document.xml": b"<w:document/>", "[Content_Types].xml": b"<Types/>"}
    assert "不是 Excel 工作簿" in refusal(write_zip(tmp_path / "报告.xlsx", members))


def test_zip_level_password(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "加密包.xlsx", {"xl/workbook.xml": b"<workbook/>"})
    data = bytearray(path.read_bytes())
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.index(signature)
        data[start + flag_offset] |= 0x1
    path.write_bytes(bytes(data))
    assert "文件已加密" in refusal(path)


def test_two_members_whose_names_differ_only_in_case(tmp_path: Path) -> None:
    # OPC part names are case-insensitive: xl/Workbook.xml beside xl/workbook.xml leaves it
    # open which of them is the workbook's
    source = write_xlsx(tmp_path / "source.xlsx")
    with zipfile.ZipFile(source) as archive:
        second = archive.read("xl/workbook.xml")
    path = rewrite_members(source, tmp_path / "双份.xlsx", lambda _, data: data,
                           {"xl/Workbook.xml": second})
    assert "两个同名的部件“xl/Workbook.xml”" in refusal(path)


# --- zip bombs ---------------------------------------------------------------------------------


def test_zip_bomb_refused_without_expanding(tmp_path: Path) -> None:
    path = write_zeros_member(tmp_path / "炸弹.xlsx", 201 * MIB, level=1)  # fast to build
    assert path.stat().st_size < 2 * MIB
    tracemalloc.start()
    started = time.perf_counter()
    try:
        zh = refusal(path)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "200 MiB" in zh
    assert elapsed < 2
    assert peak < 4 * MIB


def test_high_compression_ratio_member(tmp_path: Path) -> None:
    path = write_zeros_member(tmp_path / "异常.xlsx", 11 * MIB, level=9)
    with zipfile.ZipFile(path) as archive:
        member = archive.getinfo("xl/media/zeros.xml")
    assert member.file_size > 1000 * member.compress_size  # deflate tops out near 1030:1
    assert "200 MiB" in refusal(path)


# --- XML entity declarations -------------------------------------------------------------------


def test_billion_laughs_in_sheet(tmp_path: Path) -> None:
    zh = refusal(with_sheet_prologue(tmp_path, BILLION_LAUGHS))
    assert "实体声明" in zh
    assert SHEET in zh


@pytest.mark.parametrize(
    "prologue",
    [
        pytest.param("<!-- <fake-root> -->" + BILLION_LAUGHS, id="after-comment-with-tag"),
        pytest.param("<?pi <x> ?>" + BILLION_LAUGHS, id="after-processing-instruction"),
        pytest.param("<!doctype x>", id="lower-case"),
        pytest.param("\n" * (70 * 1024) + BILLION_LAUGHS, id="beyond-first-64k-chunk"),
        pytest.param("<!--" + "-" * (70 * 1024) + "-->" + BILLION_LAUGHS, id="long-comment"),
    ],
)
def test_hidden_doctype(tmp_path: Path, prologue: str) -> None:
    assert "实体声明" in refusal(with_sheet_prologue(tmp_path, prologue))


def test_doctype_in_utf16_part(tmp_path: Path) -> None:
    path = with_sheet_prologue(tmp_path, BILLION_LAUGHS, encoding="utf-16")
    assert "实体声明" in refusal(path)


def test_doctype_in_rels(tmp_path: Path) -> None:
    source = write_xlsx(tmp_path / "source.xlsx")
    path = rewrite_members(
        source,
        tmp_path / "关系.xlsx",
        lambda name, data: BILLION_LAUGHS.encode() + data if name == "_rels/.rels" else data,
        {},
    )
    assert "_rels/.rels" in refusal(path)


def test_endless_prologue_refused(tmp_path: Path) -> None:
    path = with_sheet_prologue(tmp_path, "<!--" + " " * (2 * MIB) + "-->")
    assert "1 MiB" in refusal(path)


def test_doctype_text_in_comment_or_body_is_fine(tmp_path: Path) -> None:
    path = with_sheet_prologue(tmp_path, "<!-- <!DOCTYPE is only mentioned here -->")
    inspect_workbook_file(path)


def test_binary_members_are_not_scanned_as_xml(tmp_path: Path) -> None:
    source = write_xlsx(tmp_path / "source.xlsx")
    image = b"\x89PNG\r\n\x1a\n" + b"<!DOCTYPE" * 10
    path = rewrite_members(
        source, tmp_path / "带图.xlsx", lambda _, d: d, {"xl/media/a.png": image}
    )
    inspect_workbook_file(path)


# --- accepted files ----------------------------------------------------------------------------


def test_normal_workbook_passes_unchanged(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "部门整体支出绩效自评表.xlsx")
    digest = sha256_of(path)
    inspect_workbook_file(path)
    assert sha256_of(path) == digest
    assert len(digest) == 64


def test_sha256_of_matches_hashlib(tmp_path: Path) -> None:
    path = tmp_path / "data.bin"
    path.write_bytes(b"abc")
    expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert sha256_of(path) == expected
