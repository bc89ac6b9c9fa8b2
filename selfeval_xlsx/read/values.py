"""Read raw cell values as amounts, counts, percentages, dates, choices and text.

Every parser returns a `Parsed` and never raises: unreadable input becomes an `Issue`
(V002 unreadable, V003 negative, V004 choice, V005 impossible date, V006 decimals, V008 unit).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Context, Decimal
from functools import lru_cache
from typing import NamedTuple

from selfeval_xlsx.text import Text

BLANK_MARKS = frozenset({"—", "——", "-", "--", "–", "/", "无"})
EXCEL_ERRORS = frozenset(
    {"#DIV/0!", "#REF!", "#VALUE!", "#N/A", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
)
YES_NO = ("是", "否")
_YES_NO_ALIASES = {
    **dict.fromkeys(("y", "yes", "√", "✓", "✔"), "是"),
    **dict.fromkeys(("n", "no", "×", "✗", "✘", "x"), "否"),
}
_NUMBER = re.compile(r"[+-]?(?:(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)")
_DATES = (
    re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日?"),
    re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})"),
)
_TIME_OF_DAY = re.compile(r"(?:\s+|T)(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]+)?)?$")  # after
# a date written as text ("2024-05-28 00:00:00", as a date cell exported to text shows)
INVISIBLE = "\u200b-\u200d\u2060\ufeff"  # what a paste from a web page or a BOM leaves (zero-width
# space and joiners, word joiner): never content
_INVISIBLE = re.compile(f"[{INVISIBLE}]+")
_SPACE = re.compile(rf"[\s{INVISIBLE}]+")  # whitespace and the invisible characters
_QUOTES = re.compile("[\"'“”‘’]")
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Issue:
    """A problem found in one value; the caller adds the location."""

    rule: str
    message: Text
    expected: str | Text
    actual: str


class Parsed(NamedTuple):
    """The value read from a cell (None when blank or unreadable; a named tuple: immutable,
    and cheap to make, one per typed cell)."""

    value: Decimal | int | str | date | None
    blank: bool
    issues: tuple[Issue, ...] = ()


@dataclass(frozen=True)
class _Kind:
    """What a parser expects, for messages."""

    name_zh: str
    name_en: str
    expected: Text
    hint_zh: str
    hint_en: str


_AMOUNT = _Kind("金额", "an amount", Text("金额（万元，最多两位小数）", "an amount in 万元, at most two decimals"),
               "请填写以万元为单位的数字，如 123.45", "enter a number in 万元, e.g. 123.45")
_COUNT = _Kind("人数", "a count", Text("整数（人数）", "a whole number (people)"),
              "请填写不带小数的整数，如 11", "enter a whole number, e.g. 11")
_PERCENT = _Kind("百分数", "a percentage", Text("百分数", "a percentage"),
                "请填写百分数，如 50.31 或 50.31%", "enter a percentage, e.g. 50.31 or 50.31%")
_SCORE = _Kind("得分", "a score", Text("得分（数字）", "a score (a number)"),
              "请填写数字，如 4 或 4.5", "enter a number, e.g. 4 or 4.5")
_YEAR = _Kind("年份", "a year", Text("2000–2100 的年份", "a year from 2000 to 2100"),
             "请填写 2000–2100 之间的四位年份，如 2023", "enter a year from 2000 to 2100")
_DATE = _Kind("日期", "a date", Text("日期（如 2024-05-28）", "a date (e.g. 2024-05-28)"),
             "请按 2024-05-28 或 2024年5月28日 的格式填写", "enter it like 2024-05-28")
_TEXT = _Kind("文字", "text", Text("文字", "text"), "请填写文字内容", "enter text")


def is_blank(raw: object) -> bool:
    """True for None, whitespace and the dash/slash/无 marks that mean "nothing here"."""
    if raw is None:
        return True
    if not isinstance(raw, str):
        return False
    return _blank_text(raw) if len(raw) <= 16 else normalise_text(raw) in _BLANK_TEXTS


_BLANK_TEXTS = frozenset(BLANK_MARKS | {""})


@lru_cache(maxsize=1024)
def _blank_text(raw: str) -> bool:
    """Short texts (every blank mark is one) are settled once per worker."""
    return normalise_text(raw) in _BLANK_TEXTS


def normalise_text(raw: str) -> str:
    """NFKC, without invisible characters, stripped."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", raw)).strip()


def normalise_label(raw: object) -> str:
    """Label for comparison: NFKC, no whitespace, zero-width characters or quotes, no 其中：
    prefix, no final colon."""
    if raw is None:
        return ""
    if type(raw) is str and len(raw) <= SHORT_LABEL:
        return _text_label(raw)
    return _label(_render(raw))


