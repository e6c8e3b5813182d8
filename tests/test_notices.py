"""Notices of new work: an import tells each department's members of their new assignments (one
message per department per import), the office hears of reports sent up and extension requests,
and the menu shows what waits in each queue at a fixed query cost."""

import datetime
import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from departments.choices import Role
from documents.models import DocumentImport, Measure, PolicyDocument
from tasks.choices import AssignmentRole, ReportStatus
from tasks.models import Assignment, Notification, ProgressReport
from tasks.notify.models import NotificationKind
from tests.base import BaseTestCase, make_user, refresh_rollups
from tests.importing import PLAN_TEXT, make_directory
from tests.sheets import HEADER, csv_bytes, make_sheet_directory, sample_rows


def new_work(user=None):
    notices = Notification.objects.filter(kind=NotificationKind.NEW_WORK)
    return notices.filter(recipient=user) if user else notices


class DocumentImportNoticeTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.units = make_directory()
        cls.civil = make_user("civil_staff", cls.units["市民政局"], Role.STAFF)
        cls.civil_leader = make_user("civil_leader", cls.units["市民政局"], Role.LEADER)

    def start(self):
        self.client.force_login(self.admin)
        self.client.post(reverse("documents:import"), {"text": PLAN_TEXT})
        return DocumentImport.objects.latest("pk")

    def test_it_tells_each_department_once_listing_its_new_assignments(self):
        run = self.start()
        self.client.post(reverse("documents:import-unit", args=[run.pk]),
                         {"name": "市教科体局", "action": "map", "department": self.units["市科教体局"].pk, "kind": "bureau"})
        self.client.post(reverse("tasks:import-confirm", args=[run.pk]))
        document = PolicyDocument.objects.get(doc_number="青府办发〔2024〕21号")
        mine = Assignment.objects.filter(department=self.units["市民政局"], measure__document=document)
        self.assertGreater(mine.count(), 1)
        for user in (self.civil, self.civil_leader):
            notice = new_work(user).get()
            self.assertIn(f"分配给本单位 {mine.count()} 项", notice.title)
            for assignment in mine.select_related("measure"):
                self.assertIn(f"{assignment.measure.number} {assignment.measure.title}", notice.body)
            self.assertEqual(notice.link, f"/tasks/?document={document.pk}")
        self.assertEqual(new_work(self.staff_b).count(), 0)  # 市工信局 has nothing in this document
        # one message per department member, none for the office
        departments = Assignment.objects.filter(measure__document=document).values("department").distinct().count()
        self.assertLessEqual(new_work().count(), departments * 2)
        self.assertEqual(new_work(self.office).count(), 0)

        # the same document again creates no assignment, so nobody is told again
        run = self.start()
        self.client.post(reverse("documents:import-unit", args=[run.pk]),
                         {"name": "市教科体局", "action": "map", "department": self.units["市科教体局"].pk, "kind": "bureau"})
        before = new_work().count()
        self.client.post(reverse("tasks:import-confirm", args=[run.pk]))
        self.assertEqual(new_work().count(), before)

    def test_a_refused_import_tells_nobody(self):
        run = self.start()  # 市教科体局 is unknown: the confirmation is refused
        before = (Notification.objects.count(), Assignment.objects.count())
        self.client.post(reverse("tasks:import-confirm", args=[run.pk]))
        self.assertEqual((Notification.objects.count(), Assignment.objects.count()), before)


class SpreadsheetImportNoticeTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_sheet_directory()
        cls.target = PolicyDocument.objects.create(title="测试市数字经济重点任务", issued_date=datetime.date(2026, 1, 10))

    def import_file(self, rows):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "分解表.csv"
            path.write_bytes(csv_bytes(rows))
            call_command("import_measures", str(path), "--document", str(self.target.pk), stdout=StringIO())

    def test_it_tells_each_department_once_per_import(self):
        self.import_file(sample_rows())
        notices = new_work(self.staff_a)
        self.assertEqual(notices.count(), 1)
        mine = Assignment.objects.filter(department=self.dept_a, measure__document=self.target)
        self.assertIn(f"分配给本单位 {mine.count()} 项", notices.get().title)
        self.assertIn("表格导入《测试市数字经济重点任务》", notices.get().body)
        self.assertEqual(new_work(self.leader_a).count(), 1)
        self.assertEqual(new_work(self.staff_b).count(), 1)

    def test_a_refused_sheet_tells_nobody(self):
        broken = [HEADER, [1, "建设城市算力中心", "市不存在局", "", "2026年12月", "", ""]]
        before = (Notification.objects.count(), Assignment.objects.count(), Measure.objects.count())
        with self.assertRaises(CommandError):
            self.import_file(broken)
        self.assertEqual((Notification.objects.count(), Assignment.objects.count(), Measure.objects.count()), before)


