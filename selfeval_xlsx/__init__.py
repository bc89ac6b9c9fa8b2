"""selfeval_xlsx: 部门整体支出绩效自评的模板、校验与评分。"""

__version__ = "0.1.0"
TEMPLATE_VERSION = 1
