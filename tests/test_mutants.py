"""The mutation catalogue (`benchmarks/mutants/`) stays usable as the code changes: every mutant
still applies to the code (its snippet occurs exactly once and the mutated file compiles), names
are unique, and an equivalent mutant says why. Running the catalogue is not part of the suite
(`python benchmarks/mutation.py`, minutes); this check is."""

from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from mutants import CATALOGUE
from mutation import stale


def test_every_mutant_applies_to_the_current_code() -> None:
    assert [m.name for m in CATALOGUE if stale(m, ROOT)] == []


def test_the_catalogue_is_large_and_its_names_unique() -> None:
    names = [m.name for m in CATALOGUE]
    assert len(names) >= 60 and len(set(names)) == len(names)
    assert all(m.reason for m in CATALOGUE)
