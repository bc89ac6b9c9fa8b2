"""Stage 5a, the output workbooks, written with xlsxwriter.

Takes an `Evaluation` (one workbook: `workbook`, the 评分结果 of `score`) or the batch summaries
(`batch_workbook`, the bureau's consolidated workbook). Gives .xlsx files written atomically:
formulas carry their computed values, clerk text is always a string cell, A4 print setup.
`sheets` holds the shared building blocks, the 校验结果 sheet and the data-sheet copies.
"""
