"""Checks: small pure functions that yield findings. They never print or raise for bad data."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from selfeval_xlsx.checks import explanations, fields, scores, structure, totals
from selfeval_xlsx.checks.context import Context
from selfeval_xlsx.findings import Finding

Check = Callable[[Context], Iterable[Finding]]

CHECKS: tuple[Check, ...] = (
    *structure.CHECKS,
    *fields.CHECKS,
    *totals.CHECKS,
    *scores.CHECKS,
    *explanations.CHECKS,
)


def run_checks(context: Context) -> list[Finding]:
    return [finding for check in CHECKS for finding in check(context)]
