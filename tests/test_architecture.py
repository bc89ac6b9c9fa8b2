"""The package is laid out as its pipeline, and imports only run down it.

Every module of `selfeval_xlsx` belongs to one layer; a module may import its own layer's unit
(its own package) and any lower layer, never a higher one, and never another unit of its own
layer. The layers are those of `docs/architecture.md`. The walk reads every `import` statement,
also those inside functions, so a lazy import cannot hide an upward dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "selfeval_xlsx"

# lowest first; a unit is a sub-package or a top-level module
LAYERS: tuple[frozenset[str], ...] = tuple(frozenset(units) for units in (
    {"", "text"},                                   # foundation: version, bilingual text
    {"errors", "findings"},                         # "cannot continue"; findings as values
    {"atomic"},                                     # outputs written atomically
    {"xlsx"},                                       # a file, safely opened as a package of cells
    {"scheme"},                                     # the scoring scheme as data
    {"template"},                                   # the declarative template and its writer
    {"read"},                                       # label-anchored location, value parsing, typing
    {"checks"},                                     # rules that yield findings
    {"scoring"},                                    # indicator rules over the scheme
    {"evaluate"},                                   # one workbook (部门整体 / 项目表) -> Result
    {"output", "report"},                           # the result workbook, the report draft
    {"api"},                                        # the library functions behind the commands
    {"batch", "console"},                           # many workbooks; console rendering
    {"cli"},                                        # the command line
    {"__main__"},                                   # `python -m selfeval_xlsx`
))


def unit_of(module: str) -> str:
    """`selfeval_xlsx.read.values` -> `read`; `selfeval_xlsx` -> ``."""
    parts = module.split(".")
    assert parts[0] == "selfeval_xlsx", module
    return parts[1] if len(parts) > 1 else ""


def layer_of(unit: str) -> int:
    found = [i for i, units in enumerate(LAYERS) if unit in units]
    assert found, f"unit {unit!r} of selfeval_xlsx is in no layer: add it to LAYERS and to " \
                  "docs/architecture.md"
    return found[0]


def module_name(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import of a selfeval_xlsx module in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            # `from selfeval_xlsx import guard` imports the module selfeval_xlsx.guard
            found.extend((node.lineno, f"{node.module}.{a.name}") for a in node.names
                         if (PACKAGE.parent / f"{node.module}.{a.name}".replace(".", "/")).exists()
                         or (PACKAGE.parent / (f"{node.module}.{a.name}".replace(".", "/")
                                               + ".py")).exists())
    return [(line, m) for line, m in found if m.split(".")[0] == "selfeval_xlsx"]


def violations(modules: dict[str, list[tuple[int, str]]]) -> list[str]:
    problems = []
    for module, imports in sorted(modules.items()):
        unit, level = unit_of(module), layer_of(unit_of(module))
        for line, target in imports:
            target_unit = unit_of(target)
            if target_unit == unit:
                continue
            target_level = layer_of(target_unit)
            if target_level > level:
                problems.append(f"{module}:{line} imports {target} (upward: layer {level} "
                                f"-> {target_level})")
            elif target_level == level:
                problems.append(f"{module}:{line} imports {target} (sideways within layer "
                                f"{level})")
    return problems


def cycles(modules: dict[str, list[tuple[int, str]]]) -> list[list[str]]:
    """Import cycles between modules (Tarjan's strongly connected components, size > 1)."""
    graph = {m: sorted({t for _, t in imports if t in modules and t != m})
             for m, imports in modules.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def package_imports() -> dict[str, list[tuple[int, str]]]:
    return {module_name(p): imported_modules(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_imports_only_run_down_the_pipeline() -> None:
    assert violations(package_imports()) == []


def test_no_import_cycles_between_modules() -> None:
    assert cycles(package_imports()) == []


def test_every_stage_package_says_what_it_takes_and_gives() -> None:
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, f"{init.relative_to(ROOT)} has no docstring"
        assert "Takes" in doc and "Gives" in doc, f"{init.relative_to(ROOT)}: say Takes/Gives"


def test_the_walk_catches_an_upward_a_sideways_and_a_circular_import() -> None:
    """The rules above would fail on these (so they are not tests that cannot fail)."""
    upward = {"selfeval_xlsx.read.values": [(3, "selfeval_xlsx.scoring.engine")]}
    sideways = {"selfeval_xlsx.report.facts": [(5, "selfeval_xlsx.output.sheets")]}
    read, scoring = layer_of("read"), layer_of("scoring")
    assert read < scoring
    assert violations(upward) == ["selfeval_xlsx.read.values:3 imports "
                                  f"selfeval_xlsx.scoring.engine (upward: layer {read} -> {scoring})"]
    assert len(violations(sideways)) == 1
    loop = {"selfeval_xlsx.read.a": [(1, "selfeval_xlsx.read.b")],
            "selfeval_xlsx.read.b": [(1, "selfeval_xlsx.read.a")]}
    assert cycles(loop) == [["selfeval_xlsx.read.a", "selfeval_xlsx.read.b"]]


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_is_in_a_layer(path: Path) -> None:
    layer_of(unit_of(module_name(path)))
