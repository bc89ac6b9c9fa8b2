"""The scoring scheme of the 项目支出绩效自评表 (`docs/schemes.md`, 项目支出): the execution weight,
the split of the indicator points by 一级指标, the 定性 bands, the thresholds of J002 and J007,
the optional cap by 执行率, and the grades. Read from TOML as strictly as the 整体 scheme: every
problem names the file, the line and the key.

The vocabulary of the form (一级 / 二级 指标, 指标性质, the 定性 words) lives here too, so that the
scheme can be validated against it; the template and the reader take it from here.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path

from selfeval_xlsx.scheme.load import (
    MAX_SCHEME_BYTES,
    PROJECT_SHIPPED,
    SHIPPED,
    is_shipped,
    parse_toml,
    read_grades,
    scheme_bytes,
    scheme_digest,
)
from selfeval_xlsx.scheme.model import EXECUTION_CAPS, HUNDRED, Grade
from selfeval_xlsx.scheme.problems import (
    Problems,
    Table,
    boolean,
    choice,
    number,
    scheme_error,
    tables,
    text,
    to_decimal,
    within,
)
from selfeval_xlsx.text import Text, one_line
from selfeval_xlsx.xlsx.snapshot import FileRefused, read_snapshot

PROJECT_FORM = "project"
LEVEL1 = ("产出指标", "效益指标", "满意度指标")
LEVEL2 = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}
QUALITATIVE = "定性"
KINDS = ("≥", ">", "=", "≤", "<", QUALITATIVE)
ACHIEVED, PARTLY, MISSED = "达成年度指标", "部分达成年度指标并具有一定效果", "未达成年度指标且效果较差"
QUALITATIVE_WORDS = (ACHIEVED, PARTLY, MISSED)
SPLIT_CHECKS = ("groups", "total", "off")  # J008: per 一级 and in all / in all only / none
TOP_KEYS = ("id", "name", "form", "total", "execution", "split_check", "groups", "grades",
            "over_achievement", "low_execution", "qualitative", "cap")
ZERO = Decimal(0)
NOT_PROJECT = Text("这不是项目支出绩效自评表的评分方案（须写 form = \"project\"）；部门整体的方案用于部门整体工作簿",
                   "this is not a scheme of the 项目支出绩效自评表 (it needs form = \"project\"); "
                   "a 部门整体 scheme scores 部门整体 workbooks")


@dataclass(frozen=True)
class ProjectScheme:
    id: str
    name: str
    execution: Decimal  # 分值 of the 年度资金总额 row
    groups: tuple[tuple[str, Decimal], ...]  # 一级指标 and the points its rows' 分值 add up to
    grades: tuple[Grade, ...]
    total: Decimal = HUNDRED
    split_check: str = "groups"
    over_achievement: Decimal = Decimal(120)  # J007: A ≥ this % of T on a 正向 / 等于 row
    low_execution: Decimal = Decimal(90)  # J002: 执行率 below this % needs a 说明
    qualitative: tuple[Decimal, Decimal] = (Decimal(80), Decimal(60))  # % lower bounds: 达成, 部分
    caps: tuple[tuple[Decimal, Decimal], ...] = ()  # (执行率 below %, highest total); () = off
    digest: str = ""
    source: str = ""

    @property
    def indicator_points(self) -> Decimal:
        """What the indicator rows' 分值 add up to (90 by default)."""
        return self.total - self.execution

    def grade_for(self, total: Decimal) -> str:
        for grade in self.grades:
            if total >= grade.min:
                return grade.name
        return self.grades[-1].name

    def band(self, word: str) -> tuple[Decimal, Decimal, bool]:
        """(low %, high %, high included) of the score a 定性 word allows."""
        high, low = self.qualitative
        if word == ACHIEVED:
            return high, HUNDRED, True
        if word == PARTLY:
            return low, high, False
        return ZERO, low, False


def load_project_scheme(path: Path | None = None) -> ProjectScheme:
    """The default project scheme (None), a shipped one by name, or a scheme file (read once,
    a regular file of at most 1 MiB)."""
    if path is None:
        return shipped_project_scheme("project_default")
    if is_shipped(path, PROJECT_SHIPPED):
        return shipped_project_scheme(path.name)
    if is_shipped(path, SHIPPED):
        raise scheme_error(path.name, NOT_PROJECT)
    return parse_project_scheme(scheme_bytes(path), one_line(path.name))


