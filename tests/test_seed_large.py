"""seed_demo --scale large: the city-scale demo is complete, deterministic and written once.

Most tests run the generator at 2 % of its size (any database); the full size runs on
PostgreSQL only. How long it takes is a figure of ``seed_demo --scale large`` (it prints its
time), not a test: timed tests are flaky on shared machines."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import TestCase

from departments.models import Department, Membership
from documents.models import Measure, PolicyDocument
from tasks.choices import AssignmentStatus, ReportStatus
from tasks.dashboard import filtering, windows
from tasks.dashboard import numbers as dashboard
from tasks.demo import large
from tasks.models import Assignment, ProgressReport
from tasks.periods import period_containing
from tasks.workflow.status import with_lights

TODAY = datetime.date(2026, 6, 25)


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Department, PolicyDocument, Measure, Assignment, ProgressReport, get_user_model(), Membership)
    }


def fingerprint() -> list:
    """What a run wrote, independent of primary keys."""
    return [
        sorted(Department.objects.values_list("name", "kind", "requires_leader_approval")),
        sorted(Measure.objects.values_list("document__doc_number", "number", "title", "deadline", "recurrence")),
        sorted(Assignment.objects.filter(measure__document__doc_number__startswith=large.DOC_PREFIX).values_list(
            "measure__document__doc_number", "measure__number", "department__name",
                                              "role", "status", "closed_at", "created_at")),
        sorted(ProgressReport.objects.filter(
            assignment__measure__document__doc_number__startswith=large.DOC_PREFIX).values_list(
            "assignment__measure__document__doc_number", "assignment__measure__number",
                                                  "assignment__department__name", "period_start", "status", "submitted_at")),
        sorted(get_user_model().objects.values_list("username", "memberships__department__name", "memberships__role")),
    ]


class SeedLargeTests(TestCase):
    def test_it_writes_a_deterministic_city_once(self):
        with transaction.atomic():
            first = large.seed_large(TODAY, scale=0.02)
            written, print_first = counts(), fingerprint()
            transaction.set_rollback(True)
        self.assertFalse(first.already_there)
        again = large.seed_large(TODAY, scale=0.02)
        self.assertEqual(counts(), written)
        self.assertEqual(fingerprint(), print_first)
        self.assertEqual(again.created, first.created)

        before = counts()
        repeated = large.seed_large(TODAY, scale=0.02)
        self.assertTrue(repeated.already_there)
        self.assertEqual(counts(), before)

    def test_it_fills_every_part_of_the_city(self):
        result = large.seed_large(TODAY, scale=0.02)
        made = result.created
        self.assertEqual(made["documents"], 4)
        self.assertEqual(made["measures"], 100)
        self.assertGreaterEqual(made["assignments"], 300)
        self.assertGreater(made["reports"], 3 * made["assignments"])
        self.assertEqual(Assignment.objects.count(), made["assignments"] + 38 + 29)  # the small demo's 38 + 29 stay
        self.assertEqual(set(ProgressReport.objects.values_list("status", flat=True)), set(ReportStatus.values))
        self.assertEqual(set(Assignment.objects.values_list("status", flat=True)), set(AssignmentStatus.values))
        # work was given when its document was issued, so past periods expect reports
        generated = Assignment.objects.filter(measure__document__doc_number__startswith=large.DOC_PREFIX)
        self.assertFalse(generated.exclude(created_at__date__lte=TODAY - datetime.timedelta(days=300)).exists())
        # every report follows its measure's recurrence and starts after the work was given
        for report in ProgressReport.objects.filter(assignment__in=generated).select_related("assignment__measure")[:500]:
            self.assertEqual(period_containing(report.assignment.measure.recurrence, report.period_start).start,
                             report.period_start)
        # departments report differently, so the ranking has something to rank
        board = dashboard.build(get_user_model().objects.get(username="office"),
                                filtering.Filters(window=windows.parse_period("2026-05", TODAY)), TODAY)
        scores = {row.score for row in board.departments if row.score is not None}
        self.assertGreater(len(scores), 5)
        self.assertEqual(dict(with_lights(generated, TODAY).values_list("light").annotate(n=Count("id"))).keys(),
                         {"red", "yellow", "green", "grey"})

    def test_generated_accounts_log_in_with_the_printed_password(self):
        out = StringIO()
        with self.settings(AXES_ENABLED=False):
            large.seed_large(TODAY, scale=0.02)
            call_command("seed_demo", scale="large", stdout=out)  # already there: says so
        self.assertIn("已存在", out.getvalue())
        user = get_user_model().objects.get(username="dept001.staff1")
        self.assertTrue(user.check_password(large.PASSWORD))
        self.assertEqual(user.memberships.get().role, "staff")
        self.assertTrue(self.client.login(username="office01", password=large.PASSWORD))
        self.assertEqual(self.client.get("/dashboard/").status_code, 200)


@pytest.mark.postgres
class SeedLargeFullSizeTests(TestCase):
    def test_it_writes_the_whole_city_and_says_how_long_it_took(self):
        out = StringIO()
        call_command("seed_demo", scale="large", stdout=out)
        self.assertRegex(out.getvalue(), r"用时 \d+\.\d 秒")
        total = counts()
        self.assertEqual(total["Department"], 300)
        self.assertEqual(total["PolicyDocument"], 200)
        self.assertEqual(total["Measure"], 5000)
        self.assertEqual(total["Assignment"], 20000)
        self.assertAlmostEqual(total["ProgressReport"], 200_000, delta=15_000)
        self.assertEqual(total["User"], 2000)
