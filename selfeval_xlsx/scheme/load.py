"""Scheme files: read a TOML scheme (a shipped one or a bureau's own) and validate it strictly.

Every problem is recorded at the line of its key (`toml_lines`); the first one becomes one
`SchemeError` line naming the file, the line and the key. Indicators and their rules are read
in `load_rules`.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path

from selfeval_xlsx.errors import SchemeError
from selfeval_xlsx.scheme.fields import OPTIONAL_FIELDS, normalise_name, optional_field
from selfeval_xlsx.scheme.load_rules import load_indicator
from selfeval_xlsx.scheme.model import (
    DEFAULT_REVIEW,
    HUNDRED,
    ChecklistItem,
    Grade,
    Indicator,
    ReviewRule,
    Scheme,
)
from selfeval_xlsx.scheme.problems import (
    Problems,
    Table,
    boolean,
    number,
    scheme_error,
    tables,
    text,
    to_decimal,
    within,
)
from selfeval_xlsx.text import Text, one_line
from selfeval_xlsx.xlsx.snapshot import FileRefused, Problem, read_snapshot

MAX_SCHEME_BYTES = 1 << 20  # a scheme is a few KB of TOML

ZERO = Decimal(0)
TOP_KEYS = ("id", "name", "total", "fields", "grades", "indicators", "checklist", "review")
REVIEW_KEYS = {"R001": ("enabled", "threshold", "indicator"), "R002": ("enabled", "threshold"),
               "R003": ("enabled", "threshold"), "R004": ("enabled", "caps"),
               "R005": ("enabled",), "R006": ("enabled",)}
SHIPPED = ("default", "example_bureau", "chongqing_2021", "yueyang", "sichuan_2017")
PROJECT_SHIPPED = ("project_default", "project_hubei")  # schemes of the 项目支出绩效自评表


def load_scheme(path: Path | None = None) -> Scheme:
    """Load the default scheme (path None), a scheme file (a regular file of at most 1 MiB, read
    once: never a FIFO, a device or a folder), or a shipped scheme by its name (`chongqing_2021`:
    a name that is not a file but one of SHIPPED)."""
    if path is None:
        return _default_scheme()
    if is_shipped(path, SHIPPED):
        return _shipped_scheme(path.name)
    if is_shipped(path, PROJECT_SHIPPED):
        raise scheme_error(path.name, _PROJECT_SCHEME)
    return parse_scheme(scheme_bytes(path), one_line(path.name))


def is_shipped(path: Path, names: tuple[str, ...]) -> bool:
    """`path` is the name of a shipped scheme among `names` (a bare name that is no file)."""
    return not path.exists() and path.suffix == "" and path.name in names


def scheme_bytes(path: Path) -> bytes:
    """A scheme file's bytes, read once (a regular file of at most 1 MiB), or one line why not."""
    try:
        return read_snapshot(path, MAX_SCHEME_BYTES)
    except FileRefused as refused:
        raise unreadable(one_line(path.name), refused) from None


def unreadable(name: str, refused: FileRefused) -> SchemeError:
    """A scheme file that cannot be read, as one line."""
    zh, en = {
        Problem.MISSING: ("找不到该文件，请检查路径", "it does not exist; check the path"),
        Problem.DIRECTORY: ("这是一个文件夹，不是方案文件", "it is a folder, not a scheme file"),
        Problem.NOT_REGULAR: ("这不是普通文件（可能是管道或设备），已拒绝读取",
                              "it is not a regular file (a pipe or a device) and was refused"),
        Problem.NO_PERMISSION: ("没有读取该文件的权限", "there is no permission to read it"),
        Problem.TOO_LARGE: (f"文件过大（{refused.size:,} 字节，方案文件上限 1 MiB）",
                            f"it is too large ({refused.size:,} bytes; a scheme file is at "
                            "most 1 MiB)"),
    }.get(refused.problem, (f"无法读取文件（{refused.reason.zh}）",
                            f"cannot read it ({refused.reason.en})"))
    return SchemeError(Text(f"无法读取评分方案文件“{name}”：{zh}。请检查 --scheme 后的文件名和路径。",
                            f"Cannot read the scoring scheme file '{name}': {en}. Check the file "
                            "name and path after --scheme."))


