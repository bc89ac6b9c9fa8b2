"""README's two set-up commands are the ones CI runs, and they name real things."""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def bash_blocks() -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", README, re.S)]


def test_readme_has_the_two_set_up_commands() -> None:
    commands = set(bash_blocks())
    assert len(commands) == 2
    main = next(c for c in commands if "selfeval score" in c)
    tests = next(c for c in commands if "pytest" in c)
    assert main.endswith("selfeval score samples/mazhang_2023.xlsx")
    assert "pip install -e" in main and 'pip install -e ".[test]"' in tests


def test_ci_runs_exactly_the_readme_commands() -> None:
    ci_lines = {line.strip() for line in CI.splitlines()}
    for command in bash_blocks():
        assert command in ci_lines, command


def test_readme_names_files_and_extras_that_exist() -> None:
    assert (ROOT / "samples" / "mazhang_2023.xlsx").is_file()
    assert (ROOT / "workbook_templates" / "selfeval_template.xlsx").is_file()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "test" in project["optional-dependencies"]
    assert project["scripts"]["selfeval"] == "selfeval_xlsx.cli:main"


def test_paths_named_in_readme_and_docs_exist() -> None:
    """Every repository path written in backticks (`selfeval_xlsx/...`, `tests/...`) exists,
    so a moved module cannot leave the docs pointing at nothing."""
    texts = [README, *(p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md"))]
    roots = ("selfeval_xlsx/", "tests/", "docs/", "benchmarks/", "samples/", "workbook_templates/")
    named = {m for text in texts for m in re.findall(r"`([\w./-]+)`", text) if m.startswith(roots)}
    assert named, "no paths found: the pattern is wrong"
    written_by_the_tool = ("_评分结果.xlsx", "_自评报告.docx")  # outputs of the commands shown
    missing = sorted(p for p in named
                     if not (ROOT / p).exists() and not p.endswith(written_by_the_tool))
    assert missing == []


def markdown_files() -> list[tuple[str, str]]:
    return [("README.md", README), *((f"docs/{p.name}", p.read_text(encoding="utf-8"))
                                     for p in sorted((ROOT / "docs").glob("*.md")))]


def test_every_relative_link_in_readme_and_docs_resolves() -> None:
    links = [(name, target) for name, text in markdown_files()
             for target in re.findall(r"\]\(([^)#\s]+)[^)]*\)", text)
             if not re.match(r"[a-z]+://", target)]
    assert links, "no links found: the pattern is wrong"
    base = {name: (ROOT / name).parent for name, _ in markdown_files()}
    broken = [(name, target) for name, target in links if not (base[name] / target).exists()]
    assert broken == []


def test_nothing_the_user_reads_points_outside_the_repository() -> None:
    user_facing = [*markdown_files(), (".ci/run", CI)]
    outside = [name for name, text in user_facing
               if "../shared" in text or "shared/spec" in text or "`spec/" in text]
    assert outside == []


def test_the_rule_catalogue_in_docs_lists_every_code_with_its_severity() -> None:
    from selfeval_xlsx.findings import RULE_SEVERITY

    rules = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| ([SVTPXRJ]\d{3}) \| (错误|警告|提示) \|", rules, re.M))
    words = {"error": "错误", "warning": "警告", "info": "提示"}
    assert rows == {code: words[severity.value] for code, severity in RULE_SEVERITY.items()}


def test_the_findings_shown_in_readme_are_what_the_sample_prints() -> None:
    """README's finding block is the end of `selfeval check` on the committed sample, line for
    line (run through the CLI, as a user would)."""
    from typer.testing import CliRunner

    from selfeval_xlsx.cli import app

    shown = re.search(r"## 问题（finding）长什么样\n.*?```\n(.*?)```", README, re.S)
    assert shown is not None
    printed = CliRunner().invoke(app, ["check", str(ROOT / "samples" / "mazhang_2023.xlsx")])
    assert printed.exit_code == 0
    assert printed.output.endswith(shown[1])
