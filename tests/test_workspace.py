"""The department workspace and the office review, through the pages people use."""

import datetime

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.models import Indicator, Measure
from tasks.choices import AssignmentRole, AssignmentStatus, ExtensionStatus, ReportStatus
from tasks.models import Assignment, Attachment, ExtensionRequest, ProgressReport, Urge
from tests.base import BaseTestCase, refresh_rollups

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
TODAY = datetime.datetime(2026, 4, 15, 9, 0, tzinfo=datetime.UTC)


def report_data(**extra):
    return {"text": "完成机房土建。", "percent": "40", **extra}


@time_machine.travel(TODAY, tick=False)
class ReportLifecycleTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.dept_a.requires_leader_approval = True
        cls.dept_a.save()
        cls.indicator = Indicator.objects.create(measure=cls.measure, name="算力规模", target_value=100, unit="PFlops")

    def detail(self, assignment=None):
        return reverse("tasks:assignment", args=[(assignment or self.assignment_a).pk])

    def current(self):
        return ProgressReport.objects.get(assignment=self.assignment_a, period_start=datetime.date(2026, 4, 1))

    def decide(self, user, decision, comment="", version=None):
        report = self.current()
        self.client.force_login(user)
        return self.client.post(
            reverse("tasks:report-decision", args=[report.pk]),
            {"decision": decision, "comment": comment, "version": version or report.version},
            follow=True,
        )

    def test_it_walks_draft_submit_leader_return_resubmit_accept_and_sign_off(self):
        self.client.force_login(self.staff_a)
        self.client.post(self.detail(), report_data(**{f"indicator_{self.indicator.pk}": "12.5", "save": "1"}))
        report = self.current()
        self.assertEqual((report.status, report.percent), (ReportStatus.DRAFT, 40))
        self.assertEqual(report.indicator_values.get().value, 12.5)
        self.client.post(self.detail(), report_data(text="完成机房土建和供电。", percent="50", submit="1"))
        self.assertEqual(self.current().status, ReportStatus.SUBMITTED)
        self.assertNotIn(self.current(), self.client_queue(self.office))  # waits for the leader first

        self.decide(self.leader_a, "accept", "同意报送")
        self.assertEqual(self.current().status, ReportStatus.LEADER_APPROVED)
        self.assertIn(self.current(), self.client_queue(self.office))

        response = self.decide(self.office, "return", "请补充供电验收时间。")
        self.assertEqual(self.current().status, ReportStatus.RETURNED)
        self.client.force_login(self.staff_a)
        self.assertContains(self.client.get(self.detail()), "请补充供电验收时间。")

        self.client.post(self.detail(), report_data(text="供电已于4月10日验收。", percent="60", submit="1"))
        self.assertEqual(self.current().status, ReportStatus.SUBMITTED)
        self.decide(self.leader_a, "accept")
        response = self.decide(self.office, "accept", "通过")
        self.assertContains(response, "已通过")
        self.assignment_a.refresh_from_db()
        self.assertEqual((self.current().status, self.assignment_a.percent), (ReportStatus.ACCEPTED, 60))

        self.client.force_login(self.office)
        self.client.post(reverse("tasks:sign-off", args=[self.assignment_a.pk]))
        self.assignment_a.refresh_from_db()
        self.assertEqual((self.assignment_a.status, self.assignment_a.percent), (AssignmentStatus.CLOSED, 100))
        self.assertEqual(self.assignment_a.closed_by, self.office)
        self.assertGreaterEqual(self.current().history.count(), 6)

    def client_queue(self, user):
        self.client.force_login(user)
        return list(self.client.get(reverse("tasks:reviews")).context["object_list"])

    def test_it_sends_a_report_straight_to_the_office_without_leader_approval(self):
        self.client.force_login(self.staff_b)
        self.client.post(self.detail(self.assignment_b), report_data(submit="1"))
        report = ProgressReport.objects.get(assignment=self.assignment_b)
        self.assertEqual(report.status, ReportStatus.SUBMITTED)
        self.assertIn(report, self.client_queue(self.office))

    def test_it_needs_a_comment_to_return_and_keeps_the_report(self):
        self.client.force_login(self.leader_a)
        self.client.post(self.detail(), report_data(submit="1"))
        self.assertEqual(self.current().status, ReportStatus.LEADER_APPROVED)  # a leader's own report skips approval
        response = self.decide(self.office, "return", "  ")
        self.assertContains(response, "退回时请填写审核意见")
        self.assertEqual(self.current().status, ReportStatus.LEADER_APPROVED)

    def test_it_tells_the_second_of_two_reviewers_that_the_report_was_already_handled(self):
        self.client.force_login(self.leader_a)
        self.client.post(self.detail(), report_data(submit="1"))
        seen = self.current().version
        self.decide(self.office, "accept", version=seen)
        response = self.decide(self.office, "return", "应退回", version=seen)
        self.assertContains(response, "刚刚已被")
        self.assertEqual(self.current().status, ReportStatus.ACCEPTED)
        self.assertEqual(self.current().review_comment, "")

    def test_it_bulk_accepts_and_reports_what_it_could_not(self):
        self.client.force_login(self.staff_b)
        self.client.post(self.detail(self.assignment_b), report_data(submit="1"))
        report_b = ProgressReport.objects.get(assignment=self.assignment_b)
        self.client.force_login(self.office)
        response = self.client.post(reverse("tasks:reviews"), {"reports": [report_b.pk]}, follow=True)
        self.assertContains(response, "已通过 1 份报告")
        report_b.refresh_from_db()
        self.assertEqual(report_b.status, ReportStatus.ACCEPTED)
        response = self.client.post(reverse("tasks:reviews"), {"reports": [self.report_a.pk]}, follow=True)
        self.assertContains(response, "选择一个有效的选项")  # a draft is not in the queue
        self.report_a.refresh_from_db()
        self.assertEqual(self.report_a.status, ReportStatus.DRAFT)

    def test_it_lets_the_lead_fold_in_a_supporting_report(self):
        self.client.force_login(self.staff_b)
        self.client.post(self.detail(self.assignment_b), report_data(text="配合完成用地审批。", submit="1"))
        supporting = ProgressReport.objects.get(assignment=self.assignment_b)
        self.client.force_login(self.staff_a)
        response = self.client.get(self.detail())
        self.assertContains(response, "配合完成用地审批")
        self.client.post(self.detail(), report_data(folded=[str(supporting.pk)], save="1"))
        self.assertEqual(list(self.current().folded_reports.all()), [supporting])
        self.client.force_login(self.staff_b)
        response = self.client.post(self.detail(self.assignment_b), report_data(folded=[str(self.report_a.pk)], save="1"))
        self.assertEqual(response.status_code, 400)  # only a lead may fold, and only others' sent reports

    def test_it_leaves_no_evidence_file_behind_when_a_report_is_refused(self):
        from pathlib import Path

        from django.conf import settings
        from django.core.exceptions import ValidationError

        from tasks.workflow.reports import ReportInput, save_report

        bad = ReportInput("进展", 30, {}, [SimpleUploadedFile("佐证.pdf", PDF)], folded_report_ids=[self.report_a.pk])
        with self.assertRaises(ValidationError):
            save_report(self.assignment_a, self.staff_a, bad, submit=False)
        self.assertFalse(Attachment.objects.exists())
        self.assertFalse(ProgressReport.objects.filter(period_start=datetime.date(2026, 4, 1)).exists())
        stored = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
        self.assertEqual(stored, [])

    def test_it_refuses_broken_reports_with_clear_messages_and_saves_nothing(self):
        self.client.force_login(self.staff_a)
        big = SimpleUploadedFile("大文件.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024 + 1))
        exe = SimpleUploadedFile("伪装.pdf", b"MZ\x90\x00" + b"\x00" * 100)
        cases = [
            (report_data(percent="140"), "100"),
            (report_data(percent="abc"), "整数"),
            ({"percent": "10"}, "该字段是必填项"),
            (report_data(files=[big]), "超过"),
            (report_data(files=[exe]), "可能已被改名"),
            (report_data(files=[SimpleUploadedFile("程序.exe", b"MZ")]), "类型不允许"),
            (report_data(**{f"indicator_{self.indicator.pk}": "很多"}), "数字"),
        ]
        for data, message in cases:
            with self.subTest(message=message):
                response = self.client.post(self.detail(), data)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, message, status_code=400)
        self.assertFalse(ProgressReport.objects.filter(period_start=datetime.date(2026, 4, 1)).exists())
        self.assertFalse(Attachment.objects.exists())

    def test_it_hides_another_departments_assignment_from_reporting(self):
        self.client.force_login(self.staff_b)
        self.assertEqual(self.client.post(self.detail(), report_data(submit="1")).status_code, 404)
        self.assertEqual(self.client.post(reverse("tasks:acknowledge", args=[self.assignment_a.pk])).status_code, 404)
        self.assertFalse(ProgressReport.objects.filter(period_start=datetime.date(2026, 4, 1)).exists())

    def test_it_serves_evidence_only_to_those_who_may_see_the_report(self):
        self.client.force_login(self.staff_a)
        self.client.post(self.detail(), report_data(files=[SimpleUploadedFile("验收单.pdf", PDF)], save="1"))
        attachment = Attachment.objects.get()
        url = reverse("tasks:attachment", args=[attachment.pk])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertEqual(b"".join(response.streaming_content), PDF)
        self.assertFalse(attachment.file.path.startswith(str(self.settings_static_root())))
        self.client.force_login(self.office)
        self.assertEqual(self.client.get(url).status_code, 404)  # still a draft
        self.client.force_login(self.staff_b)
        self.assertEqual(self.client.get(url).status_code, 404)
        ProgressReport.objects.filter(pk=attachment.report_id).update(status=ReportStatus.SUBMITTED)
        self.client.force_login(self.office)
        self.assertEqual(self.client.get(url).status_code, 200)

    @staticmethod
    def settings_static_root():
        from django.conf import settings

        return settings.STATIC_ROOT

    def test_it_escapes_report_text_everywhere(self):
        self.client.force_login(self.staff_b)
        self.client.post(self.detail(self.assignment_b), report_data(text="<script>alert('x')</script>", submit="1"))
        for user, url in [(self.staff_b, self.detail(self.assignment_b)), (self.office, reverse("tasks:reviews"))]:
            self.client.force_login(user)
            response = self.client.get(url)
            self.assertNotContains(response, "<script>alert")
            self.assertContains(response, "&lt;script&gt;")

    def test_it_acknowledges_urges_and_records_the_reply(self):
        self.client.force_login(self.staff_a)
        self.client.post(reverse("tasks:acknowledge", args=[self.assignment_a.pk]))
        self.assignment_a.refresh_from_db()
        self.assertEqual((self.assignment_a.status, self.assignment_a.acknowledged_by), (AssignmentStatus.IN_PROGRESS, self.staff_a))
        self.assertEqual(self.client.post(reverse("tasks:urge", args=[self.assignment_a.pk]), {"message": "x"}).status_code, 403)
        self.client.force_login(self.leadership)
        self.assertEqual(self.client.post(reverse("tasks:urge", args=[self.assignment_a.pk]), {"message": "x"}).status_code, 403)
        self.client.force_login(self.office)
        response = self.client.post(reverse("tasks:urge", args=[self.assignment_a.pk]), {"message": ""}, follow=True)
        self.assertContains(response, "该字段是必填项")
        self.client.post(reverse("tasks:urge", args=[self.assignment_a.pk]), {"message": "请于本周报送进展。"})
        urge = Urge.objects.get()
        self.client.force_login(self.staff_a)
        self.client.post(reverse("tasks:urge-reply", args=[urge.pk]), {"reply": "已安排,周五前报送。"})
        urge.refresh_from_db()
        self.assertEqual((urge.reply, urge.replied_by), ("已安排,周五前报送。", self.staff_a))
        self.client.force_login(self.staff_b)
        self.assertEqual(self.client.post(reverse("tasks:urge-reply", args=[urge.pk]), {"reply": "x"}).status_code, 404)

    def test_it_handles_extension_requests(self):
        url = reverse("tasks:extension-request", args=[self.assignment_a.pk])
        self.client.force_login(self.staff_a)
        self.assertEqual(self.client.post(url, {"requested_deadline": "2026-09-30", "reason": "设备延期到货"}).status_code, 403)
        self.client.force_login(self.leader_a)
        for data, message in [
            ({"requested_deadline": "2026-05-01", "reason": "x"}, "必须晚于"),
            ({"requested_deadline": "2026-09-30", "reason": ""}, "该字段是必填项"),
            ({"requested_deadline": "2026-02-30", "reason": "x"}, "有效的日期"),
        ]:
            with self.subTest(message=message):
                self.assertContains(self.client.post(url, data, follow=True), message)
        self.client.post(url, {"requested_deadline": "2026-09-30", "reason": "设备延期到货"})
        self.assertContains(self.client.post(url, {"requested_deadline": "2026-10-30", "reason": "再延"}, follow=True), "已有待审批")
        request = ExtensionRequest.objects.get()
        self.assertEqual(request.previous_deadline, datetime.date(2026, 6, 30))
        decide = reverse("tasks:extension-decision", args=[request.pk])
        self.client.force_login(self.office)
        self.assertContains(self.client.post(decide, {"decision": "refuse", "comment": ""}, follow=True), "不批准时请说明理由")
        self.client.post(decide, {"decision": "approve", "comment": "同意"})
        request.refresh_from_db()
        self.assignment_a.refresh_from_db()
        self.assertEqual((request.status, self.assignment_a.deadline), (ExtensionStatus.APPROVED, datetime.date(2026, 9, 30)))
        self.assertEqual(self.assignment_a.history.earliest().deadline, None)
        self.client.force_login(self.leader_a)
        self.assertEqual(self.client.post(decide, {"decision": "approve"}).status_code, 403)

    def test_it_uses_a_fixed_number_of_queries_on_the_detail_page(self):
        self.client.force_login(self.office)
        for month in (1, 2):
            ProgressReport.objects.create(assignment=self.assignment_a, period_start=datetime.date(2026, month, 1),
                                          period_end=datetime.date(2026, month, 28), text="x", status=ReportStatus.ACCEPTED)
        url = self.detail()
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for month in range(5, 12):
            ProgressReport.objects.create(assignment=self.assignment_a, period_start=datetime.date(2025, month, 1),
                                          period_end=datetime.date(2025, month, 28), text="y", status=ReportStatus.ACCEPTED)
        Urge.objects.create(assignment=self.assignment_a, message="催", sent_by=self.office)
        with CaptureQueriesContext(connection) as many:
            self.client.get(url)
        self.assertEqual(len(few), len(many))

    def test_it_uses_a_fixed_number_of_queries_on_the_review_queue(self):
        self.client.force_login(self.office)
        ProgressReport.objects.filter(pk=self.report_a.pk).update(status=ReportStatus.LEADER_APPROVED)
        refresh_rollups()  # a queryset update passes the rollups by; the pager counts from them
        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("tasks:reviews"))
        for month in range(5, 12):
            ProgressReport.objects.create(assignment=self.assignment_b, period_start=datetime.date(2025, month, 1),
                                          period_end=datetime.date(2025, month, 28), text="y", status=ReportStatus.SUBMITTED)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(reverse("tasks:reviews"))
        self.assertEqual(len(response.context["object_list"]), 8)
        self.assertEqual(len(few), len(many))

    def test_the_queue_lists_the_oldest_unacknowledged_work_and_links_to_the_rest(self):
        self.client.force_login(self.office)
        response = self.client.get(reverse("tasks:reviews"))
        self.assertEqual(len(response.context["unacknowledged"]), 2)
        self.assertNotContains(response, 'data-testid="all-unacknowledged"')
        for n in range(2, 25):
            measure = Measure.objects.create(document=self.document, number=str(n), title=f"措施{n}", order=n)
            Assignment.objects.create(measure=measure, department=self.dept_b, role=AssignmentRole.LEAD)
        response = self.client.get(reverse("tasks:reviews"))
        self.assertEqual(len(response.context["unacknowledged"]), 20)
        self.assertEqual(response.context["unacknowledged_count"], 25)
        self.assertContains(response, f'{reverse("tasks:assignments")}?acknowledged=false')
        listed = self.client.get(reverse("tasks:assignments"), {"acknowledged": "false"})
        self.assertEqual(listed.context["paginator"].count, 25)


