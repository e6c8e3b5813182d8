"""The dashboard cache: keyed by the counter of committed changes (tasks.changes), so what it
serves is always what a fresh computation would give.

These are TransactionTestCases: the counter moves when a transaction commits, and a TestCase's
transaction never does."""

import datetime

import time_machine
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import SimpleTestCase, TransactionTestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from departments.choices import Role
from departments.models import Department
from documents.models import Measure, PolicyDocument
from tasks import changes
from tasks.choices import AssignmentRole, AssignmentStatus, ReportStatus
from tasks.models import Assignment, ChangeCounter, Notification, ProgressReport
from tests.base import make_user, refresh_rollups

NOW = datetime.datetime(2026, 6, 25, 9, 0, tzinfo=datetime.UTC)


class WhatCountsAsAChangeTests(SimpleTestCase):
    def test_it_reads_the_table_a_statement_writes(self):
        counted = [
            'INSERT INTO "tasks_progressreport" ("assignment_id") VALUES (%s)',
            'UPDATE "tasks_assignment" SET "status" = %s',
            '  delete from "documents_measure" WHERE id = 1',
            "UPDATE `departments_department` SET name = 'x'",
            'INSERT INTO "tasks_extensionrequest" DEFAULT VALUES',
            'UPDATE "documents_policydocument" SET title = %s',
        ]
        ignored = [
            'SELECT * FROM "tasks_assignment"',
            'INSERT INTO "tasks_historicalassignment" ("id") VALUES (1)',
            'UPDATE "tasks_notification" SET "read_at" = %s',
            'UPDATE "tasks_changecounter" SET "value" = "value" + 1',
            "WITH x AS (SELECT 1) SELECT * FROM x",
        ]
        for sql in counted:
            with self.subTest(sql=sql):
                self.assertTrue(changes.writes_counted_table(sql))
        for sql in ignored:
            with self.subTest(sql=sql):
                self.assertFalse(changes.writes_counted_table(sql))


class World(TransactionTestCase):
    """Two departments sharing one measure, written with real commits."""

    def setUp(self):
        self.office = make_user("office", Department.objects.create(name="市推进办", kind="other"), Role.OFFICE)
        self.dept_a = Department.objects.create(name="市发展和改革委员会", short_name="市发改委")
        self.dept_b = Department.objects.create(name="市工业和信息化局", short_name="市工信局")
        self.document = PolicyDocument.objects.create(title="测试市数字经济行动方案", doc_number="测府办发〔2026〕1号",
                                                      issued_date=datetime.date(2026, 1, 5))
        self.measure = Measure.objects.create(document=self.document, number="1", title="建设算力中心", order=1,
                                              deadline=datetime.date(2026, 6, 30))
        self.assignment_a = Assignment.objects.create(measure=self.measure, department=self.dept_a,
                                                      role=AssignmentRole.LEAD)
        self.assignment_b = Assignment.objects.create(measure=self.measure, department=self.dept_b,
                                                      role=AssignmentRole.SUPPORTING)
        self.report_a = ProgressReport.objects.create(
            assignment=self.assignment_a, period_start=datetime.date(2026, 3, 1), period_end=datetime.date(2026, 3, 31),
            text="完成选址。", percent=20)
        Assignment.objects.update(created_at=datetime.datetime(2026, 1, 10, 9, 0, tzinfo=datetime.UTC))
        refresh_rollups()


