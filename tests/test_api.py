"""The REST API: scoped reads with filters and pages, every write through the service layer with
its broken inputs, authentication by session and token, a fixed number of queries per list, and
a schema that validates."""

import datetime
import io
import json
from decimal import Decimal

import time_machine
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from departments.choices import DepartmentKind, Role
from departments.models import Department, Membership
from documents.models import Indicator, Measure, Milestone, PolicyDocument
from tasks.choices import AssignmentRole, AssignmentStatus, ExtensionStatus, ReportStatus
from tasks.models import Assignment, Attachment, ExtensionRequest, IndicatorValue, ProgressReport, Urge
from tests.base import PASSWORD, BaseTestCase, make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOW = datetime.datetime(2026, 6, 25, 9, 0, tzinfo=datetime.UTC)  # 17:00 in Shanghai; June is the current period


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


@time_machine.travel(NOW, tick=False)
class ApiTestCase(BaseTestCase):
    """Base world plus: an indicator and a milestone on the measure, a second document that only
    department B works on, a sent report of B on the measure A leads, evidence on both reports."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.indicator = Indicator.objects.create(measure=cls.measure, name="算力规模", target_value=100, unit="PFlops")
        Milestone.objects.create(measure=cls.measure, title="完成选址", due_date=datetime.date(2026, 3, 31))
        cls.document_b = PolicyDocument.objects.create(title="测试市工业强市方案", doc_number="测府办发〔2026〕2号")
        cls.measure_b = Measure.objects.create(document=cls.document_b, number="1", title="培育工业互联网平台", order=1)
        cls.other_indicator = Indicator.objects.create(measure=cls.measure_b, name="平台数", target_value=5, unit="个")
        cls.assignment_b2 = Assignment.objects.create(
            measure=cls.measure_b, department=cls.dept_b, role=AssignmentRole.LEAD
        )
        cls.sent_b = ProgressReport.objects.create(
            assignment=cls.assignment_b, period_start=datetime.date(2026, 5, 1), period_end=datetime.date(2026, 5, 31),
            text="配合完成机房设计。", percent=30, status=ReportStatus.SUBMITTED, version=2, created_by=cls.staff_b,
            review_comment="请补充用电指标。",
        )
        cls.file_a = Attachment.objects.create(
            report=cls.report_a, file=ContentFile(PDF, name="a.pdf"), original_name="选址批复.pdf",
            content_type="application/pdf", size=len(PDF),
        )
        cls.file_b = Attachment.objects.create(
            report=cls.sent_b, file=ContentFile(PDF, name="b.pdf"), original_name="机房设计.pdf",
            content_type="application/pdf", size=len(PDF),
        )

    def setUp(self):
        # Each test has its own MEDIA_ROOT (tests/conftest.py): put the evidence back in it.
        for attachment in (self.file_a, self.file_b):
            attachment.file.storage.save(attachment.file.name, ContentFile(PDF))
        self.api = APIClient()

    def login(self, user):
        self.api.force_authenticate(user)

    def post(self, url, data=None):
        return self.api.post(url, data or {}, format="json")

    def submit_a(self, **changes) -> ProgressReport:
        """Department A's draft, sent to the office (or to its leader when A requires approval)."""
        ProgressReport.objects.filter(pk=self.report_a.pk).update(status=ReportStatus.SUBMITTED, version=2, **changes)
        return ProgressReport.objects.get(pk=self.report_a.pk)


