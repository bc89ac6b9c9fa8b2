"""The types of the one declarative description of a template (`docs/template.md`).

The template writer generates the workbook from it, the reader finds fields and tables by it,
and the output copies sheets by it. No cell coordinates live anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    YEAR = "year"
    DATE = "date"
    COUNT = "count"
    AMOUNT = "amount"
    PERCENT = "percent"
    SCORE = "score"
    QUANTITY = "quantity"  # a number (percent allowed) or, failing that, text: 指标值, 完成值


YES_NO = ("是", "否")
COMPLETION = ("完成", "部分完成", "未完成")
UNIT_TYPES = ("行政单位", "事业单位", "参照公务员法管理事业单位", "其他")
NATURES = ("定量", "定性")
DIRECTIONS = ("正向", "反向", "等于")


@dataclass(frozen=True)
class Field:
    label: str
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()
    note: str = ""
    prefilled: object = None  # a value the template writes (not an input cell)
    lines: int = 1  # > 1: free text in a merged input area that many rows high
    optional: bool = False  # its label may be missing (a field added later): no S002


@dataclass(frozen=True)
class Form:
    fields: tuple[Field, ...]
    span: int = 1  # template columns a field's value cell spans (merged), the note after them

    def field(self, label: str) -> Field:
        return next(f for f in self.fields if f.label == label)


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind
    width: int = 14
    choices: tuple[str, ...] = ()
    is_input: bool = True
    span: int = 1  # template columns this column spans (merged), e.g. free text across a sheet
    lines: int = 1  # free rows: lines of text a row is high
    hint: str = ""  # a text column with suggested words: the drop-down's prompt
    merged_down: bool = False  # free rows: a cell merged down over rows (一级指标 over its rows)
    # counts on every row it covers; only for words, never for numbers (a 分值 merged over three
    # rows is not three times that 分值, nor a third of it: the covered rows read as empty)


@dataclass(frozen=True)
class Row:
    label: str
    required: tuple[str, ...] = ()  # headers that must be filled on this row
    inputs: tuple[str, ...] | None = None  # input headers on this row (None: all input columns)
    values: dict[str, object] = field(default_factory=dict, hash=False, compare=False)
    indent: int = 0


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...] = ()
    free_rows: int = 0  # > 0: a free-row table with that many empty rows in the template
    required: tuple[str, ...] = ()  # free rows: headers required on every non-empty row
    total_row: str = ""  # a closing row label written by the template (合计)
    caption: str = ""  # a title printed above the header row
    stop_labels: tuple[str, ...] = ()  # free rows: labels that end the table besides 合计 / 注
    row_name: str = ""  # free rows: the column that names a row in findings (default: after 序号)

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    @property
    def label_header(self) -> str:
        return self.columns[0].header

    @property
    def merged_down(self) -> tuple[str, ...]:
        """The headers of the columns whose cells merged down over rows count on every row."""
        return tuple(c.header for c in self.columns if c.merged_down)

    def column(self, header: str) -> Column:
        return next(c for c in self.columns if c.header == header)

    def row_inputs(self, row: Row) -> tuple[str, ...]:
        inputs = tuple(c.header for c in self.columns if c.is_input)
        return inputs if row.inputs is None else row.inputs


Block = Form | Table


@dataclass(frozen=True)
class Sheet:
    name: str
    title: str
    guide: str  # one paragraph for 填表说明
    blocks: tuple[Block, ...]
    landscape: bool = False
    label_width: int = 26
    subtitle: tuple[str, str, str] = ("", "", "")  # (before, field on 填表说明, after): a line
    # under the title showing that field, e.g. ("（", "评价年度", "年度）")
    by_title: bool = False  # a sheet the clerk copies: found by its title, under any name

    @property
    def forms(self) -> tuple[Form, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Form))

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Table))


@dataclass(frozen=True)
class Template:
    version: int
    sheets: tuple[Sheet, ...]
    guide_lines: tuple[str, ...]
    form: str = "department"  # DEPARTMENT_FORM or PROJECT_FORM

    def sheet(self, name: str) -> Sheet:
        return next(s for s in self.sheets if s.name == name)

    def table(self, name: str) -> Table:
        return next(t for s in self.sheets for t in s.tables if t.name == name)

    def table_sheet(self, name: str) -> Sheet:
        return next(s for s in self.sheets if any(t.name == name for t in s.tables))

    @property
    def data_sheets(self) -> tuple[Sheet, ...]:
        return tuple(s for s in self.sheets if s.name not in (GUIDE, SCORE_SHEET))


GUIDE = "填表说明"
BASIC = "基本信息"
BUDGET = "收支预算"
FUNDS = "经费控制"
ASSETS = "资产管理"
TARGETS = "绩效目标"
TASKS = "重点工作"
PROJECTS = "重点项目"
CHECKLIST = "管理核对"
SCORE_SHEET = "评分表"
RETIREES = "离退休人员构成"
PERSONAL = "个性指标"

INITIAL = "年初预算数"
ADJUSTED = "调整后预算数"
FINAL = "决算数"
SHARE = "年初预算占比(%)"
AMOUNT_COLUMNS = (INITIAL, ADJUSTED, FINAL)

DEPARTMENT_FORM = "department"  # 部门整体支出绩效自评
PROJECT_FORM = "project"  # 项目支出绩效自评表
