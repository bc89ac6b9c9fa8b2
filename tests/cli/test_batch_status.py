"""A unit's status in the batch (`outputs.md`): `failed` when the workbook has errors, or warnings
with --strict, or when its own scored workbook (`--outputs`) could not be written; the batch
exits 1 when any workbook is not `ok`."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl

from selfeval_xlsx.batch import BatchOptions, batch_files
from selfeval_xlsx.xlsx.ownership import OUTPUT_SUFFIX


def test_a_scored_workbook_that_cannot_be_written_fails_its_unit(sample: Path,
                                                                 tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("甲.xlsx", "乙.xlsx"):
        shutil.copy(sample, inputs / name)  # the sample has no error: both would be ok
    outputs = tmp_path / "各单位"
    (outputs / f"甲{OUTPUT_SUFFIX}").mkdir(parents=True)  # a folder where 甲's workbook goes
    result = batch_files([inputs], BatchOptions(output=tmp_path / "汇总.xlsx", jobs=1,
                                                outputs=outputs))
    by_name = {Path(s["file"]).name: s for s in result.summaries}
    assert {name: s["status"] for name, s in by_name.items()} == {"甲.xlsx": "failed",
                                                                  "乙.xlsx": "ok"}
    assert "是一个文件夹" in by_name["甲.xlsx"]["output_error"]  # claimed before writing
    assert result.exit_code() == 1
    assert (outputs / f"乙{OUTPUT_SUFFIX}").is_file()
    assert result.summary_lines()[-1] == (
        f"各单位评分结果已写入 {outputs}：1 份；1 份未能写出（原因见汇总表的“备注”）")
    assert result.summary_lines("en")[-1] == (
        f"Scored workbooks written to {outputs}: 1; 1 could not be written (see 备注 in 汇总)")


def test_an_unreadable_file_fails_the_batch(sample: Path, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(sample, inputs / "甲.xlsx")
    (inputs / "乙.xlsx").write_text("单位名称,总分\n", encoding="utf-8")  # a CSV, renamed
    result = batch_files([inputs], BatchOptions(output=tmp_path / "汇总.xlsx", jobs=1))
    assert {Path(s["file"]).name: s["status"] for s in result.summaries} == {
        "甲.xlsx": "ok", "乙.xlsx": "unreadable"}
    assert result.exit_code() == 1


def test_strict_fails_a_unit_with_a_warning_in_its_summary_and_its_workbook(
        sample: Path, tmp_path: Path) -> None:
    """The sample's one warning (R001) fails it under --strict: status, `passed` and the 校验状态
    of its own scored workbook agree (without --strict it is ok and passed)."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(sample, inputs / "甲.xlsx")
    seen = []
    for strict in (False, True):
        outputs = tmp_path / f"各单位{int(strict)}"
        result = batch_files([inputs], BatchOptions(output=tmp_path / f"汇总{int(strict)}.xlsx",
                                                    jobs=1, strict=strict, outputs=outputs))
        (summary,) = result.summaries
        status = openpyxl.load_workbook(outputs / f"甲{OUTPUT_SUFFIX}")["汇总"]
        label = next(row[1] for row in status.iter_rows(values_only=True) if row[0] == "校验状态")
        seen.append((summary["status"], summary["passed"], label, result.exit_code()))
    assert seen == [("ok", True, "通过", 0), ("failed", False, "未通过", 1)]
