"""The scoring scheme (评分方案) as data.

Takes a TOML file (`schemes/default.toml` when none is given, or a bureau's own). Gives a
validated `Scheme` value (`model`): indicators with weights, methods and rule parameters,
checklist items, grade bands; `load` reads and validates it and raises `SchemeError` with one
line naming the file. Imports neither the template nor the scoring: both read it.
"""
