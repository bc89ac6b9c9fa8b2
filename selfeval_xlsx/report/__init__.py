"""Stage 5b, the narrative report draft (整体绩效自评报告), as a Word document.

Takes an `Evaluation`. Gives a .docx (`document`, python-docx) whose text is built as blocks
(`outline`) from the facts of the evaluation (`facts`): the unit's basics (`basics`) and the
results and problems per indicator (`results`). Every figure comes from the evaluation.
"""
