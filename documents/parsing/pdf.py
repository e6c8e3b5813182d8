"""The text of a PDF: prose lines joined again, ruled tables as TAB rows, page furniture removed.

pdfplumber reads the text layer and finds ruled tables (cells bounded by drawn lines). For each
page the table cells become a grid (a merged cell's text carried into every slot it covers)
and the rest becomes lines; then

- running headers and footers (a line repeated at the top or bottom of most pages) and page
  numbers (— 3 —, 第3页, 3/12) are dropped;
- lines that wrap inside a paragraph are joined: a new paragraph starts indented, after a
  short line, or with a heading marker;
- a table continued on the next page (its header repeated, or the page opening with a table
  of the same width) is one table, and a row cut by the page break (the new page's first row
  has no 序号) is joined to the row it continues;
- compatibility characters are folded: PDF text often carries Kangxi and supplementary radicals
  (⼀ ⽀ ⼒ ⺠ ⻔) for 一 支 力 民 门.

The result is plain text that ``parse_document`` reads: prose for the prose parser, tables in
the TAB form that the table model reads. Refused with ``DocumentReadError`` (nothing read in
full first): password-protected files, more than ``MAX_PAGES`` pages, text larger than the
document limit, and scans (pages with pictures and no text layer).
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from documents.parsing.errors import DocumentReadError

MAX_PAGES = 300
_MIN_TEXT_PER_PAGE = 20  # fewer characters than this per page on average: a scan
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[—–\-―－]+\s*\d{1,4}\s*[—–\-―－]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|"
    r"\d{1,4}\s*/\s*\d{1,4}|\d{1,4}|[-—]\s*\d{1,4}|-?\s*[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+\s*-?)\s*$"
)
_HEADING_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+\s*[、.．]|[(（]\s*[一二三四五六七八九十百\d]+\s*[)）]|\d{1,3}\s*[.．、]"
    r"|[①-⑳]|附件|第[一二三四五六七八九十百]+[章节条部分])"
)
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
# Supplementary radicals have no NFKC form; these are the ones fonts map common characters to.
_RADICALS = str.maketrans({
    "⺠": "民", "⻔": "门", "⻓": "长", "⻛": "风", "⻢": "马", "⻉": "贝", "⻋": "车", "⻅": "见", "⻜": "飞",
    "⻝": "食", "⻥": "鱼", "⻩": "黄", "⻬": "齐", "⻮": "齿", "⻰": "龙", "⻳": "龟", "⺟": "母", "⻄": "西",
    "⻆": "角", "⻚": "页", "⻈": "讠", "⺮": "竹", "⻣": "骨", "⻤": "鬼", "⻨": "麦", "⻘": "青", "⻙": "韦",
    "⻁": "虎", "⺁": "厂", "⺇": "几", "⺈": "⺈", "⺊": "卜", "⺌": "小", "⺍": "小", "⺕": "彐", "⺗": "心",
    "⺝": "月", "⺩": "王", "⺪": "疋", "⺫": "罒", "⺯": "糸", "⺶": "羊", "⺷": "羊", "⺸": "羊", "⺻": "聿",
    "⺼": "肉", "⻌": "辶", "⻍": "辶", "⻎": "辶", "⻏": "阝", "⻑": "長", "⻗": "雨", "⻒": "镸",
})
_COMPATIBILITY = re.compile(r"[\u2e80-\u2fdf\uf900-\ufaff\u3190-\u319f]")


def fold_compatibility(text: str) -> str:
    """Kangxi radicals, supplementary radicals and compatibility ideographs as the usual characters."""
    text = text.translate(_RADICALS).replace("\u2015", "\u2014")  # 破折号 printed as a horizontal bar
    return _COMPATIBILITY.sub(lambda match: unicodedata.normalize("NFKC", match.group()), text)


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    size: float


@dataclass
class _Table:
    top: float
    rows: list[list[str]]


@dataclass
class _Page:
    width: float
    items: list[_Line | _Table] = field(default_factory=list)


def _join_cell(text: str | None) -> str:
    """A cell's lines as one: no space between Chinese characters, one elsewhere."""
    parts = [part.strip() for part in (text or "").split("\n") if part.strip()]
    joined = ""
    for part in parts:
        if joined and not (_CJK.search(joined[-1]) or _CJK.search(part[0])):
            joined += " "
        joined += part
    return joined.replace("\t", " ")


