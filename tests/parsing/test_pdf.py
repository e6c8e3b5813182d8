"""Reading PDFs: prose joined again, ruled tables as rows, page furniture gone, and every refusal."""

import io
from pathlib import Path
from unittest import mock

import pytest
from pypdf import PdfWriter

from documents.parsing import DocumentReadError, parse_document, read_document
from documents.parsing.pdf import MAX_PAGES, fold_compatibility, pdf_to_text

PDFS = Path(__file__).resolve().parent / "fixtures" / "pdf"


def _read(name: str, **kwargs) -> str:
    return read_document(name, (PDFS / name).read_bytes(), **kwargs)


def test_it_folds_the_radicals_pdf_fonts_map_characters_to():
    assert fold_compatibility("⼀⽀⼒⼈⺠政府各部⻔—") == "一支力人民政府各部门—"
    assert fold_compatibility("２０２６年（一）") == "２０２６年（一）"  # full-width forms are the parser's business


def test_prose_lines_are_joined_and_page_furniture_is_dropped():
    text = _read("prose_plan.pdf")
    lines = text.splitlines()
    assert "云川市人民政府办公室" not in lines[:1]  # the running header of every page
    assert not [line for line in lines if line.strip().startswith("—") and line.strip().endswith("—")]
    # A paragraph that runs over a page break is one line again.
    assert any(line.startswith("2.发展社区嵌入式养老服务。") and line.endswith("市自然资源局）") for line in lines)
    assert "⼈" not in text and "⺠" not in text


def test_a_table_over_two_pages_is_one_table_with_its_repeated_header_dropped():
    text = _read("task_table.pdf")
    assert text.count("序号\t重点任务\t牵头单位\t配合单位\t完成时限") == 1
    rows = [line for line in text.splitlines() if "\t" in line]
    assert len(rows) == 21
    # Row 3 shares a merged 牵头单位 cell with row 2: the cell is carried into both.
    assert rows[3].split("\t")[:3] == ["3", rows[3].split("\t")[1], "市政务服务管理局"]
    measures = parse_document(text).measures
    assert [m.number for m in measures] == [str(n) for n in range(1, 21)]
    assert measures[2].lead == ["市政务服务管理局"] and measures[2].path == ["一、提升政务服务效能"]


def test_prose_with_an_attached_table_gets_the_table_s_units_and_deadlines():
    measures = parse_document(_read("prose_with_table.pdf")).measures
    assert [m.number for m in measures] == ["1", "2", "3", "4", "5", "6"]
    first = measures[0]
    assert first.path == ["一、主要任务"] and first.lead == ["市商务局"]
    assert first.supporting == ["市财政局", "市发展改革委"] and str(first.deadlines[0].date) == "2026-12-31"
    assert measures[1].lead == [] and measures[1].responsible == ["市商务局", "市住房城乡建设局"]


def test_a_scan_without_a_text_layer_is_refused_with_what_to_do():
    with pytest.raises(DocumentReadError) as error:
        _read("scanned.pdf")
    assert "扫描图片" in str(error.value) and ".docx" in str(error.value) and "粘贴" in str(error.value)


def test_a_password_protected_pdf_is_refused():
    with pytest.raises(DocumentReadError, match="加密"):
        _read("encrypted.pdf")


def _blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_pdf_over_the_page_limit_is_refused_before_its_pages_are_read():
    data = _blank_pdf(MAX_PAGES + 1)
    with mock.patch("pdfplumber.open", side_effect=AssertionError("pages read")), pytest.raises(
        DocumentReadError, match=f"{MAX_PAGES + 1} 页"
    ):
        read_document("long.pdf", data)


def test_a_pdf_whose_text_exceeds_the_limit_is_refused_while_reading():
    data = (PDFS / "bench_long.pdf").read_bytes()
    with mock.patch("documents.parsing.pdf._text", side_effect=AssertionError("read in full")), pytest.raises(
        DocumentReadError, match="文字内容超过"
    ):
        pdf_to_text(data, max_bytes=20_000)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("broken.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog", "损坏"),
        ("blank.pdf", _blank_pdf(2), "没有文字层"),
        ("fake.pdf", "一、重点任务".encode(), "不是有效的 PDF"),
    ],
)
def test_broken_and_empty_pdfs_are_refused(name, data, message):
    with pytest.raises(DocumentReadError, match=message):
        read_document(name, data)


def test_a_pdf_that_only_restricts_printing_is_read():
    from pypdf import PdfReader

    writer = PdfWriter(clone_from=PdfReader(str(PDFS / "prose_with_table.pdf")))
    writer.encrypt(user_password="", owner_password="owner-only", permissions_flag=-3904)  # no printing, no copying
    buffer = io.BytesIO()
    writer.write(buffer)
    assert len(parse_document(read_document("restricted.pdf", buffer.getvalue())).measures) == 6


def test_a_row_cut_by_a_page_break_is_joined_to_the_row_it_continues():
    from documents.parsing.pdf import _Line, _Page, _Table, _text

    header = ["序号", "重点任务", "牵头单位", "完成时限"]
    first = _Page(595, [_Line("重点任务分工表", 100, 300, 50, 15),
                        _Table(80, [header, ["1", "建设园区。完善", "市工信局", "2026年"]])])
    second = _Page(595, [_Table(60, [header, ["", "配套设施。", "", "6月底前"], ["2", "培育企业。", "市商务局", "持续推进"]])])
    text = _text([first, second])
    assert text.splitlines()[1:] == ["序号\t重点任务\t牵头单位\t完成时限", "1\t建设园区。完善配套设施。\t市工信局\t2026年6月底前",
                                     "2\t培育企业。\t市商务局\t持续推进"]
    measures = parse_document(text).measures
    assert [(m.number, m.title, str(m.deadlines[0].date) if m.deadlines else None) for m in measures] == [
        ("1", "建设园区", "2026-06-30"), ("2", "培育企业", None)]
