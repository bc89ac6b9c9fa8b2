"""The reviewers' rules in the outputs: the 汇总's 复核提示 block (one row per R finding, 无 when
none), the console's 复核提示 line, and the findings of the JSON."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from fill import find_text
from rule_workbooks import budget
from scored import write
from typer.testing import CliRunner

from selfeval_xlsx.cli import app
from selfeval_xlsx.evaluate import evaluate_workbook

runner = CliRunner()


def review_rows(path: Path) -> list[tuple[object, object]]:
    ws = openpyxl.load_workbook(path)["汇总"]
    label = find_text(ws, "复核提示")
    rows = [(label.value, ws.cell(label.row, 2).value)]
    row = label.row + 1
    while not ws.cell(row, 1).value and ws.cell(row, 2).value:  # continued: no label
        rows.append((None, ws.cell(row, 2).value))
        row += 1
    return rows


def fully_spent(sample: Path, folder: Path) -> Path:
    """All of the budget spent: B1 = 10, no R001 (and no other R rule)."""
    book = openpyxl.load_workbook(sample)
    budget(book, "支出合计", "决算数", 902.25)
    budget(book, "项目支出", "决算数", 448.30)
    path = folder / "spent.xlsx"
    book.save(path)
    return path


def test_no_review_findings_say_none(sample: Path, tmp_path: Path) -> None:
    out = write(evaluate_workbook(fully_spent(sample, tmp_path)), tmp_path / "out.xlsx")
    assert review_rows(out) == [("复核提示", "无")]


def test_each_review_finding_has_a_row(sample: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(sample)
    budget(book, "支出合计", "决算数", 676.69)  # 75%: R001 and R002
    budget(book, "项目支出", "决算数", 222.74)
    path = tmp_path / "low.xlsx"
    book.save(path)
    rows = review_rows(write(evaluate_workbook(path), tmp_path / "out.xlsx"))
    assert [str(text).split("（")[0] for _, text in rows] == ["R002 执行率偏低", "R001 高分低执行"]
    assert rows[0][0] == "复核提示" and rows[1][0] is None


def test_the_console_names_the_review_findings(sample: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", str(sample), "-o", str(tmp_path / "a.xlsx")])
    assert "复核提示：R001 高分低执行" in result.stdout
    english = runner.invoke(app, ["score", str(sample), "-o", str(tmp_path / "b.xlsx"),
                                  "--lang", "en"])
    assert "Review notes: R001 high score, low execution" in english.stdout
    none = runner.invoke(app, ["score", str(fully_spent(sample, tmp_path)), "-o",
                               str(tmp_path / "c.xlsx")])
    assert "复核提示：无" in none.stdout