class ReadTests(ApiTestCase):
    def test_it_lists_only_the_departments_own_assignments_with_light_and_due(self):
        self.login(self.staff_b)
        response = self.api.get("/api/assignments/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(sorted(ids(response)), sorted([self.assignment_b.pk, self.assignment_b2.pk]))
        row = next(r for r in response.json()["results"] if r["id"] == self.assignment_b.pk)
        self.assertEqual((row["due"], row["light"], row["days_left"]), ("2026-06-30", "yellow", 5))
        self.assertEqual((row["role"], row["department_name"], row["measure_number"]), ("supporting", "市工业和信息化局", "1"))
        self.login(self.leadership)
        self.assertEqual(self.api.get("/api/assignments/").json()["count"], 3)

    def test_it_filters_assignments_with_the_pages_filterset(self):
        self.login(self.office)
        cases = {
            "q=算力": [self.assignment_a, self.assignment_b],
            "q=养老": [],
            "role=lead": [self.assignment_a, self.assignment_b2],
            f"department={self.dept_b.pk}&role=supporting": [self.assignment_b],
            f"document={self.document_b.pk}": [self.assignment_b2],
            "light=yellow": [self.assignment_a, self.assignment_b],
            "light=red": [],
            "due_within=10": [self.assignment_a, self.assignment_b],
            "status=closed": [],
        }
        for query, expected in cases.items():
            with self.subTest(query=query):
                response = self.api.get(f"/api/assignments/?{query}")
                self.assertEqual(response.status_code, 200)
                self.assertEqual(sorted(ids(response)), sorted(a.pk for a in expected))
        for assignment, percent in ((self.assignment_a, 50), (self.assignment_b, 10), (self.assignment_b2, 0)):
            Assignment.objects.filter(pk=assignment.pk).update(percent=percent)
        ordered = [self.assignment_a.pk, self.assignment_b.pk, self.assignment_b2.pk]
        self.assertEqual(ids(self.api.get("/api/assignments/?o=-percent")), ordered)
        self.assertEqual(ids(self.api.get("/api/assignments/?o=percent")), ordered[::-1])
        response = self.api.get("/api/assignments/?light=purple")
        self.assertEqual(response.status_code, 400)
        self.assertIn("light", response.json())

    def test_it_shows_an_assignment_with_its_urges_and_extension_requests(self):
        Urge.objects.create(assignment=self.assignment_a, message="请加快进度", sent_by=self.office)
        ExtensionRequest.objects.create(
            assignment=self.assignment_a, requested_by=self.leader_a, requested_deadline=datetime.date(2026, 9, 30),
            reason="设备到货延迟",
        )
        self.login(self.staff_a)
        data = self.api.get(f"/api/assignments/{self.assignment_a.pk}/").json()
        self.assertEqual([u["message"] for u in data["urges"]], ["请加快进度"])
        self.assertEqual(data["urges"][0]["sent_by"], "office")
        self.assertEqual(data["extension_requests"][0]["status"], "pending")
        self.assertEqual(data["status_display"], "待签收")

    def test_it_answers_404_for_objects_outside_the_users_scope(self):
        self.login(self.staff_b)
        for url in (
            f"/api/assignments/{self.assignment_a.pk}/",
            f"/api/reports/{self.report_a.pk}/",
            "/api/assignments/999999/",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.api.get(url).status_code, 404)
        self.login(self.staff_a)
        self.assertEqual(self.api.get(f"/api/documents/{self.document_b.pk}/").status_code, 404)
        self.assertEqual(self.api.get(f"/api/measures/{self.measure_b.pk}/").status_code, 404)
        self.assertEqual(self.api.get(f"/api/assignments/{self.assignment_b.pk}/").status_code, 404)

    def test_it_scopes_documents_and_measures_to_the_departments_work(self):
        self.login(self.staff_a)
        self.assertEqual(ids(self.api.get("/api/documents/")), [self.document.pk])
        self.assertEqual(ids(self.api.get("/api/measures/")), [self.measure.pk])
        self.login(self.staff_b)
        self.assertEqual(sorted(ids(self.api.get("/api/documents/"))), sorted([self.document.pk, self.document_b.pk]))
        self.login(self.leadership)
        self.assertEqual(len(ids(self.api.get("/api/documents/"))), 2)
        nobody = make_user("nobody")
        self.login(nobody)
        self.assertEqual(self.api.get("/api/documents/").status_code, 403)

    def test_it_lists_a_document_once_however_many_assignments_it_has(self):
        Membership.objects.create(user=self.staff_a, department=self.dept_b, role=Role.STAFF)
        self.login(self.staff_a)
        response = self.api.get("/api/documents/")
        self.assertEqual(sorted(ids(response)), sorted([self.document.pk, self.document_b.pk]))
        self.assertEqual(response.json()["count"], 2)
        self.assertEqual(ids(self.api.get(f"/api/measures/?document={self.document.pk}")), [self.measure.pk])

    def test_it_filters_documents_and_measures(self):
        PolicyDocument.objects.filter(pk=self.document_b.pk).update(status="archived")
        self.login(self.office)
        self.assertEqual(ids(self.api.get("/api/documents/?status=archived")), [self.document_b.pk])
        self.assertEqual(ids(self.api.get("/api/documents/?q=数字经济")), [self.document.pk])
        self.assertEqual(ids(self.api.get("/api/documents/?q=〔2026〕2号")), [self.document_b.pk])
        self.assertEqual(self.api.get("/api/documents/?status=lost").status_code, 400)
        self.assertEqual(ids(self.api.get(f"/api/measures/?document={self.document_b.pk}")), [self.measure_b.pk])
        self.assertEqual(ids(self.api.get("/api/measures/?q=算力")), [self.measure.pk])
        measure = self.api.get(f"/api/measures/{self.measure.pk}/").json()
        self.assertEqual([i["name"] for i in measure["indicators"]], ["算力规模"])
        self.assertEqual(measure["milestones"][0]["due_date"], "2026-03-31")
        self.assertEqual(self.api.get(f"/api/documents/{self.document.pk}/").json()["measure_count"], 1)

    def test_it_keeps_drafts_inside_their_department(self):
        self.login(self.office)
        self.assertEqual(ids(self.api.get("/api/reports/")), [self.sent_b.pk])
        self.assertEqual(self.api.get(f"/api/reports/{self.report_a.pk}/").status_code, 404)
        self.login(self.staff_a)
        self.assertEqual(sorted(ids(self.api.get("/api/reports/"))), sorted([self.report_a.pk, self.sent_b.pk]))
        self.login(self.staff_b)
        self.assertEqual(ids(self.api.get("/api/reports/")), [self.sent_b.pk])

    def test_it_gives_the_lead_department_a_supporting_report_without_its_files_or_comments(self):
        self.login(self.staff_a)
        data = self.api.get(f"/api/reports/{self.sent_b.pk}/").json()
        self.assertEqual((data["text"], data["percent"]), ("配合完成机房设计。", 30))
        self.assertEqual((data["attachments"], data["review_comment"], data["leader_comment"]), ([], None, None))
        self.login(self.staff_b)
        data = self.api.get(f"/api/reports/{self.sent_b.pk}/").json()
        self.assertEqual(data["review_comment"], "请补充用电指标。")
        self.assertEqual([a["name"] for a in data["attachments"]], ["机房设计.pdf"])

    def test_it_links_evidence_to_the_permission_checked_download(self):
        self.login(self.staff_a)
        data = self.api.get(f"/api/reports/{self.report_a.pk}/").json()
        url = data["attachments"][0]["download_url"]
        self.assertTrue(url.startswith("http://testserver/files/"), url)
        self.assertEqual(url, "http://testserver" + reverse("tasks:attachment", args=[self.file_a.pk]))
        self.client.force_login(self.staff_a)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(b"".join(response.streaming_content).startswith(b"%PDF-"))
        self.client.force_login(self.staff_b)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_it_filters_reports(self):
        self.login(self.staff_a)
        cases = {
            "status=draft": [self.report_a],
            "status=submitted": [self.sent_b],
            f"assignment={self.assignment_a.pk}": [self.report_a],
            f"assignment={self.assignment_b2.pk}": [],
            "period=2026-03-15": [self.report_a],
            "period=2026-05-31": [self.sent_b],
            "period=2026-06-01": [],
            "q=机房": [self.sent_b],
            "q=市发改委": [self.report_a],
        }
        for query, expected in cases.items():
            with self.subTest(query=query):
                self.assertEqual(ids(self.api.get(f"/api/reports/?{query}")), [r.pk for r in expected])
        for query in ("status=lost", "period=yesterday", "assignment=abc"):
            with self.subTest(query=query):
                self.assertEqual(self.api.get(f"/api/reports/?{query}").status_code, 400)

    def test_it_pages_long_lists(self):
        for n in range(2, 57):
            measure = Measure.objects.create(document=self.document, number=str(n), title=f"措施{n}", order=n)
            Assignment.objects.create(measure=measure, department=self.dept_a, role=AssignmentRole.LEAD)
        self.login(self.staff_a)
        first = self.api.get("/api/assignments/").json()
        self.assertEqual((first["count"], len(first["results"])), (56, 50))
        self.assertIn("page=2", first["next"])
        second = self.api.get(first["next"]).json()
        self.assertEqual((len(second["results"]), second["next"]), (6, None))
        self.assertFalse(set(ids_of(first)) & set(ids_of(second)))
        self.assertEqual(self.api.get("/api/assignments/?page=9").status_code, 404)

    def test_it_lets_every_role_read_the_department_directory_and_find_aliases(self):
        for user in (self.office, self.leadership, self.admin, self.staff_a, self.leader_a, self.staff_b):
            self.login(user)
            with self.subTest(user=user.username):
                response = self.api.get("/api/departments/?q=市发展改革委")
                self.assertEqual(ids(response), [self.dept_a.pk])
                self.assertEqual(response.json()["results"][0]["aliases"], ["市发展改革委"])
        self.login(self.office)
        self.assertEqual(ids(self.api.get("/api/departments/?q=工信")), [self.dept_b.pk])
        self.assertEqual(self.api.get("/api/departments/?kind=group").json()["count"], 0)


def ids_of(page: dict) -> list[int]:
    return [row["id"] for row in page["results"]]


class DepartmentWriteTests(ApiTestCase):
    def test_it_lets_an_admin_create_change_and_delete_a_department(self):
        self.login(self.admin)
        response = self.post("/api/departments/", {"name": " 市审计局 ", "kind": "bureau", "sort_order": 5})
        self.assertEqual(response.status_code, 201, response.json())
        department = Department.objects.get(pk=response.json()["id"])
        self.assertEqual(department.name, "市审计局")
        response = self.api.patch(f"/api/departments/{department.pk}/", {"short_name": "审计局"}, format="json")
        self.assertEqual((response.status_code, response.json()["short_name"]), (200, "审计局"))
        self.assertEqual(self.api.delete(f"/api/departments/{department.pk}/").status_code, 204)
        self.assertFalse(Department.objects.filter(pk=department.pk).exists())

    def test_it_refuses_bad_department_input(self):
        self.login(self.admin)
        cases = [
            ({}, "name"),
            ({"name": "   "}, "name"),
            ({"name": "市工业和信息化局"}, "name"),
            ({"name": "市新局", "kind": "planet"}, "kind"),
            ({"name": "市新局", "members": [self.dept_a.pk]}, "members"),
        ]
        for payload, field in cases:
            with self.subTest(payload=payload):
                response = self.post("/api/departments/", payload)
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.json())
        response = self.api.patch(f"/api/departments/{self.dept_a.pk}/", {"parent": self.dept_a.pk}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("上级单位", response.json()["parent"][0])

    def test_it_refuses_to_delete_a_department_with_work_or_people(self):
        self.login(self.admin)
        response = self.api.delete(f"/api/departments/{self.dept_a.pk}/")
        self.assertEqual(response.status_code, 409)
        self.assertIn("停用", response.json()["detail"])
        self.assertEqual(self.api.delete(f"/api/departments/{self.office_dept.pk}/").status_code, 409)
        self.assertTrue(Department.objects.filter(pk=self.dept_a.pk).exists())

    def test_it_keeps_the_directory_read_only_for_everyone_but_admins(self):
        for user in (self.office, self.leadership, self.staff_a, self.leader_a):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.post("/api/departments/", {"name": "市审计局"}).status_code, 403)
                self.assertEqual(self.api.delete(f"/api/departments/{self.dept_b.pk}/").status_code, 403)
        self.assertFalse(Department.objects.filter(name="市审计局").exists())


