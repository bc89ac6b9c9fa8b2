"""The report draft's 部门重点项目 paragraph with `--projects`: the computed project scores, said
to come from the 项目支出绩效自评表; without it, the typed scores (project-form.md, Feeding)."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
from build_project_sample import PROJECT_SAMPLE
from fill import fill_rows

from selfeval_xlsx.api import report_file

HEADERS = ["序号", "项目名称", "预算数", "实际支出数", "项目自评得分"]


def paragraphs(sample: Path, tmp_path: Path, projects: list[Path]) -> list[str]:
    book = openpyxl.load_workbook(sample)
    fill_rows(book["重点项目"], "序号", HEADERS,
              [(1, "农村人居环境整治项目", 7.29, 7.29, 95), (2, "耕地地力保护补贴项目", 89.97, 89.97, 99)])
    source = tmp_path / "整体.xlsx"
    book.save(source)
    _, written = report_file(source, tmp_path / "报告.docx", projects=projects, force=True)
    return [p.text for p in docx.Document(str(written)).paragraphs if "重点项目2个" in p.text]


def test_the_paragraph_uses_the_computed_project_scores(sample: Path, tmp_path: Path) -> None:
    # computed 100.00 and 99.00 (typed 95 and 99): mean 99.50, D3 = 99.50 / 100 × 5 = 4.98
    found = paragraphs(sample, tmp_path, [PROJECT_SAMPLE])
    assert found and all("农村人居环境整治项目：预算数7.29万元，实际支出数7.29万元，核定得分100.00分" in p
                         for p in found)
    assert all("各项目得分按《项目支出绩效自评表》逐项核定，平均分99.50分" in p for p in found)
    assert any("得4.98分" in p for p in found)


def test_without_projects_the_typed_scores_are_reported(sample: Path, tmp_path: Path) -> None:
    # typed 95 and 99: mean 97.00, D3 4.85
    found = paragraphs(sample, tmp_path, [])
    assert found and all("自评得分95.00分" in p and "项目自评平均分97.00分" in p for p in found)
    assert not any("核定" in p for p in found)
