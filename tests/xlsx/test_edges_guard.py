"""The guard's limits at their edges, on real files of the exact size (no constant is patched, so
a changed limit fails here).

`workbook.md`: a file is refused when it is more than 50 MiB on disk or more than 200 MiB once
unpacked. The guard's own limits (documented in `xlsx/guard.py`): at most 10,000 zip members; a
member above 10 MiB may not be compressed more than 1000 : 1; the XML prologue (where a DOCTYPE
must be) is read up to 1 MiB. "Exactly at" passes, one byte (or member) more is refused.
"""

from __future__ import annotations

import random
import shutil
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from selfeval_xlsx.errors import InputError
from selfeval_xlsx.xlsx.guard import inspect_workbook_file

MIB = 1024 * 1024
WORKBOOK = ("xl/workbook.xml", b"<workbook/>")
CONTENT_TYPES = ("[Content_Types].xml", b"<Types/>")  # the guard refuses a package without it


def write_minimal(archive: zipfile.ZipFile) -> None:
    """The parts every package the guard admits has."""
    archive.writestr(*CONTENT_TYPES)
    archive.writestr(*WORKBOOK)


def refused(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        inspect_workbook_file(path)
    return caught.value.text.zh


def zeros(count: int, chunk: int = MIB) -> Iterator[bytes]:
    while count > 0:
        yield bytes(min(chunk, count))
        count -= chunk


def write_member(archive: zipfile.ZipFile, name: str, parts: Iterator[bytes]) -> None:
    with archive.open(name, "w", force_zip64=False) as stream:
        for part in parts:
            stream.write(part)


# ---- 0 bytes, 50 MiB on disk ---------------------------------------------------------------------

@pytest.mark.parametrize(("content", "empty"), [(b"", True), (b"x", False)])
def test_an_empty_file_is_called_empty(tmp_path: Path, content: bytes, empty: bool) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    assert ("0 字节" in refused(path)) is empty


def file_of_size(path: Path, size: int) -> Path:
    """A valid workbook-like zip of exactly `size` bytes: a stored member pads it."""
    def build(padding: int) -> None:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
            write_minimal(archive)
            write_member(archive, "xl/media/padding.bin", zeros(padding))

    build(0)
    overhead = path.stat().st_size
    build(size - overhead)
    assert path.stat().st_size == size
    return path


@pytest.mark.parametrize(("size", "accepted"), [(50 * MIB, True), (50 * MIB + 1, False)])
def test_file_size_limit_on_disk(tmp_path: Path, size: int, accepted: bool) -> None:
    path = file_of_size(tmp_path / "大.xlsx", size)
    try:
        if accepted:
            inspect_workbook_file(path)  # exactly 50 MiB: not "more than 50 MiB"
        else:
            assert "50 MiB" in refused(path)
    finally:
        path.unlink()  # 50 MiB of real bytes: do not keep them in the pytest folders


# ---- 200 MiB unpacked ----------------------------------------------------------------------------

def test_unpacked_size_limit(tmp_path: Path) -> None:
    # deflated zeros (about 230 : 1 at level 1, below the ratio limit); the members' sizes add up
    # to exactly 200 MiB, then one 1-byte member more
    exact = tmp_path / "解压.xlsx"
    with zipfile.ZipFile(exact, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        write_minimal(archive)
        write_member(archive, "xl/media/zeros.bin",
                     zeros(200 * MIB - len(WORKBOOK[1]) - len(CONTENT_TYPES[1])))
    with zipfile.ZipFile(exact) as archive:
        assert sum(i.file_size for i in archive.infolist()) == 200 * MIB
        assert all(i.file_size < 1000 * i.compress_size for i in archive.infolist())
    inspect_workbook_file(exact)
    over = Path(shutil.copy(exact, tmp_path / "解压多一字节.xlsx"))
    with zipfile.ZipFile(over, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/one.bin", b"\0")
    assert "200 MiB" in refused(over)


# ---- members ------------------------------------------------------------------------------------

def test_member_count_limit(tmp_path: Path) -> None:
    path = tmp_path / "部件.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        write_minimal(archive)
        for number in range(9_998):
            archive.writestr(f"xl/media/{number}.bin", b"")
    inspect_workbook_file(path)  # exactly 10,000 members (with the two of `write_minimal`)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/media/one-more.bin", b"")
    zh = refused(path)
    assert "部件过多" in zh and "10001" in zh


# ---- the compression ratio of a member above 10 MiB ----------------------------------------------

def deflated_zeros(path: Path, size: int) -> zipfile.ZipInfo:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        write_minimal(archive)
        write_member(archive, "xl/media/zeros.bin", zeros(size))
    with zipfile.ZipFile(path) as archive:
        return archive.getinfo("xl/media/zeros.bin")


@pytest.mark.parametrize(("size", "accepted"), [(10 * MIB, True), (10 * MIB + 1, False)])
def test_ratio_is_checked_above_10_mib(tmp_path: Path, size: int, accepted: bool) -> None:
    path = tmp_path / "压缩.xlsx"
    member = deflated_zeros(path, size)
    assert member.file_size > 1000 * member.compress_size  # deflate reaches about 1028 : 1
    if accepted:
        inspect_workbook_file(path)  # 10 MiB is not "above 10 MiB"
    else:
        assert "压缩比异常" in refused(path)


PREFIX_SEED, ZEROS = 1, 11 * MIB


def ratio_member_parts(excess: int) -> list[bytes]:
    """Writes (one `compress` call each, as zipfile makes them) of a member above 10 MiB that
    deflates at level 9 to exactly file_size = 1000 × compress_size + `excess`.

    Random bytes (which do not compress) after a marker, then zeros: the random prefix lowers the
    ratio from about 1028 to about 1000, the zeros after it tune it to the byte. Searched, not
    hard-coded, so another zlib still gets an exact file."""
    chunk = bytes(MIB)
    for random_bytes in (244, *range(200, 300)):
        prefix = b"x" + random.Random(PREFIX_SEED).randbytes(random_bytes)
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        written = len(compressor.compress(prefix))
        for _ in range(ZEROS // MIB):
            written += len(compressor.compress(chunk))
        for tail in range(2100):
            trial = compressor.copy()
            compressed = written + len(trial.compress(bytes(tail))) + len(trial.flush())
            if len(prefix) + ZEROS + tail == 1000 * compressed + excess:
                return [prefix, *[chunk] * (ZEROS // MIB), bytes(tail)]
    raise AssertionError("no member with the exact ratio found")


@pytest.mark.parametrize(("excess", "accepted"), [(0, True), (1, False)])
def test_ratio_limit_is_1000(tmp_path: Path, excess: int, accepted: bool) -> None:
    path = tmp_path / "比例.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        write_minimal(archive)
        write_member(archive, "xl/media/data.bin", iter(ratio_member_parts(excess)))
    with zipfile.ZipFile(path) as archive:
        member = archive.getinfo("xl/media/data.bin")
    assert member.file_size > 10 * MIB
    assert member.file_size == 1000 * member.compress_size + excess
    if accepted:
        inspect_workbook_file(path)  # exactly 1000 : 1 is not "more than"
    else:
        assert "压缩比异常" in refused(path)


# ---- the XML prologue --------------------------------------------------------------------------

def with_prologue(path: Path, prologue: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        write_minimal(archive)
        archive.writestr("xl/worksheets/sheet1.xml", (prologue + "<worksheet/>").encode())
    return path


@pytest.mark.parametrize(("length", "accepted"), [(MIB - 100, True), (MIB + 100, False)])
def test_prologue_is_read_up_to_1_mib(tmp_path: Path, length: int, accepted: bool) -> None:
    # a comment of `length` characters before the root element
    path = with_prologue(tmp_path / "开头.xlsx", "<!--" + " " * (length - 7) + "-->")
    if accepted:
        inspect_workbook_file(path)
    else:
        assert "1 MiB" in refused(path)


@pytest.mark.parametrize("declaration", ['<!ENTITY a "x">', "<!ELEMENT a ANY>", "<!DOCTYPE a>"])
def test_any_markup_declaration_before_the_root_is_refused(tmp_path: Path,
                                                           declaration: str) -> None:
    assert "实体声明" in refused(with_prologue(tmp_path / "声明.xlsx", declaration))
