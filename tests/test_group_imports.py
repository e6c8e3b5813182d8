"""A document's leading group, chosen in the import wizard, the spreadsheet import or with
``import_document --group``, kept on re-import."""

from django.core.management import CommandError
from django.urls import reverse

from departments.models import LeadingGroup
from documents.models import Measure, PolicyDocument
from tasks.models import Assignment
from tests import test_import_wizard, test_spreadsheet_import
from tests.base import BaseTestCase
from tests.importing import PLAN_TEXT, make_directory
from tests.test_document_commands import PLAN, run

DOC_NUMBER = "青府办发〔2024〕21号"


class GroupImportTests(BaseTestCase):
    # the wizard's steps, as the wizard's own tests take them
    steps = test_import_wizard.ImportWizardTests
    start, preview, map_unknown, confirm = steps.start, steps.preview, steps.map_unknown, steps.confirm

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.units = make_directory()
        cls.group = LeadingGroup.objects.create(name="青湖市养老服务体系建设领导小组", short_name="养老领导小组")
        cls.other = LeadingGroup.objects.create(name="青湖市优化营商环境领导小组")

    def setUp(self):
        self.client.force_login(self.admin)

    def counts(self):
        return PolicyDocument.objects.count(), Measure.objects.count(), Assignment.objects.count()

    def metadata(self, run, **extra):
        return self.client.post(reverse("documents:import-metadata", args=[run.pk]), {
            "title": run.plan["title"], "doc_number": run.plan["doc_number"], "issued_date": "", **extra,
        }, follow=True)

    def test_the_wizard_gives_the_document_to_the_chosen_group(self):
        draft = self.start(text=PLAN_TEXT)
        self.assertContains(self.preview(draft), self.group.name)
        self.metadata(draft, group=self.group.pk)
        self.map_unknown(draft)
        self.confirm(draft)
        self.assertEqual(PolicyDocument.objects.get(doc_number=DOC_NUMBER).group, self.group)

    def test_the_wizard_refuses_an_unknown_group_and_keeps_the_plan(self):
        draft = self.start(text=PLAN_TEXT)
        response = self.metadata(draft, group="999999")
        self.assertContains(response, "文件信息有误")
        draft.refresh_from_db()
        self.assertNotIn("group_id", draft.plan)

    def test_a_reimport_keeps_the_group_unless_another_is_chosen(self):
        first = self.start(text=PLAN_TEXT)
        self.metadata(first, group=self.group.pk)
        self.map_unknown(first)
        self.confirm(first)
        again = self.start(text=PLAN_TEXT)
        self.assertContains(self.preview(again), f'value="{self.group.pk}" selected')
        self.map_unknown(again)
        self.confirm(again)
        self.assertEqual(PolicyDocument.objects.get(doc_number=DOC_NUMBER).group, self.group)
        third = self.start(text=PLAN_TEXT)
        self.metadata(third, group="")
        self.map_unknown(third)
        self.confirm(third)
        self.assertIsNone(PolicyDocument.objects.get(doc_number=DOC_NUMBER).group)

    def test_the_command_imports_into_a_group_by_name_or_short_name_and_keeps_it(self):
        out = run("import_document", PLAN, "--create-missing", "--group", "养老领导小组")
        self.assertIn(self.group.name, out)
        self.assertEqual(PolicyDocument.objects.get(doc_number=DOC_NUMBER).group, self.group)
        run("import_document", PLAN, "--update")
        self.assertEqual(PolicyDocument.objects.get(doc_number=DOC_NUMBER).group, self.group)
        run("import_document", PLAN, "--update", "--group", self.other.name)
        self.assertEqual(PolicyDocument.objects.get(doc_number=DOC_NUMBER).group, self.other)

    def test_the_command_refuses_an_unknown_group_and_writes_nothing(self):
        before = self.counts()
        with self.assertRaisesMessage(CommandError, "未知领导小组:数字政府领导小组"):
            run("import_document", PLAN, "--create-missing", "--group", "数字政府领导小组")
        self.assertEqual(self.counts(), before)


class SpreadsheetGroupTests(test_spreadsheet_import.SheetCase):
    """The spreadsheet import's confirm step gives the document to a leading group with its rows."""

    start, url = test_spreadsheet_import.ImportPageTests.start, test_spreadsheet_import.ImportPageTests.url
    upload = test_spreadsheet_import.ImportPageTests.upload

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.group = LeadingGroup.objects.create(name="测试市数字经济发展领导小组")

    def setUp(self):
        self.client.force_login(self.admin)
        self.start_url = reverse("tasks:spreadsheet-import", args=[self.target.pk])

    def test_it_offers_the_groups_and_sets_the_chosen_one_with_the_rows(self):
        run = self.start()
        self.assertContains(self.client.get(self.url("spreadsheet-preview", run)), self.group.name)
        self.client.post(self.url("spreadsheet-confirm", run), {"group": self.group.pk})
        self.target.refresh_from_db()
        self.assertEqual((self.target.group, self.target.measures.count()), (self.group, 4))

    def test_a_confirm_without_the_field_keeps_the_group(self):
        PolicyDocument.objects.filter(pk=self.target.pk).update(group=self.group)
        self.client.post(self.url("spreadsheet-confirm", self.start()))
        self.target.refresh_from_db()
        self.assertEqual(self.target.group, self.group)

    def test_an_unknown_group_writes_nothing(self):
        run = self.start()
        before = (Measure.objects.count(), Assignment.objects.count())
        response = self.client.post(self.url("spreadsheet-confirm", run), {"group": "999999"}, follow=True)
        self.assertContains(response, "所选领导小组不存在,未导入任何数据")
        self.assertEqual((Measure.objects.count(), Assignment.objects.count()), before)
        self.target.refresh_from_db()
        self.assertIsNone(self.target.group)