def _grid(table) -> list[list[str]]:
    """The table's cells by row and column, a merged cell's text in every slot it covers."""
    raw = table.extract()
    rows = table.rows
    columns: dict[int, tuple[float, float]] = {}
    for row in rows:
        for index, cell in enumerate(row.cells):
            if cell is not None and index not in columns:
                columns[index] = (cell[0], cell[2])
    by_box = {}
    for r_index, row in enumerate(rows):
        for c_index, cell in enumerate(row.cells):
            if cell is not None:
                by_box[cell] = _join_cell(raw[r_index][c_index])
    grid: list[list[str]] = []
    for row in rows:
        filled = [cell for cell in row.cells if cell is not None]
        if len(filled) == 1 and len(row.cells) > 1:  # one cell over the row: a category line
            grid.append([by_box[filled[0]]])
            continue
        top = min(cell[1] for cell in filled) if filled else 0
        bottom = max(cell[3] for cell in filled) if filled else 0
        values = []
        for c_index, cell in enumerate(row.cells):
            if cell is not None:
                values.append(by_box[cell])
                continue
            x0, x1 = columns.get(c_index, (0, 0))
            x, y = (x0 + x1) / 2, (top + bottom) / 2
            cover = next((box for box in by_box if box[0] <= x <= box[2] and box[1] <= y <= box[3]), None)
            values.append(by_box[cover] if cover else "")
        grid.append(values)
    return grid


def _read_page(page) -> tuple[_Page, int]:
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]

    def outside(obj) -> bool:
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    found = _Page(width=float(page.width))
    prose = page.filter(outside) if boxes else page
    size = 0
    for line in prose.extract_text_lines(return_chars=False):
        text = line["text"].strip()
        if text:
            found.items.append(_Line(text, line["x0"], line["x1"], line["top"], line["bottom"] - line["top"]))
            size += len(text)
    for table in tables:
        rows = _grid(table)
        if rows:
            found.items.append(_Table(table.bbox[1], rows))
            size += sum(len(cell) for row in rows for cell in row)
    found.items.sort(key=lambda item: item.top)
    return found, size


