"""The narrative 整体绩效自评报告 as a Word document (python-docx), drafted from an Evaluation.

The sentences come from `outline`; this module lays them out the way a finance bureau expects:
A4, 2.5 cm margins, body 仿宋 三号 with 1.5 line spacing and a two-character first-line indent,
headings 黑体 / 楷体 / bold 仿宋, page numbers in the footer, placeholders highlighted.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from selfeval_xlsx.atomic import write_atomically
from selfeval_xlsx.evaluate import Evaluation
from selfeval_xlsx.report.facts import DRAFT_MARK, TITLE, Block, Kind
from selfeval_xlsx.report.outline import outline
from selfeval_xlsx.xlsx.ownership import REPORT_CATEGORY_PREFIX, Made

LATIN = "Times New Roman"
BODY_SIZE = 16  # 三号
TABLE_SIZE = 14  # 四号
RED = RGBColor(0xC0, 0x00, 0x00)
PLACEHOLDER = re.compile(r"(【请(?:填写|核实)：[^】]*】)")
THEME_FONTS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")

Doc = Any  # python-docx ships no type information
Paragraph = Any


@dataclass(frozen=True)
class Look:
    """How a paragraph style looks."""

    east_asia: str
    size: float
    bold: bool = False
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY
    indent: bool = True  # first line indented by two characters
    before: float = 0
    spacing: float = 1.5
    right: float = 0  # right indent, points


STYLES = {
    "Normal": Look("仿宋", BODY_SIZE),
    "Heading 1": Look("黑体", BODY_SIZE, bold=True),
    "Heading 2": Look("楷体", BODY_SIZE, bold=True),
    "Heading 3": Look("仿宋", BODY_SIZE, bold=True),
    "Report Title": Look("黑体", 22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
                         before=120),
    "Report Meta": Look("仿宋", BODY_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT, indent=False),
    "Report Signature": Look("仿宋", BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False,
                             before=BODY_SIZE * 3, right=BODY_SIZE * 2),
    "Report Table": Look("仿宋", TABLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
                         spacing=1.0),
    "Footer": Look("宋体", TABLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, spacing=1.0),
    "Header": Look("黑体", 12, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, spacing=1.0),
}
BLOCK_STYLES = {
    Kind.TITLE: "Report Title", Kind.META: "Report Meta", Kind.HEADING1: "Heading 1",
    Kind.HEADING2: "Heading 2", Kind.HEADING3: "Heading 3", Kind.BODY: "Normal",
    Kind.ITEM: "Normal", Kind.SIGNATURE: "Report Signature",
}


def default_report_path(input: Path) -> Path:
    """`<input stem>_自评报告.docx` beside the input."""
    return input.with_name(f"{input.stem}_自评报告.docx")


def write_report(evaluation: Evaluation, path: Path, lang: str = "zh") -> None:
    """Draft the report and write it atomically. The body is Chinese whatever `lang` is: the
    report is a Chinese official document."""
    document = build_document(outline(evaluation), draft=not evaluation.result.passed)
    document.core_properties.title = TITLE
    document.core_properties.category = REPORT_CATEGORY_PREFIX + Made.REPORT.value
    document.core_properties.author = evaluation.result.unit or ""
    document.core_properties.language = "en-US" if lang == "en" else "zh-CN"
    buffer = io.BytesIO()
    document.save(buffer)
    write_atomically(path, fixed_dates(buffer.getvalue()))


ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the date xlsxwriter gives the members of our workbooks


def fixed_dates(package: bytes) -> bytes:
    """The package with every member dated ZIP_EPOCH, as it was otherwise: python-docx dates
    them by the clock, so the same report written twice would differ in its bytes."""
    fixed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, \
            zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=ZIP_EPOCH)
            info.compress_type, info.external_attr = member.compress_type, member.external_attr
            target.writestr(info, source.read(member))
    return fixed.getvalue()


def build_document(blocks: list[Block], draft: bool) -> Doc:
    document = Document()
    setup_page(document)
    setup_styles(document)
    page_number_footer(document)
    if draft:
        draft_header(document)
    for block in blocks:
        RENDERERS.get(block.kind, add_paragraph)(document, block)
    return document


# ---------------------------------------------------------------- page and styles


def setup_page(document: Doc) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.54), Cm(2.54)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2.5)
    section.header_distance, section.footer_distance = Cm(1.5), Cm(1.5)


def set_fonts(r_pr: Any, east_asia: str) -> None:
    """Explicit fonts on an rPr: the CJK font in w:eastAsia, Times New Roman for Latin text."""
    fonts = r_pr.get_or_add_rFonts()
    for attribute in THEME_FONTS:
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute, name in (("ascii", LATIN), ("hAnsi", LATIN), ("eastAsia", east_asia),
                            ("cs", LATIN)):
        fonts.set(qn(f"w:{attribute}"), name)


def setup_styles(document: Doc) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(r_pr, "仿宋")
    r_pr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    for name, look in STYLES.items():
        style = styles[name] if name in styles else styles.add_style(name, 1)
        if style.base_style is None and name != "Normal":
            style.base_style = styles["Normal"]
        apply_look(style, look)


def apply_look(style: Any, look: Look) -> None:
    set_fonts(style.element.get_or_add_rPr(), look.east_asia)
    font = style.font
    font.size, font.bold, font.italic = Pt(look.size), look.bold, False
    font.color.rgb = RGBColor(0, 0, 0)
    color = style.element.rPr.find(qn("w:color"))
    for attribute in ("themeColor", "themeShade"):
        color.attrib.pop(qn(f"w:{attribute}"), None)
    layout = style.paragraph_format
    layout.alignment, layout.line_spacing = look.align, look.spacing
    layout.space_before, layout.space_after = Pt(look.before), Pt(0)
    layout.right_indent = Pt(look.right)
    layout.first_line_indent = Pt(2 * look.size) if look.indent else Pt(0)
    indent = style.element.get_or_add_pPr().get_or_add_ind()
    indent.set(qn("w:firstLineChars"), "200" if look.indent else "0")


# ---------------------------------------------------------------- header and footer


def field_run(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE) as fldChar runs, with a value shown until the reader updates it."""
    parts: list[tuple[str, str]] = [("begin", ""), ("instr", instruction), ("separate", ""),
                                    ("text", shown), ("end", "")]
    for kind, text in parts:
        run = paragraph.add_run(text if kind == "text" else "")
        if kind == "instr":
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = f" {text} "
            run._r.append(code)
        elif kind != "text":
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def page_number_footer(document: Doc) -> None:
    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.style = document.styles["Footer"]
    paragraph.add_run("— ")
    field_run(paragraph, "PAGE", "1")
    paragraph.add_run(" —")


