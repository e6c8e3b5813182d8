"""The bulletin (通报) as a Word file laid out as an official document (公文), after GB/T 9704:
A4, 37 mm top and 28 mm binding margins around a 156 × 225 mm text block, the issuing office's
name in red over its document number and a red line (红头), the title, the recipients (主送), the
body in 仿宋_GB2312 at 3号 (16 pt) on a fixed 28 pt line, part headings in 黑体, the sign-off
(落款) and date on the right, and page numbers "— 1 —" at the foot.

Fonts are named as offices have them (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312); each run
also names a Latin font (Times New Roman) for digits and letters. Word substitutes a font the
machine lacks; the print page (static/css/policytrack.css) lists fallbacks in its font stacks.
"""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from tasks.dashboard.bulletins import OfficialDocument

RED = RGBColor(0xE6, 0x00, 0x12)
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
NOTE_FONT = "楷体_GB2312"
NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(16)  # 3号
TABLE_SIZE = Pt(10.5)  # 五号: the tables have up to nine columns
LINE = Pt(28)
NO_SPACE = Pt(0)


def _font(run, east_asia: str, size, *, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = LATIN_FONT
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)


def _paragraph(document, text: str = "", *, font: str = BODY_FONT, size=BODY_SIZE, align=None, indent: bool = True,
               bold: bool = False, color: RGBColor | None = None, line=LINE, space_after=NO_SPACE):
    paragraph = document.add_paragraph()
    paragraph.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    layout = paragraph.paragraph_format
    layout.line_spacing_rule, layout.line_spacing = WD_LINE_SPACING.EXACTLY, line
    layout.space_before, layout.space_after = NO_SPACE, space_after
    if indent:
        layout.first_line_indent = size * 2  # two characters
    if text:
        _font(paragraph.add_run(text), font, size, bold=bold, color=color)
    return paragraph


def _red_line(paragraph) -> None:
    """The red rule under the document number: the paragraph's bottom border."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "4"), ("w:color", str(RED))):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _page_numbers(section) -> None:
    """— 1 — centred at the foot of every page (a PAGE field between two dashes)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), NUMBER_FONT, Pt(14))
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = paragraph.add_run("1")
    _font(run, NUMBER_FONT, Pt(14))
    field.append(run._element)  # moves the run inside the field: its text is the field's last value
    paragraph._p.append(field)
    _font(paragraph.add_run(" —"), NUMBER_FONT, Pt(14))


def _table(document, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cells, texts, bold in [(table.rows[0].cells, header, True)] + [
            (table.add_row().cells, row, False) for row in rows]:
        for cell, text in zip(cells, texts, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            _font(paragraph.add_run(text), HEADING_FONT if bold else BODY_FONT, TABLE_SIZE)


def write(official: OfficialDocument) -> bytes:
    """The .docx bytes of ``official``."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = LATIN_FONT, BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    _page_numbers(section)

    center = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(document, official.issuer, font=TITLE_FONT, size=Pt(36), align=center, indent=False, color=RED,
               line=Pt(48), space_after=Pt(24))
    number = _paragraph(document, official.doc_number, align=center, indent=False, space_after=Pt(24))
    _red_line(number)
    _paragraph(document, official.title, font=TITLE_FONT, size=Pt(22), align=center, indent=False, line=Pt(36),
               space_after=Pt(28))
    _paragraph(document, official.recipients, indent=False)
    for text in official.foreword:
        _paragraph(document, text)
    for part in official.parts:
        _paragraph(document, part.heading, font=HEADING_FONT)
        for text in part.paragraphs:
            _paragraph(document, text)
        if part.table is not None:
            _table(document, *part.table)
    for text in official.note:
        _paragraph(document, text, font=NOTE_FONT, size=Pt(14), line=Pt(24))
    _paragraph(document)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    signed = _paragraph(document, official.signed, align=right, indent=False)
    signed.paragraph_format.right_indent = Pt(32)  # 右空四字 in spirit: clear of the edge
    dated = _paragraph(document, official.date, align=right, indent=False)
    dated.paragraph_format.right_indent = Pt(32)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
