"""Uploaded file -> plain text: UTF-8 / GB18030 text, .docx, .pdf, simple HTML; clear errors otherwise."""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import PurePath

import charset_normalizer

from documents.parsing.docx_text import docx_to_text
from documents.parsing.errors import DocumentReadError
from policytrack.archives import check_archive

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_PDF_MAGIC = b"%PDF"
_ZIP_MAGIC = b"PK\x03\x04"
_RTF_MAGIC = b"{\\rtf"
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_MAX_CONTROL_SHARE = 0.05  # more control characters than this: not a text file
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f]")
_TEXT_EXTENSIONS = {"", ".txt", ".text", ".md", ".csv"}
_HTML_EXTENSIONS = {".html", ".htm", ".shtml", ".xhtml"}


def _check_text(text: str) -> str:
    if not text.strip():
        raise DocumentReadError("文件没有可识别的文字内容。")
    controls = len(_CONTROL_RE.findall(text))
    if controls / len(text) > _MAX_CONTROL_SHARE:
        raise DocumentReadError("文件内容不是文本(疑似二进制文件),请上传 .docx 或 .txt 文件。")
    return text


def read_text_bytes(data: bytes) -> str:
    """Decode text bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 / detected.

    Raises DocumentReadError for empty or binary data.
    """
    if not data:
        raise DocumentReadError("文件为空。")
    if data.startswith(_UTF8_BOM):
        return _check_text(data[len(_UTF8_BOM):].decode("utf-8", errors="replace"))
    if data.startswith(_UTF16_BOMS):
        return _check_text(data.decode("utf-16", errors="replace"))
    if b"\x00" in data:
        raise DocumentReadError("文件内容不是文本(疑似二进制文件),请上传 .docx 或 .txt 文件。")
    try:
        return _check_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    # Chinese government text that is not UTF-8 is almost always GB2312/GBK/GB18030; try it
    # first, as detectors can mistake short Chinese text for another legacy encoding.
    try:
        return _check_text(data.decode("gb18030"))
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise DocumentReadError("无法识别文件的文字编码,请另存为 UTF-8 文本或 .docx 后上传。")
    return _check_text(str(best))


class _TextExtractor(HTMLParser):
    """Visible text of an HTML page, one block element per line."""

    _BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table",
                         "section", "article", "header", "footer", "ul", "ol", "td", "th", "title"})
    _HIDDEN = frozenset({"script", "style", "noscript", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self.hidden += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Visible text of an HTML document, with block elements on their own lines."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    lines = (line.strip() for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def read_docx(path_or_file) -> str:
    """Text of a .docx (path or binary file object): paragraphs with Word auto-numbering, and tables."""
    try:
        return docx_to_text(path_or_file)
    except DocumentReadError:
        raise
    except Exception as error:  # python-docx raises many kinds on broken files
        raise DocumentReadError("无法读取该 Word 文档(.docx),文件可能已损坏。") from error


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def read_document(filename: str | None, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Text of an uploaded file, chosen by magic bytes first and extension second.

    Raises DocumentReadError (with a Chinese message for the user) for empty, oversized,
    old .doc, RTF, other binary files and undecodable text, and for PDFs that are scans,
    password-protected, longer than 300 pages or with more text than ``max_bytes``.
    """
    extension = PurePath(filename or "").suffix.lower()
    if not data:
        raise DocumentReadError("文件为空。")
    if len(data) > max_bytes:
        raise DocumentReadError(
            f"文件过大({len(data) / 1024 / 1024:.1f} MB),最大允许 {max_bytes / 1024 / 1024:.1f} MB。"
        )
    if data.startswith(_OLE_MAGIC):
        raise DocumentReadError("不支持旧版 Word(.doc)格式,请在 Word 中另存为 .docx 后再上传。")
    if data.startswith(_PDF_MAGIC) or (extension == ".pdf" and _PDF_MAGIC in data[:1024]):
        from documents.parsing.pdf import pdf_to_text  # pdfplumber is loaded for PDFs only

        return pdf_to_text(data, max_bytes)
    if data.startswith(_RTF_MAGIC):
        raise DocumentReadError("不支持 RTF 格式,请另存为 .docx 后再上传。")
    if data.startswith(_ZIP_MAGIC):
        check_archive(data, error=DocumentReadError)
        if _is_docx(data):
            return read_docx(io.BytesIO(data))
        raise DocumentReadError("不支持该压缩格式的文件,请上传 .docx 或 .txt 文件。")
    if extension == ".docx":
        raise DocumentReadError("文件扩展名为 .docx,但内容不是有效的 Word 文档。")
    if extension == ".doc":
        raise DocumentReadError("不支持旧版 Word(.doc)格式,请在 Word 中另存为 .docx 后再上传。")
    if extension == ".pdf":
        raise DocumentReadError("文件扩展名为 .pdf,但内容不是有效的 PDF 文件。")
    text = read_text_bytes(data)
    if extension in _HTML_EXTENSIONS or (extension not in _TEXT_EXTENSIONS and _looks_like_html(text)):
        return html_to_text(text)
    return text


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<body" in head or "<!doctype html" in head
