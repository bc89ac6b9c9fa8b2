"""What is wrong with a scheme file, where: problems collected while loading, reported as one line
naming the file, the line and the key (the first problem in the file; the count of the others)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from selfeval_xlsx.errors import SchemeError
from selfeval_xlsx.text import Text

Table = dict[str, Any]
Path = tuple[str | int, ...]  # where a key is: ("indicators", 3, "weight")


class Problem(NamedTuple):
    path: Path
    text: Text


class Problems:
    """The problems found in one file (`name`, as messages show it; `source`, its text, whose
    lines are scanned only when there is a problem)."""

    def __init__(self, name: str, source: str = "") -> None:
        self.name = name
        self.source = source
        self.found: list[Problem] = []

    def add(self, path: Path, zh: str, en: str) -> None:
        self.found.append(Problem(path, Text(zh, en)))

    def unknown_keys(self, data: Table, path: Path, known: Iterable[str], where: Text,
                     listed: Iterable[str] | None = None) -> None:
        """Every key of `data` not in `known` (the message lists `listed`, all known by default)."""
        allowed = sorted(known)
        shown = sorted(listed) if listed is not None else allowed
        for key in data:
            if key in allowed:
                continue
            import difflib  # only for a message

            close = difflib.get_close_matches(key, shown, n=1, cutoff=0.6)
            hint_zh = f"，是否应为 {close[0]}" if close else ""
            hint_en = f"; did you mean '{close[0]}'" if close else ""
            self.add((*path, key), f"{where.zh}有未知的键 {key}{hint_zh}（可用的键：{'、'.join(shown)}）",
                     f"unknown key '{key}' in {where.en}{hint_en} (known keys: {', '.join(shown)})")

    def check(self) -> None:
        """Raise the first problem (by line) as one SchemeError line, if there is any."""
        if not self.found:
            return
        from selfeval_xlsx.scheme.toml_lines import key_lines  # only when a file is wrong

        lines = key_lines(self.source)
        first = min(self.found, key=lambda p: lines.line(p.path))
        line, key = lines.line(first.path), _key(first.path)
        more = len(self.found) - 1
        more_zh = f"（另有 {more} 处问题：改正后再运行 selfeval scheme check 逐一查看）" if more else ""
        more_en = f" ({more} more: fix this one and run selfeval scheme check again)" if more else ""
        raise scheme_error(self.name, Text(
            f"第 {line} 行（{key}）：{first.text.zh}{more_zh}",
            f"line {line} ({key}): {first.text.en}{more_en}"))


def scheme_error(name: str, detail: Text) -> SchemeError:
    return SchemeError(Text(f"评分方案文件“{name}”有误：{detail.zh}。请修改方案文件后再试。",
                            f"Scoring scheme file '{name}' is invalid: {detail.en}. Fix the file "
                            "and retry."))


def _key(path: Path) -> str:
    texts = [p for p in path if isinstance(p, str)]
    if not texts:
        return "顶层"
    if isinstance(path[-1], int):
        return f"[[{texts[-1]}]]"
    return texts[-1]


# ---- typed values of a TOML table, each problem recorded at its key ----

def text(data: Table, key: str, path: Path, problems: Problems, required: bool = True) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        what = "缺少" if value is None else "须为非空文字："
        problems.add((*path, key), f"{what}文本项 {key}", f"text key '{key}' is missing or empty")
        return ""
    return value.strip()


def number(data: Table, key: str, path: Path, problems: Problems,
           default: Decimal | None = None) -> Decimal | None:
    value = data.get(key)
    if value is None:
        if default is None:
            problems.add((*path, key), f"缺少数值项 {key}", f"number key '{key}' is missing")
        return default
    converted = to_decimal(value)
    if converted is None:
        problems.add((*path, key), f"{key} 必须是数字（写的是 {value!r}）",
                     f"'{key}' must be a number (found {value!r})")
    return converted


def to_decimal(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    converted = Decimal(str(value))
    return converted if converted.is_finite() else None


def within(value: Decimal | None, low: Decimal | None, high: Decimal | None, key: str,
           path: Path, problems: Problems) -> Decimal | None:
    """`value` when it lies in [low, high] (either bound may be open: None)."""
    if value is None:
        return None
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"{'' if low is None else low}～{'' if high is None else high}"
        problems.add((*path, key), f"{key} 应在 {bounds} 之间（写的是 {value}）",
                     f"'{key}' must lie in {bounds} (found {value})")
        return None
    return value


def boolean(data: Table, key: str, path: Path, problems: Problems, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        problems.add((*path, key), f"{key} 只能是 true 或 false", f"'{key}' must be true or false")
        return default
    return value


def choice(data: Table, key: str, path: Path, problems: Problems, choices: tuple[str, ...],
           default: str) -> str:
    value = data.get(key, default)
    if value not in choices:
        allowed = "、".join(f'"{c}"' for c in choices)
        problems.add((*path, key), f"{key} 只能是 {allowed}（写的是 {value!r}）",
                     f"'{key}' must be one of {allowed} (found {value!r})")
        return default
    return str(value)


def tables(data: Table, key: str, path: Path, problems: Problems) -> list[Table]:
    """The tables of an array of tables `[[key]]` (none when absent)."""
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        problems.add((*path, key), f"{key} 须写成 [[{key}]] 表", f"'{key}' must be [[{key}]] tables")
        return []
    return value