def _furniture(pages: list[_Page]) -> set[str]:
    """Lines repeated at the top or bottom of most pages: running headers and footers."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        lines = [item for item in page.items if isinstance(item, _Line)]
        edge = {re.sub(r"\d+", "#", line.text) for line in lines[:2] + lines[-2:]}
        counts.update(edge)
    return {text for text, count in counts.items() if count >= max(2, len(pages) // 2)}


def _strip_furniture(page: _Page, repeated: set[str]) -> None:
    lines = [item for item in page.items if isinstance(item, _Line)]
    edges = {id(line) for line in lines[:2] + lines[-2:]}
    page.items = [
        item for item in page.items
        if not (isinstance(item, _Line) and id(item) in edges
                and (_PAGE_NUMBER.match(item.text) or re.sub(r"\d+", "#", item.text) in repeated))
    ]


def _paragraphs(lines: list[_Line]) -> list[str]:
    """Lines joined into paragraphs."""
    if not lines:
        return []
    left = Counter(round(line.x0) for line in lines).most_common(1)[0][0]
    right = max(line.x1 for line in lines)
    paragraphs: list[str] = []
    previous: _Line | None = None
    for line in lines:
        char = max(line.size, 1.0)
        starts = (
            previous is None
            or line.x0 > left + 0.8 * char
            or previous.x1 < right - 1.5 * char
            or bool(_HEADING_START.match(line.text))
            or abs(line.size - previous.size) > 1.5
        )
        if starts:
            paragraphs.append(line.text)
        else:
            joiner = "" if _CJK.search(paragraphs[-1][-1]) or _CJK.search(line.text[0]) else " "
            paragraphs[-1] += joiner + line.text
        previous = line
    return paragraphs


def _continues_row(last: list[str], first: list[str]) -> bool:
    """The first row of a continued table is the rest of the last one: same width, no number of
    its own where the last row had one."""
    return len(last) == len(first) > 1 and not first[0].strip() and bool(last[0].strip()) and any(first)


def _join_parts(before: str, after: str) -> str:
    if not before or not after:
        return before or after
    return before + ("" if _CJK.search(before[-1]) or _CJK.search(after[0]) else " ") + after


def _tab_lines(rows: list[list[str]]) -> list[str]:
    return ["\t".join(row) for row in rows if any(row)]


def pdf_to_text(data: bytes, max_bytes: int, first_pages: int | None = None) -> str:
    """The text of a PDF (see the module docstring); raises DocumentReadError on a refusal.

    ``first_pages`` reads only that many pages (the benchmark measures growth with it)."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        count = resolve1(resolve1(document.catalog.get("Pages")).get("Count", 0)) if document.catalog.get(
            "Pages") else 0
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise DocumentReadError(
            "该 PDF 文件已加密(需要密码才能打开),无法读取。请上传未加密的 PDF、.docx 原文,或粘贴文字。"
        ) from error
    except Exception as error:  # pdfminer raises many kinds (PSEOF, PDFSyntaxError ...) on broken files
        raise DocumentReadError("无法读取该 PDF 文件,文件可能已损坏。") from error
    if isinstance(count, int) and count > MAX_PAGES:
        raise DocumentReadError(f"PDF 共 {count} 页,超过 {MAX_PAGES} 页的上限,请拆分后上传或上传 .docx 原文。")
    pages: list[_Page] = []
    total, images = 0, 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise DocumentReadError(
                    f"PDF 共 {len(pdf.pages)} 页,超过 {MAX_PAGES} 页的上限,请拆分后上传或上传 .docx 原文。")
            for page in pdf.pages[:first_pages]:
                read, size = _read_page(page)
                images += len(page.images)
                pages.append(read)
                total += size * 3  # UTF-8 bytes of Chinese text
                if total > max_bytes:
                    raise DocumentReadError(
                        f"PDF 的文字内容超过 {max_bytes / 1024 / 1024:.1f} MB 的上限,请拆分后上传。")
                page.close()
    except DocumentReadError:
        raise
    except Exception as error:  # pdfminer raises many kinds on broken files
        raise DocumentReadError("无法读取该 PDF 文件,文件可能已损坏。") from error
    characters = sum(len(item.text) if isinstance(item, _Line) else 1 for page in pages for item in page.items)
    if not pages or characters < _MIN_TEXT_PER_PAGE * len(pages):
        kind = "扫描图片" if images else "没有文字层的文件"
        raise DocumentReadError(
            f"该 PDF 是{kind},没有可读取的文字。请上传 .docx 原文,或在网页上复制正文后粘贴导入。"
        )
    return _text(pages)


def _text(pages: list[_Page]) -> str:
    """Paragraphs (joined across page breaks too) and tables (continued across pages) in order."""
    repeated = _furniture(pages)
    out: list[str] = []
    run: list[_Line] = []
    open_table: list[list[str]] | None = None  # the last item read was this table
    for page in pages:
        _strip_furniture(page, repeated)
        for position, item in enumerate(page.items):
            if isinstance(item, _Line):
                run.append(item)
                open_table = None
                continue
            out.extend(_paragraphs(run))
            run = []
            rows = item.rows
            if open_table is not None and position == 0:
                if rows and rows[0] == open_table[0]:
                    rows = rows[1:]  # the header repeated on the next page
                if not rows or len(rows[0]) in (len(open_table[0]), 1):
                    last = open_table[-1]
                    if rows and _continues_row(last, rows[0]) and out and out[-1] == "\t".join(last):
                        # A row cut by the page break: its first column (序号) is empty on the new page.
                        joined = [_join_parts(a, b) for a, b in zip(last, rows[0], strict=True)]
                        open_table = [*open_table[:-1], joined]
                        out[-1] = "\t".join(joined)
                        rows = rows[1:]
                    out.extend(_tab_lines(rows))
                    open_table = open_table + rows
                    continue
            out.extend(_tab_lines(rows))
            open_table = rows
    out.extend(_paragraphs(run))
    return fold_compatibility("\n".join(out))