def draft_header(document: Doc) -> None:
    paragraph = document.sections[0].header.paragraphs[0]
    paragraph.style = document.styles["Header"]
    run = paragraph.add_run(DRAFT_MARK)
    run.font.color.rgb, run.font.bold = RED, True


# ---------------------------------------------------------------- blocks


def add_text(paragraph: Paragraph, text: str, east_asia: str) -> None:
    """Runs with explicit CJK fonts; 【请填写：…】 placeholders highlighted for the clerk."""
    for piece in PLACEHOLDER.split(text):
        if not piece:
            continue
        run = paragraph.add_run(piece)
        set_fonts(run._r.get_or_add_rPr(), east_asia)
        if PLACEHOLDER.fullmatch(piece):
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def add_paragraph(document: Doc, block: Block) -> Paragraph:
    name = BLOCK_STYLES.get(block.kind, "Normal")
    paragraph = document.add_paragraph(style=document.styles[name])
    add_text(paragraph, block.text, STYLES[name].east_asia)
    if block.kind in (Kind.HEADING1, Kind.HEADING2, Kind.HEADING3):
        paragraph.paragraph_format.keep_with_next = True
    return paragraph


def add_title(document: Doc, block: Block) -> None:
    add_paragraph(document, block)
    spacer = document.add_paragraph(style=document.styles["Report Meta"])
    spacer.paragraph_format.space_after = Pt(BODY_SIZE * 2)


def add_meta(document: Doc, block: Block) -> None:
    add_paragraph(document, block).paragraph_format.left_indent = Pt(BODY_SIZE * 2)


def add_draft(document: Doc, block: Block) -> None:
    mark = block.text == DRAFT_MARK
    paragraph = document.add_paragraph(style=document.styles["Report Title" if mark else "Normal"])
    add_text(paragraph, block.text, "黑体" if mark else "仿宋")
    for run in paragraph.runs:
        run.font.color.rgb, run.font.bold = RED, True
        run.font.size = Pt(26 if mark else BODY_SIZE)
    paragraph.paragraph_format.space_before = Pt(0)


def add_page_break(document: Doc, block: Block) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def add_table(document: Doc, block: Block) -> None:
    table = document.add_table(rows=len(block.rows), cols=len(block.rows[0]))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cells, values in zip(table.rows, block.rows, strict=True):
        for cell, value in zip(cells.cells, values, strict=True):
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles["Report Table"]
            add_text(paragraph, value, "仿宋")
    for cell in table.rows[0].cells:
        for run in cell.paragraphs[0].runs:
            run.font.bold = True
    spacer = document.add_paragraph(style=document.styles["Report Table"])
    spacer.paragraph_format.space_after = Pt(BODY_SIZE / 2)


RENDERERS: dict[Kind, Callable[[Doc, Block], object]] = {
    Kind.DRAFT: add_draft,
    Kind.TITLE: add_title,
    Kind.META: add_meta,
    Kind.PAGE_BREAK: add_page_break,
    Kind.TABLE: add_table,
}
