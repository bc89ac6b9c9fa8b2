"""Stage 2, the reading: find every field by its label and type every value.

Takes a `LoadedWorkbook` and a `Template`. Gives a `RawWorkbook` (`locate`: label-anchored
cells of every form and table, S001/S002 findings for what is missing) and then `Inputs`
(`inputs`: each cell parsed by its kind, with the V findings parsing raises). `values` is the
value parser (text numbers, full-width digits, 万元, percentages, dates, choices, blanks) and
the half-up `money` rounding everyone uses.
"""
