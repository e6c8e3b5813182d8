"""Every model's admin pages render for the admin user, in Chinese."""

from django.contrib import admin
from django.urls import reverse

from tasks.models import Attachment, ExtensionRequest
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
                obj = model._default_manager.first()
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
