"""Reading uploaded files: text encodings, .docx with auto-numbering, and clear errors."""

import io

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from documents.parsing import DocumentReadError, parse_document, read_document, read_docx, read_text_bytes

SAMPLE = "关于推进智慧园区建设的实施意见\n一、重点任务\n1.建设数据平台。〔责任单位:市数据局〕\n"


def test_it_reads_utf8_with_and_without_bom():
    assert read_text_bytes(SAMPLE.encode("utf-8")) == SAMPLE
    assert read_text_bytes(b"\xef\xbb\xbf" + SAMPLE.encode("utf-8")) == SAMPLE


def test_it_reads_gb18030_text():
    assert read_text_bytes(SAMPLE.encode("gb18030")) == SAMPLE
    assert read_document("plan.txt", SAMPLE.encode("gbk")) == SAMPLE


def test_it_reads_utf16_with_bom():
    assert read_text_bytes(SAMPLE.encode("utf-16")) == SAMPLE


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, ".doc"),
        ("scan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        ("empty.txt", b"", "为空"),
        ("blob.bin", bytes(range(256)) * 4, "二进制"),
        ("fake.docx", SAMPLE.encode("utf-8"), ".docx"),
        ("archive.zip", b"PK\x03\x04" + b"\x00" * 40, "压缩"),
    ],
)
def test_it_rejects_unreadable_files_with_a_chinese_message(name, data, message):
    with pytest.raises(DocumentReadError) as error:
        read_document(name, data)
    assert message in str(error.value)


def test_it_rejects_oversized_files():
    with pytest.raises(DocumentReadError, match="文件过大"):
        read_document("big.txt", SAMPLE.encode("utf-8") * 10, max_bytes=100)
    assert read_document("ok.txt", SAMPLE.encode("utf-8"), max_bytes=10_000) == SAMPLE


def test_it_reads_simple_html():
    html = "<html><body><p>一、重点任务</p><script>var x=1;</script><p>1.建设平台。</p></body></html>"
    assert read_document("page.html", html.encode("utf-8")) == "一、重点任务\n1.建设平台。"


def _numbering_xml() -> str:
    """A three-level list: 一、 / (一) / 1. as Word defines it."""
    levels = [("chineseCounting", "%1、"), ("chineseCounting", "(%2)"), ("decimal", "%3.")]
    lvl_xml = "".join(
        f'<w:lvl w:ilvl="{index}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for index, (fmt, text) in enumerate(levels)
    )
    return f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{lvl_xml}</w:abstractNum>'


def _numbered(paragraph, level: int, num_id: int = 90) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
    ))


def _build_docx() -> bytes:
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(_numbering_xml()))
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'
    ))
    document.add_paragraph("临江市关于推进数字政府建设的实施意见")
    for level, text in [
        (0, "重点任务"), (1, "夯实基础"),
        (2, "建设政务云平台。整合机房资源。〔责任单位:市数据局牵头,市财政局配合〕"),
        (2, "完善电子政务外网。〔责任单位:市工信局〕"),
        (1, "推进共享"), (2, "编制数据目录。〔责任单位:市数据局〕"),
        (0, "保障措施"),
    ]:
        _numbered(document.add_paragraph(text), level)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "任务"
    table.cell(0, 1).text = "责任单位"
    table.cell(1, 0).text = "建设平台"
    table.cell(1, 1).text = "市数据局"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_it_rebuilds_word_auto_numbering_and_reads_tables():
    text = read_document("plan.docx", _build_docx())
    lines = text.splitlines()
    assert lines[:4] == [
        "临江市关于推进数字政府建设的实施意见", "一、重点任务", "(一)夯实基础",
        "1.建设政务云平台。整合机房资源。〔责任单位:市数据局牵头,市财政局配合〕",
    ]
    assert lines[4].startswith("2.完善电子政务外网")
    assert lines[5:8] == ["(二)推进共享", "1.编制数据目录。〔责任单位:市数据局〕", "二、保障措施"]
    assert lines[-2:] == ["任务\t责任单位", "建设平台\t市数据局"]


def test_a_docx_parses_into_measures():
    document = parse_document(read_docx(io.BytesIO(_build_docx())))
    assert [(m.number, m.lead or m.responsible) for m in document.measures] == [
        ("一.(一).1", ["市数据局"]), ("一.(一).2", ["市工信局"]), ("一.(二).1", ["市数据局"]),
        # The table restates none of them: its row is a measure of its own.
        ("1", ["市数据局"]),
    ]


def test_a_broken_docx_gives_a_clear_error():
    data = _build_docx()
    broken = data[:200] + b"\x00" * 200 + data[400:]
    with pytest.raises(DocumentReadError):
        read_document("broken.docx", broken)
