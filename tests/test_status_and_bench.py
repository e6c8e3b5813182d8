"""The session status (``/status/``, the trivial view the load test compares the month-end mix
with), the group office's review queue, and ``bench_requests``."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader
from django.test import SimpleTestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from departments.choices import GroupRole
from departments.models import GroupMembership, LeadingGroup
from documents.models import Measure, PolicyDocument
from tasks import changes
from tasks.changes import version
from tasks.choices import AssignmentRole, ExtensionStatus
from tasks.models import Assignment, ExtensionRequest
from tests.base import BaseTestCase, make_user

TODAY = datetime.datetime(2026, 4, 15, 9, 0, tzinfo=datetime.UTC)


class StatusViewTests(BaseTestCase):
    def test_it_answers_401_in_json_when_nobody_is_signed_in(self):
        response = self.client.get(reverse("status"))
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["authenticated"], False)
        self.assertIn("请重新登录", response.json()["detail"])

    def test_it_tells_who_is_signed_in_for_how_long_and_the_change_count_in_one_query(self):
        self.client.force_login(self.staff_a)
        self.client.get(reverse("status"))
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("status"))
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual((body["authenticated"], body["username"]), (True, "staff_a"))
        self.assertTrue(0 < body["session_expires_in"] <= settings.SESSION_COOKIE_AGE)
        self.assertEqual(body["changes"], version())
        self.assertEqual(len(queries), 3, [q["sql"] for q in queries])  # the session, the user, the counter
        self.assertIn("no-store", response["Cache-Control"])

    def test_the_change_count_is_the_counter_of_committed_changes(self):
        self.client.force_login(self.staff_a)
        before = self.client.get(reverse("status")).json()["changes"]
        changes.bump()  # what a committed change to the tracked work does (tasks/changes.py)
        self.assertEqual(self.client.get(reverse("status")).json()["changes"], before + 1)

    def test_it_only_answers_get(self):
        self.client.force_login(self.staff_a)
        self.assertEqual(self.client.post(reverse("status")).status_code, 405)


class TemplateLoaderTests(SimpleTestCase):
    def test_templates_are_compiled_once_per_process(self):
        # no "loaders" in TEMPLATES: Django wraps the filesystem and app loaders in the cached one
        self.assertIsInstance(engines["django"].engine.template_loaders[0], CachedLoader)


@time_machine.travel(TODAY, tick=False)
class GroupReviewQueueTests(BaseTestCase):
    """A group's office sees its own group's extension requests and unacknowledged work only."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.group = LeadingGroup.objects.create(name="测试市数字经济发展领导小组", office_department=cls.dept_a)
        cls.group_office = make_user("group_office")
        GroupMembership.objects.create(group=cls.group, user=cls.group_office, role=GroupRole.OFFICE)
        own = PolicyDocument.objects.create(title="本小组方案", doc_number="测府办发〔2026〕7号", group=cls.group)
        measure = Measure.objects.create(document=own, number="1", title="本小组措施", order=1)
        cls.own = Assignment.objects.create(measure=measure, department=cls.dept_b, role=AssignmentRole.LEAD)
        for assignment in (cls.own, cls.assignment_b):  # assignment_b's document has no group
            ExtensionRequest.objects.create(assignment=assignment, previous_deadline=datetime.date(2026, 6, 30),
                                            requested_deadline=datetime.date(2026, 9, 30), reason="设备到货延迟",
                                            status=ExtensionStatus.PENDING)

    def test_it_lists_and_counts_only_the_groups_work(self):
        self.client.force_login(self.group_office)
        response = self.client.get(reverse("tasks:reviews"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual([e.assignment_id for e in response.context["extensions"]], [self.own.pk])
        self.assertEqual([a.pk for a in response.context["unacknowledged"]], [self.own.pk])
        self.assertEqual(response.context["unacknowledged_count"], 1)

    def test_the_general_office_sees_every_group(self):
        self.client.force_login(self.office)
        response = self.client.get(reverse("tasks:reviews"))
        self.assertEqual(len(response.context["extensions"]), 2)
        self.assertEqual(response.context["unacknowledged_count"], Assignment.objects.filter(status="pending").count())


class BenchRequestsTests(BaseTestCase):
    def run_bench(self, *arguments: str) -> str:
        out = StringIO()
        call_command("bench_requests", *arguments, stdout=out)
        return out.getvalue()

    def test_it_measures_every_page_as_the_user_it_is_for(self):
        figures = json.loads(self.run_bench("--runs", "1", "--repeat", "2", "--json"))
        by_page = {row["page"]: row for row in figures}
        self.assertIn("/tasks/<id>/", by_page)
        self.assertEqual({row["status"] for row in figures}, {200})
        self.assertEqual(by_page["/reviews/"]["user"], "office")
        self.assertEqual(by_page["/tasks/"]["user"], "staff_a")  # no demo account: the first staff member
        self.assertEqual(by_page["/status/"]["queries"], 3)
        self.assertTrue(all(row["cpu_ms"] > 0 and row["queries"] > 0 for row in figures))

    def test_it_prints_a_table_and_a_profile_for_the_pages_asked_for(self):
        text = self.run_bench("--runs", "1", "--repeat", "1", "--page", "/status/", "--profile")
        self.assertIn("cpu ms", text)
        self.assertIn("/status/", text)
        self.assertNotIn("/reviews/", text)
        self.assertIn("function calls", text)  # cProfile's summary

    def test_it_refuses_an_unknown_page_and_a_run_count_below_one(self):
        with self.assertRaisesMessage(CommandError, "没有这些页面:/nope/"):
            self.run_bench("--page", "/nope/")
        with self.assertRaisesMessage(CommandError, "至少为 1"):
            self.run_bench("--runs", "0")
        with self.assertRaisesMessage(CommandError, "至少为 1"):
            self.run_bench("--repeat", "0")

    def test_it_says_which_account_is_missing(self):
        type(self.office).objects.filter(username="office").update(is_active=False)
        with self.assertRaisesMessage(CommandError, "/reviews/"):
            self.run_bench("--page", "/reviews/", "--runs", "1")
