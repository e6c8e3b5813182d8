"""Decompression bombs: a small .docx or .xlsx that would unpack to far more than any real
document is refused from its zip directory before anything is parsed, with a Chinese message;
so are sheets with too many merged ranges or merged ranges covering too many cells. The bombs are
built here, in memory. Nothing is written on a refusal."""

from __future__ import annotations

import io
import re
import zipfile

from django.urls import reverse

from departments.resources import SpreadsheetError
from documents.models import DocumentImport
from documents.parsing.reader import DocumentReadError, read_document
from tasks.models import SpreadsheetImport
from tasks.spreadsheets.reading import read_xlsx
from tests.base import BaseTestCase
from tests.sheets import HEADER, XLSX_TYPE, upload, xlsx_bytes

MB = 1024 * 1024


def write_zeros(archive: zipfile.ZipFile, name: str, size: int, head: bytes = b"", tail: bytes = b"") -> None:
    """A member of ``size`` bytes that compresses to almost nothing, streamed in 1 MB pieces."""
    with archive.open(name, "w", force_zip64=True) as member:
        member.write(head)
        left, chunk = size - len(head) - len(tail), b" " * MB
        while left > 0:
            member.write(chunk[: min(left, MB)])
            left -= MB
        member.write(tail)


def docx_bomb(xml_size: int = 100 * MB) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        write_zeros(archive, "word/document.xml", xml_size, b'<?xml version="1.0"?><w:document>', b"</w:document>")
    return out.getvalue()


def xlsx_with(replace: dict[str, bytes], extra: dict[str, int] | None = None) -> bytes:
    """A real .xlsx (tests.sheets) with some members rewritten and some huge ones added."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([HEADER, [1, "建设城市算力中心", "市发改委", "", "2026年12月"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename in replace:
                data = replace[info.filename](data)
            if info.filename in (extra or {}):
                write_zeros(archive, info.filename, extra[info.filename], data[:200])
            else:
                archive.writestr(info.filename, data)
        for name, size in (extra or {}).items():
            if name not in source.namelist():
                write_zeros(archive, name, size, b'<?xml version="1.0"?><sst>', b"</sst>")
    return out.getvalue()


def with_merges(refs: list[str]):
    cells = "".join(f'<mergeCell ref="{ref}"/>' for ref in refs)

    def rewrite(xml: bytes) -> bytes:
        xml = re.sub(rb"<mergeCells.*?</mergeCells>", b"", xml, flags=re.S)
        return xml.replace(b"</sheetData>", f'</sheetData><mergeCells count="{len(refs)}">{cells}</mergeCells>'.encode())

    return rewrite


class DocxBombTests(BaseTestCase):
    def test_a_small_docx_holding_100_mb_of_xml_is_refused_before_parsing(self):
        bomb = docx_bomb()
        self.assertLess(len(bomb), 1 * MB)
        with self.assertRaisesMessage(DocumentReadError, "解压后的内容过大"):
            read_document("bomb.docx", bomb)

    def test_the_import_wizard_refuses_it_and_keeps_nothing(self):
        self.client.force_login(self.admin)
        before = DocumentImport.objects.count()
        response = self.client.post(reverse("documents:import"), {"file": upload("方案.docx", docx_bomb())})
        self.assertContains(response, "解压后的内容过大")
        self.assertEqual(DocumentImport.objects.count(), before)


class XlsxBombTests(BaseTestCase):
    def test_a_huge_shared_strings_part_is_refused(self):
        bomb = xlsx_with({}, extra={"xl/sharedStrings.xml": 200 * MB})
        self.assertLess(len(bomb), 2 * MB)
        with self.assertRaisesMessage(SpreadsheetError, "解压后的内容过大"):
            read_xlsx(bomb)

    def test_thousands_of_merged_ranges_are_refused(self):
        refs = [f"A{2 * n + 1}:B{2 * n + 2}" for n in range(6000)]
        with self.assertRaisesMessage(SpreadsheetError, "合并单元格超过"):
            read_xlsx(xlsx_with({"xl/worksheets/sheet1.xml": with_merges(refs)}))

    def test_merged_ranges_covering_too_many_cells_are_refused(self):
        refs = [f"A1:AN{50_000 - n}" for n in range(50)]
        with self.assertRaisesMessage(SpreadsheetError, "覆盖"):
            read_xlsx(xlsx_with({"xl/worksheets/sheet1.xml": with_merges(refs)}))

    def test_an_ordinary_sheet_with_merges_still_reads(self):
        rows = read_xlsx(xlsx_with({"xl/worksheets/sheet1.xml": with_merges(["E1:E2"])}))
        self.assertEqual(rows[1][4], rows[0][4])

    def test_the_upload_page_refuses_a_bomb_and_keeps_nothing(self):
        self.client.force_login(self.admin)
        before = SpreadsheetImport.objects.count()
        bomb = xlsx_with({}, extra={"xl/sharedStrings.xml": 200 * MB})
        response = self.client.post(reverse("tasks:spreadsheet-import", args=[self.document.pk]),
                                    {"file": upload("分解表.xlsx", bomb, XLSX_TYPE)})
        self.assertContains(response, "解压后的内容过大")
        self.assertEqual(SpreadsheetImport.objects.count(), before)
