"""The templates, described once as data.

Takes a `Scheme` (its indicators and checklist become the rows of 评分表 and 管理核对). Gives a
`Template` (`spec` holds the description types: sheets, forms, fields, tables, rows, columns;
`department` is template v1 of the 部门整体 workbook) from which `writer` generates the blank
workbook, the reader finds every field and the output copies the sheets. No cell coordinates
live anywhere else.
"""