@time_machine.travel(datetime.datetime(2026, 4, 15, 9, 0, tzinfo=datetime.UTC), tick=False)
class OfficeNoticeTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.dept_a.requires_leader_approval = True
        cls.dept_a.save()

    def sent(self):
        return Notification.objects.filter(recipient=self.office, kind=NotificationKind.REPORT_SENT)

    def test_the_office_hears_when_a_report_reaches_its_queue(self):
        self.client.force_login(self.staff_b)  # no leader approval: straight to the office
        self.client.post(reverse("tasks:assignment", args=[self.assignment_b.pk]),
                         {"text": "配合完成。", "percent": "30", "submit": "1"})
        self.assertEqual(self.sent().count(), 1)
        self.assertIn("市工信局", self.sent().get().title)

        self.client.force_login(self.staff_a)  # waits for the leader first: the office hears nothing yet
        self.client.post(reverse("tasks:assignment", args=[self.assignment_a.pk]),
                         {"text": "完成选址。", "percent": "40", "submit": "1"})
        self.assertEqual(self.sent().count(), 1)
        report = ProgressReport.objects.get(assignment=self.assignment_a, period_start=datetime.date(2026, 4, 1))
        self.client.force_login(self.leader_a)
        self.client.post(reverse("tasks:report-decision", args=[report.pk]),
                         {"decision": "accept", "comment": "", "version": report.version})
        self.assertEqual(self.sent().count(), 2)

    def test_the_office_hears_of_an_extension_request_and_not_of_a_refused_one(self):
        self.client.force_login(self.leader_a)
        url = reverse("tasks:extension-request", args=[self.assignment_a.pk])
        requested = Notification.objects.filter(recipient=self.office, kind=NotificationKind.EXTENSION_REQUESTED)
        self.client.post(url, {"requested_deadline": "2026-01-01", "reason": "设备到货延迟"})  # earlier: refused
        self.assertEqual(requested.count(), 0)
        self.client.post(url, {"requested_deadline": "2026-09-30", "reason": "设备到货延迟"})
        self.assertIn("2026年09月30日", requested.get().body)


class MenuCountTests(BaseTestCase):
    def test_it_counts_each_queue_in_the_menu(self):
        self.dept_a.requires_leader_approval = True
        self.dept_a.save()
        ProgressReport.objects.filter(pk=self.report_a.pk).update(status=ReportStatus.SUBMITTED)
        self.client.force_login(self.leader_a)
        response = self.client.get(reverse("tasks:my-tasks"))
        self.assertEqual(response.context["nav_counts"], {"tasks:approvals": 1})
        self.assertContains(response, 'data-for="tasks:approvals">1<')
        ProgressReport.objects.filter(pk=self.report_a.pk).update(status=ReportStatus.LEADER_APPROVED)
        refresh_rollups()  # an update sends no signal
        self.client.force_login(self.office)
        response = self.client.get(reverse("tasks:dashboard"))
        self.assertEqual(response.context["nav_counts"], {"tasks:reviews": 1})
        self.assertContains(response, 'data-for="tasks:reviews">1<')
        self.client.force_login(self.staff_b)
        self.assertEqual(self.client.get(reverse("tasks:my-tasks")).context["nav_counts"], {})

    def test_the_counts_cost_the_same_queries_whatever_waits(self):
        self.client.force_login(self.office)
        url = reverse("documents:list")
        self.client.get(url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for n in range(2, 12):
            measure = Measure.objects.create(document=self.document, number=str(n), title=f"措施{n}", order=n)
            assignment = Assignment.objects.create(measure=measure, department=self.dept_b,
                                                   role=AssignmentRole.LEAD)
            ProgressReport.objects.create(assignment=assignment, period_start=datetime.date(2026, 3, 1),
                                          period_end=datetime.date(2026, 3, 31), text="x", percent=10,
                                          created_by=self.staff_b, status=ReportStatus.SUBMITTED)
            Notification.objects.create(recipient=self.office, kind=NotificationKind.REPORT_SENT, title="x")
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(url)
        self.assertEqual(response.context["nav_counts"], {"tasks:reviews": 10})
        self.assertEqual(response.context["unread_notifications"], 10)
        self.assertEqual(len(few), len(many))
        with mock.patch("tasks.workflow.queues.MENU_COUNT_CAP", 3):
            capped = self.client.get(url)
            self.assertEqual(capped.context["nav_counts"], {"tasks:reviews": 10})  # summed from the rollups
            self.assertContains(capped, 'data-for="tasks:reviews">3+<')
            reviews = self.client.get(reverse("tasks:reviews"))  # the queue's own page counts it all
            self.assertEqual(reviews.context["nav_counts"], {"tasks:reviews": 10})
            self.assertContains(reviews, 'data-for="tasks:reviews">3+<')