class ReportWriteTests(ApiTestCase):
    def payload(self, **changes):
        return {"assignment": self.assignment_a.pk, "text": "机房主体完工。", "percent": 60, **changes}

    def test_it_creates_then_updates_the_current_periods_draft(self):
        self.login(self.staff_a)
        response = self.post("/api/reports/", self.payload(indicator_values={str(self.indicator.pk): "12.5"}))
        self.assertEqual(response.status_code, 201, response.json())
        data = response.json()
        self.assertEqual((data["period_start"], data["period_end"], data["status"]), ("2026-06-01", "2026-06-30", "draft"))
        self.assertEqual(data["indicator_values"][0]["value"], "12.5000")
        report = ProgressReport.objects.get(pk=data["id"])
        response = self.post("/api/reports/", self.payload(text="机房已封顶。", percent=70))
        self.assertEqual(response.status_code, 200, response.json())
        self.assertEqual((response.json()["id"], response.json()["version"], response.json()["percent"]), (report.pk, 2, 70))
        self.assertEqual(IndicatorValue.objects.get(report=report).value, Decimal("12.5"))

    def test_it_submits_with_the_draft_and_then_refuses_changes(self):
        self.login(self.staff_a)
        response = self.post("/api/reports/", self.payload(submit=True))
        self.assertEqual((response.status_code, response.json()["status"]), (201, "submitted"))
        self.assertEqual(Assignment.objects.get(pk=self.assignment_a.pk).status, AssignmentStatus.IN_PROGRESS)
        response = self.post("/api/reports/", self.payload())
        self.assertEqual(response.status_code, 409)
        self.assertIn("已提交", response.json()["detail"])

    def test_it_folds_a_supporting_report_into_the_lead_report(self):
        ProgressReport.objects.filter(pk=self.sent_b.pk).update(
            period_start=datetime.date(2026, 6, 1), period_end=datetime.date(2026, 6, 30)
        )
        self.login(self.staff_a)
        response = self.post("/api/reports/", self.payload(folded_report_ids=[self.sent_b.pk]))
        self.assertEqual(response.status_code, 201, response.json())
        self.assertEqual(response.json()["folded_report_ids"], [self.sent_b.pk])

    def test_it_refuses_broken_input_with_field_messages(self):
        self.login(self.staff_a)
        cases = [
            ({}, {"assignment", "text", "percent"}),
            (self.payload(percent=140), {"percent"}),
            (self.payload(percent=-1), {"percent"}),
            (self.payload(percent="much"), {"percent"}),
            ({"assignment": self.assignment_a.pk, "percent": 50}, {"text"}),
            (self.payload(text="   "), {"text"}),
            (self.payload(text="x" * 20001), {"text"}),
            (self.payload(assignment="abc"), {"assignment"}),
            (self.payload(indicator_values={"abc": 1}), {"indicator_values"}),
            (self.payload(indicator_values={str(self.indicator.pk): "lots"}), {"indicator_values"}),
            (self.payload(indicator_values=[1, 2]), {"indicator_values"}),
            (self.payload(folded_report_ids="all"), {"folded_report_ids"}),
            (self.payload(submit="perhaps"), {"submit"}),
        ]
        for payload, fields in cases:
            with self.subTest(payload=str(payload)[:80]):
                response = self.post("/api/reports/", payload)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(set(response.json()), fields)
        self.assertEqual(self.post("/api/reports/", self.payload(percent=140)).json()["percent"], ["完成进度不能超过 100。"])
        self.assertEqual(self.post("/api/reports/", {"assignment": self.assignment_a.pk, "percent": 5}).json()["text"],
                         ["请填写进展情况。"])
        self.assertFalse(ProgressReport.objects.filter(period_start=datetime.date(2026, 6, 1)).exists())

    def test_it_refuses_what_the_service_refuses_as_400_and_writes_nothing(self):
        self.login(self.staff_a)
        for payload in (
            self.payload(indicator_values={str(self.other_indicator.pk): 3}),
            self.payload(folded_report_ids=[self.sent_b.pk]),  # May's report, not June's
        ):
            with self.subTest(payload=payload):
                response = self.post("/api/reports/", payload)
                self.assertEqual(response.status_code, 400)
                self.assertIn("non_field_errors", response.json())
        self.assertFalse(ProgressReport.objects.filter(period_start=datetime.date(2026, 6, 1)).exists())

    def test_it_answers_404_for_another_departments_assignment(self):
        self.login(self.staff_a)
        for assignment in (self.assignment_b, self.assignment_b2):
            self.assertEqual(self.post("/api/reports/", self.payload(assignment=assignment.pk)).status_code, 404)
        self.assertEqual(self.post("/api/reports/", self.payload(assignment=999999)).status_code, 404)
        self.assertFalse(ProgressReport.objects.filter(period_start=datetime.date(2026, 6, 1)).exists())

    def test_it_does_not_take_files(self):
        self.login(self.staff_a)
        upload = io.BytesIO(PDF)
        upload.name = "evidence.pdf"
        response = self.api.post("/api/reports/", {**self.payload(), "files": upload}, format="multipart")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["files"], ["接口暂不支持上传佐证材料，请在网页上传。"])

    def test_it_refuses_a_closed_assignment(self):
        Assignment.objects.filter(pk=self.assignment_a.pk).update(status=AssignmentStatus.CLOSED)
        self.login(self.staff_a)
        self.assertEqual(self.post("/api/reports/", self.payload()).status_code, 403)

    def test_it_submits_a_draft_once(self):
        self.login(self.staff_a)
        url = f"/api/reports/{self.report_a.pk}/submit/"
        response = self.post(url)
        self.assertEqual((response.status_code, response.json()["status"]), (200, "submitted"))
        self.assertEqual(self.post(url).status_code, 409)
        self.login(self.staff_b)
        self.assertEqual(self.post(f"/api/reports/{self.report_a.pk}/submit/").status_code, 404)

    def test_it_lets_the_office_accept_with_the_version_it_saw(self):
        report = self.submit_a()
        self.login(self.office)
        response = self.post(f"/api/reports/{report.pk}/accept/", {"version": 2, "comment": "很好"})
        self.assertEqual(response.status_code, 200, response.json())
        self.assertEqual((response.json()["status"], response.json()["review_comment"]), ("accepted", "很好"))
        self.assertEqual(Assignment.objects.get(pk=self.assignment_a.pk).percent, 20)

    def test_it_answers_409_on_a_stale_version(self):
        report = self.submit_a()
        self.login(self.office)
        response = self.post(f"/api/reports/{report.pk}/return/", {"version": 1, "comment": "请补充"})
        self.assertEqual(response.status_code, 409)
        self.assertIn("请刷新后查看", response.json()["detail"])
        self.assertEqual(ProgressReport.objects.get(pk=report.pk).status, ReportStatus.SUBMITTED)
        self.assertEqual(self.post(f"/api/reports/{report.pk}/accept/", {"version": 2}).status_code, 200)
        response = self.post(f"/api/reports/{report.pk}/accept/", {"version": 3})
        self.assertEqual(response.status_code, 409)
        self.assertIn("不在待审核状态", response.json()["detail"])

    def test_it_requires_a_comment_and_a_version_to_decide(self):
        report = self.submit_a()
        self.login(self.office)
        response = self.post(f"/api/reports/{report.pk}/return/", {"version": 2})
        self.assertEqual((response.status_code, response.json()), (400, {"comment": ["退回时请填写意见。"]}))
        response = self.post(f"/api/reports/{report.pk}/return/", {"version": 2, "comment": "  "})
        self.assertEqual(response.status_code, 400)
        response = self.post(f"/api/reports/{report.pk}/accept/", {})
        self.assertEqual((response.status_code, response.json()), (400, {"version": ["请提供报告的版本号（version）。"]}))
        self.assertEqual(self.post(f"/api/reports/{report.pk}/accept/", {"version": 0}).status_code, 400)
        response = self.post(f"/api/reports/{report.pk}/return/", {"version": 2, "comment": "请补充用地手续。"})
        self.assertEqual((response.status_code, response.json()["status"]), (200, "returned"))

    def test_it_hides_a_draft_from_the_office_even_for_actions(self):
        self.login(self.office)
        self.assertEqual(self.post(f"/api/reports/{self.report_a.pk}/accept/", {"version": 1}).status_code, 404)

    def test_it_lets_the_department_leader_approve_or_return(self):
        Department.objects.filter(pk=self.dept_a.pk).update(requires_leader_approval=True)
        report = self.submit_a()
        for user in (self.staff_a, self.office):
            self.login(user)
            self.assertEqual(self.post(f"/api/reports/{report.pk}/leader-approve/", {"version": 2}).status_code, 403)
        self.login(self.leader_a)
        self.assertEqual(self.post(f"/api/reports/{report.pk}/leader-return/", {"version": 2}).status_code, 400)
        self.assertEqual(self.post(f"/api/reports/{report.pk}/leader-approve/", {"version": 1}).status_code, 409)
        response = self.post(f"/api/reports/{report.pk}/leader-approve/", {"version": 2, "comment": "同意"})
        self.assertEqual((response.status_code, response.json()["status"]), (200, "leader_approved"))
        self.assertEqual(self.post(f"/api/reports/{report.pk}/leader-approve/", {"version": 3}).status_code, 409)
        self.login(self.office)
        self.assertEqual(self.post(f"/api/reports/{report.pk}/accept/", {"version": 3}).status_code, 200)

    def test_it_lets_the_leader_return_with_a_comment(self):
        Department.objects.filter(pk=self.dept_a.pk).update(requires_leader_approval=True)
        report = self.submit_a()
        self.login(self.leader_a)
        response = self.post(f"/api/reports/{report.pk}/leader-return/", {"version": 2, "comment": "数据再核实"})
        self.assertEqual((response.status_code, response.json()["status"]), (200, "returned"))
        self.assertEqual(response.json()["leader_comment"], "数据再核实")
        self.login(self.leader_a)
        self.assertEqual(self.post(f"/api/reports/{self.sent_b.pk}/leader-approve/", {"version": 2}).status_code, 403)


