"""Text of a .docx with python-docx, rebuilding Word's automatic numbering (一、 / (一) / 1.).

Word stores '一、' of an auto-numbered paragraph not in the text but in numbering
definitions (w:numPr -> w:num -> w:abstractNum -> w:lvl: start, numFmt, lvlText). We keep a
counter per list and level, restart deeper levels when a shallower one advances, and
print the number with the level's format, so the parser sees the heading as printed.
"""

from __future__ import annotations

from dataclasses import dataclass

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from documents.parsing.numerals import CIRCLED, int_to_cn

_CN_FORMATS = frozenset({
    "chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "japaneseCounting",
    "taiwaneseCounting", "taiwaneseCountingThousand", "koreanCounting",
})
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
          (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_MAX_LEVELS = 9


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str


def _roman(number: int) -> str:
    parts = []
    for value, letters in _ROMAN:
        while number >= value:
            parts.append(letters)
            number -= value
    return "".join(parts)


def format_number(number: int, fmt: str) -> str:
    """One counter in a Word number format (decimal, chineseCounting, decimalEnclosedCircle ...)."""
    if fmt in _CN_FORMATS:
        return int_to_cn(number)
    if fmt == "ideographDigital":
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(number))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= number <= len(CIRCLED):
        return CIRCLED[number - 1]
    if fmt == "decimalZero":
        return f"{number:02d}"
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (number - 1) % 26)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(number)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("bullet", "none"):
        return ""
    return str(number)  # decimal, decimalFullWidth, decimalHalfWidth and anything unknown


def _val(element, tag: str) -> str | None:
    child = element.find(qn(tag)) if element is not None else None
    return child.get(qn("w:val")) if child is not None else None


class _Numbering:
    """Numbering definitions of a document and the running counters."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, _Level]] = {}
        self.overrides: dict[str, dict[int, int]] = {}
        self.counters: dict[str, list[int | None]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, _Level]] = {}
        for node in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in node.findall(qn("w:lvl")):
                ilvl = int(lvl.get(qn("w:ilvl"), "0"))
                levels[ilvl] = _Level(int(_val(lvl, "w:start") or 1), _val(lvl, "w:numFmt") or "decimal",
                                      _val(lvl, "w:lvlText") or "")
            abstract[node.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            num_id = num.get(qn("w:numId"))
            self.levels[num_id] = abstract.get(_val(num, "w:abstractNumId") or "", {})
            overrides = {}
            for override in num.findall(qn("w:lvlOverride")):
                start = _val(override, "w:startOverride")
                if start is not None:
                    overrides[int(override.get(qn("w:ilvl"), "0"))] = int(start)
            self.overrides[num_id] = overrides

    def label(self, num_id: str, ilvl: int) -> str:
        """Advance the counter of (list, level) and return the printed number."""
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels or num_id == "0":
            return ""
        counters = self.counters.setdefault(num_id, [None] * _MAX_LEVELS)
        ilvl = min(ilvl, _MAX_LEVELS - 1)
        start = self.overrides.get(num_id, {}).get(ilvl, levels[ilvl].start)
        current = counters[ilvl]
        counters[ilvl] = start if current is None else current + 1
        for deeper in range(ilvl + 1, _MAX_LEVELS):
            counters[deeper] = None
        text = levels[ilvl].text
        for level in range(ilvl, -1, -1):
            placeholder = f"%{level + 1}"
            if placeholder in text:
                value = counters[level]
                if value is None:
                    value = levels[level].start if level in levels else 1
                fmt = levels[level].fmt if level in levels else "decimal"
                text = text.replace(placeholder, format_number(value, fmt))
        return text


def _num_pr(paragraph) -> tuple[str, int] | None:
    """(numId, ilvl) of a paragraph, from its own properties or its style chain."""
    p_pr = paragraph._p.pPr
    num_pr = p_pr.numPr if p_pr is not None else None
    style = paragraph.style
    while num_pr is None and style is not None:
        style_pr = style.element.pPr
        num_pr = style_pr.numPr if style_pr is not None else None
        style = style.base_style
    if num_pr is None or num_pr.numId is None:
        return None
    ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
    return str(num_pr.numId.val), int(ilvl)


def _table_lines(table) -> list[str]:
    """One TAB-separated line per row, one cell per grid column.

    A cell merged across columns (gridSpan) repeats its text in each column it covers and a
    cell merged down (vMerge) in each row, so every line has the table's column count; a row
    that is one merged cell (a category such as 一、产业升级) is written once.
    """
    lines = []
    for row in table.rows:
        cells = [" ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()) for cell in row.cells]
        if len({id(cell._tc) for cell in row.cells}) == 1 or len(set(cells)) == 1:
            cells = cells[:1]
        if any(cells):
            lines.append("\t".join(cells))
    return lines


def docx_to_text(path_or_file) -> str:
    """Paragraphs (with auto-numbers) and tables of a .docx, in body order, one per line."""
    document = docx.Document(path_or_file)
    numbering = _Numbering(document)
    lines: list[str] = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            paragraph = Paragraph(element, document)
            text = paragraph.text
            num = _num_pr(paragraph)
            prefix = numbering.label(*num) if num else ""
            if text.strip() or prefix:
                lines.append(prefix + text)
        elif element.tag == qn("w:tbl"):
            lines.extend(_table_lines(Table(element, document)))
    return "\n".join(lines)
