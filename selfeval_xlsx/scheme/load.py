"""Scheme files: read a TOML scheme (the shipped default or a bureau's own) and validate it."""

from __future__ import annotations

import tomllib
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from selfeval_xlsx.errors import SchemeError
from selfeval_xlsx.scheme.model import (
    AUTO_RULES,
    METHODS,
    ChecklistItem,
    Grade,
    Indicator,
    Scheme,
)
from selfeval_xlsx.snapshot import FileRefused, Problem, read_snapshot
from selfeval_xlsx.text import Text, one_line

MAX_SCHEME_BYTES = 1 << 20  # a scheme is a few KB of TOML


def load_scheme(path: Path | None = None) -> Scheme:
    """Load the default scheme (path None) or a bureau's own file (a regular file of at most
    1 MiB, read once: never a FIFO, a device or a folder)."""
    if path is None:
        return _default_scheme()
    try:
        raw = read_snapshot(path, MAX_SCHEME_BYTES)
    except FileRefused as refused:
        raise _unreadable(one_line(path.name), refused) from None
    return parse_scheme(raw, one_line(path.name))


def _unreadable(name: str, refused: FileRefused) -> SchemeError:
    zh, en = {
        Problem.MISSING: ("找不到该文件，请检查路径", "it does not exist; check the path"),
        Problem.DIRECTORY: ("这是一个文件夹，不是方案文件", "it is a folder, not a scheme file"),
        Problem.NOT_REGULAR: ("这不是普通文件（可能是管道或设备），已拒绝读取",
                              "it is not a regular file (a pipe or a device) and was refused"),
        Problem.NO_PERMISSION: ("没有读取该文件的权限", "there is no permission to read it"),
        Problem.TOO_LARGE: (f"文件过大（{refused.size:,} 字节，方案文件上限 1 MiB）",
                            f"it is too large ({refused.size:,} bytes; a scheme file is at "
                            "most 1 MiB)"),
    }.get(refused.problem, (f"无法读取文件（{one_line(refused.reason)}）",
                            f"cannot read it ({one_line(refused.reason)})"))
    return _error(name, zh, en)


@cache
def _default_scheme() -> Scheme:
    raw = resources.files("selfeval_xlsx.scheme").joinpath("schemes/default.toml").read_bytes()
    return parse_scheme(raw, "default.toml")


def parse_scheme(raw: bytes, name: str) -> Scheme:
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _error(name, f"不是有效的 TOML 文件（{exc}）", f"it is not valid TOML ({exc})") from None
    scheme = Scheme(
        id=_text(data, "id", name),
        name=str(data.get("name", data.get("id", ""))),
        indicators=tuple(_indicator(d, name) for d in _list(data, "indicators", name)
                         if d.get("enabled", True) is not False),
        checklist=tuple(_item(d, name) for d in data.get("checklist", [])),
        grades=tuple(sorted((_grade(d, name) for d in _list(data, "grades", name)),
                            key=lambda g: g.min, reverse=True)),
    )
    _validate(scheme, name)
    return scheme


def _indicator(data: dict[str, Any], name: str) -> Indicator:
    known = {"code", "level1", "level2", "level3", "weight", "method", "criteria", "rule",
             "enabled"}
    code = _text(data, "code", name)
    return Indicator(
        code=code,
        level1=_text(data, "level1", name),
        level2=_text(data, "level2", name),
        level3=_text(data, "level3", name),
        weight=_number(data, "weight", name, code),
        method=_text(data, "method", name),
        criteria=str(data.get("criteria", "")),
        rule=str(data.get("rule", "")),
        params={k: v for k, v in data.items() if k not in known},
    )


def _item(data: dict[str, Any], name: str) -> ChecklistItem:
    code = _text(data, "code", name)
    return ChecklistItem(code=code, indicator=_text(data, "indicator", name),
                         content=_text(data, "content", name),
                         points=_number(data, "points", name, code))


def _grade(data: dict[str, Any], name: str) -> Grade:
    grade = _text(data, "name", name)
    return Grade(name=grade, min=_number(data, "min", name, grade))


def _validate(scheme: Scheme, name: str) -> None:
    problems = _problems(scheme)
    if problems:
        zh = "；".join(p.zh for p in problems)
        en = "; ".join(p.en for p in problems)
        raise _error(name, zh, en)


