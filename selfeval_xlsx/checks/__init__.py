"""Stage 3, the checks: the S, V, T, P and X rules of the catalogue over the typed inputs.

Takes a `Context` (`context`: inputs, located cells, scheme, template, and the rates shared
with the scoring). Gives findings: each check is a small pure function that yields `Finding`
values and never prints or raises for bad data; one module per family (`structure`, `fields`,
`totals`, `scores`, `explanations`), run in catalogue order by `run_checks`. `merged` names the
merged range of a finding at a covered cell, over the findings of either form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from selfeval_xlsx.checks import explanations, fields, scores, structure, sums, totals
from selfeval_xlsx.checks.context import Context
from selfeval_xlsx.findings import Finding

Check = Callable[[Context], Iterable[Finding]]

CHECKS: tuple[Check, ...] = (
    *structure.CHECKS,
    *fields.CHECKS,
    *sums.CHECKS,
    *totals.CHECKS,
    *scores.CHECKS,
    *explanations.CHECKS,
)


def run_checks(context: Context) -> list[Finding]:
    return [finding for check in CHECKS for finding in check(context)]
