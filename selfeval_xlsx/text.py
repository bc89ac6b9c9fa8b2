"""Bilingual text: every message exists in Chinese (default) and English."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# categories that break a line or hide text on a terminal: controls, surrogates (undecodable
# bytes of a file name), line and paragraph separators; and the bidirectional overrides
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class Text:
    zh: str
    en: str

    def render(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


def one_line(raw: str) -> str:
    r"""`raw` safe to print on one line: a newline becomes `\n`, other control characters
    `\x07` / `\u2028`, an undecodable byte of a file name `\xff`; everything else is kept."""
    if raw.isprintable():
        return raw
    return "".join(_escaped(char) for char in raw)


def _escaped(char: str) -> str:
    if char in _BIDI_CONTROLS or unicodedata.category(char) in _ESCAPED_CATEGORIES:
        if "\udc80" <= char <= "\udcff":  # os.fsdecode's stand-in for an undecodable byte
            return f"\\x{ord(char) - 0xDC00:02x}"
        return char.encode("unicode_escape", "backslashreplace").decode("ascii")
    return char