SHORT_LABEL = 64  # every label is shorter: longer texts are not cached, so that a batch worker's
# cache stays small whatever the workbooks hold


def _label(text: str) -> str:
    text = _SPACE.sub("", unicodedata.normalize("NFKC", text))  # _SPACE: invisible ones too
    return _QUOTES.sub("", text).removeprefix("其中:").rstrip(":")


@lru_cache(maxsize=8192)
def _text_label(text: str) -> str:
    """A short text's label: the labels of a form repeat on every sheet, each settled once."""
    return _label(text.strip())


def money(value: Decimal) -> Decimal:
    """Round to 0.01 half-up (non-finite values are returned unchanged)."""
    if not value.is_finite():
        return value
    context = Context(prec=max(28, value.adjusted() + 4))
    return value.quantize(_CENT, rounding=ROUND_HALF_UP, context=context)


def format_money(value: Decimal | None) -> str:
    """Plain text with exactly two decimals ("1234.50"); "" for None."""
    if value is None or not value.is_finite():
        return ""
    rounded = money(value)
    return f"{abs(rounded) if rounded == 0 else rounded:f}"


def parse_amount(raw: object, number_format: str = "") -> Parsed:
    """An amount in 万元 as Decimal; V008 for 元, V006 beyond two decimals, V003 if negative."""
    if (early := _early(raw, _AMOUNT)) is not None:
        return early
    if isinstance(raw, str):
        text = _compact(raw)
        if text.endswith("元") and not text.endswith("万元"):
            yuan = _text_number(text[:-1])
            if yuan is not None:
                return _failed(_wrong_unit(raw, yuan))
        value = _text_number(text.removesuffix("万元"))
    else:
        value = _number(raw, keep=2)
    if value is None:
        return _failed(_unreadable(raw, _AMOUNT))
    issues = [_negative(raw, _AMOUNT)] if value < 0 else []
    if _places(value) > 2:
        issues.append(_too_precise(raw, value))
    return Parsed(value, False, tuple(issues))


def formula_operand(raw: object, number_format: str = "") -> Decimal | None:
    """A cell that a formula refers to, read as an amount (the loader's `CellNumber`): its
    number, None when empty, ValueError when it holds no number. A number written as text
    ("872.25") is not one here: Excel's SUM leaves text out and its arithmetic takes some text
    and not other (万元), so computing with it would give what the clerk's Excel does not show."""
    if isinstance(raw, str) and not is_blank(raw):
        raise ValueError("V002")
    parsed = parse_amount(raw, number_format)
    if parsed.issues and parsed.value is None:
        raise ValueError(parsed.issues[0].rule)
    return parsed.value if isinstance(parsed.value, Decimal) else None


def parse_count(raw: object) -> Parsed:
    """A whole number as int; V002 for fractions, V003 if negative."""
    if (early := _early(raw, _COUNT)) is not None:
        return early
    if isinstance(raw, str):
        text = _compact(raw)
        value = _text_number(text[:-1] if text.endswith(("人", "名")) else text)
    else:
        value = _number(raw, keep=2)
    if value is None or value != value.to_integral_value():
        return _failed(_unreadable(raw, _COUNT))
    issues = (_negative(raw, _COUNT),) if value < 0 else ()
    return Parsed(int(value), False, issues)


def parse_percent(raw: object, number_format: str = "") -> Parsed:
    """A percentage in percent (50.31); a number in a "%"-formatted cell is a fraction."""
    if (early := _early(raw, _PERCENT)) is not None:
        return early
    if isinstance(raw, str):
        value = _text_number(_compact(raw).removesuffix("%"))
    elif scales_by_100(number_format):
        fraction = _number(raw, keep=6)
        value = None if fraction is None else _tidy(fraction * 100)
    else:
        value = _number(raw, keep=4)
    if value is None:
        return _failed(_unreadable(raw, _PERCENT))
    return Parsed(value, False)


_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')  # "text", \x and [colour] in a format


def scales_by_100(number_format: str | None) -> bool:
    """Whether a number format shows its value times 100 (`0.00%`). A literal percent sign
    (`0.00"%"`, `0.00\\%`, as LibreOffice writes it) only prints a sign: 50.31 stays 50.31."""
    return "%" in _LITERALS.sub("", number_format or "")


