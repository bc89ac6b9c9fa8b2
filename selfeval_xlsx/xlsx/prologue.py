"""The prologue of an XML part: whether it declares a DOCTYPE or entities before its root.

`guard` calls `scan_xml_prologue` on the first bytes of every member. It reads until the root
element starts, never more than 1 MiB, whatever the encoding (XML 1.0 Appendix F), and skips
processing instructions and comments (which may mention "<!DOCTYPE" harmlessly).
"""

from __future__ import annotations

import codecs
import re
from enum import Enum, auto
from typing import IO

XML_SCAN_LIMIT = 1 * 1024 * 1024  # the XML prologue (where a DOCTYPE must be) is scanned up to this
CHUNK_BYTES = 64 * 1024
XML_WHITESPACE = re.compile(r"[ \t\r\n]*")


class Prologue(Enum):
    CONTENT_STARTED = auto()  # the root element (or non-XML content) began: no DOCTYPE follows
    DECLARATION = auto()  # <!DOCTYPE, <!ENTITY or another markup declaration before the root
    UNDECIDED = auto()  # need more text


def scan_xml_prologue(stream: IO[bytes], declared_size: int) -> Prologue:
    """Read the start of a member until its root element starts; never more than 1 MiB.

    A member that does not start like XML (images, VBA projects) counts as CONTENT_STARTED, and so
    does an XML member that ends before any root element (a parser rejects both; nothing expands).
    UNDECIDED means 1 MiB was read and the root element has still not started.
    """
    first = stream.read(min(CHUNK_BYTES, declared_size))
    encoding, bom_length = _xml_encoding(first)
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    text = decoder.decode(first[bom_length:])
    scanned = len(first)
    while (verdict := _prologue_verdict(text)) is Prologue.UNDECIDED:
        if scanned >= declared_size:
            return Prologue.CONTENT_STARTED
        if scanned >= XML_SCAN_LIMIT:
            return Prologue.UNDECIDED
        chunk = stream.read(min(CHUNK_BYTES, declared_size - scanned))
        if not chunk:
            return Prologue.CONTENT_STARTED
        scanned += len(chunk)
        text += decoder.decode(chunk)  # the whole prologue is kept: no marker is split
    return verdict


def _xml_encoding(first: bytes) -> tuple[str, int]:
    """Codec and BOM length from the first bytes, as XML parsers detect it (XML 1.0 App. F)."""
    signatures = (
        (codecs.BOM_UTF32_LE, "utf-32-le", 4),
        (codecs.BOM_UTF32_BE, "utf-32-be", 4),
        (b"<\x00\x00\x00", "utf-32-le", 0),
        (b"\x00\x00\x00<", "utf-32-be", 0),
        (codecs.BOM_UTF16_LE, "utf-16-le", 2),
        (codecs.BOM_UTF16_BE, "utf-16-be", 2),
        (b"<\x00", "utf-16-le", 0),
        (b"\x00<", "utf-16-be", 0),
        (codecs.BOM_UTF8, "latin-1", 3),
        (b"\x4c\x6f\xa7\x94", "cp500", 0),  # "<?xm" in EBCDIC
    )
    for signature, encoding, skip in signatures:
        if first.startswith(signature):
            return encoding, skip
    return "latin-1", 0  # every ASCII-compatible encoding keeps "<!DOCTYPE" as is


def _prologue_verdict(text: str) -> Prologue:
    """Walk the prologue: skip whitespace, <?...?> and <!--...-->; stop at anything else."""
    position = 0
    while position >= 0:
        start = _skip_whitespace(text, position)
        rest = text[start : start + 4]
        if len(rest) < 4 and "<!--".startswith(rest):
            return Prologue.UNDECIDED  # the text ends here or inside "<!--": read more
        if rest.startswith("<?"):
            position = _after(text, "?>", start + 2)
        elif rest == "<!--":
            position = _after(text, "-->", start + 4)
        elif rest.startswith("<!"):
            return Prologue.DECLARATION
        else:
            return Prologue.CONTENT_STARTED  # the root element, or text the parser rejects
    return Prologue.UNDECIDED


def _skip_whitespace(text: str, position: int) -> int:
    match = XML_WHITESPACE.match(text, position)
    return match.end() if match else position


def _after(text: str, terminator: str, start: int) -> int:
    end = text.find(terminator, start)
    return end if end < 0 else end + len(terminator)
