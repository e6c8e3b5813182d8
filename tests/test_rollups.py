"""The dashboard's rollups (tasks.rollups): after any sequence of changes they equal a full
recomputation, and the numbers summed from them equal the numbers counted from the assignments.

The property test drives the workflow service (and the admin-style saves and deletes the
rollups also follow) through random sequences of actions on random days, then checks both."""

from __future__ import annotations

import datetime
import io
from contextlib import suppress

import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import TestCase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from departments.choices import DepartmentKind, GroupRole, Role
from departments.models import Department, GroupMembership, LeadingGroup
from documents.choices import Recurrence
from documents.models import Measure, PolicyDocument
from tasks.choices import ExtensionStatus
from tasks.dashboard import counting, tallied
from tasks.dashboard.filtering import Filters, scoped
from tasks.dashboard.windows import expected_periods, parse_period
from tasks.models import Assignment, ExtensionRequest, ProgressReport
from tasks.rollups import rebuild
from tasks.rollups.models import StateTally
from tasks.workflow import queues, reports
from tests.base import make_user

SH = datetime.timezone(datetime.timedelta(hours=8))
START = datetime.datetime(2026, 1, 5, 10, 0, tzinfo=SH)
D = datetime.date
IGNORED = (PermissionDenied, ValidationError, reports.ConflictError)


class World:
    """Three departments of two kinds, two leading groups and the general office, three documents
    with measures of several recurrences and deadlines, one user per role."""

    def __init__(self) -> None:
        self.office_dept = Department.objects.create(name="市督查室", kind=DepartmentKind.OTHER)
        self.departments = [
            Department.objects.create(name="市发展和改革委员会", short_name="市发改委", kind=DepartmentKind.BUREAU),
            Department.objects.create(name="市工业和信息化局", short_name="市工信局", kind=DepartmentKind.BUREAU,
                                      requires_leader_approval=True),
            Department.objects.create(name="东湖区人民政府", short_name="东湖区", kind=DepartmentKind.COUNTY),
        ]
        self.groups = [LeadingGroup.objects.create(name="市数字经济发展领导小组"),
                       LeadingGroup.objects.create(name="市营商环境建设领导小组")]
        self.office = make_user("office", self.office_dept, Role.OFFICE)
        self.group_office = make_user("group_office")
        GroupMembership.objects.create(group=self.groups[0], user=self.group_office, role=GroupRole.OFFICE)
        self.staff = [make_user(f"staff{i}", d, Role.STAFF) for i, d in enumerate(self.departments)]
        self.leaders = [make_user(f"leader{i}", d, Role.LEADER) for i, d in enumerate(self.departments)]
        recurrences = [Recurrence.MONTHLY, Recurrence.NONE, Recurrence.QUARTERLY, Recurrence.WEEKLY]
        deadlines = [D(2026, 3, 31), D(2026, 6, 30), None, D(2026, 2, 15), D(2026, 12, 31)]
        self.documents = []
        for i, group in enumerate([self.groups[0], self.groups[1], None]):
            document = PolicyDocument.objects.create(title=f"测试文件{i}", doc_number=f"测〔2026〕{i + 1}号",
                                                     group=group, issued_date=D(2026, 1, 2))
            self.documents.append(document)
            for j in range(3):
                measure = Measure.objects.create(
                    document=document, number=str(j + 1), title=f"措施{i}-{j}", order=j,
                    deadline=deadlines[(i + j) % len(deadlines)], recurrence=recurrences[(i * 3 + j) % len(recurrences)],
                )
                for k in range(1 + (i + j) % 3):
                    Assignment.objects.create(measure=measure, department=self.departments[(j + k) % 3])


ACTIONS = ("acknowledge", "report", "submit", "withdraw", "leader", "review", "extend", "sign_off", "deadline",
           "recurrence", "group", "kind", "approval", "delete_report", "delete_measure", "assign")


