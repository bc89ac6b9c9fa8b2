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
    """Total, grade, status and the 一级 scores of a scored result (each project's total and
    grade, and their means, for a 项目支出绩效自评表 workbook)."""
    if getattr(result, "form", "") == "project":
        return project_lines(result, lang)
    scoring = result.scoring
    unit = result.unit or ("（未填单位名称）" if lang != "en" else "(no unit name)")
    year = _year(result.year, lang == "en")
    groups = [f"{g.name} {g.score:.2f}/{g.weight:g}" for g in scoring.groups]
    review = "；".join(dict.fromkeys(f"{f.rule} {REVIEW_NAMES[f.rule].render(lang)}" for f in result.findings
                                     if f.rule in REVIEW_NAMES))
    if lang == "en":
        return [f"Unit: {unit} {year}",
                f"Total: {scoring.total:.2f}  Grade: {scoring.grade}  "
                f"Validation: {'passed' if result.passed else 'failed'}",
                "Groups: " + "  ".join(groups), f"Review notes: {review or 'none'}"]
    return [f"单位：{unit}（{year}）",
            f"总分：{scoring.total:.2f}  绩效等级：{scoring.grade}  "
            f"校验：{'通过' if result.passed else '未通过'}",
            "一级指标：" + "  ".join(groups), f"复核提示：{review or '无'}"]


def _year(year: int | None, en: bool) -> str:
    if year is None:
        return "?" if en else "未填评价年度"
    return str(year) if en else f"{year} 年度"


def project_lines(result: Any, lang: str = "zh") -> list[str]:
    en = lang == "en"
    unit = result.unit or ("(no unit name)" if en else "（未填单位名称）")
    year = _year(result.year, en)
    status = ("passed" if result.passed else "failed") if en else ("通过" if result.passed else "未通过")
    lines = [f"Unit: {unit} {year}  Projects: {len(result.projects)}  Validation: {status}" if en
             else f"单位：{unit}（{year}）  项目 {len(result.projects)} 个  校验：{status}"]
    for p in result.projects:
        e = p.execution
        rate = "—" if e.rate is None else f"{e.rate * 100:.2f}%"
        name = p.name or ("(no name)" if en else "（未填项目名称）")
        lines.append(f"  {p.sheet} {name}: total {p.total:.2f}  grade {p.grade}  (execution "
                     f"{rate}, {e.score:.2f}/{e.weight:g})" if en else
                     f"  {p.sheet} {name}：总分 {p.total:.2f}  等级 {p.grade}（执行率 {rate}，"
                     f"得分 {e.score:.2f}/{e.weight:g}）")
    mean = "—" if result.mean is None else f"{result.mean:.2f}"
    weighted = "—" if result.weighted_mean is None else f"{result.weighted_mean:.2f}"
    lines.append(f"Mean {mean}  Funds-weighted mean {weighted}" if en
                 else f"平均分 {mean}  按资金加权平均分 {weighted}")
    return lines
