"""Console rendering: a plain findings table that any console can print (no box drawing, no
emoji), with column widths that count CJK characters as two cells."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from selfeval_xlsx.findings import REVIEW_NAMES, Finding

HEADERS = {"zh": ("级别", "规则", "位置", "说明"), "en": ("Level", "Rule", "Place", "Message")}


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def findings_table(findings: Iterable[Finding], lang: str = "zh") -> list[str]:
    rows = [(_severity(f, lang), f.rule, f.location, f.described.render(lang)) for f in findings]
    if not rows:
        return ["未发现问题。" if lang == "zh" else "No findings."]
    head = HEADERS["en" if lang == "en" else "zh"]
    widths = [max(display_width(r[i]) for r in [head, *rows]) for i in range(3)]
    lines = []
    for row in [head, *rows]:
        cells = [pad(row[i], widths[i]) for i in range(3)]
        lines.append("  ".join([*cells, row[3]]).rstrip())
    return lines


def _severity(finding: Finding, lang: str) -> str:
    return finding.severity.zh if lang != "en" else finding.severity.value


def summary_line(counts: dict[str, int], lang: str = "zh") -> str:
    if lang == "en":
        return (f"{counts['error']} errors, {counts['warning']} warnings, "
                f"{counts['info']} notes")
    return f"错误 {counts['error']} 个，警告 {counts['warning']} 个，提示 {counts['info']} 个"


def score_lines(result: Any, lang: str = "zh") -> list[str]:
    """Total, grade, status and the 一级 scores of a scored result."""
    scoring = result.scoring
    unit = result.unit or ("（未填单位名称）" if lang != "en" else "(no unit name)")
    year = str(result.year) if result.year is not None else ("?" if lang == "en" else "未填")
    groups = [f"{g.name} {g.score:.2f}/{g.weight:g}" for g in scoring.groups]
    review = "；".join(dict.fromkeys(f"{f.rule} {REVIEW_NAMES[f.rule].render(lang)}" for f in result.findings
                                     if f.rule in REVIEW_NAMES))
    if lang == "en":
        return [f"Unit: {unit} {year}",
                f"Total: {scoring.total:.2f}  Grade: {scoring.grade}  "
                f"Validation: {'passed' if result.passed else 'failed'}",
                "Groups: " + "  ".join(groups), f"Review notes: {review or 'none'}"]
    return [f"单位：{unit}（{year} 年度）",
            f"总分：{scoring.total:.2f}  绩效等级：{scoring.grade}  "
            f"校验：{'通过' if result.passed else '未通过'}",
            "一级指标：" + "  ".join(groups), f"复核提示：{review or '无'}"]
