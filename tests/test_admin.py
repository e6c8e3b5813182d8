"""Every model's admin pages render for the admin user, in Chinese."""

from django.contrib import admin
from django.urls import reverse

from tasks.choices import ReportStatus
from tasks.models import Attachment, ExtensionRequest, ProgressReport
from tests.base import BaseTestCase


class AdminPagesTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        ExtensionRequest.objects.create(
            assignment=cls.assignment_a, requested_deadline="2026-09-30", reason="施工延误"
        )
        Attachment.objects.create(report=cls.report_a, file="evidence/x.pdf", original_name="佐证.pdf", size=10)

    def setUp(self):
        self.client.force_login(self.admin)

    def models(self):
        return [model for model in admin.site._registry if model._meta.app_label in self.apps]

    apps = {"departments", "documents", "tasks", "auth", "django_celery_beat"}

    def test_it_renders_every_changelist_add_and_change_page(self):
        self.assertGreaterEqual(len(self.models()), 13)
        for model in self.models():
            opts = model._meta
            with self.subTest(model=opts.label):
                changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
                response = self.client.get(changelist)
                self.assertEqual(response.status_code, 200)
                response = self.client.get(changelist, {"q": "市"})
                self.assertEqual(response.status_code, 200)
                if admin.site._registry[model].has_add_permission(response.wsgi_request):
                    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
                    self.assertEqual(self.client.get(add).status_code, 200)
                obj = admin.site._registry[model].get_queryset(response.wsgi_request).first()
                if obj is not None:
                    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
                    self.assertEqual(self.client.get(change).status_code, 200)

    def test_it_shows_chinese_names_and_the_assignments_inline_on_a_measure(self):
        response = self.client.get(reverse("admin:documents_measure_change", args=[self.measure.pk]))
        self.assertContains(response, "任务分工")
        self.assertContains(response, "市发改委")
        index = self.client.get(reverse("admin:index"))
        self.assertContains(index, "政策文件")
        self.assertContains(index, "进展报告")

    def test_it_keeps_department_users_out_of_the_admin(self):
        self.client.force_login(self.staff_a)
        response = self.client.get(reverse("admin:index"))
        self.assertEqual(response.status_code, 302)


class AdminDraftsTests(BaseTestCase):
    """Nobody outside the department sees its drafts, the admin included; files link to the
    permission-checked download, never to /media/."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.draft_file = Attachment.objects.create(report=cls.report_a, file="evidence/draft.pdf",
                                                   original_name="草稿佐证.pdf", size=10)
        cls.sent = ProgressReport.objects.create(
            assignment=cls.assignment_a, period_start="2026-02-01", period_end="2026-02-28", text="二月已报送。",
            percent=10, status=ReportStatus.SUBMITTED, created_by=cls.staff_a, version=2,
        )
        cls.sent_file = Attachment.objects.create(report=cls.sent, file="evidence/sent.pdf",
                                                  original_name="报送佐证.pdf", size=10)

    def setUp(self):
        self.client.force_login(self.admin)

    def test_it_hides_draft_reports_and_their_files(self):
        reports = self.client.get(reverse("admin:tasks_progressreport_changelist"))
        self.assertEqual([r.pk for r in reports.context["cl"].result_list], [self.sent.pk])
        draft = self.client.get(reverse("admin:tasks_progressreport_change", args=[self.report_a.pk]))
        self.assertNotEqual(draft.status_code, 200)
        self.assertNotContains(draft, "完成选址", status_code=draft.status_code)
        files = self.client.get(reverse("admin:tasks_attachment_changelist"))
        self.assertEqual([a.pk for a in files.context["cl"].result_list], [self.sent_file.pk])
        self.assertNotEqual(
            self.client.get(reverse("admin:tasks_attachment_change", args=[self.draft_file.pk])).status_code, 200)

    def test_it_links_files_to_the_checked_download(self):
        download = reverse("tasks:attachment", args=[self.sent_file.pk])
        for url in (reverse("admin:tasks_attachment_change", args=[self.sent_file.pk]),
                    reverse("admin:tasks_progressreport_change", args=[self.sent.pk]),
                    reverse("admin:tasks_attachment_changelist")):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, f'href="{download}"')
                self.assertNotContains(response, "/media/")