def parse_score(raw: object) -> Parsed:
    """A score as Decimal; text numbers and "4分" are accepted. Ranges are checked where the
    range is known: a negative 自评得分 is P001 (docs/rules.md), a project score outside 0–100 is
    V002."""
    if (early := _early(raw, _SCORE)) is not None:
        return early
    if isinstance(raw, str):
        value = _text_number(_compact(raw).removesuffix("分"))
    else:
        value = _number(raw, keep=4)
    if value is None:
        return _failed(_unreadable(raw, _SCORE))
    return Parsed(value, False)


def parse_year(raw: object) -> Parsed:
    """A year 2000..2100 as int; "2023年", "2023" and 2023.0 are accepted."""
    if (early := _early(raw, _YEAR)) is not None:
        return early
    if isinstance(raw, str):
        value = _text_number(_compact(raw).removesuffix("年"))
    else:
        value = _number(raw, keep=0)
    if value is None or value != value.to_integral_value() or not 2000 <= value <= 2100:
        return _failed(_unreadable(raw, _YEAR))
    return Parsed(int(value), False)


def parse_date(raw: object) -> Parsed:
    """A date from a date cell or text such as 2024年5月28日, 2024-05-28, 2024/5/28, 2024.5.28;
    also the number 20240528, as a clerk types it into a date cell (too large for a serial)."""
    if (early := _early(raw, _DATE)) is not None:
        return early
    if isinstance(raw, datetime):
        return Parsed(raw.date(), False)
    if isinstance(raw, date):
        return Parsed(raw, False)
    parts = (_date_parts(_compact(_TIME_OF_DAY.sub("", raw.strip()))) if isinstance(raw, str)
             else _number_date_parts(raw))
    if parts is None:
        return _failed(_unreadable(raw, _DATE))
    try:
        return Parsed(date(*parts), False)
    except ValueError:
        return _failed(_impossible_date(raw))


def parse_choice(raw: object, choices: tuple[str, ...]) -> Parsed:
    """One of `choices` (compared without whitespace, after NFKC); 是/否 also accept Y/N and √/×."""
    allowed = " / ".join(choices)
    kind = _Kind("选项", "a choice", Text(allowed, allowed), f"请从 {allowed} 中选择填写", f"choose {allowed}")
    if (early := _early(raw, kind)) is not None:
        return early
    key = _SPACE.sub("", unicodedata.normalize("NFKC", _render(raw)))
    for choice in choices:
        if key == _SPACE.sub("", unicodedata.normalize("NFKC", choice)):
            return Parsed(choice, False)
    if tuple(choices) == YES_NO and key.lower() in _YES_NO_ALIASES:
        return Parsed(_YES_NO_ALIASES[key.lower()], False)
    return _failed(_not_allowed(raw, choices))


def parse_text(raw: object) -> Parsed:
    """Text, stripped; whole floats without ".0", dates in ISO form."""
    return _early(raw, _TEXT) or Parsed(_render(raw), False)


# --- helpers -------------------------------------------------------------------------------


def _early(raw: object, kind: _Kind) -> Parsed | None:
    """Settle blanks, Excel errors, booleans and non-finite numbers the same way for every kind."""
    if is_blank(raw):
        return Parsed(None, True)
    if isinstance(raw, str) and raw.strip().upper() in EXCEL_ERRORS:
        return _failed(_excel_error(raw.strip().upper(), kind))
    if isinstance(raw, bool) or (isinstance(raw, float) and not math.isfinite(raw)) or (
            isinstance(raw, Decimal) and not raw.is_finite()):
        return _failed(_unreadable(raw, kind))
    return None


def _failed(issue: Issue) -> Parsed:
    return Parsed(None, False, (issue,))


def _compact(raw: str) -> str:
    """NFKC, the minus sign as "-", and no whitespace at all."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", raw).replace("−", "-"))


def _text_number(text: str) -> Decimal | None:
    """A plain decimal number with optional sign and correctly grouped "," separators."""
    return _bounded(Decimal(text.replace(",", ""))) if _NUMBER.fullmatch(text) else None


def _date_parts(text: str) -> tuple[int, int, int] | None:
    """Year, month and day from a date written as text, or None when it is not date-shaped."""
    chinese, separated = (pattern.fullmatch(text) for pattern in _DATES)
    if chinese:
        return int(chinese[1]), int(chinese[2]), int(chinese[3])
    if separated:
        return int(separated[1]), int(separated[3]), int(separated[4])
    if len(text) == 8 and text.isascii() and text.isdigit():  # 20240528, as the number is read
        return _number_date_parts(int(text))
    return None


def _number_date_parts(raw: object) -> tuple[int, int, int] | None:
    """Year, month and day of a whole number written as YYYYMMDD (19000101 to 21001231)."""
    value = _number(raw, keep=0)
    if value is None or value != value.to_integral_value() or not 19000101 <= value <= 21001231:
        return None
    year, rest = divmod(int(value), 10000)
    return year, rest // 100, rest % 100


def _number(raw: object, keep: int) -> Decimal | None:
    """int/float/Decimal as Decimal; float noise is removed when at most `keep` decimals remain."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal):
        return None
    if not isinstance(raw, float):
        return _bounded(Decimal(raw))
    value = Decimal(repr(raw))
    if value.adjusted() < 15:
        cleaned = _tidy(value.quantize(Decimal("1e-9"), rounding=ROUND_HALF_UP))
        if _places(cleaned) <= keep:
            return cleaned
    return _bounded(value)