class CounterTests(World):
    def bumps(self, write) -> int:
        before = changes.version()
        write()
        return changes.version() - before

    def test_every_kind_of_write_to_counted_tables_bumps_once_per_transaction(self):
        a = self.assignment_a
        self.assertEqual(self.bumps(lambda: a.save()), 1)
        self.assertEqual(self.bumps(lambda: Assignment.objects.filter(pk=a.pk).update(percent=30)), 1)
        self.assertEqual(self.bumps(lambda: ProgressReport.objects.bulk_create([ProgressReport(
            assignment=a, period_start=datetime.date(2026, 4, 1), period_end=datetime.date(2026, 4, 30), text="x")])), 1)
        self.assertEqual(self.bumps(lambda: ProgressReport.objects.filter(period_start=datetime.date(2026, 4, 1)).delete()), 1)
        before = changes.version()

        @transaction.atomic
        def many():
            for percent in (40, 50, 60):
                Assignment.objects.filter(pk=a.pk).update(percent=percent)
            Department.objects.filter(pk=self.dept_b.pk).update(sort_order=9)
            self.assertEqual(changes.version(), before)  # nothing before the commit

        self.assertEqual(self.bumps(many), 1)

    def test_reads_and_other_tables_do_not_bump(self):
        self.assertEqual(self.bumps(lambda: list(Assignment.objects.all())), 0)
        self.assertEqual(self.bumps(lambda: Notification.objects.create(recipient=self.office, kind="urge", title="t")), 0)

    def test_rolled_back_work_does_not_bump_and_a_rolled_back_savepoint_takes_only_its_own(self):
        def abandoned():
            try:
                with transaction.atomic():
                    Department.objects.create(name="市档案馆")
                    raise RuntimeError("abandon")
            except RuntimeError:
                pass

        self.assertEqual(self.bumps(abandoned), 0)

        @transaction.atomic
        def savepoint_rolled_back():
            with transaction.atomic():
                Assignment.objects.filter(pk=self.assignment_a.pk).update(percent=70)
                transaction.set_rollback(True)

        self.assertEqual(self.bumps(savepoint_rolled_back), 0)

        @transaction.atomic
        def written_before_a_rolled_back_savepoint():
            Assignment.objects.filter(pk=self.assignment_a.pk).update(percent=75)
            with transaction.atomic():
                Assignment.objects.filter(pk=self.assignment_a.pk).update(percent=70)
                transaction.set_rollback(True)

        self.assertEqual(self.bumps(written_before_a_rolled_back_savepoint), 1)
        self.assertEqual(Assignment.objects.get(pk=self.assignment_a.pk).percent, 75)

    def test_the_counter_row_is_made_when_missing(self):
        ChangeCounter.objects.all().delete()
        self.assertEqual(changes.version(), 0)
        changes.bump()
        changes.bump()
        self.assertEqual(changes.version(), 2)


@time_machine.travel(NOW, tick=False)
@override_settings(DASHBOARD_CACHE_SECONDS=300)
class CachedDashboardTests(World):
    def setUp(self):
        super().setUp()
        cache.clear()
        self.client.force_login(self.office)

    def get(self, url: str, **query):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url, query)
        self.assertEqual(response.status_code, 200)
        return response, len(queries)

    def summary(self, **query) -> dict:
        return self.get(reverse("api-dashboard-summary"), **query)[0].json()["summary"]

    def test_it_serves_the_cached_numbers_until_a_change_is_committed(self):
        first, computed = self.get(reverse("tasks:dashboard"))
        again, served = self.get(reverse("tasks:dashboard"))
        self.assertLess(served, computed)
        self.assertEqual(again.context["summary"], first.context["summary"])
        self.assertEqual(first.context["summary"].closed, 0)

        self.assignment_a.status, self.assignment_a.closed_at = AssignmentStatus.CLOSED, NOW
        self.assignment_a.save()
        after, recomputed = self.get(reverse("tasks:dashboard"))
        self.assertEqual(recomputed, computed)
        self.assertEqual(after.context["summary"].closed, 1)

    def test_a_renamed_department_is_a_change_too(self):
        self.assertIn("市发改委", [row["name"] for row in self.get(reverse("api-dashboard-summary"))[0].json()["departments"]])
        Department.objects.filter(pk=self.dept_a.pk).update(short_name="市发展改革委")
        names = [row["name"] for row in self.get(reverse("api-dashboard-summary"))[0].json()["departments"]]
        self.assertIn("市发展改革委", names)

    def test_the_page_and_the_api_share_it_and_agree_with_a_fresh_computation(self):
        page = self.get(reverse("tasks:dashboard"), period="2026-03")[0].context["board"]
        self.report_a.status, self.report_a.submitted_at = ReportStatus.SUBMITTED, NOW
        self.report_a.save()
        cached_api, _n = self.get(reverse("api-dashboard-summary"), period="2026-03")
        with override_settings(DASHBOARD_CACHE_SECONDS=0):
            fresh_api, _n = self.get(reverse("api-dashboard-summary"), period="2026-03")
        self.assertEqual(cached_api.json(), fresh_api.json())
        self.assertEqual(cached_api.json()["summary"]["reports_received"], page.summary.reports_received + 1)

    def test_filters_and_languages_have_their_own_entries(self):
        self.assertEqual(self.summary()["assignments"], 2)
        self.assertEqual(self.summary(document=self.document.pk)["assignments"], 2)
        self.assertEqual(self.summary(department_kind="county")["assignments"], 0)
        chinese = self.get(reverse("api-dashboard-summary"))[0].json()["formula"]
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = self.get(reverse("api-dashboard-summary"))[0].json()["formula"]
        self.assertIn("统计单位", chinese)
        self.assertNotIn("统计单位", english)

    def test_a_new_day_computes_afresh(self):
        self.assertEqual(self.summary()["overdue"], 0)
        with time_machine.travel(datetime.datetime(2026, 7, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
            self.client.force_login(self.office)  # a login lasts a working day
            self.assertEqual(self.summary()["overdue"], 2)  # the measure was due on 06-30
