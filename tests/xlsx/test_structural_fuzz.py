"""A structural fuzzer: the sample's zip and XML parts mutated (truncations, byte flips, members
duplicated, dropped, renamed or swapped, junk inserted). Whatever comes out, `score` gives
findings or one clear line (exit 2), never an internal error; the input stays as it was; no
stray file is left; and a batch over many such files stays within bounded memory."""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from package_edit import members, write_members
from processes import measured

from selfeval_xlsx.api import score_file
from selfeval_xlsx.errors import SelfevalError

pytestmark = pytest.mark.slow
Members = list[tuple[str, bytes]]
MemberEdit = Callable[[Members], Members]
ByteEdit = Callable[[bytes], bytes]
BASE = members(SAMPLE)
JUNK = [b"<row/>", b'<c r="A1" t="s"><v>7</v></c>', b"&amp;", b"]]>", b"<!--", b"\x00\xff",
        b'<mergeCell ref="A1:B2"/>', b'<row r="0">', b"</sheetData>", b'<f t="shared" si="0"/>',
        b'<col min="0" max="99999999" width="1e308" customWidth="1"/>', "中文".encode()]
VALUES = [b"1e999", b"-1", b"NaN", b"20240528", b"abc", b"9" * 30, b"", b"0.1e-400", b"-0",
          b"45440.75", b"1048577", b"#DIV/0!", b"TRUE", b"2024-05-28T00:00:00Z"]
TYPES = [b"s", b"str", b"b", b"e", b"d", b"inlineStr", b"n", b"x"]
NAMES = ["xl/workbook.xml", "xl/worksheets/sheet2.xml", "[Content_Types].xml",
         "xl/sharedStrings.xml", "XL/WORKBOOK.XML", "xl/styles.xml", "../evil.xml"]


def _at(data: bytes, fraction: float) -> int:
    return min(len(data), int(len(data) * fraction))


def truncate_member(index: int, fraction: float) -> MemberEdit:
    return lambda items: [(n, d[:_at(d, fraction)] if i == index % len(items) else d)
                          for i, (n, d) in enumerate(items)]


def flip_member(index: int, fraction: float, mask: int) -> MemberEdit:
    def edit(items: Members) -> Members:
        name, data = items[index % len(items)]
        if data:
            position = min(len(data) - 1, _at(data, fraction))
            data = data[:position] + bytes([data[position] ^ mask]) + data[position + 1:]
        return [*items[:index % len(items)], (name, data), *items[index % len(items) + 1:]]
    return edit


def insert_junk(index: int, fraction: float, junk: bytes) -> MemberEdit:
    def edit(items: Members) -> Members:
        name, data = items[index % len(items)]
        position = _at(data, fraction)
        changed = (name, data[:position] + junk + data[position:])
        return [*items[:index % len(items)], changed, *items[index % len(items) + 1:]]
    return edit


def _sub_nth(pattern: bytes, data: bytes, nth: int, replacement: bytes) -> bytes:
    found = list(re.finditer(pattern, data))
    if not found:
        return data
    match = found[nth % len(found)]
    return data[:match.start(1)] + replacement + data[match.end(1):]


def revalue(index: int, nth: int, value: bytes) -> MemberEdit:
    """A cell's stored value replaced (the package stays well-formed)."""
    return lambda items: [(n, _sub_nth(rb"<v>([^<]*)</v>", d, nth, value)
                           if i == index % len(items) else d) for i, (n, d) in enumerate(items)]


def retype(index: int, nth: int, kind: bytes) -> MemberEdit:
    """A cell's type attribute changed (a number read as a shared string, a date, ...)."""
    return lambda items: [(n, _sub_nth(rb'<c [^>]*?t="([^"]*)"', d, nth, kind)
                           if i == index % len(items) else d) for i, (n, d) in enumerate(items)]


def duplicate_member(index: int) -> MemberEdit:
    return lambda items: [*items, items[index % len(items)]]


def drop_member(index: int) -> MemberEdit:
    return lambda items: [m for i, m in enumerate(items) if i != index % len(items)]


def rename_member(index: int, name: str) -> MemberEdit:
    return lambda items: [(name if i == index % len(items) else n, d)
                          for i, (n, d) in enumerate(items)]


def swap_members(first: int, second: int) -> MemberEdit:
    def edit(items: Members) -> Members:
        a, b = first % len(items), second % len(items)
        contents = [d for _, d in items]
        contents[a], contents[b] = contents[b], contents[a]
        return [(n, contents[i]) for i, (n, _) in enumerate(items)]
    return edit


def truncate_file(fraction: float) -> ByteEdit:
    return lambda data: data[:max(1, _at(data, fraction))]


