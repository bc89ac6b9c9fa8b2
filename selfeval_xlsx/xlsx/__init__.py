"""Stage 1, the file: open an input safely and read it as a package of cells.

Takes a path. Gives a `LoadedWorkbook` (`workbook.load`): the file's bytes read once, and every
sheet's cached values, number formats, merged ranges and cell looks streamed from them
(`package`, `sheet_part`, within the budget of `xmlstream`), with formulas saved without a value
computed in Decimal (`formulas`, `evaluator`). Before any XML is parsed, `guard` refuses what is
not a safe, plausibly sized .xlsx/.xlsm (legacy .xls, encryption, damaged zips and members,
duplicate members, zip bombs, entity declarations) with one bilingual line (`guard_messages`).
Knows nothing of the template or the scheme.
"""
