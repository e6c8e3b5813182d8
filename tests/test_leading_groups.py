"""Leading groups: who sees what, who is told, and pages that stay at a fixed number of queries."""

from __future__ import annotations

import datetime

import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from departments.choices import GroupRole, Role
from departments.models import GroupMembership, LeadingGroup
from departments.roles import get_roles
from documents.models import Measure, PolicyDocument
from tasks.choices import AssignmentRole, ReportStatus
from tasks.dashboard import bulletins, windows
from tasks.models import Assignment, Bulletin, ProgressReport
from tasks.notify.models import Notification, NotificationKind
from tasks.notify.reminders import run_sweep
from tasks.workflow import reports
from tests.base import BaseTestCase, make_user

NOW = datetime.datetime(2026, 7, 10, 9, 0, tzinfo=datetime.UTC)


class GroupWorld(BaseTestCase):
    """Group 1 owns the base document (departments A and B work on it); group 2 owns a second
    document on which department A leads; a third document has no group (the general office's)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.group = LeadingGroup.objects.create(name="测试市数字经济发展领导小组", office_department=cls.dept_a)
        cls.group2 = LeadingGroup.objects.create(name="测试市优化营商环境领导小组", office_department=cls.dept_b)
        PolicyDocument.objects.filter(pk=cls.document.pk).update(group=cls.group)
        cls.office1 = make_user("office1")
        GroupMembership.objects.create(group=cls.group, user=cls.office1, role=GroupRole.OFFICE)
        cls.office2 = make_user("office2")
        GroupMembership.objects.create(group=cls.group2, user=cls.office2, role=GroupRole.OFFICE)
        cls.chair2 = make_user("chair2")
        GroupMembership.objects.create(group=cls.group2, user=cls.chair2, role=GroupRole.LEADERSHIP)
        cls.doc2, cls.a2 = cls.add_document("测试市营商环境行动方案", "测府办发〔2026〕9号", cls.group2, cls.dept_a)
        cls.doc3, cls.a3 = cls.add_document("测试市无主文件", "测府办发〔2026〕10号", None, cls.dept_b)

    @classmethod
    def add_document(cls, title, number, group, department, measures: int = 1):
        document = PolicyDocument.objects.create(title=title, doc_number=number, group=group)
        first = None
        for order in range(1, measures + 1):
            measure = Measure.objects.create(document=document, number=str(order), title=f"{title}第{order}项",
                                             deadline=datetime.date(2026, 6, 30), order=order)
            assignment = Assignment.objects.create(measure=measure, department=department, role=AssignmentRole.LEAD)
            first = first or assignment
        return document, first

    def send(self, assignment, user, month=6) -> ProgressReport:
        report = ProgressReport.objects.create(
            assignment=assignment, period_start=datetime.date(2026, month, 1),
            period_end=datetime.date(2026, month, 30), text="推进中。", percent=50, created_by=user,
        )
        return reports.submit_report(report, user)


class ScopeTests(GroupWorld):
    def test_it_reads_group_roles_with_department_roles_in_one_query(self):
        GroupMembership.objects.create(group=self.group2, user=self.staff_a, role=GroupRole.OFFICE)
        user = type(self.staff_a).objects.get(pk=self.staff_a.pk)
        with self.assertNumQueries(1):
            roles = get_roles(user)
        self.assertTrue(roles.is_office and roles.is_department_user)
        self.assertFalse(roles.sees_everything)
        self.assertEqual(roles.group_ids, {self.group2.pk})
        self.assertEqual(roles.department_ids, {self.dept_a.pk})

    def test_a_groups_office_sees_exactly_its_groups_assignments(self):
        expected = set(Assignment.objects.filter(measure__document__group=self.group2).values_list("pk", flat=True))
        self.assertEqual(set(Assignment.objects.visible_to(self.office2).values_list("pk", flat=True)), expected)
        self.assertEqual(list(PolicyDocument.objects.visible_to(self.office2)), [self.doc2])
        self.assertEqual(set(Measure.objects.visible_to(self.chair2)), set(self.doc2.measures.all()))

    def test_the_general_office_city_leadership_and_admins_see_every_group_and_none(self):
        everything = set(Assignment.objects.values_list("pk", flat=True))
        for user in (self.office, self.leadership, self.admin):
            with self.subTest(user=user.username):
                self.assertEqual(set(Assignment.objects.visible_to(user).values_list("pk", flat=True)), everything)
                self.assertIn(self.doc3, PolicyDocument.objects.visible_to(user))

    def test_a_document_without_a_group_is_the_general_offices_alone(self):
        self.assertIsNone(PolicyDocument.objects.get(pk=self.doc3.pk).group)
        for user in (self.office1, self.office2, self.chair2):
            self.assertNotIn(self.a3, Assignment.objects.visible_to(user))

    def test_department_staff_see_their_work_of_every_group_and_filter_by_group(self):
        mine = Assignment.objects.visible_to(self.staff_a)
        self.assertEqual({a.measure.document.group_id for a in mine}, {self.group.pk, self.group2.pk})
        client = Client()
        client.force_login(self.staff_a)
        response = client.get(reverse("tasks:my-tasks"), {"group": self.group2.pk})
        self.assertEqual(response.status_code, 200)
        self.assertEqual({a.pk for a in response.context["object_list"]}, {self.a2.pk})
        self.assertContains(client.get(reverse("tasks:my-tasks")), self.group2.name)

    def test_a_groups_reports_reach_only_its_office(self):
        sent = self.send(self.a2, self.staff_a)
        self.assertIn(sent, ProgressReport.objects.visible_to(self.office2))
        self.assertNotIn(sent, ProgressReport.objects.visible_to(self.office1))
        draft = ProgressReport.objects.create(assignment=self.a2, period_start=datetime.date(2026, 5, 1),
                                              period_end=datetime.date(2026, 5, 31), text="草稿", created_by=self.staff_a)
        self.assertNotIn(draft, ProgressReport.objects.visible_to(self.office2))

    def test_another_groups_office_is_refused_in_the_service_too(self):
        sent = self.send(self.a2, self.staff_a)
        before = ProgressReport.objects.filter(status=ReportStatus.ACCEPTED).count()
        with self.assertRaises(reports.PermissionDenied):
            reports.review(sent, self.office1, accept=True, comment="", expected_version=sent.version)
        with self.assertRaises(reports.PermissionDenied):
            reports.sign_off(self.a2, self.office1)
        with self.assertRaises(reports.PermissionDenied):
            reports.urge(self.a2, self.office1, "请加快。")
        self.assertEqual(ProgressReport.objects.filter(status=ReportStatus.ACCEPTED).count(), before)
        reports.review(sent, self.office2, accept=True, comment="", expected_version=sent.version)
        self.assertEqual(ProgressReport.objects.get(pk=sent.pk).status, ReportStatus.ACCEPTED)

    @time_machine.travel(NOW, tick=False)
    def test_a_groups_office_issues_bulletins_in_its_groups_name(self):
        window = windows.month_window(NOW.date())
        draft = bulletins.draft_bulletin(self.office2, window, "营商环境通报", NOW.date())
        self.assertEqual(draft.group, self.group2)
        self.assertIn(draft, Bulletin.objects.visible_to(self.office))
        self.assertNotIn(draft, Bulletin.objects.visible_to(self.office1))
        documents = {row["document"] for row in draft.content["overdue"]}
        self.assertEqual(documents, {self.doc2.title})
        client = Client()
        client.force_login(self.office2)
        page = client.get(reverse("tasks:bulletin", args=[draft.pk]))
        self.assertContains(page, f"{self.group2.name}办公室")
        client.force_login(self.office1)
        self.assertEqual(client.get(reverse("tasks:bulletin", args=[draft.pk])).status_code, 404)


class NoticeTests(GroupWorld):
    def told(self, kind) -> set[str]:
        return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))

    def test_a_submitted_report_is_announced_to_the_groups_office_only(self):
        self.send(self.a2, self.staff_a)
        self.assertEqual(self.told(NotificationKind.REPORT_SENT), {"office2"})

    def test_the_general_office_hears_where_the_group_asks_it_to(self):
        LeadingGroup.objects.filter(pk=self.group2.pk).update(notify_general_office=True)
        self.send(self.a2, self.staff_a)
        self.assertEqual(self.told(NotificationKind.REPORT_SENT), {"office2", "office"})

    def test_work_without_a_group_or_of_a_group_without_reviewers_goes_to_the_general_office(self):
        self.send(self.a3, self.staff_b)
        self.assertEqual(self.told(NotificationKind.REPORT_SENT), {"office"})
        GroupMembership.objects.filter(group=self.group2).delete()
        Notification.objects.all().delete()
        self.send(self.a2, self.staff_a)
        self.assertEqual(self.told(NotificationKind.REPORT_SENT), {"office"})

    @time_machine.travel(NOW, tick=False)
    def test_an_extension_request_is_announced_to_the_groups_office(self):
        reports.request_extension(self.a2, self.leader_a, datetime.date(2026, 12, 31), "设备到货延迟")
        self.assertEqual(self.told(NotificationKind.EXTENSION_REQUESTED), {"office2"})

    def test_the_overdue_escalation_goes_to_the_office_of_the_documents_group(self):
        run_sweep(datetime.date(2026, 7, 1), dispatch=False)
        overdue = Notification.objects.filter(kind__in=[NotificationKind.OVERDUE, NotificationKind.DIGEST])
        by_user = {n.recipient.username: n.body for n in overdue.select_related("recipient")}
        self.assertIn("测试市营商环境行动方案第1项", by_user["office2"])
        self.assertNotIn("建设算力中心", by_user["office2"])
        self.assertIn("建设算力中心", by_user["office1"])
        self.assertNotIn("测试市营商环境行动方案", by_user["office1"])
        self.assertIn("测试市无主文件第1项", by_user["office"])
        self.assertNotIn("测试市营商环境行动方案", by_user["office"])


@override_settings(DASHBOARD_CACHE_SECONDS=0)
class ConstantQueryTests(GroupWorld):
    PAGES = ("tasks:reviews", "tasks:assignments", "tasks:dashboard", "documents:list", "api-assignment-list",
             "api-report-list", "api-dashboard-summary", "tasks:ledger-export")

    def counts(self, user) -> dict[str, int]:
        client = Client()
        client.force_login(user)
        result = {}
        roles = get_roles(user)
        for name in ("tasks:my-tasks",) if roles.is_department_user else self.PAGES:
            if name == "tasks:reviews" and not roles.is_office:
                continue
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(reverse(name))
            self.assertEqual(response.status_code, 200, name)
            result[name] = len(captured)
        return result

    @time_machine.travel(NOW, tick=False)
    def test_a_groups_pages_read_as_many_queries_for_one_document_as_for_many(self):
        self.send(self.a2, self.staff_a)
        users = (self.office2, self.chair2, self.office, self.staff_a)
        before = {user.username: self.counts(user) for user in users}
        for n in range(3):
            document, first = self.add_document(f"测试市营商环境专项方案{n}", f"测府办发〔2026〕{20 + n}号",
                                                self.group2, self.dept_b, measures=4)
            self.send(first, self.staff_b)
            self.add_document(f"测试市其他方案{n}", f"测府办发〔2026〕{40 + n}号", self.group, self.dept_a, measures=3)
        after = {user.username: self.counts(user) for user in users}
        self.assertEqual(after, before)
        self.assertEqual(Assignment.objects.visible_to(self.office2).count(), 13)


class RoleVocabularyTests(GroupWorld):
    def test_group_roles_say_office_and_leadership_like_department_roles(self):
        self.assertEqual({GroupRole.OFFICE.value, GroupRole.LEADERSHIP.value}, {Role.OFFICE.value, Role.LEADERSHIP.value})


@override_settings(DASHBOARD_CACHE_SECONDS=0)
class GroupDashboardTests(GroupWorld):
    def board(self, user, **query):
        client = Client()
        client.force_login(user)
        return client.get(reverse("tasks:dashboard"), query)

    def test_a_groups_office_counts_only_its_group(self):
        response = self.board(self.office2)
        self.assertEqual(response.status_code, 200)
        board = response.context["board"]
        self.assertEqual(board.summary.assignments, Assignment.objects.filter(measure__document__group=self.group2).count())
        self.assertEqual([row.id for row in board.documents], [self.doc2.pk])
        self.assertEqual({row.name for row in board.departments if row.assigned}, {"市发改委"})
        self.assertNotContains(response, 'data-testid="group-progress"')
        api = Client()
        api.force_login(self.office2)
        summary = api.get(reverse("api-dashboard-summary")).json()
        self.assertEqual(summary["summary"]["assignments"], board.summary.assignments)
        self.assertEqual([row["id"] for row in summary["groups"]], [self.group2.pk])

    def test_the_general_office_sees_a_row_per_group_and_filters_by_group(self):
        response = self.board(self.office)
        rows = {row.id: row for row in response.context["board"].groups}
        self.assertEqual(set(rows), {self.group.pk, self.group2.pk, None})
        self.assertEqual(rows[self.group.pk].total, 2)
        self.assertEqual((rows[self.group2.pk].documents, rows[None].documents), (1, 1))
        self.assertContains(response, 'data-testid="group-progress"')
        filtered = self.board(self.office, group=self.group2.pk).context["board"]
        self.assertEqual(filtered.summary.assignments, 1)
        self.assertEqual([row.id for row in filtered.groups], [self.group2.pk])

    def test_it_refuses_a_group_outside_the_users_scope(self):
        response = self.board(self.office2, group=self.group.pk)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "所选领导小组不存在或您无权查看", status_code=400)
        self.assertEqual(self.board(self.office, group="abc").status_code, 400)


class DocumentApiTests(GroupWorld):
    def test_documents_carry_their_group_and_filter_by_it(self):
        client = Client()
        client.force_login(self.staff_a)
        rows = client.get(reverse("api-document-list")).json()["results"]
        self.assertEqual({row["title"]: row["group_name"] for row in rows},
                         {self.document.title: self.group.name, self.doc2.title: self.group2.name})
        only = client.get(reverse("api-document-list"), {"group": self.group2.pk}).json()["results"]
        self.assertEqual([row["id"] for row in only], [self.doc2.pk])
        self.assertEqual(client.get(reverse("api-document-list"), {"group": "x"}).status_code, 400)
        client.force_login(self.office)
        rows = client.get(reverse("api-document-list")).json()["results"]
        self.assertIn({"title": self.doc3.title, "group": None, "group_name": None},
                      [{key: row[key] for key in ("title", "group", "group_name")} for row in rows])


def test_roles_are_read_on_the_embedded_sqlite_default_too(tmp_path):
    """The one-query roles read is a UNION, which SQLite refuses with an ORDER BY inside: the quick
    start's SQLite file must read them as PostgreSQL does."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'roles.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    script = (
        "from django.contrib.auth import get_user_model; from departments.roles import get_roles; "
        "from tasks.demo.seed import seed_small; seed_small(); "
        "r = get_roles(get_user_model().objects.get(username='office2')); "
        "print(sorted(r.roles), len(r.group_ids), r.sees_everything)"
    )
    for args in (["migrate", "-v0"], ["shell", "-c", script]):
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=root, env=env, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "['office'] 1 False"
