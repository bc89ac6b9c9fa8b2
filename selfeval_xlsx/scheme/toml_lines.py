"""Where each key of a TOML file is written: `tomllib` gives values, not positions.

A light scan of the text: table headers (`[review.R001]`), array-of-tables headers
(`[[indicators]]`, counted), and `key = ...` lines at the top level of a table; strings and
multi-line arrays are skipped so that nothing inside a value is taken for a key. Paths are tuples
such as ("indicators", 3, "weight") or ("review", "R001"); a table's path maps to its header line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Path = tuple[str | int, ...]


@dataclass
class _State:
    depth: int = 0  # open [ and { of a value spanning lines
    quote: str = ""  # an open multi-line string: ''' or \"\"\"


@dataclass
class KeyLines:
    lines: dict[Path, int] = field(default_factory=dict)

    def line(self, path: Path) -> int:
        """The line of `path`, or of the nearest enclosing table written in the file; 1 if none."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1


def key_lines(text: str) -> KeyLines:
    found = KeyLines()
    counts: dict[Path, int] = {}
    table: Path = ()
    state = _State()
    for number, line in enumerate(text.splitlines(), start=1):
        if state.quote or state.depth:
            _scan(line, state)
            continue
        stripped = line.strip()
        if stripped.startswith("[["):
            array = _dotted(stripped[2:stripped.find("]]")])
            table = (*array, counts.get(array, 0))
            counts[array] = counts.get(array, 0) + 1
            found.lines.setdefault(table, number)
        elif stripped.startswith("["):
            table = _dotted(stripped[1:stripped.find("]")])
            found.lines.setdefault(table, number)
        elif "=" in stripped and not stripped.startswith("#"):
            key, value = _split_key(stripped)
            if key:
                found.lines.setdefault((*table, *_dotted(key)), number)
                _scan(value, state)
    return found


def _dotted(key: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in key.split(".") if part.strip())


def _split_key(line: str) -> tuple[str, str]:
    """`key = value` -> (key, value); a quoted key may hold "=" and "."."""
    if line[0] in "\"'":
        end = line.find(line[0], 1)
        if end < 0:
            return "", ""
        rest = line[end + 1:]
        if "=" not in rest:
            return "", ""
        return line[1:end], rest.split("=", 1)[1]
    key, value = line.split("=", 1)
    return key.strip(), value


def _scan(text: str, state: _State) -> None:
    """Follow strings and brackets through one line of a value."""
    at = 0
    while at < len(text):
        if state.quote:
            end = text.find(state.quote, at)
            if end < 0:
                return
            at, state.quote = end + 3, ""
            continue
        ch = text[at]
        if text.startswith(('"""', "'''"), at):
            state.quote, at = text[at:at + 3], at + 3
        elif ch in "\"'":
            at = _string_end(text, at)
        elif ch == "#":
            return
        else:
            state.depth += (ch in "[{") - (ch in "]}")
            at += 1


def _string_end(text: str, start: int) -> int:
    quote, at = text[start], start + 1
    while at < len(text):
        if quote == '"' and text[at] == "\\":
            at += 2
            continue
        if text[at] == quote:
            return at + 1
        at += 1
    return at
