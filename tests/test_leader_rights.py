"""Leader rights are per membership: staff in department A who leads department B is no leader
of A. They may not approve A's reports (web or API), send their own A report past A's leader,
or ask for an extension on A's work; in B they keep every leader right."""

from __future__ import annotations

import datetime

import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from departments.choices import Role
from departments.models import Membership
from departments.roles import get_roles
from tasks.choices import AssignmentRole, ReportStatus
from tasks.models import Assignment, ExtensionRequest, ProgressReport
from tasks.workflow import reports
from tests.base import BaseTestCase, make_user

NOW = datetime.datetime(2026, 3, 20, 9, 0, tzinfo=datetime.UTC)


@time_machine.travel(NOW, tick=False)
class LeaderRightsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.dept_a.requires_leader_approval = True
        cls.dept_a.save()
        cls.dept_b.requires_leader_approval = True
        cls.dept_b.save()
        cls.mixed = make_user("staff_a_leader_b", cls.dept_a, Role.STAFF)
        Membership.objects.create(user=cls.mixed, department=cls.dept_b, role=Role.LEADER)
        cls.report_a.status, cls.report_a.submitted_by, cls.report_a.version = ReportStatus.SUBMITTED, cls.staff_a, 2
        cls.report_a.save()
        cls.report_b = ProgressReport.objects.create(
            assignment=cls.assignment_b, period_start=datetime.date(2026, 3, 1), period_end=datetime.date(2026, 3, 31),
            text="配合完成选址。", percent=20, created_by=cls.staff_b, submitted_by=cls.staff_b,
            status=ReportStatus.SUBMITTED, version=2,
        )
        cls.measure2 = cls.measure.document.measures.create(number="2", title="配套建设电网", order=2)
        cls.own_a = Assignment.objects.create(measure=cls.measure2, department=cls.dept_a, role=AssignmentRole.LEAD)

    def api(self):
        client = APIClient()
        client.force_authenticate(self.mixed)
        return client

    def test_it_records_the_led_departments_per_membership(self):
        roles = get_roles(self.mixed)
        self.assertEqual(roles.led_department_ids, frozenset({self.dept_b.pk}))
        self.assertEqual(roles.department_ids, frozenset({self.dept_a.pk, self.dept_b.pk}))
        self.assertFalse(reports.leads(self.mixed, self.assignment_a))
        self.assertTrue(reports.leads(self.mixed, self.assignment_b))

    def test_it_refuses_approving_another_departments_report_on_the_web(self):
        self.client.force_login(self.mixed)
        self.client.post(reverse("tasks:report-decision", args=[self.report_a.pk]),
                         {"decision": "accept", "comment": "", "version": "2"})
        report = ProgressReport.objects.get(pk=self.report_a.pk)
        self.assertEqual((report.status, report.leader_approved_by, report.version), (ReportStatus.SUBMITTED, None, 2))

    def test_it_refuses_approving_another_departments_report_in_the_api(self):
        for action in ("leader-approve", "leader-return"):
            response = self.api().post(f"/api/reports/{self.report_a.pk}/{action}/",
                                       {"version": 2, "comment": "请补充。"}, format="json")
            self.assertEqual(response.status_code, 403, action)
        report = ProgressReport.objects.get(pk=self.report_a.pk)
        self.assertEqual((report.status, report.leader_approved_by), (ReportStatus.SUBMITTED, None))

    def test_it_still_lets_them_decide_as_the_leader_of_b(self):
        response = self.api().post(f"/api/reports/{self.report_b.pk}/leader-approve/", {"version": 2}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(ProgressReport.objects.get(pk=self.report_b.pk).leader_approved_by, self.mixed)

    def test_it_sends_their_own_report_in_a_to_its_leader_not_to_the_office(self):
        draft = ProgressReport.objects.create(
            assignment=self.own_a, period_start=datetime.date(2026, 3, 1), period_end=datetime.date(2026, 3, 31),
            text="完成设计。", percent=10, created_by=self.mixed,
        )
        reports.submit_report(draft, self.mixed)
        draft.refresh_from_db()
        self.assertEqual(draft.status, ReportStatus.SUBMITTED)
        self.assertIsNone(draft.leader_approved_by)
        self.assertTrue(reports.awaiting_leader(draft))

    def test_it_refuses_an_extension_request_for_another_department(self):
        before = ExtensionRequest.objects.count()
        response = self.api().post(f"/api/assignments/{self.assignment_a.pk}/extension-requests/",
                                   {"requested_deadline": "2026-09-30", "reason": "设备到货延迟"}, format="json")
        self.assertEqual(response.status_code, 403)
        self.client.force_login(self.mixed)
        self.client.post(reverse("tasks:extension-request", args=[self.assignment_a.pk]),
                         {"requested_deadline": "2026-09-30", "reason": "设备到货延迟"})
        self.assertEqual(ExtensionRequest.objects.count(), before)

    def test_it_lists_only_the_led_departments_reports_for_approval(self):
        self.client.force_login(self.mixed)
        listed = [r.pk for r in self.client.get(reverse("tasks:approvals")).context["object_list"]]
        self.assertEqual(listed, [self.report_b.pk])