def flip_file(fraction: float, mask: int) -> ByteEdit:
    def edit(data: bytes) -> bytes:
        position = min(len(data) - 1, _at(data, fraction))
        return data[:position] + bytes([data[position] ^ mask]) + data[position + 1:]
    return edit


INDEX = st.integers(0, 40)
FRACTION = st.floats(0, 1)
MASK = st.integers(1, 255)
MEMBER_EDITS = st.one_of(
    st.builds(truncate_member, INDEX, FRACTION), st.builds(flip_member, INDEX, FRACTION, MASK),
    st.builds(insert_junk, INDEX, FRACTION, st.sampled_from(JUNK)), st.builds(duplicate_member, INDEX),
    st.builds(drop_member, INDEX), st.builds(rename_member, INDEX, st.sampled_from(NAMES)),
    st.builds(swap_members, INDEX, INDEX),
    st.builds(revalue, st.integers(3, 12), st.integers(0, 200), st.sampled_from(VALUES)),
    st.builds(retype, st.integers(3, 12), st.integers(0, 200), st.sampled_from(TYPES)))
BYTE_EDITS = st.one_of(st.builds(truncate_file, FRACTION), st.builds(flip_file, FRACTION, MASK))
MUTANTS = st.tuples(st.lists(MEMBER_EDITS, max_size=3), st.lists(BYTE_EDITS, max_size=1)).filter(
    lambda edits: bool(edits[0] or edits[1]))


def mutant(path: Path, edits: tuple[list[MemberEdit], list[ByteEdit]]) -> Path:
    items = list(BASE)
    for edit in edits[0]:
        items = edit(items) or items
    write_members(path, items)
    data = path.read_bytes()
    for byte_edit in edits[1]:
        data = byte_edit(data)
    path.write_bytes(data)
    return path


@settings(max_examples=60, deadline=10_000, suppress_health_check=[HealthCheck.too_slow])
@given(MUTANTS)
def test_a_mutated_sample_gives_findings_or_one_clear_line(
        edits: tuple[list[MemberEdit], list[ByteEdit]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = mutant(Path(folder) / "变异.xlsx", edits)
        before = hashlib.sha256(path.read_bytes()).hexdigest()
        out = Path(folder) / "结果.xlsx"
        started = time.monotonic()
        try:
            score_file(path, out)
        except SelfevalError as exc:  # exit 2: one line naming the file or the output
            line = exc.render("zh")
            assert "\n" not in line and ("变异.xlsx" in line or "结果.xlsx" in line), line
            assert sorted(os.listdir(folder)) == ["变异.xlsx"]
        else:
            assert sorted(os.listdir(folder)) == ["变异.xlsx", "结果.xlsx"]
        assert time.monotonic() - started < 10
        assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def random_edits(chooser: random.Random) -> tuple[list[MemberEdit], list[ByteEdit]]:
    """The same kinds of mutation as above, drawn without hypothesis (for the corpus below)."""
    kinds: list[Callable[[], MemberEdit]] = [
        lambda: truncate_member(chooser.randrange(40), chooser.random()),
        lambda: flip_member(chooser.randrange(40), chooser.random(), chooser.randrange(1, 256)),
        lambda: insert_junk(chooser.randrange(40), chooser.random(), chooser.choice(JUNK)),
        lambda: duplicate_member(chooser.randrange(40)),
        lambda: drop_member(chooser.randrange(40)),
        lambda: swap_members(chooser.randrange(40), chooser.randrange(40)),
        lambda: revalue(chooser.randrange(3, 13), chooser.randrange(200), chooser.choice(VALUES)),
        lambda: retype(chooser.randrange(3, 13), chooser.randrange(200), chooser.choice(TYPES)),
        lambda: revalue(chooser.randrange(3, 13), chooser.randrange(200), chooser.choice(VALUES)),
    ]
    member_edits = [chooser.choice(kinds)() for _ in range(chooser.randrange(1, 4))]
    byte_edits = [flip_file(chooser.random(), chooser.randrange(1, 256))] if (
        chooser.random() < 0.2) else []
    return member_edits, byte_edits


def test_a_batch_over_mutated_files_stays_bounded(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    chooser = random.Random(20240528)
    for number in range(40):
        mutant(inputs / f"变异{number:02d}.xlsx", random_edits(chooser))
    digests = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs.iterdir()}
    out = tmp_path / "汇总.xlsx"
    run = measured(["batch", str(inputs), "-o", str(out), "--jobs", "1", "--json"], timeout=120)
    results = json.loads(run.stdout.decode())
    assert run.code in (0, 1)
    assert run.peak_kib < 300 * 1024  # the largest of the batch and its workers (waited for)
    assert len(results) == 40
    assert not [r["error"] for r in results if "内部错误" in (r.get("error") or "")]
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs.iterdir()} == digests
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inputs", "汇总.xlsx"]
