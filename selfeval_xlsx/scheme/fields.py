"""The names a scheme may use: template fields a measure can name, the optional fields a scheme
adds to its template on demand, and the tables the row-based rules work on.

This is the scheme's vocabulary, not the template's layout (`template/` lays the fields out and
adds the optional ones the scheme asks for); `tests/scheme/test_fields.py` checks that every name
here is a field of the template built with all optional fields.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

BASIC, BUDGET, FUNDS, ASSETS = "基本信息", "收支预算", "经费控制", "资产管理"
TARGETS, TASKS, PROJECTS, PERSONAL = "绩效目标", "重点工作", "重点项目", "个性指标"
BUDGET_ROWS = ("收入合计", "一般公共预算拨款", "政府性基金拨款", "国有资本经营预算拨款", "财政专户管理资金",
               "单位资金", "支出合计", "基本支出", "工资福利支出", "对个人和家庭的补助", "商品和服务支出",
               "资本性支出", "项目支出", "一般公共预算拨款支出合计", "一般公共预算基本支出",
               "一般公共预算项目支出")
BUDGET_COLUMNS = ("年初预算数", "调整后预算数", "决算数")
FUNDS_ROWS = ("三公经费合计", "因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费",
              "公用经费")
FUNDS_COLUMNS = ("预算数", "实际支出数")
STAFF_COUNTS = ("行政编制数", "事业编制数", "年末在职行政人员", "年末在职后勤服务人员", "年末在职事业在编人员",
                "年末在职不在编人员", "离退休人员合计", "外聘合同工人数")
ASSET_AMOUNTS = ("固定资产总额", "实际在用固定资产总额")

AMOUNT, COUNT, TEXT = "amount", "count", "text"
_SPACE = re.compile(r"\s+")
_QUOTES = re.compile("[\"'“”‘’]")


def normalise_name(name: str) -> str:
    """A name as compared: NFKC, no whitespace, no quotes (as the reader compares labels)."""
    return _QUOTES.sub("", _SPACE.sub("", unicodedata.normalize("NFKC", name)))


@dataclass(frozen=True)
class FieldRef:
    """One template value a measure can name: a table cell (`行.列`) or a form field (its label)."""

    name: str  # as written in schemes: 支出合计.决算数, 固定资产总额
    sheet: str
    table: str  # "" for a form field
    row: str  # the table's row label, or the form field's label
    column: str  # the table's column; "" for a form field
    kind: str  # amount | count | text
    optional: bool = False  # added to the template only when a scheme uses it
    note: str = ""  # the template's note beside an optional field ({r003}: R003's threshold)

    @property
    def display(self) -> str:
        """As messages name it: 支出合计决算数, 固定资产总额."""
        return f"{self.row}{self.column}"


def _table_fields(sheet: str, rows: tuple[str, ...], columns: tuple[str, ...]) -> list[FieldRef]:
    return [FieldRef(f"{r}.{c}", sheet, sheet, r, c, AMOUNT) for r in rows for c in columns]


OPTIONAL_FIELDS = (
    FieldRef("预算调整情况说明", BUDGET, "", "预算调整情况说明", "", TEXT, True,
             "预算调整率超过{r003}%时必须填写调整原因"),  # {r003}: the scheme's R003 threshold
    FieldRef("年初结转和结余", BUDGET, "", "年初结转和结余", "", AMOUNT, True, "万元，上年结转到本年的资金"),
    FieldRef("年末结转和结余", BUDGET, "", "年末结转和结余", "", AMOUNT, True, "万元，结转到下年的资金"),
    FieldRef("政府采购预算数", BUDGET, "", "政府采购预算数", "", AMOUNT, True, "万元"),
    FieldRef("政府采购实际数", BUDGET, "", "政府采购实际数", "", AMOUNT, True, "万元"),
    FieldRef('上年"三公"经费决算数', FUNDS, "", '上年"三公"经费决算数', "", AMOUNT, True,
             "万元，上年度决算中的“三公”经费支出"),
    FieldRef("主要职能", BASIC, "", "主要职能", "", TEXT, True, "按“三定”方案简述"),
)
STANDARD_FIELDS = (
    *_table_fields(BUDGET, BUDGET_ROWS, BUDGET_COLUMNS),
    *_table_fields(FUNDS, FUNDS_ROWS, FUNDS_COLUMNS),
    *(FieldRef(label, BASIC, "", label, "", COUNT) for label in STAFF_COUNTS),
    *(FieldRef(label, ASSETS, "", label, "", AMOUNT) for label in ASSET_AMOUNTS),
)
FIELDS = {normalise_name(f.name): f for f in (*STANDARD_FIELDS, *OPTIONAL_FIELDS)}
NUMERIC_FIELDS = {key: f for key, f in FIELDS.items() if f.kind != TEXT}

# `sum(表.列)`: a column of a free-row table, added up over its rows
SUMMABLE = {normalise_name(n): n for n in ("重点项目.预算数", "重点项目.实际支出数")}
COMPLETION_TABLES = (TARGETS, TASKS)  # rows with 完成情况: the `completion` rule
MEAN_SCORE_COLUMNS = {PROJECTS: ("项目自评得分", "预算数")}  # table: (score column, funds column)
TARGET_ROWS = PERSONAL  # the table scored row by row by the `target` rule

# The measures of the default scheme, by the names the ratios and the report know them by.
STANDARD_MEASURES = {
    "adjustment_rate": "abs(支出合计.调整后预算数 - 支出合计.年初预算数) / 支出合计.年初预算数",
    "execution_rate": "支出合计.决算数 / 支出合计.调整后预算数",
    "asset_utilisation": "实际在用固定资产总额 / 固定资产总额",
    "sangong_control": "三公经费合计.实际支出数 / 三公经费合计.预算数",
    "public_funds_control": "公用经费.实际支出数 / 公用经费.预算数",
    "target_completion": TARGETS,
    "key_task_completion": TASKS,
    "key_project_mean": "重点项目.项目自评得分",
}


def optional_field(name: str) -> FieldRef | None:
    found = FIELDS.get(normalise_name(name))
    return found if found is not None and found.optional else None
