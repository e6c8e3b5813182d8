"""seed_demo --scale province: the province is complete, consistent, deterministic and written once,
with bulk_create (any database) and with COPY (PostgreSQL), and both write the same rows.

The generator runs at half a percent of its size here. How long the full size takes is a figure
of ``seed_demo --scale province`` (it prints each phase's time), not a test."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import IntegrityError, connection, models, transaction
from django.test import TestCase

from departments.models import Department, GroupMembership, LeadingGroup, Membership
from documents.models import Measure, PolicyDocument
from documents.parsing.dates import parse_time_text
from tasks.choices import AssignmentStatus, ExtensionStatus, ReportStatus
from tasks.demo import business, document, province, province_names, sinks
from tasks.demo.scaled import PASSWORD, month_end
from tasks.demo.seed import seed_small
from tasks.models import Assignment, ExtensionRequest, ProgressReport
from tasks.periods import period_containing
from tasks.rollups import rebuild

TODAY = datetime.date(2026, 6, 25)
SCALE = 0.005
GENERATED = ["departments.Department", "departments.DepartmentAlias", "departments.Membership", "auth.User",
             "departments.GroupMembership", "documents.PolicyDocument", "documents.Section", "documents.Measure",
             "documents.Indicator", "documents.Milestone", "tasks.Assignment", "tasks.ProgressReport", "tasks.Urge",
             "tasks.ExtensionRequest"]


def counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in GENERATED}


def dangling_keys() -> dict[str, int]:
    """Rows whose foreign key names no row, per model and key (every key of every generated table)."""
    found = {}
    for label in GENERATED:
        model = apps.get_model(label)
        for key in model._meta.concrete_fields:
            if isinstance(key, models.ForeignKey):
                targets = key.related_model._default_manager.values(key.target_field.attname)
                n = model._default_manager.filter(**{f"{key.attname}__isnull": False}).exclude(
                    **{f"{key.attname}__in": targets}).count()
                if n:
                    found[f"{label}.{key.attname}"] = n
    return found


def fingerprint() -> list:
    """What a run wrote, by natural keys, whatever the primary keys."""
    return [
        sorted(Department.objects.values_list("name", "short_name", "kind", "parent__name", "requires_leader_approval")),
        sorted(Department.objects.filter(members__isnull=False).values_list("name", "members__name")),
        sorted(get_user_model().objects.values_list("username", "first_name", "memberships__department__name",
                                                    "memberships__role")),
        sorted(GroupMembership.objects.values_list("group__name", "user__username", "role")),
        sorted(PolicyDocument.objects.values_list("doc_number", "title", "issuer", "issued_date", "group__name")),
        sorted(Measure.objects.values_list("document__doc_number", "number", "section__title", "title", "deadline",
                                           "deadline_text", "recurrence")),
        sorted(Assignment.objects.values_list(
            "measure__document__doc_number", "measure__number", "department__name", "role", "status", "percent",
            "deadline", "due", "acknowledged_at", "closed_at")),
        sorted(ProgressReport.objects.values_list(
            "assignment__measure__document__doc_number", "assignment__measure__number", "assignment__department__name",
            "period_start", "period_end", "status", "percent", "text", "submitted_at", "reviewed_at")),
        sorted(ExtensionRequest.objects.values_list("assignment__measure__document__doc_number",
                                                    "assignment__department__name", "status", "requested_deadline")),
    ]


class ProvinceChecks:
    """What every province must be, however it was written (each subclass writes it its way)."""

    copy: bool | None = None

    def setUp(self):
        seed_small(TODAY)  # outside the runs that tests roll back: its rows, stamped with the time, stay the same

    def seed(self) -> province.ProvinceResult:
        return province.seed_province(TODAY, scale=SCALE, copy=self.copy)

    def test_it_writes_a_consistent_province_once(self):
        before = counts()
        result = self.seed()
        self.assertFalse(result.already_there)
        self.assert_consistent(result, before)
        self.assert_shaped_like_a_province()
        self.assert_written_once(counts())

    def assert_consistent(self, result: province.ProvinceResult, before: dict[str, int]) -> None:
        made, now = result.created, counts()
        for label, key in [("departments.Department", "departments"), ("auth.User", "users"),
                           ("departments.Membership", "memberships"), ("documents.PolicyDocument", "documents"),
                           ("documents.Measure", "measures"), ("tasks.Assignment", "assignments"),
                           ("tasks.ProgressReport", "reports"), ("tasks.ExtensionRequest", "extension_requests")]:
            self.assertEqual(now[label] - before[label], made[key], label)
        self.assertGreater(made["reports"], 5 * made["assignments"])
        self.assertEqual(dangling_keys(), {})
        # due: the approved extension's deadline, else the measure's, on every row
        for due, deadline, measure_deadline in Assignment.objects.values_list("due", "deadline", "measure__deadline"):
            self.assertEqual(due, deadline or measure_deadline)
        extended = Assignment.objects.filter(deadline__isnull=False)
        self.assertTrue(extended.exists())
        for assignment in extended:
            approved = assignment.extension_requests.get(status=ExtensionStatus.APPROVED)
            self.assertEqual(approved.requested_deadline, assignment.deadline)
            self.assertGreater(assignment.deadline, assignment.measure.deadline)
        # the rollups equal a count from scratch
        self.assertEqual(rebuild.check().total, 0)

    def assert_shaped_like_a_province(self) -> None:
        generated = Measure.objects.exclude(document__doc_number__in=[document.DOC_NUMBER, business.DOC_NUMBER])
        kinds = set()
        for deadline, phrase, ongoing in generated.values_list("deadline", "deadline_text", "is_ongoing"):
            parsed = [d.date for d in parse_time_text(phrase)]
            self.assertEqual(parsed, [deadline], phrase)  # the phrase printed says the deadline stored
            self.assertEqual(ongoing, deadline is None)
            if deadline:
                self.assertEqual(deadline, month_end(deadline))
                kinds.add("年底" if phrase.endswith("年底前") else "季度" if "季度" in phrase else "月底")
        self.assertEqual(kinds, {"月底", "季度", "年底"})
        self.assertTrue(generated.filter(deadline__isnull=True).exists())
        levels = Department.objects.filter(name__in=[province_names.GOVERNMENT, "省发展和改革委员会"]).count()
        self.assertEqual(levels, 2)
        self.assertTrue(Department.objects.filter(kind="county", parent__parent__isnull=True,
                                                  parent__name__endswith="市人民政府").exists())
        self.assertEqual(LeadingGroup.objects.count(), 1 + len(province_names.GROUPS))
        self.assertTrue(PolicyDocument.objects.filter(group__name=province_names.GROUPS[0][0]).exists())
        # every level issues documents, numbered as its government numbers them
        issuers = set(PolicyDocument.objects.values_list("issuer", flat=True))
        for government in ("云岭省人民政府", "云川市人民政府"):  # the government or its general office
            self.assertTrue(any(issuer.startswith(government) for issuer in issuers), government)
        self.assertTrue(any(("县人民政府" in issuer or "区人民政府" in issuer) for issuer in issuers))
        # reports: in every status, one per period of the measure's recurrence
        self.assertEqual(set(ProgressReport.objects.values_list("status", flat=True)), set(ReportStatus.values))
        self.assertEqual(set(Assignment.objects.values_list("status", flat=True)), set(AssignmentStatus.values))
        for report in ProgressReport.objects.filter(assignment__measure__in=generated).select_related(
                "assignment__measure")[:300]:
            period = period_containing(report.assignment.measure.recurrence, report.period_start)
            self.assertEqual((period.start, period.end), (report.period_start, report.period_end))
        # the province's cities are given work by the province, the capital among them
        capital = Assignment.objects.filter(department__name="云川市人民政府", measure__document__issuer__startswith="云岭省")
        self.assertTrue(capital.exists())

    def assert_written_once(self, written: dict[str, int]) -> None:
        again = self.seed()
        self.assertTrue(again.already_there)
        self.assertEqual(counts(), written)


class SeedProvinceTests(ProvinceChecks, TestCase):
    copy = False  # bulk_create, on every database

    def test_two_runs_on_the_same_day_write_the_same_rows(self):
        with transaction.atomic():
            first = self.seed()
            printed = fingerprint()
            transaction.set_rollback(True)
        again = self.seed()
        self.assertEqual(again.created, first.created)
        self.assertEqual(fingerprint(), printed)

    def test_generated_accounts_log_in_with_the_printed_password(self):
        self.seed()
        out = StringIO()
        call_command("seed_demo", scale="province", stdout=out)  # already there: says so, writes nothing
        self.assertIn("已存在", out.getvalue())
        user = get_user_model().objects.get(username="p0001.staff1")
        self.assertTrue(user.check_password(PASSWORD))
        self.assertEqual(Membership.objects.get(user=user).role, "staff")
        hashes = set(get_user_model().objects.filter(username__startswith="p").values_list("password", flat=True))
        self.assertEqual(len(hashes), 1)  # hashed once
        reviewer = get_user_model().objects.get(username="prov.group1.office1")
        self.client.force_login(reviewer)
        self.assertEqual(self.client.get("/dashboard/").status_code, 200)
        seen = Assignment.objects.visible_to(reviewer)
        self.assertEqual(set(seen.values_list("measure__document__group__name", flat=True)), {province_names.GROUPS[0][0]})


@pytest.mark.postgres
class SeedProvinceByCopyTests(ProvinceChecks, TestCase):
    copy = True

    def test_copy_and_bulk_create_write_the_same_rows(self):
        with transaction.atomic():
            by_copy = self.seed()
            printed = fingerprint()
            transaction.set_rollback(True)
        by_bulk = province.seed_province(TODAY, scale=SCALE, copy=False)
        self.assertEqual(by_bulk.created, by_copy.created)
        self.assertEqual(fingerprint(), printed)

    def test_foreign_keys_are_back_and_checked_after_the_load(self):
        def keys() -> set[str]:
            with connection.cursor() as cursor:
                cursor.execute("SELECT conname FROM pg_constraint WHERE conrelid = 'tasks_progressreport'::regclass "
                               "AND contype = 'f'")
                return {name for (name,) in cursor.fetchall()}

        present = keys()
        with self.assertRaises(IntegrityError), transaction.atomic():
            with sinks.foreign_keys_checked_at_the_end([ProgressReport]):
                self.assertEqual(keys(), set())
                with sinks.rows(ProgressReport, ["assignment_id", "period_start", "period_end", "text"]) as rows:
                    rows.add((10**9, TODAY, TODAY, "无此分工"))
        self.assertEqual(keys(), present)
