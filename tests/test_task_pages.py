"""My tasks, one assignment, the review queue and the dashboard show what each role may see."""

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from departments.choices import DepartmentKind
from departments.models import Department
from documents.models import Measure
from tasks.choices import AssignmentRole, ReportStatus
from tasks.models import Assignment
from tests.base import BaseTestCase


@time_machine.travel(datetime.datetime(2026, 6, 25, 9, 0, tzinfo=datetime.UTC), tick=False)
class TaskPagesTests(BaseTestCase):
    def test_it_lists_only_the_departments_own_assignments(self):
        self.client.force_login(self.staff_b)
        response = self.client.get(reverse("tasks:my-tasks"))
        self.assertEqual(list(response.context["object_list"]), [self.assignment_b])
        self.assertContains(response, "light-yellow")  # due 2026-06-30, five days away

    def test_it_searches_the_measure_text(self):
        self.client.force_login(self.staff_a)
        self.assertEqual(len(self.client.get(reverse("tasks:my-tasks"), {"q": "算力"}).context["object_list"]), 1)
        self.assertEqual(len(self.client.get(reverse("tasks:my-tasks"), {"q": "养老"}).context["object_list"]), 0)
        response = self.client.get(reverse("tasks:my-tasks"), {"document": "abc"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["object_list"]), 0)

    def test_it_hides_another_departments_assignment(self):
        self.client.force_login(self.staff_b)
        self.assertEqual(self.client.get(reverse("tasks:assignment", args=[self.assignment_a.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("tasks:assignment", args=[self.assignment_b.pk])).status_code, 200)

    def test_it_hides_a_draft_report_from_the_office(self):
        self.client.force_login(self.office)
        response = self.client.get(reverse("tasks:assignment", args=[self.assignment_a.pk]))
        self.assertNotContains(response, "完成选址")
        self.client.force_login(self.staff_a)
        self.assertContains(self.client.get(reverse("tasks:assignment", args=[self.assignment_a.pk])), "完成选址")

    def test_it_queues_submitted_reports_for_the_office(self):
        self.client.force_login(self.office)
        self.assertEqual(len(self.client.get(reverse("tasks:reviews")).context["object_list"]), 0)
        self.report_a.status = ReportStatus.SUBMITTED
        self.report_a.save()
        self.assertEqual(list(self.client.get(reverse("tasks:reviews")).context["object_list"]), [self.report_a])

    def test_it_counts_the_dashboard(self):
        self.client.force_login(self.leadership)
        summary = self.client.get(reverse("tasks:dashboard")).context["summary"]
        self.assertEqual((summary.measures, summary.assignments, summary.overdue, summary.due_soon), (1, 2, 0, 2))

    def test_it_escapes_report_text(self):
        self.report_a.text = "<script>alert(1)</script>"
        self.report_a.save()
        self.client.force_login(self.staff_a)
        response = self.client.get(reverse("tasks:assignment", args=[self.assignment_a.pk]))
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertContains(response, "&lt;script&gt;")

    def test_it_uses_a_fixed_number_of_queries_for_my_tasks(self):
        self.client.force_login(self.staff_a)
        url = reverse("tasks:my-tasks")
        self.client.get(url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for n in range(2, 12):
            measure = Measure.objects.create(document=self.document, number=str(n), title=f"措施{n}", order=n)
            Assignment.objects.create(measure=measure, department=self.dept_a, role=AssignmentRole.LEAD)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(url)
        self.assertEqual(len(response.context["object_list"]), 11)
        self.assertEqual(len(few), len(many))

    def test_an_assignment_reads_as_many_queries_for_many_departments_on_its_measure_as_for_two(self):
        self.client.force_login(self.staff_a)
        url = reverse("tasks:assignment", args=[self.assignment_a.pk])
        self.client.get(url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for n in range(6):
            department = Department.objects.create(name=f"测试县{n}", kind=DepartmentKind.COUNTY)
            Assignment.objects.create(measure=self.measure, department=department, role=AssignmentRole.SUPPORTING)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(url)
        self.assertContains(response, "测试县5")
        self.assertEqual(len(few), len(many), [q["sql"][:80] for q in many])


class DocumentPagesTests(BaseTestCase):
    def test_it_shows_a_document_with_a_fixed_number_of_queries(self):
        self.client.force_login(self.office)
        url = reverse("documents:detail", args=[self.document.pk])
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for n in range(2, 10):
            measure = Measure.objects.create(document=self.document, number=str(n), title=f"措施{n}", order=n)
            Assignment.objects.create(measure=measure, department=self.dept_b, role=AssignmentRole.LEAD)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(url)
        self.assertContains(response, "措施9")
        self.assertEqual(len(few), len(many))
