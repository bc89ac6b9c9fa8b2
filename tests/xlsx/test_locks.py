"""Lock files beside a workbook (S006, `docs/rules.md`): Excel and WPS leave `~$` + a name beside a
workbook that is open. WPS keeps the whole file name; Excel drops the first two characters of a
long one. Only a regular file of that name is a lock; a folder of that name is not."""

from __future__ import annotations

import shutil
from pathlib import Path

from selfeval_xlsx.evaluate import check_workbook
from selfeval_xlsx.xlsx.locks import lock_file_of

NAME = "马家湾镇2023年自评表.xlsx"


def test_a_wps_lock_keeps_the_whole_name(tmp_path: Path) -> None:
    lock = tmp_path / f"~${NAME}"
    lock.write_bytes(b"\x00" * 165)
    assert lock_file_of(tmp_path / NAME) == lock


def test_an_excel_lock_drops_the_first_two_characters(tmp_path: Path) -> None:
    lock = tmp_path / "~$湾镇2023年自评表.xlsx"  # 马家 dropped
    lock.write_bytes(b"\x00" * 165)
    assert lock_file_of(tmp_path / NAME) == lock


def test_no_lock_a_folder_of_that_name_or_another_workbooks_lock(tmp_path: Path) -> None:
    assert lock_file_of(tmp_path / NAME) is None
    (tmp_path / f"~${NAME}").mkdir()
    assert lock_file_of(tmp_path / NAME) is None
    (tmp_path / "~$另一个单位.xlsx").write_bytes(b"\x00" * 165)
    assert lock_file_of(tmp_path / NAME) is None


def test_s006_names_the_excel_lock_beside_the_input(sample: Path, tmp_path: Path) -> None:
    path = tmp_path / NAME
    shutil.copy(sample, path)
    (tmp_path / "~$湾镇2023年自评表.xlsx").write_bytes(b"\x00" * 165)
    found = [(f.rule, f.severity.value, f.label) for f in check_workbook(path).findings
             if f.rule == "S006"]
    assert found == [("S006", "warning", "~$湾镇2023年自评表.xlsx")]
