"""Feeding the 部门整体 workbook's 重点项目 from the computed project scores (`--projects`).

Each 重点项目 row is matched to a project sheet by 项目名称 (compared as labels); its
项目自评得分 becomes the computed 总分 of that project (J010 where the typed one differs), and
its funds for a fund-weighted D3 become the project's 全年预算数. A row with no project is kept
as typed (J011); a project with no row is named (J012). The scoring then runs as always.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import NamedTuple

from selfeval_xlsx.checks.context import fmt2
from selfeval_xlsx.findings import EMPTY, Finding, finding_at
from selfeval_xlsx.read.inputs import Entry, Inputs, TypedRow
from selfeval_xlsx.read.values import money, normalise_label
from selfeval_xlsx.template.spec import PROJECTS
from selfeval_xlsx.text import Text

SCORE, NAME = "项目自评得分", "项目名称"
FED_FUNDS = "全年预算数（项目表）"  # the entry a fed row's fund weight is read from


class ProjectTotal(NamedTuple):
    """What a scored project sheet gives the 整体 workbook."""

    name: str
    total: Decimal
    budget: Decimal | None  # 全年预算数 (empty: 年初预算数) of 年度资金总额
    sheet: str
    file: str

    @property
    def place(self) -> str:
        return f"{self.file}!{self.sheet}"


@dataclass
class Feed:
    inputs: Inputs
    findings: list[Finding] = field(default_factory=list)
    fed: int = 0  # rows whose score was replaced


def feed_key_projects(inputs: Inputs, projects: Sequence[ProjectTotal]) -> Feed:
    by_name: dict[str, ProjectTotal] = {}
    feed = Feed(inputs)
    for project in projects:
        key = normalise_label(project.name) if project.name else ""
        if key in by_name:
            feed.findings.append(_duplicate(project, by_name[key]))
        elif key:
            by_name[key] = project
    table = inputs.table(PROJECTS)
    used: set[str] = set()
    rows: list[TypedRow] = []
    for row in table.rows:
        name = row.get(NAME).value
        key = normalise_label(name) if isinstance(name, str) else ""
        match = by_name.get(key) if key else None
        if match is None:
            rows.append(row)
            if key:
                feed.findings.append(_no_project(row, str(name)))
            continue
        used.add(key)
        rows.append(_fed_row(row, match, feed))
    feed.findings.extend(_no_row(p) for key, p in by_name.items() if key not in used)
    if feed.fed:
        tables = {**inputs.tables, PROJECTS: replace(table, rows=rows)}
        feed.inputs = Inputs(inputs.fields, tables, inputs.findings)
    return feed


def _fed_row(row: TypedRow, project: ProjectTotal, feed: Feed) -> TypedRow:
    typed = row.get(SCORE)
    total = money(project.total)
    stated = typed.decimal() if typed.valid else None
    if stated is not None and money(stated) != total:
        feed.findings.append(finding_at(
            "J010", PROJECTS, typed.coordinate, row.label,
            f"填写的项目自评得分 {fmt2(stated)} 与项目支出绩效自评表（{project.place}）核定的总分 {fmt2(total)} "
            "不一致，已按核定总分计算部门重点项目得分。请把此处改为核定总分。",
            f"the typed score {fmt2(stated)} differs from the total {fmt2(total)} computed from "
            f"the project form ({project.place}); the computed total counts.",
            fmt2(total), fmt2(stated), SCORE))
    feed.fed += 1
    entries = dict(row.entries)
    entries[SCORE] = Entry(total, typed.cell, typed.label or row.label, blank=False)
    entries[FED_FUNDS] = Entry(project.budget, None, row.label, blank=project.budget is None)
    return TypedRow(row.label, row.row, entries)


def _no_project(row: TypedRow, name: str) -> Finding:
    entry = row.get(NAME)
    return finding_at(
        "J011", PROJECTS, entry.coordinate, row.label,
        f"给出的项目表中没有项目名称为“{name}”的项目支出绩效自评表，该行仍按填写的项目自评得分计。"
        "请核对项目名称（须与项目表中的项目名称一致），或一并给出该项目的自评表。",
        f"none of the project workbooks given has a project named '{name}'; the row keeps its "
        "typed score. Check the name, or give that project's workbook too.",
        Text("同名的项目支出绩效自评表", "a project sheet of that name"), EMPTY, NAME)


def _duplicate(project: ProjectTotal, used: ProjectTotal) -> Finding:
    return finding_at(
        "J012", PROJECTS, "", project.name,
        f"项目“{project.name}”在 {used.place} 和 {project.place} 中都有，按先给出的 {used.place}"
        f"（核定总分 {fmt2(used.total)}）计，{project.place} 未计入。请核对是否重复给出了项目表。",
        f"the project '{project.name}' is in both {used.place} and {project.place}; the first "
        f"({used.place}) counts. Check whether a project workbook was given twice.",
        used.place, project.place)


def _no_row(project: ProjectTotal) -> Finding:
    return finding_at(
        "J012", PROJECTS, "", project.name,
        f"项目“{project.name}”（{project.place}，核定总分 {fmt2(project.total)}）在《重点项目》中没有对应的行，"
        "未计入部门重点项目得分。是部门重点项目的，请在《重点项目》中增加该行。",
        f"the project '{project.name}' ({project.place}, total {fmt2(project.total)}) has no "
        "row in 重点项目 and is not counted. Add a row if it is a key project.",
        Text("《重点项目》中的一行", "a 重点项目 row"), Text("（无）", "(none)"))
