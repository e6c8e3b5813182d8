"""parse_document and import_document from the command line."""

import json
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

from departments.models import Department
from documents.models import Measure, PolicyDocument
from tasks.models import Assignment
from tests.base import BaseTestCase
from tests.importing import FIXTURES, make_directory

PLAN = str(FIXTURES / "elderly_care_plan.txt")
PDFS = Path(__file__).resolve().parent / "parsing" / "fixtures" / "pdf"


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


class ParseDocumentCommandTests(BaseTestCase):
    def test_it_prints_the_corpus_schema_as_json(self):
        result = json.loads(run("parse_document", PLAN, "--json"))
        self.assertEqual(set(result), {"source", "title", "doc_number", "issuer", "issued_date", "measures"})
        self.assertEqual(result["doc_number"], "青府办发〔2024〕21号")
        self.assertEqual(result["issued_date"], "2024-03-08")
        first = result["measures"][0]
        self.assertEqual(
            set(first), {"number", "path", "title", "lead", "responsible", "supporting", "deadlines", "truncated"}
        )
        self.assertEqual((first["number"], first["lead"]), ("1", ["市民政局"]))
        self.assertIn({"phrase": "2024年6月底前", "date": "2024-06-30", "recurring": None}, first["deadlines"])

    def test_it_prints_a_readable_summary(self):
        out = run("parse_document", PLAN)
        self.assertIn("措施 5 项", out)
        self.assertIn("牵头:市民政局", out)

    def test_it_fails_clearly_on_a_missing_or_unreadable_file(self):
        with self.assertRaisesMessage(CommandError, "找不到文件"):
            run("parse_document", str(FIXTURES / "missing.txt"))
        bad = FIXTURES.parent / "fixtures"
        with self.assertRaisesMessage(CommandError, "找不到文件"):
            run("parse_document", str(bad))


class ImportDocumentCommandTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_directory()

    def counts(self):
        return PolicyDocument.objects.count(), Measure.objects.count(), Assignment.objects.count()

    def test_it_reports_unknown_units_and_writes_nothing(self):
        before = self.counts()
        with self.assertRaisesMessage(CommandError, "市教科体局"):
            run("import_document", PLAN)
        self.assertEqual(before, self.counts())

    def test_it_writes_nothing_on_a_dry_run(self):
        before = self.counts()
        out = run("import_document", PLAN, "--dry-run", "--create-missing")
        self.assertIn("未写入任何数据", out)
        self.assertEqual(before, self.counts())
        self.assertFalse(Department.objects.filter(name="市教科体局").exists())

    def test_it_imports_creating_missing_units_and_updates_on_request(self):
        out = run("import_document", PLAN, "--create-missing")
        self.assertIn("新建措施 5 项", out)
        self.assertTrue(Department.objects.filter(name="市教科体局").exists())
        after = self.counts()
        with self.assertRaisesMessage(CommandError, "--update"):
            run("import_document", PLAN)
        out = run("import_document", PLAN, "--update")
        self.assertIn("更新 5 项", out)
        self.assertEqual(after, self.counts())


class PdfCommandTests(BaseTestCase):
    def counts(self):
        return PolicyDocument.objects.count(), Measure.objects.count(), Assignment.objects.count(), Department.objects.count()

    def test_it_parses_a_pdf_plan(self):
        result = json.loads(run("parse_document", str(PDFS / "prose_plan.pdf"), "--json"))
        self.assertEqual((result["doc_number"], len(result["measures"])), ("云府办发〔2026〕12号", 10))

    def test_it_imports_a_pdf_task_table_in_one_transaction(self):
        out = run("import_document", str(PDFS / "task_table.pdf"), "--create-missing")
        self.assertIn("新建措施 20 项", out)
        self.assertEqual(Measure.objects.filter(number="3").get().assignments.get(role="lead").department.name,
                         "市政务服务管理局")

    def test_it_refuses_scanned_and_encrypted_pdfs_and_writes_nothing(self):
        before = self.counts()
        for name, message in (("scanned.pdf", "扫描图片"), ("encrypted.pdf", "加密")):
            with self.subTest(name=name), self.assertRaisesMessage(CommandError, message):
                run("import_document", str(PDFS / name), "--create-missing")
        self.assertEqual(self.counts(), before)