def _bounded(value: Decimal) -> Decimal | None:
    """The value, or None when it is absurdly large (over 30 digits before the point)."""
    return value if value.is_finite() and value.adjusted() < 30 else None


def _tidy(value: Decimal) -> Decimal:
    """Drop trailing zeros after the decimal point without rounding (50.3100 -> 50.31)."""
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):
        return value
    kept = list(digits)
    while exponent < 0 and kept and kept[-1] == 0:
        kept.pop()
        exponent += 1
    return Decimal((sign, tuple(kept) or (0,), exponent))


def _places(value: Decimal) -> int:
    """Number of significant decimal places."""
    exponent = _tidy(value).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _render(raw: object) -> str:
    """Raw value as text: strings stripped, whole floats without ".0", dates in ISO form."""
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, bool):
        return str(raw).upper()
    if isinstance(raw, float) and math.isfinite(raw) and raw.is_integer() and abs(raw) < 1e16:
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == time() else raw.isoformat(sep=" ")
    if isinstance(raw, date | time):
        return raw.isoformat()
    if isinstance(raw, int | Decimal):  # via Decimal: str() refuses ints over 4300 digits
        return f"{Decimal(raw):f}" if Decimal(raw).is_finite() else str(raw)
    return str(raw)


def _issue(rule: str, raw: object, expected: str | Text, zh: str, en: str, *args: object) -> Issue:
    """An issue whose templates get the raw text as {0} and `args` as {1}, {2}..."""
    shown = _render(raw)
    return Issue(rule, Text(zh.format(shown, *args), en.format(shown, *args)), expected, shown)


def _excel_error(error: str, kind: _Kind) -> Issue:
    return _issue("V002", error, kind.expected,
                  "单元格是 Excel 错误值 {0}：请修正该单元格的公式或直接填写数值。",
                  "The cell holds the Excel error value {0}: fix its formula or type the value.")


def _unreadable(raw: object, kind: _Kind) -> Issue:
    return _issue("V002", raw, kind.expected, "“{0}”不能识别为{1}：{2}。",
                  "“{0}” cannot be read as {3}: {4}.",
                  kind.name_zh, kind.hint_zh, kind.name_en, kind.hint_en)


def _wrong_unit(raw: object, yuan: Decimal) -> Issue:
    return _issue("V008", raw, _AMOUNT.expected,
                  "“{0}”的单位是元，本表金额以万元为单位：请换算为万元（如 {1}）后填写数字。",
                  "“{0}” is in 元 (yuan), but amounts here are in 万元 (10,000 yuan): "
                  "convert it (e.g. {1}) and enter the number.",
                  f"{_tidy(yuan / 10000):f}")


def _negative(raw: object, kind: _Kind) -> Issue:
    return _issue("V003", raw, kind.expected, "{1}“{0}”是负数，{1}不能为负：请核对后填写。",
                  "{2} “{0}” is negative, which it cannot be: please check it.",
                  kind.name_zh, kind.name_en.capitalize())


def _too_precise(raw: object, value: Decimal) -> Issue:
    return _issue("V006", raw, _AMOUNT.expected,
                  "金额“{0}”有 {1} 位小数，本表金额最多保留两位小数：请四舍五入为 {2}。",
                  "Amount “{0}” has {1} decimals; amounts have at most two: round it to {2}.",
                  _places(value), format_money(value))


def _impossible_date(raw: object) -> Issue:
    return _issue("V005", raw, _DATE.expected,
                  "“{0}”不是实际存在的日期：请核对年、月、日后重新填写。",
                  "“{0}” is not a date that exists: check the year, month and day.")


def _not_allowed(raw: object, choices: tuple[str, ...]) -> Issue:
    allowed = " / ".join(choices)
    return _issue("V004", raw, allowed, "“{0}”不是可选的内容，只能填写：{1}。",
                  "“{0}” is not an allowed entry; enter one of: {1}.", allowed)