def act(world: World, name: str, pick: int, flag: bool) -> None:
    """One action on the ``pick``-th candidate (modulo their number); refused ones change nothing."""
    assignments = list(Assignment.objects.select_related("measure", "department").order_by("pk"))
    sent = list(ProgressReport.objects.select_related("assignment__department").order_by("pk"))
    if not assignments:
        return
    assignment = assignments[pick % len(assignments)]
    d = world.departments.index(assignment.department)
    staff, leader = world.staff[d], world.leaders[d]
    report = sent[pick % len(sent)] if sent else None
    with suppress(*IGNORED):
        if name == "acknowledge":
            reports.acknowledge(assignment, staff)
        elif name == "report":
            reports.save_report(assignment, leader if flag else staff,
                                reports.ReportInput("本期进展。", pick % 101, {}, [], []), submit=flag)
        elif name == "submit" and report is not None:
            reports.submit_report(report, world.staff[world.departments.index(report.assignment.department)])
        elif name == "withdraw" and report is not None:
            reports.withdraw_report(report, world.staff[world.departments.index(report.assignment.department)])
        elif name == "leader" and report is not None:
            reports.leader_decide(report, world.leaders[world.departments.index(report.assignment.department)],
                                  approve=flag, comment="请补充数据。", expected_version=report.version)
        elif name == "review" and report is not None:
            reports.review(report, world.office, accept=flag, comment="请补充。", expected_version=report.version)
        elif name == "extend":
            due = assignment.effective_deadline or D(2026, 6, 30)
            request = reports.request_extension(assignment, leader, due + datetime.timedelta(days=30 + pick), "原因。")
            reports.decide_extension(request, world.office, approve=flag, comment="同意。" if flag else "不同意。")
        elif name == "sign_off":
            reports.sign_off(assignment, world.office)
        elif name == "deadline":
            assignment.measure.deadline = None if flag else D(2026, 1 + pick % 12, 28)
            assignment.measure.save()
        elif name == "recurrence":
            assignment.measure.recurrence = list(Recurrence.values)[pick % len(Recurrence.values)]
            assignment.measure.save()
        elif name == "group":
            document = assignment.measure.document
            document.group = None if flag else world.groups[pick % 2]
            document.save()
        elif name == "kind":
            department = assignment.department
            department.kind = DepartmentKind.ZONE if department.kind != DepartmentKind.ZONE else DepartmentKind.BUREAU
            department.save()
        elif name == "approval":
            department = assignment.department
            department.requires_leader_approval = not department.requires_leader_approval
            department.save()
        elif name == "delete_report" and report is not None:
            report.delete()
        elif name == "delete_measure" and flag:
            assignment.measure.delete()
        elif name == "assign":
            measure = assignment.measure
            missing = [dept for dept in world.departments if not measure.assignments.filter(department=dept).exists()]
            if missing:
                Assignment.objects.create(measure=measure, department=missing[pick % len(missing)])


def counted_both_ways(test, user, filters: Filters, today: datetime.date) -> None:
    """The tally path and the assignment path give the same counts for ``user`` and ``filters``."""
    scope = tallied.scope_of(user, filters)
    test.assertIsNotNone(scope)
    in_use = counting.recurrences_in_use()
    expected = [item for item in expected_periods(filters.window) if item.recurrence in in_use]
    assignments = scoped(user, filters)
    direct = counting.department_counts(assignments, today, expected)
    test.assertEqual(tallied.department_counts(scope, today, expected), direct)
    test.assertEqual(tallied.document_counts(scope, today), counting.document_counts(assignments, today))
    test.assertEqual(tallied.month_counts(scope, today, filters.window),
                     counting.month_counts(assignments, today, filters.window))


class RollupPropertyTests(HypothesisTestCase):
    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 60), st.booleans(), st.integers(0, 40)),
                    min_size=1, max_size=25))
    def test_random_changes_keep_the_rollups_equal_to_a_recomputation(self, steps):
        with time_machine.travel(START, tick=False) as clock:
            world = World()
            for name, pick, flag, days in steps:
                clock.shift(datetime.timedelta(days=days))
                act(world, name, pick, flag)
            drift = rebuild.check()
            self.assertEqual(drift.differing, {})
            today = datetime.datetime.now(SH).date()
            group = LeadingGroup.objects.order_by("pk").first()
            for period in ("2026-Q2", today.strftime("%Y-%m")):
                window = parse_period(period, today)
                counted_both_ways(self, world.office, Filters(window), today)
                counted_both_ways(self, world.office, Filters(window, department_kind=DepartmentKind.BUREAU), today)
                counted_both_ways(self, world.office, Filters(window, group=group), today)
                counted_both_ways(self, world.group_office, Filters(window), today)
                counted_both_ways(self, world.office, Filters(window), today + datetime.timedelta(days=45))
            for user in (world.office, world.group_office):  # the review queue's length, summed and counted
                self.assertEqual(queues.office_queue_count(user), queues.office_queue(user).count())