def _problems(scheme: Scheme) -> list[Text]:
    problems: list[Text] = []
    codes = [i.code for i in scheme.indicators]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        problems.append(Text(f"指标编号 {code} 重复", f"indicator code {code} appears twice"))
    for ind in scheme.indicators:
        problems.extend(_indicator_problems(ind, scheme))
    for item in scheme.checklist:
        target = scheme.indicator(item.indicator)
        if target is None or target.method != "核对":
            problems.append(Text(f"核对项 {item.code} 的对应指标 {item.indicator} 不是方案中的核对指标",
                                 f"checklist item {item.code} names {item.indicator}, "
                                 "which is not a 核对 indicator of the scheme"))
    if not scheme.grades:
        problems.append(Text("未设置绩效等级", "no grades are defined"))
    return problems


def _indicator_problems(ind: Indicator, scheme: Scheme) -> list[Text]:
    if ind.method not in METHODS:
        return [Text(f"指标 {ind.code} 的计分方式“{ind.method}”无效，只能是 自动 / 核对 / 自评",
                     f"indicator {ind.code}: method '{ind.method}' must be 自动, 核对 or 自评")]
    if ind.weight < 0:
        return [Text(f"指标 {ind.code} 的分值为负数", f"indicator {ind.code} has a negative weight")]
    if ind.method == "自动" and ind.rule not in AUTO_RULES:
        return [Text(f"自动指标 {ind.code} 的计分规则“{ind.rule}”无效，可选：{'、'.join(AUTO_RULES)}",
                     f"indicator {ind.code}: rule '{ind.rule}' must be one of "
                     f"{', '.join(AUTO_RULES)}")]
    if ind.method == "自动":
        return _param_problems(ind)
    if ind.method == "核对":
        points = sum((i.points for i in scheme.checklist if i.indicator == ind.code), Decimal(0))
        if points != ind.weight:
            return [Text(f"核对指标 {ind.code} 的分值 {ind.weight} 与其核对项分值之和 {points} 不一致",
                         f"indicator {ind.code}: weight {ind.weight} differs from the sum of its "
                         f"checklist points {points}")]
    return []


def _param_problems(ind: Indicator) -> list[Text]:
    try:
        if ind.rule == "adjustment_bands":
            _check_bands(ind.params.get("bands"), ind.weight)
        for key, top in (("partial_credit", Decimal(1)), ("points_per_percent_over", None)):
            if key in ind.params:
                value = Decimal(str(ind.params[key]))
                if value < 0 or (top is not None and value > top):
                    raise ValueError(key)
    except (ValueError, TypeError, InvalidOperation):
        return [Text(f"自动指标 {ind.code} 的参数有误（bands 须为按上限递增的 [调整率%, 得分] 列表，"
                     "得分不超过分值；partial_credit 在 0～1 之间；points_per_percent_over 不小于 0）",
                     f"indicator {ind.code}: bad parameters (bands: [percent, score] pairs with "
                     "rising bounds and scores within the weight; partial_credit 0-1; "
                     "points_per_percent_over >= 0)")]
    return []


def _check_bands(bands: Any, weight: Decimal) -> None:
    if not isinstance(bands, list) or not bands:
        raise ValueError("bands")
    pairs = [(Decimal(str(b)), Decimal(str(s))) for b, s in bands]
    bounds = [b for b, _ in pairs]
    if bounds != sorted(bounds) or any(not 0 <= s <= weight for _, s in pairs):
        raise ValueError("bands")


def _list(data: dict[str, Any], key: str, name: str) -> list[dict[str, Any]]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise _error(name, f"缺少 [[{key}]] 表", f"the [[{key}]] tables are missing")
    return value


def _text(data: dict[str, Any], key: str, name: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _error(name, f"缺少文本项 {key}（位于 {data.get('code', '顶层')}）",
                     f"text key '{key}' is missing (in {data.get('code', 'top level')})")
    return value.strip()


def _number(data: dict[str, Any], key: str, name: str, where: str) -> Decimal:
    value = data.get(key)
    try:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise InvalidOperation
        return Decimal(str(value))
    except InvalidOperation:
        raise _error(name, f"{where} 的 {key} 必须是数字",
                     f"{where}: '{key}' must be a number") from None


def _error(name: str, zh: str, en: str) -> SchemeError:
    return SchemeError(Text(f"评分方案文件“{name}”有误：{zh}。请修改方案文件后再试。",
                            f"Scoring scheme file '{name}' is invalid: {en}. Fix the file and retry."))
