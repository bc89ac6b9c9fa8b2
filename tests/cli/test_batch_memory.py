"""The batch parent keeps every summary until the consolidated workbook is written: the keys
and short texts the summaries repeat are held once (`batch.shared`), not once per unit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from selfeval_xlsx.batch import SHORT_TEXT, BatchOptions, batch_files, shared


def test_shared_keeps_the_value_and_holds_repeated_texts_once() -> None:
    text = json.dumps({"rule": "X010", "findings": [{"sheet": "收支预算", "n": 1.5}],
                       "message": "长" * (SHORT_TEXT + 1), "passed": True, "unit": None})
    first, second = json.loads(text), json.loads(text)
    assert first["rule"] is not second["rule"]  # two decodings: two copies of each text
    a, b = shared(first), shared(second)
    assert a == first and b == second
    assert [k1 is k2 for k1, k2 in zip(a, b, strict=True)] == [True] * 5
    assert a["rule"] is b["rule"]
    assert a["findings"][0]["sheet"] is b["findings"][0]["sheet"]
    assert a["message"] is not b["message"]  # a long text is kept as it came


def test_summaries_from_the_workers_share_their_keys(sample: Path, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("甲.xlsx", "乙.xlsx"):
        shutil.copy(sample, inputs / name)
    result = batch_files([inputs], BatchOptions(output=tmp_path / "汇总.xlsx", jobs=2))
    first, second = result.summaries
    pairs = [(k1, k2) for k1, k2 in zip(first, second, strict=True) if k1 == k2]
    assert len(pairs) == len(first)
    assert all(k1 is k2 for k1, k2 in pairs)
    assert first["findings"], "the sample has findings to compare"
    assert all(f1["rule"] is f2["rule"] and f1["sheet"] is f2["sheet"]
               for f1, f2 in zip(first["findings"], second["findings"], strict=True))