class AssignmentWriteTests(ApiTestCase):
    def test_it_lets_the_department_acknowledge(self):
        self.login(self.staff_a)
        response = self.post(f"/api/assignments/{self.assignment_a.pk}/acknowledge/")
        self.assertEqual((response.status_code, response.json()["status"]), (200, "in_progress"))
        self.assertEqual(Assignment.objects.get(pk=self.assignment_a.pk).acknowledged_by, self.staff_a)
        self.assertEqual(self.post(f"/api/assignments/{self.assignment_b.pk}/acknowledge/").status_code, 404)
        self.login(self.office)
        self.assertEqual(self.post(f"/api/assignments/{self.assignment_b.pk}/acknowledge/").status_code, 403)

    def test_it_lets_the_office_urge(self):
        self.login(self.office)
        url = f"/api/assignments/{self.assignment_b.pk}/urge/"
        response = self.post(url, {"message": "请于本周内报送进展。"})
        self.assertEqual(response.status_code, 201)
        self.assertEqual((response.json()["message"], response.json()["sent_by"]), ("请于本周内报送进展。", "office"))
        for payload in ({}, {"message": "  "}, {"message": "催" * 1001}):
            with self.subTest(payload=str(payload)[:30]):
                response = self.post(url, payload)
                self.assertEqual(response.status_code, 400)
                self.assertIn("message", response.json())
        self.login(self.staff_a)
        self.assertEqual(self.post(f"/api/assignments/{self.assignment_a.pk}/urge/", {"message": "x"}).status_code, 403)
        self.assertEqual(Urge.objects.count(), 1)

    def test_it_lets_the_office_sign_off_once(self):
        self.login(self.office)
        url = f"/api/assignments/{self.assignment_a.pk}/sign-off/"
        response = self.post(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual((response.json()["status"], response.json()["percent"], response.json()["light"]), ("closed", 100, "grey"))
        response = self.post(url)
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["detail"], "该任务已办结。")

    def test_it_lets_the_leader_request_an_extension(self):
        url = f"/api/assignments/{self.assignment_a.pk}/extension-requests/"
        self.login(self.staff_a)
        self.assertEqual(self.post(url, {"requested_deadline": "2026-09-30", "reason": "设备到货延迟"}).status_code, 403)
        self.login(self.leader_a)
        cases = [
            ({}, {"requested_deadline", "reason"}),
            ({"requested_deadline": "下个月", "reason": "设备到货延迟"}, {"requested_deadline"}),
            ({"requested_deadline": "2026-09-30", "reason": " "}, {"reason"}),
            ({"requested_deadline": "2026-06-28", "reason": "设备到货延迟"}, {"non_field_errors"}),
        ]
        for payload, fields in cases:
            with self.subTest(payload=payload):
                response = self.post(url, payload)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(set(response.json()), fields)
        response = self.post(url, {"requested_deadline": "2026-09-30", "reason": "设备到货延迟"})
        self.assertEqual(response.status_code, 201, response.json())
        self.assertEqual((response.json()["previous_deadline"], response.json()["status"]), ("2026-06-30", "pending"))
        response = self.post(url, {"requested_deadline": "2026-10-30", "reason": "再延"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("待审批", response.json()["non_field_errors"][0])
        self.assertEqual(self.post(f"/api/assignments/{self.assignment_b.pk}/extension-requests/",
                                   {"requested_deadline": "2026-09-30", "reason": "x"}).status_code, 404)

    def test_it_lets_the_office_decide_an_extension(self):
        extension = ExtensionRequest.objects.create(
            assignment=self.assignment_a, requested_by=self.leader_a, previous_deadline=datetime.date(2026, 6, 30),
            requested_deadline=datetime.date(2026, 9, 30), reason="设备到货延迟",
        )
        url = f"/api/extension-requests/{extension.pk}/decide/"
        self.login(self.leader_a)
        self.assertEqual(self.post(url, {"approve": True}).status_code, 403)
        self.login(self.office)
        self.assertEqual(self.post(url, {}).json(), {"approve": ["请说明是否批准（approve）。"]})
        response = self.post(url, {"approve": False})
        self.assertEqual(response.status_code, 400)
        self.assertIn("理由", response.json()["non_field_errors"][0])
        response = self.post(url, {"approve": True, "comment": "同意"})
        self.assertEqual((response.status_code, response.json()["status"]), (200, "approved"))
        self.assertEqual(Assignment.objects.get(pk=self.assignment_a.pk).deadline, datetime.date(2026, 9, 30))
        self.assertEqual(self.post(url, {"approve": True}).status_code, 409)
        self.login(self.staff_a)
        data = self.api.get(f"/api/assignments/{self.assignment_a.pk}/").json()
        self.assertEqual((data["due"], data["light"]), ("2026-09-30", "green"))
        self.assertEqual(ids(self.api.get("/api/extension-requests/?status=approved")), [extension.pk])
        self.login(self.staff_b)
        self.assertEqual(self.api.get(f"/api/extension-requests/{extension.pk}/").status_code, 404)
        self.assertEqual(ExtensionRequest.objects.get(pk=extension.pk).status, ExtensionStatus.APPROVED)


class ReadOnlyAndAuthTests(ApiTestCase):
    def writes(self) -> list[tuple[str, dict]]:
        extension = ExtensionRequest.objects.create(
            assignment=self.assignment_a, requested_by=self.leader_a, requested_deadline=datetime.date(2026, 9, 30),
            reason="设备到货延迟",
        )
        report = self.submit_a()
        a = self.assignment_a.pk
        return [
            ("/api/reports/", {"assignment": a, "text": "x", "percent": 1}),
            (f"/api/reports/{report.pk}/submit/", {}),
            (f"/api/reports/{report.pk}/accept/", {"version": 2}),
            (f"/api/reports/{report.pk}/return/", {"version": 2, "comment": "x"}),
            (f"/api/reports/{report.pk}/leader-approve/", {"version": 2}),
            (f"/api/reports/{report.pk}/leader-return/", {"version": 2, "comment": "x"}),
            (f"/api/assignments/{a}/acknowledge/", {}),
            (f"/api/assignments/{a}/urge/", {"message": "x"}),
            (f"/api/assignments/{a}/sign-off/", {}),
            (f"/api/assignments/{a}/extension-requests/", {"requested_deadline": "2026-12-31", "reason": "x"}),
            (f"/api/extension-requests/{extension.pk}/decide/", {"approve": True}),
            ("/api/departments/", {"name": "市审计局"}),
            ("/api/documents/parse/", {"text": "关于推进数字经济的实施意见"}),
        ]

    def test_it_refuses_every_write_by_leadership(self):
        self.login(self.leadership)
        for url, payload in self.writes():
            with self.subTest(url=url):
                response = self.post(url, payload)
                self.assertEqual(response.status_code, 403)
        self.assertEqual(self.api.delete(f"/api/departments/{self.dept_b.pk}/").status_code, 403)
        self.assertEqual(self.api.put(f"/api/departments/{self.dept_b.pk}/", {"name": "x"}, format="json").status_code, 403)
        self.assertEqual(ProgressReport.objects.get(pk=self.report_a.pk).status, ReportStatus.SUBMITTED)
        self.assertFalse(Urge.objects.exists())

    def test_it_refuses_anonymous_callers(self):
        for url, payload in self.writes():
            with self.subTest(url=url):
                self.assertIn(self.post(url, payload).status_code, (401, 403))
        for url in ("/api/assignments/", "/api/reports/", "/api/documents/", "/api/measures/", "/api/departments/",
                    "/api/extension-requests/"):
            with self.subTest(url=url):
                self.assertIn(self.api.get(url).status_code, (401, 403))

    def test_it_trades_a_password_for_a_token_that_authenticates(self):
        response = self.api.post("/api/auth/token/", {"username": "staff_a", "password": PASSWORD}, format="json")
        self.assertEqual(response.status_code, 200)
        token = response.json()["token"]
        self.assertEqual(self.api.post("/api/auth/token/", {"username": "staff_a", "password": PASSWORD}).json(),
                         {"token": token})
        client = APIClient()
        self.assertEqual(client.get("/api/assignments/").status_code, 403)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        response = client.get("/api/assignments/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(ids(response), [self.assignment_a.pk])
        response = client.post("/api/reports/", {"assignment": self.assignment_a.pk, "text": "令牌填报", "percent": 5},
                               format="json")
        self.assertEqual(response.status_code, 201)  # a token client needs no CSRF token
        client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
        self.assertIn(client.get("/api/assignments/").status_code, (401, 403))

    def test_it_refuses_wrong_credentials_for_a_token(self):
        for payload in ({"username": "staff_a", "password": "wrong"}, {"username": "staff_a"}, {}):
            with self.subTest(payload=payload):
                self.assertEqual(self.api.post("/api/auth/token/", payload, format="json").status_code, 400)

    @override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
    def test_it_locks_out_token_requests_like_the_login_page(self):
        def token(password):
            return self.api.post("/api/auth/token/", {"username": "staff_a", "password": password}, format="json",
                                 REMOTE_ADDR="10.0.0.9")

        self.assertEqual(token(PASSWORD).status_code, 200)
        for _ in range(3):
            self.assertEqual(token("wrong").status_code, 400)
        response = token(PASSWORD)
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn("token", response.json())

    def test_it_enforces_csrf_for_session_callers(self):
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(self.staff_a)
        response = client.post(f"/api/assignments/{self.assignment_a.pk}/acknowledge/", {}, format="json")
        self.assertEqual(response.status_code, 403)
        self.assertIn("CSRF", response.json()["detail"])


class SchemaTests(ApiTestCase):
    def test_it_serves_a_schema_with_chinese_summaries_for_every_operation(self):
        self.login(self.staff_a)
        response = self.api.get("/api/schema/?format=json")
        self.assertEqual(response.status_code, 200)
        schema = json.loads(response.content)
        expected = {
            "/api/assignments/", "/api/assignments/{id}/", "/api/assignments/{id}/acknowledge/",
            "/api/assignments/{id}/urge/", "/api/assignments/{id}/sign-off/",
            "/api/assignments/{id}/extension-requests/", "/api/reports/", "/api/reports/{id}/",
            "/api/reports/{id}/submit/", "/api/reports/{id}/accept/", "/api/reports/{id}/return/",
            "/api/reports/{id}/leader-approve/", "/api/reports/{id}/leader-return/", "/api/extension-requests/",
            "/api/extension-requests/{id}/", "/api/extension-requests/{id}/decide/", "/api/documents/",
            "/api/documents/{id}/", "/api/documents/parse/", "/api/measures/", "/api/measures/{id}/",
            "/api/departments/", "/api/departments/{id}/", "/api/auth/token/", "/api/dashboard/summary/",
        }
        self.assertEqual(set(schema["paths"]), expected)
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                with self.subTest(path=path, method=method):
                    self.assertRegex(operation.get("summary", ""), r"[\u4e00-\u9fff]")
        create = schema["paths"]["/api/reports/"]["post"]
        self.assertIn("不支持上传文件", create["description"])

    def test_it_validates_without_warnings(self):
        out = io.StringIO()
        call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
        self.assertIn("openapi", out.getvalue())

    def test_it_serves_the_docs_from_this_server(self):
        self.client.force_login(self.staff_a)
        response = self.client.get("/api/docs/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "/static/drf_spectacular_sidecar/swagger-ui-dist/")
        self.assertNotContains(response, "cdn.jsdelivr.net")

    def test_it_keeps_the_parse_endpoint_apart_from_document_details(self):
        self.login(self.office)
        self.assertEqual(self.api.get("/api/documents/parse/").status_code, 405)
        self.assertEqual(self.post("/api/documents/parse/", {"text": ""}).status_code, 400)
        self.assertEqual(self.api.get(f"/api/documents/{self.document.pk}/").status_code, 200)


class QueryCountTests(ApiTestCase):
    """Every list endpoint reads a page with the same number of queries, however many rows."""

    def grow(self, n: int) -> None:
        """Add ``n`` documents with one measure each for department A, each with an assignment, an indicator, a milestone,
        a submitted report with an indicator value and a file, an urge and an extension request;
        and ``n`` departments to the directory."""
        base = Measure.objects.count() + 100
        for i in range(base, base + n):
            document = PolicyDocument.objects.create(title=f"文件{i}")
            measure = Measure.objects.create(document=document, number=str(i), title=f"措施{i}", order=i)
            indicator = Indicator.objects.create(measure=measure, name=f"指标{i}", target_value=1)
            Milestone.objects.create(measure=measure, title="节点", due_date=datetime.date(2026, 9, 1))
            assignment = Assignment.objects.create(measure=measure, department=self.dept_a, role=AssignmentRole.LEAD)
            report = ProgressReport.objects.create(
                assignment=assignment, period_start=datetime.date(2026, 5, 1), period_end=datetime.date(2026, 5, 31),
                text="进展", percent=10, status=ReportStatus.SUBMITTED, created_by=self.staff_a,
                submitted_by=self.staff_a, reviewed_by=self.office,
            )
            IndicatorValue.objects.create(report=report, indicator=indicator, value=1)
            Attachment.objects.create(report=report, file=ContentFile(PDF, name="x.pdf"), original_name="x.pdf", size=1)
            Urge.objects.create(assignment=assignment, message="催办", sent_by=self.office)
            ExtensionRequest.objects.create(
                assignment=assignment, requested_by=self.leader_a, requested_deadline=datetime.date(2026, 12, 31),
                reason="延期",
            )
            Department.objects.create(name=f"测试单位{i}", kind=DepartmentKind.BUREAU)

    def page_queries(self, url: str) -> tuple[int, int]:
        """(rows in the list, queries to read its first page) for the logged-in user."""
        self.assertEqual(self.api.get(url).status_code, 200)  # warm up whatever is cached per process
        with CaptureQueriesContext(connection) as queries:
            response = self.api.get(url)
        self.assertEqual(response.status_code, 200)
        return response.json()["count"], len(queries)

    def check(self, user) -> None:
        self.api.force_login(user)  # a session, as a browser has: the auth queries are counted too
        self.grow(1)  # no list empty: an empty page is read with one query less
        before = {url: self.page_queries(url) for url in LIST_URLS}
        self.grow(5)
        after = {url: self.page_queries(url) for url in LIST_URLS}
        for url in LIST_URLS:
            with self.subTest(url=url):
                self.assertGreaterEqual(after[url][0], before[url][0] + 5, "the list did not grow")
                self.assertEqual(after[url][1], before[url][1])

    def test_it_uses_a_fixed_number_of_queries_per_list_for_a_department(self):
        self.check(self.staff_a)

    def test_it_uses_a_fixed_number_of_queries_per_list_for_the_office(self):
        self.check(self.office)


LIST_URLS = ["/api/assignments/", "/api/reports/", "/api/documents/", "/api/measures/", "/api/departments/",
             "/api/extension-requests/"]