def shipped_scheme(scheme_id: str) -> Scheme | None:
    """A scheme shipped with the tool, by its id (which is its file name)."""
    return _shipped_scheme(scheme_id) if scheme_id in SHIPPED else None


def scheme_digest(raw: bytes) -> str:
    """What a template records of its scheme: the first 16 hex digits of the file's SHA-256."""
    return hashlib.sha256(raw).hexdigest()[:16]


def _toml_place(exc: Exception) -> str:
    """Where TOML parsing failed, in Chinese (tomllib's reason itself is English)."""
    if isinstance(exc, UnicodeDecodeError):
        return "文件不是 UTF-8 编码的文本"
    found = re.search(r"line (\d+), column (\d+)", str(exc))
    return f"第 {found[1]} 行第 {found[2]} 列附近写法有误" if found else "写法有误"


@cache
def _shipped_scheme(name: str) -> Scheme:
    raw = resources.files("selfeval_xlsx.scheme").joinpath(f"schemes/{name}.toml").read_bytes()
    return parse_scheme(raw, f"{name}.toml")


def _default_scheme() -> Scheme:
    return _shipped_scheme("default")


_PROJECT_SCHEME = Text(
    "这是项目支出绩效自评表的评分方案，只能用于项目表（对项目工作簿用 --scheme，或与部门整体工作簿同用时用 "
    "--project-scheme）",
    "this is a scheme of the 项目支出绩效自评表: use it for project workbooks (--scheme on a "
    "project workbook, or --project-scheme)")


def toml_failure(name: str, exc: Exception) -> SchemeError:
    return scheme_error(name, Text(f"不是有效的 TOML 文件（{_toml_place(exc)}）",
                                   f"it is not valid TOML ({exc})"))


def parse_toml(raw: bytes, name: str) -> tuple[Table, Problems]:
    """A scheme file's table and the recorder of its problems (at the lines of its keys); a
    file that is not UTF-8 TOML is one line why."""
    try:
        source = raw.decode("utf-8-sig")
        data = tomllib.loads(source)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise toml_failure(name, exc) from None
    return data, Problems(name, source)


def parse_scheme(raw: bytes, name: str) -> Scheme:
    data, problems = parse_toml(raw, name)
    if data.get("form") == "project":
        problems.add(("form",), _PROJECT_SCHEME.zh, _PROJECT_SCHEME.en)
        problems.check()
    problems.unknown_keys(data, (), TOP_KEYS, Text("方案顶层", "the top level"))
    total = within(number(data, "total", (), problems, HUNDRED), Decimal("0.01"), None, "total",
                   (), problems) or HUNDRED
    indicators, positions = _indicators(data, problems)
    scheme = Scheme(
        id=text(data, "id", (), problems),
        name=str(data.get("name", data.get("id", ""))),
        indicators=indicators,
        checklist=_checklist(data, indicators, problems),
        grades=read_grades(data, total, problems),
        total=total,
        fields=_fields(data, problems),
        review=_review(data, problems),
        digest=scheme_digest(raw),
        source=name,
    )
    _cross_checks(scheme, positions, "total" in data, problems)
    problems.check()
    return scheme


def _indicators(data: Table, problems: Problems) -> tuple[tuple[Indicator, ...], dict[str, int]]:
    """The enabled indicators, and where each indicator's table is in the file."""
    found = tables(data, "indicators", (), problems)
    if not found and "indicators" not in data:
        problems.add((), "缺少 [[indicators]] 表（评分指标）", "the [[indicators]] tables are missing")
    loaded = [load_indicator(d, ("indicators", i), problems) for i, d in enumerate(found)]
    codes: dict[str, int] = {}
    for index, (ind, _) in enumerate(loaded):
        if ind.code in codes:
            problems.add(("indicators", index, "code"), f"指标编号 {ind.code} 重复",
                         f"indicator code {ind.code} appears twice")
        codes[ind.code] = index
    return tuple(ind for ind, enabled in loaded if enabled), codes