def is_project_scheme(path: Path) -> bool:
    """Whether `path` names a project scheme (a shipped one, or a file with form = "project");
    a file that cannot be read or parsed is not (its loader says why)."""
    if is_shipped(path, PROJECT_SHIPPED):
        return True
    try:
        data = tomllib.loads(read_snapshot(path, MAX_SCHEME_BYTES).decode("utf-8-sig"))
    except (FileRefused, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return data.get("form") == PROJECT_FORM


@cache
def shipped_project_scheme(name: str) -> ProjectScheme:
    raw = resources.files("selfeval_xlsx.scheme").joinpath(f"schemes/{name}.toml").read_bytes()
    return parse_project_scheme(raw, f"{name}.toml")


def find_project_scheme(scheme_id: str) -> ProjectScheme | None:
    return shipped_project_scheme(scheme_id) if scheme_id in PROJECT_SHIPPED else None


def parse_project_scheme(raw: bytes, name: str) -> ProjectScheme:
    data, problems = parse_toml(raw, name)
    if data.get("form") != PROJECT_FORM:
        problems.add(("form",) if "form" in data else ("id",), NOT_PROJECT.zh, NOT_PROJECT.en)
        problems.check()
    problems.unknown_keys(data, (), TOP_KEYS, Text("方案顶层", "the top level"))
    total = _number(data, "total", HUNDRED, (Decimal("0.01"), None), problems)
    execution = _number(data, "execution", Decimal(10), (ZERO, total), problems)
    scheme = ProjectScheme(
        id=text(data, "id", (), problems), name=str(data.get("name", data.get("id", ""))),
        execution=execution, groups=_groups(data, problems), grades=read_grades(data, total, problems),
        total=total, split_check=choice(data, "split_check", (), problems, SPLIT_CHECKS, "groups"),
        over_achievement=_number(data, "over_achievement", Decimal(120), (HUNDRED, None), problems),
        low_execution=_number(data, "low_execution", Decimal(90), (ZERO, HUNDRED), problems),
        qualitative=_qualitative(data, problems), caps=_cap(data, problems),
        digest=scheme_digest(raw), source=name)
    _split(scheme, data, problems)
    problems.check()
    return scheme


def _number(data: Table, key: str, default: Decimal, bounds: tuple[Decimal | None, Decimal | None],
            problems: Problems) -> Decimal:
    value = within(number(data, key, (), problems, default), *bounds, key, (), problems)
    return default if value is None else value


def _groups(data: Table, problems: Problems) -> tuple[tuple[str, Decimal], ...]:
    groups: list[tuple[str, Decimal]] = []
    for index, d in enumerate(tables(data, "groups", (), problems)):
        path = ("groups", index)
        problems.unknown_keys(d, path, ("name", "weight"), Text("一级指标分值 [[groups]] 中", "a group"))
        name = text(d, "name", path, problems)
        if name and name not in LEVEL1:
            problems.add((*path, "name"), f"“{name}”不是项目支出绩效自评表的一级指标（可选：{'、'.join(LEVEL1)}）",
                         f"'{name}' is not a 一级指标 of the form (choose from {', '.join(LEVEL1)})")
        if name in (g for g, _ in groups):
            problems.add((*path, "name"), f"一级指标“{name}”重复", f"group '{name}' appears twice")
        weight = within(number(d, "weight", path, problems, None), ZERO, None, "weight", path,
                        problems)
        groups.append((name, weight if weight is not None else ZERO))
    return tuple(groups)


def _qualitative(data: Table, problems: Problems) -> tuple[Decimal, Decimal]:
    default = (Decimal(80), Decimal(60))
    if "qualitative" not in data:
        return default
    value = data["qualitative"]
    pair = [to_decimal(v) for v in value] if isinstance(value, list) else []
    if len(pair) != 2 or pair[0] is None or pair[1] is None or not HUNDRED > pair[0] > pair[1] > 0:
        problems.add(("qualitative",), "qualitative 须为两个递减的百分数 [达成的下限, 部分达成的下限]，如 [80, 60]",
                     "'qualitative' must be two falling percentages [achieved, partly], e.g. [80, 60]")
        return default
    return pair[0], pair[1]


def _cap(data: Table, problems: Problems) -> tuple[tuple[Decimal, Decimal], ...]:
    section = data.get("cap", {})
    if not isinstance(section, dict):
        problems.add(("cap",), "cap 须写成 [cap] 表", "'cap' must be a table")
        return ()
    problems.unknown_keys(section, ("cap",), ("enabled", "caps"), Text("[cap] 中", "[cap]"))
    if not boolean(section, "enabled", ("cap",), problems, False):
        return ()
    written = section.get("caps", [list(pair) for pair in EXECUTION_CAPS])
    pairs = [(to_decimal(v[0]), to_decimal(v[1])) for v in written
             if isinstance(v, list) and len(v) == 2] if isinstance(written, list) else []
    caps = tuple((a, b) for a, b in pairs if a is not None and b is not None)
    if not caps or len(caps) != len(written):
        problems.add(("cap", "caps"), "caps 须为 [执行率低于(%), 总分上限] 的列表，如 [[80, 89], [70, 79]]",
                     "'caps' must be [execution below (%), highest total] pairs, e.g. [[80, 89]]")
    return caps


def _split(scheme: ProjectScheme, data: Table, problems: Problems) -> None:
    """The groups add up to the indicator points; J008 per 一级 needs them."""
    if problems.found:
        return
    points = sum((w for _, w in scheme.groups), ZERO)
    if scheme.split_check == "groups" and not scheme.groups:
        problems.add(("split_check",), "split_check = \"groups\" 须用 [[groups]] 写出各一级指标的分值",
                     "split_check = \"groups\" needs the [[groups]] with each 一级's points")
    elif scheme.groups and points != scheme.indicator_points:
        shown = "，".join(f"{name} {weight}" for name, weight in scheme.groups)
        problems.add(("groups", 0) if "groups" in data else ("total",),
                     f"各一级指标分值之和为 {points}（{shown}），应为总分 {scheme.total} − 执行率分值 "
                     f"{scheme.execution} = {scheme.indicator_points}",
                     f"the groups add up to {points}, not total {scheme.total} − execution "
                     f"{scheme.execution} = {scheme.indicator_points}")


def describe_project(scheme: ProjectScheme, lang: str = "zh") -> list[str]:
    """The scheme in a few lines (`selfeval scheme check`)."""
    high, low = scheme.qualitative
    checks = {"groups": ("按一级指标和合计", "per group and in all"),
              "total": ("只查合计", "in all only"), "off": ("不检查", "off")}[scheme.split_check]
    caps = "，".join(f"<{a}%→{b}" for a, b in scheme.caps)
    if lang == "en":
        return [f"Project scheme {scheme.id}: {scheme.name} (total {scheme.total})",
                f"  execution (年度资金总额) {scheme.execution}",
                *(f"  {name} {weight}" for name, weight in scheme.groups),
                f"  indicator points {scheme.indicator_points}; split check (J008): {checks[1]}",
                f"  qualitative bands: [{high}%, 100%] / [{low}%, {high}%) / [0, {low}%)",
                f"  J002 below {scheme.low_execution}%; J007 at {scheme.over_achievement}% of target",
                f"  cap by execution: {caps or 'off'}",
                "  grades: " + ", ".join(f"{g.name} ≥ {g.min}" for g in scheme.grades)]
    return [f"项目方案 {scheme.id}：{scheme.name}（总分 {scheme.total}）",
            f"  项目资金执行率（年度资金总额）{scheme.execution} 分",
            *(f"  {name} {weight} 分" for name, weight in scheme.groups),
            f"  绩效指标合计 {scheme.indicator_points} 分；分值检查（J008）：{checks[0]}",
            f"  定性档次：达成 [{high}%, 100%]，部分达成 [{low}%, {high}%)，未达成 [0, {low}%)",
            f"  执行率低于 {scheme.low_execution}% 须说明（J002）；完成值达指标值 {scheme.over_achievement}% "
            "提示超额（J007）",
            f"  按执行率封顶：{caps or '不启用'}",
            "  绩效等级：" + "，".join(f"{g.name} ≥ {g.min}" for g in scheme.grades)]

