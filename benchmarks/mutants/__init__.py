"""The mutation catalogue of `benchmarks/mutation.py`: small deliberate bugs, one at a time.

Each mutant is (name, file under `selfeval_xlsx/`, the exact original snippet, its replacement,
the bug it stands for), and where one bug takes two edits, the `more` edits (file, original,
replacement) applied with it. The snippet must occur exactly once in the file, or the mutant is STALE
and the tool fails: when the code changes, update the snippet (or drop a mutant whose code is
gone). `tests` names test files to run first for a mutant, where the package's default
(`FIRST_TESTS` in `mutation.py`) would reach the killing test late.

A mutant is `equivalent` when no test can tell it from the original; the text says why.

`model.py` holds the `Mutant` and the files it names; `rules.py` the mutants of the rules (checks,
scoring, the reviewers' rules, the target formulas, the value parser, the project form's fraction
hint); `files.py` those of what
surrounds them (formulas, the scheme loader, the guard, the outputs, ownership, S005 / S006).
"""

from __future__ import annotations

from mutants.files import FORMULA, GUARD_AND_OUTPUT, OWNERSHIP_AND_STRUCTURE, SCHEME
from mutants.model import Mutant
from mutants.rules import (
    CHECKS_OTHERS,
    CHECKS_TOTALS,
    FRACTION_SLIP,
    PARSER,
    REVIEW_RULES,
    SCORING,
    TARGETS,
)

__all__ = ["CATALOGUE", "Mutant"]

CATALOGUE: tuple[Mutant, ...] = (*CHECKS_TOTALS, *CHECKS_OTHERS, *SCORING, *REVIEW_RULES, *TARGETS,
                                 *PARSER, *FRACTION_SLIP, *FORMULA, *SCHEME, *GUARD_AND_OUTPUT,
                                 *OWNERSHIP_AND_STRUCTURE)