class MyTasksFilterTests(BaseTestCase):
    @time_machine.travel(datetime.datetime(2026, 6, 25, 9, 0, tzinfo=datetime.UTC), tick=False)
    def test_it_filters_counts_and_rejects_bad_filters(self):
        self.client.force_login(self.staff_a)
        url = reverse("tasks:my-tasks")
        response = self.client.get(url)
        self.assertEqual(dict((light.value, n) for light, n in response.context["light_counts"])["yellow"], 1)
        self.assertEqual(len(self.client.get(url, {"light": "yellow"}).context["object_list"]), 1)
        self.assertEqual(len(self.client.get(url, {"light": "red"}).context["object_list"]), 0)
        self.assertEqual(len(self.client.get(url, {"due_within": "3"}).context["object_list"]), 0)
        self.assertEqual(len(self.client.get(url, {"due_within": "5"}).context["object_list"]), 1)
        self.assertEqual(len(self.client.get(url, {"role": "lead", "o": "-due"}).context["object_list"]), 1)
        response = self.client.get(url, {"light": "purple", "due_within": "-1"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "筛选条件有误")
        self.assertEqual(len(response.context["object_list"]), 0)
        Assignment.objects.filter(pk=self.assignment_a.pk).update(status=AssignmentStatus.PENDING)
        self.assertEqual(self.client.get(url).context["pending_count"], 1)


class HtmxTests(BaseTestCase):
    def test_it_answers_an_htmx_filter_with_the_table_only(self):
        self.client.force_login(self.staff_a)
        full = self.client.get(reverse("tasks:my-tasks"))
        self.assertContains(full, "<nav")
        self.assertContains(full, 'hx-target="#task-list"')
        partial = self.client.get(reverse("tasks:my-tasks"), {"q": "算力"}, HTTP_HX_REQUEST="true")
        self.assertNotContains(partial, "<nav class=\"navbar")
        self.assertContains(partial, 'data-testid="task-table"')
        self.assertContains(partial, "建设算力中心")
        bad = self.client.get(reverse("tasks:my-tasks"), {"light": "purple"}, HTTP_HX_REQUEST="true")
        self.assertContains(bad, "筛选条件有误")

    def test_it_tells_caches_the_partial_and_the_page_differ(self):
        self.client.force_login(self.staff_a)
        url = reverse("tasks:my-tasks")
        full = self.client.get(url, {"q": "算力"})
        partial = self.client.get(url, {"q": "算力"}, HTTP_HX_REQUEST="true")
        for response in (full, partial):
            self.assertIn("HX-Request", response["Vary"])
        self.assertIn("no-store", partial["Cache-Control"])
        self.assertNotIn("no-store", full.get("Cache-Control", ""))
        self.assertContains(full, '"historyCacheSize": 0')

    def test_it_answers_htmx_history_restore_with_the_whole_page(self):
        self.client.force_login(self.staff_a)
        restored = self.client.get(reverse("tasks:my-tasks"), {"q": "算力"}, HTTP_HX_REQUEST="true",
                                   HTTP_HX_HISTORY_RESTORE_REQUEST="true")
        self.assertContains(restored, '<nav class="navbar')
        self.assertContains(restored, 'value="算力"')
