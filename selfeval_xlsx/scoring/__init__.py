"""Stage 4, the scoring: every indicator of the scheme scored over the checked inputs.

Takes the checks' `Context` (inputs, located cells, scheme, template). Gives a `Scoring`
(`results`: indicator, group and total scores, grade, key ratios, the JSON of them) with its
P findings (`engine`), the 自动 indicators computed by the rules in `rules`. Decimal throughout,
each score clamped to [0, weight] and rounded half-up to 0.01.
"""