def _checklist(data: Table, indicators: tuple[Indicator, ...],
               problems: Problems) -> tuple[ChecklistItem, ...]:
    by_code = {i.code: i for i in indicators}
    items: list[ChecklistItem] = []
    for index, d in enumerate(tables(data, "checklist", (), problems)):
        path = ("checklist", index)
        code = text(d, "code", path, problems)
        problems.unknown_keys(d, path, ("code", "indicator", "content", "points"),
                              Text(f"核对项 {code} 中", f"checklist item {code}"))
        owner = by_code.get(text(d, "indicator", path, problems))
        if owner is None or owner.method != "核对":
            problems.add((*path, "indicator"), f"核对项 {code} 的对应指标 {d.get('indicator')} 不是方案中"
                         "（已启用）的核对指标", f"checklist item {code} names {d.get('indicator')}, "
                         "which is not an enabled 核对 indicator of the scheme")
        deduct = owner is not None and owner.rule.mode == "deduct"
        default = owner.rule.per_no if deduct and owner is not None else None
        points = within(number(d, "points", path, problems, default), ZERO, None, "points", path,
                        problems)
        items.append(ChecklistItem(code, str(d.get("indicator", "")),
                                   text(d, "content", path, problems), points or ZERO))
    _duplicates([i.code for i in items], "checklist", "核对项编号", problems)
    return tuple(items)


def _duplicates(codes: list[str], key: str, what: str, problems: Problems) -> None:
    seen: set[str] = set()
    for index, code in enumerate(codes):
        if code in seen:
            problems.add((key, index, "code"), f"{what} {code} 重复", f"{key} code {code} appears twice")
        seen.add(code)


def read_grades(data: Table, total: Decimal, problems: Problems) -> tuple[Grade, ...]:
    """`[[grades]]`, best first, each min within 0..total and below the one before (a
    部门整体 scheme and a project scheme alike)."""
    found = tables(data, "grades", (), problems)
    if not found:
        problems.add(("grades",), "未设置绩效等级（[[grades]]，每个等级写 name 和 min）",
                     "no grades are defined ([[grades]] with name and min)")
    grades: list[Grade] = []
    for index, d in enumerate(found):
        path = ("grades", index)
        problems.unknown_keys(d, path, ("name", "min"), Text("绩效等级中", "a grade"))
        minimum = within(number(d, "min", path, problems, None), ZERO, total, "min", path, problems)
        grade = Grade(text(d, "name", path, problems), minimum if minimum is not None else ZERO)
        if grades and minimum is not None and minimum >= grades[-1].min:
            problems.add((*path, "min"), f"绩效等级须从高到低排列，min 逐级递减：“{grade.name}”（{minimum}）"
                         f"不低于上一级“{grades[-1].name}”（{grades[-1].min}）",
                         f"grades must be listed best first with falling min: '{grade.name}' "
                         f"({minimum}) is not below '{grades[-1].name}' ({grades[-1].min})")
        grades.append(grade)
    return tuple(grades)


def _fields(data: Table, problems: Problems) -> tuple[str, ...]:
    value = data.get("fields", [])
    names = [n for n in value if isinstance(n, str)] if isinstance(value, list) else []
    if len(names) != (len(value) if isinstance(value, list) else -1):
        problems.add(("fields",), "fields 须为字段名的列表", "'fields' must be a list of field names")
    for name in names:
        if optional_field(name) is None:
            allowed = "、".join(f.name for f in OPTIONAL_FIELDS)
            problems.add(("fields",), f"fields 中的“{name}”不是可选字段（可选：{allowed}）",
                         f"'{name}' in fields is not an optional field (choose from {allowed})")
    return tuple(normalise_name(n) for n in names)


