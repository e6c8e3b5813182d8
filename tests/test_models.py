"""The database refuses what the domain forbids, whatever code path tries it."""

import datetime

from django.db import IntegrityError, transaction

from departments.models import Department, DepartmentAlias
from documents.models import PolicyDocument
from tasks.choices import AssignmentRole, ExtensionStatus
from tasks.models import Assignment, ExtensionRequest, ProgressReport
from tests.base import BaseTestCase


class ConstraintTests(BaseTestCase):
    def assert_refused(self, create):
        with self.assertRaises(IntegrityError), transaction.atomic():
            create()

    def test_it_refuses_a_second_assignment_of_a_measure_to_one_department(self):
        self.assert_refused(
            lambda: Assignment.objects.create(
                measure=self.measure, department=self.dept_a, role=AssignmentRole.SUPPORTING
            )
        )

    def test_it_refuses_a_second_report_for_the_same_period(self):
        self.assert_refused(
            lambda: ProgressReport.objects.create(
                assignment=self.assignment_a,
                period_start=self.report_a.period_start,
                period_end=self.report_a.period_end,
                text="重复",
            )
        )

    def test_it_refuses_percent_outside_0_to_100(self):
        self.assert_refused(lambda: Assignment.objects.filter(pk=self.assignment_a.pk).update(percent=140))
        self.assert_refused(lambda: ProgressReport.objects.filter(pk=self.report_a.pk).update(percent=101))

    def test_it_refuses_a_period_that_ends_before_it_starts(self):
        self.assert_refused(
            lambda: ProgressReport.objects.create(
                assignment=self.assignment_b,
                period_start=datetime.date(2026, 4, 30),
                period_end=datetime.date(2026, 4, 1),
                text="倒序",
            )
        )

    def test_it_refuses_a_duplicate_doc_number_but_allows_many_without_one(self):
        self.assert_refused(lambda: PolicyDocument.objects.create(title="另一份", doc_number=self.document.doc_number))
        PolicyDocument.objects.create(title="无文号甲")
        PolicyDocument.objects.create(title="无文号乙")
        self.assertEqual(PolicyDocument.objects.filter(doc_number="").count(), 2)

    def test_it_refuses_an_alias_used_by_two_departments(self):
        self.assert_refused(lambda: DepartmentAlias.objects.create(department=self.dept_b, name="市发展改革委"))

    def test_it_refuses_two_pending_extension_requests_for_one_assignment(self):
        def request():
            return ExtensionRequest.objects.create(
                assignment=self.assignment_a, requested_deadline=datetime.date(2026, 9, 30), reason="施工延误"
            )

        request()
        self.assert_refused(request)
        ExtensionRequest.objects.filter(assignment=self.assignment_a).update(status=ExtensionStatus.REFUSED)
        request()

    def test_it_normalises_full_width_names(self):
        dept = Department.objects.create(name="各县（市、区）政府")
        self.assertEqual(dept.name, "各县(市、区)政府")
        self.assertEqual(Department.objects.find("各县(市、区)政府"), dept)

    def test_it_finds_departments_by_short_name_and_alias(self):
        self.assertEqual(Department.objects.find("市发改委"), self.dept_a)
        self.assertEqual(Department.objects.find("市发展改革委"), self.dept_a)
        self.assertIsNone(Department.objects.find("市教科体局"))

    def test_it_keeps_history_of_assignments_and_reports(self):
        self.assignment_a.percent = 30
        self.assignment_a.save()
        self.assertEqual(self.assignment_a.history.count(), 2)
        self.assertEqual(self.report_a.history.count(), 1)

    def test_it_uses_an_approved_extension_as_the_effective_deadline(self):
        self.assertEqual(self.assignment_a.effective_deadline, datetime.date(2026, 6, 30))
        self.assignment_a.deadline = datetime.date(2026, 8, 31)
        self.assertEqual(self.assignment_a.effective_deadline, datetime.date(2026, 8, 31))