@time_machine.travel(START, tick=False)
class RollupMaintenanceTests(TestCase):
    def setUp(self):
        self.world = World()

    def test_a_deleted_document_takes_its_rollups_with_it_in_one_refresh_per_unit(self):
        document = self.world.documents[0]
        reports.save_report(document.measures.first().assignments.first(), self.world.staff[0],
                            reports.ReportInput("进展。", 10, {}, [], []), submit=True)
        document.delete()
        self.assertEqual(rebuild.check().differing, {})

    def test_an_approved_extension_moves_the_stored_deadline_and_a_measure_change_carries_to_the_rest(self):
        assignment = Assignment.objects.filter(measure__deadline=D(2026, 3, 31)).first()
        for department in self.world.departments:
            Assignment.objects.get_or_create(measure=assignment.measure, department=department)
        leader = self.world.leaders[self.world.departments.index(assignment.department)]
        request = reports.request_extension(assignment, leader, D(2026, 5, 31), "施工期延长。")
        reports.decide_extension(request, self.world.office, approve=True, comment="同意。")
        self.assertEqual(ExtensionRequest.objects.get().status, ExtensionStatus.APPROVED)
        assignment.refresh_from_db()
        self.assertEqual(assignment.due, D(2026, 5, 31))
        measure = assignment.measure
        measure.deadline = D(2026, 4, 30)
        measure.save()
        dues = dict(Assignment.objects.filter(measure=measure).values_list("pk", "due"))
        self.assertEqual(dues.pop(assignment.pk), D(2026, 5, 31))  # the approved extension wins
        self.assertEqual(set(dues.values()), {D(2026, 4, 30)})
        self.assertEqual(rebuild.check().differing, {})

    def test_the_repair_command_reports_drift_repairs_it_and_then_finds_none(self):
        StateTally.objects.filter(pk=StateTally.objects.order_by("pk").first().pk).update(n=999)
        Assignment.objects.filter(pk=Assignment.objects.order_by("pk").first().pk).update(status="closed")
        out = io.StringIO()
        with self.assertRaises(SystemExit):
            call_command("rebuild_rollups", "--check", stdout=out)
        self.assertIn("偏差", out.getvalue())
        self.assertIn("未修复", out.getvalue())
        out = io.StringIO()
        call_command("rebuild_rollups", stdout=out)
        self.assertIn("已按重新计算的结果修复", out.getvalue())
        out = io.StringIO()
        call_command("rebuild_rollups", "--check", stdout=out)
        self.assertIn("没有偏差", out.getvalue())

    def test_the_command_refuses_a_negative_show(self):
        from django.core.management.base import CommandError

        with self.assertRaises(CommandError):
            call_command("rebuild_rollups", "--show", "-1", stdout=io.StringIO())

    def test_a_failed_change_leaves_the_rollups_as_they_were(self):
        before = rebuild.stored()
        assignment = Assignment.objects.order_by("pk").first()
        staff = self.world.staff[self.world.departments.index(assignment.department)]
        with self.assertRaises(RuntimeError):
            with reports.changing():
                reports.acknowledge(assignment, staff)
                raise RuntimeError("the request died half way")
        self.assertEqual(rebuild.stored(), before)
        self.assertEqual(rebuild.check().differing, {})

    def test_a_busy_change_refreshes_each_department_once(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        assignment = Assignment.objects.filter(department=self.world.departments[0]).order_by("pk").first()
        report = reports.save_report(assignment, self.world.staff[0], reports.ReportInput("进展。", 30, {}, [], []),
                                     submit=True)
        with CaptureQueriesContext(connection) as queries:
            reports.review(report, self.world.office, accept=True, comment="", expected_version=report.version)
        refreshes = [q for q in queries.captured_queries if 'DELETE FROM "tasks_statetally"' in q["sql"]
                     or "DELETE FROM `tasks_statetally`" in q["sql"]]
        self.assertEqual(len(refreshes), 1)  # the report and the assignment moved: one refresh
        self.assertEqual(rebuild.check().differing, {})


    def test_only_sets_of_documents_are_summed_from_the_rollups(self):
        window = parse_period("2026-05", D(2026, 5, 1))
        self.assertIsNotNone(tallied.scope_of(self.world.office, Filters(window)))
        self.assertEqual(tallied.scope_of(self.world.group_office, Filters(window)).groups,
                         frozenset({self.world.groups[0].pk}))
        self.assertIsNone(tallied.scope_of(self.world.staff[0], Filters(window)))  # its own departments
        self.assertIsNone(tallied.scope_of(self.world.office, Filters(window, document=self.world.documents[0])))