def _review(data: Table, problems: Problems) -> tuple[ReviewRule, ...]:
    section = data.get("review", {})
    if not isinstance(section, dict):
        problems.add(("review",), "review 须写成 [review.R001] 这样的表", "'review' must be a table")
        return DEFAULT_REVIEW
    problems.unknown_keys(section, ("review",), REVIEW_KEYS, Text("复核规则 [review] 中", "[review]"))
    rules = []
    for default in DEFAULT_REVIEW:
        given = section.get(default.code, {})
        if not isinstance(given, dict):
            problems.add(("review", default.code), f"review.{default.code} 须为表",
                         f"review.{default.code} must be a table")
            given = {}
        rules.append(_review_rule(given, default, problems))
    return tuple(rules)


def _review_rule(data: Table, default: ReviewRule, problems: Problems) -> ReviewRule:
    path = ("review", default.code)
    problems.unknown_keys(data, path, REVIEW_KEYS[default.code],
                          Text(f"复核规则 {default.code} 中", f"review rule {default.code}"))
    threshold = default.threshold
    if "threshold" in data:
        threshold = within(number(data, "threshold", path, problems, None), ZERO, HUNDRED,
                           "threshold", path, problems) or default.threshold
    indicator = data.get("indicator", "")
    if not isinstance(indicator, str):
        problems.add((*path, "indicator"), "indicator 须为指标编号", "'indicator' must be a code")
        indicator = ""
    caps = _caps(data["caps"], path, problems) if "caps" in data else default.caps
    return ReviewRule(default.code, boolean(data, "enabled", path, problems, default.enabled),
                      threshold, indicator.strip(), caps)


def _caps(value: object, path: tuple[str, ...],
          problems: Problems) -> tuple[tuple[Decimal, Decimal], ...]:
    written = value if isinstance(value, list) else []
    pairs = [(to_decimal(v[0]), to_decimal(v[1])) for v in written
             if isinstance(v, list) and len(v) == 2]
    caps = tuple((a, b) for a, b in pairs if a is not None and b is not None)
    if not caps or len(caps) != len(written):
        problems.add((*path, "caps"), "caps 须为 [执行率低于(%), 总分上限] 的列表，如 [[80, 89], [70, 79]]",
                     "'caps' must be [execution below (%), highest total] pairs, e.g. [[80, 89]]")
        return ()
    return caps


def _cross_checks(scheme: Scheme, positions: dict[str, int], declared: bool,
                  problems: Problems) -> None:
    """Sums over the whole scheme, only when every part of them could be read."""
    if problems.found:
        return
    _checklist_sums(scheme, positions, problems)
    weights = scheme.total_weight
    if scheme.indicators and weights != scheme.total:
        groups = "，".join(f"{name} {weight}" for name, weight in scheme.groups())
        said = "total 声明" if declared else "未写 total，默认"
        problems.add(("total",) if declared else ("id",),
                     f"各指标分值之和为 {weights}（{groups}），{said}总分为 {scheme.total}",
                     f"the weights add up to {weights}, the scheme's total is {scheme.total}")
    if sum(1 for i in scheme.indicators if i.rule.rows) > 1:
        problems.add(("indicators",), "只能有一个指标按《个性指标》逐行计分",
                     "only one indicator may score the 个性指标 table")
    named = scheme.review_rule("R001").indicator
    if named and scheme.indicator(named) is None:
        problems.add(("review", "R001", "indicator"), f"R001 的 indicator “{named}”不是方案中（已启用）的指标",
                     f"R001's indicator '{named}' is not an enabled indicator of the scheme")


def _checklist_sums(scheme: Scheme, positions: dict[str, int], problems: Problems) -> None:
    """A 核对 indicator scored by the sum of its items has the weight of their points."""
    for ind in scheme.indicators:
        if ind.method != "核对" or ind.rule.mode != "sum":
            continue
        points = sum((i.points for i in scheme.checklist if i.indicator == ind.code), ZERO)
        if points != ind.weight:
            problems.add(("indicators", positions[ind.code], "weight"),
                         f"核对指标 {ind.code} 的分值 {ind.weight} 与其核对项分值之和 {points} 不一致",
                         f"indicator {ind.code}: weight {ind.weight} differs from the sum of its "
                         f"checklist points {points}")
