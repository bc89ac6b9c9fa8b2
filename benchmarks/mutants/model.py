"""A mutant of the catalogue, and the files it names (under `selfeval_xlsx/`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    name: str
    file: str
    original: str
    replacement: str
    reason: str
    tests: tuple[str, ...] = ()
    equivalent: str = ""
    more: tuple[tuple[str, str, str], ...] = ()

    @property
    def edits(self) -> tuple[tuple[str, str, str], ...]:
        return ((self.file, self.original, self.replacement), *self.more)


def m(name: str, file: str, original: str, replacement: str, reason: str,
      tests: tuple[str, ...] = (), equivalent: str = "",
      more: tuple[tuple[str, str, str], ...] = ()) -> Mutant:
    return Mutant(name, file, original, replacement, reason, tests, equivalent, more)


TOTALS, SUMS, FIELDS, SCORES, EXPLAIN, CONTEXT = (
    "checks/totals.py", "checks/sums.py", "checks/fields.py", "checks/scores.py",
    "checks/explanations.py", "checks/context.py")
RULES, ENGINE, RATIOS, MEASURES = ("scoring/rules.py", "scoring/engine.py", "scoring/ratios.py",
                                   "scoring/measures.py")
TARGET, REVIEW, PERSONAL = "scoring/target.py", "scoring/review.py", "scoring/personal.py"
LOAD, LOAD_RULES, PROBLEMS = "scheme/load.py", "scheme/load_rules.py", "scheme/problems.py"
SNAPSHOT, PROLOGUE, OWNERSHIP, EVALUATOR, LOCKS = ("xlsx/snapshot.py", "xlsx/prologue.py",
                                                   "xlsx/ownership.py", "xlsx/evaluator.py",
                                                   "xlsx/locks.py")
LOCATE, INPUTS = "read/locate.py", "read/inputs.py"
PROJECT_CHECKS, PROJECT_READ = "checks/project.py", "read/project.py"
MERGED, FRACTIONS = "checks/merged.py", "checks/fractions.py"
VALUES, FORMULAS, ARITHMETIC = "read/values.py", "xlsx/formulas.py", "xlsx/formula_arithmetic.py"
GUARD, SHEETS, BATCH_BOOK, BATCH = ("xlsx/guard.py", "output/sheets.py",
                                    "output/batch_workbook.py", "batch/__init__.py")
