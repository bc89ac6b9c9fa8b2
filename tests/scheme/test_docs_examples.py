"""The examples of `docs/schemes.md` are valid scheme text: one example per rule type loads."""

from __future__ import annotations

import re

from conftest import ROOT

from selfeval_xlsx.scheme.load import parse_scheme
from selfeval_xlsx.scheme.model import RULE_TYPES

DOC = (ROOT / "docs" / "schemes.md").read_text(encoding="utf-8")
GRADES = '[[grades]]\nname = "优"\nmin = 90\n\n[[grades]]\nname = "差"\nmin = 0\n\n'


def test_one_example_per_rule_type_loads() -> None:
    block = next(b for b in re.findall(r"```toml\n(.*?)```", DOC, re.S) if "# proportional" in b)
    # the examples' weights: 10 + 8 + 5 + 5 + 2 + 60 + 10 + 5 + 3 + 4 = 112
    scheme = parse_scheme(f'id = "docs"\ntotal = 112\n{GRADES}{block}'.encode(), "schemes.md")
    kinds = {i.rule.kind for i in scheme.indicators}
    assert kinds == set(RULE_TYPES)
    assert scheme.total_weight == 112

