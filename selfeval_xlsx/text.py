"""Bilingual text: every message exists in Chinese (default) and English."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    zh: str
    en: str

    def render(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh
