"""Decompression bombs: a small .docx or .xlsx that would unpack to far more than any real
document is refused from its zip directory before anything is parsed, with a Chinese message;
so are sheets with too many merged ranges or merged ranges covering too many cells. The bombs are
built in memory (by the builders of ``manage.py bench_uploads``). Nothing is written on a refusal."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from departments.resources import SpreadsheetError
from documents.models import DocumentImport
from documents.parsing.reader import DocumentReadError, read_document
from tasks.management.commands.bench_uploads import MB, SHEET, docx_bomb, with_merges, xlsx_with
from tasks.models import SpreadsheetImport
from tasks.spreadsheets.reading import read_xlsx
from tests.base import BaseTestCase
from tests.sheets import XLSX_TYPE, upload


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
            read_xlsx(xlsx_with({SHEET: with_merges(refs)}))

    def test_merged_ranges_covering_too_many_cells_are_refused(self):
        refs = [f"A1:AN{50_000 - n}" for n in range(50)]
        with self.assertRaisesMessage(SpreadsheetError, "覆盖"):
            read_xlsx(xlsx_with({SHEET: with_merges(refs)}))

    def test_an_ordinary_sheet_with_merges_still_reads(self):
        rows = read_xlsx(xlsx_with({SHEET: with_merges(["E1:E2"])}))
        self.assertEqual(rows[1][4], rows[0][4])

    def test_the_upload_page_refuses_a_bomb_and_keeps_nothing(self):
        self.client.force_login(self.admin)
        before = SpreadsheetImport.objects.count()
        bomb = xlsx_with({}, extra={"xl/sharedStrings.xml": 200 * MB})
        response = self.client.post(reverse("tasks:spreadsheet-import", args=[self.document.pk]),
                                    {"file": upload("分解表.xlsx", bomb, XLSX_TYPE)})
        self.assertContains(response, "解压后的内容过大")
        self.assertEqual(SpreadsheetImport.objects.count(), before)


def test_the_benchmark_refuses_every_bomb():
    out = StringIO()
    call_command("bench_uploads", "--repeats", "1", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == 4
    assert all(row["message"] != "NOT REFUSED" and row["median_ms"] > 0 for row in rows), rows
