"""The sample's output workbook equals its golden copy cell by cell (values, formulas, cached
values, number formats), with the volatile parts (tool version, input hash) masked and the
generation time fixed by SOURCE_DATE_EPOCH."""

from __future__ import annotations

from pathlib import Path

import pytest
from golden import EPOCH, GOLDEN, cell_facts

from selfeval_xlsx.api import score_file


def test_sample_output_equals_the_golden_copy(sample: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path / "out.xlsx"
    score_file(sample, out)
    fresh, golden = cell_facts(out), cell_facts(GOLDEN)
    assert list(fresh) == list(golden)
    for sheet in golden:
        assert fresh[sheet] == golden[sheet], sheet


def test_golden_copy_holds_the_spec_figures() -> None:
    facts = cell_facts(GOLDEN)
    summary = {value for _, value, _, _ in facts["汇总"]} | {c for _, _, c, _ in facts["汇总"]}
    assert {"湛江市麻章区科工贸和信息化局", "优", "通过"} <= summary
    assert 99 in summary  # the total's cached value (spec: 99.00)
    scores = [(coord, cached) for coord, _, cached, _ in facts["评分表"] if cached == 9]
    assert scores  # B1 = 9.00


def test_two_runs_with_a_fixed_epoch_are_byte_identical(sample: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    score_file(sample, first)
    score_file(sample, second)
    assert first.read_bytes() == second.read_bytes()
