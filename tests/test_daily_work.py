"""Daily work in the lists: urgency order, days left as people say it, returned reports marked
and filterable, Chinese sort labels, the review queue's inline decisions."""

import datetime
from urllib.parse import urlencode

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.models import Measure
from tasks.choices import AssignmentRole, AssignmentStatus, ReportStatus
from tasks.models import Assignment, Notification, ProgressReport
from tasks.notify.models import NotificationKind
from tasks.templatetags.worklist import days_left_label
from tests.base import BaseTestCase

TODAY = datetime.datetime(2026, 6, 25, 9, 0, tzinfo=datetime.UTC)


class DaysLeftTests(BaseTestCase):
    def test_it_says_overdue_today_and_left(self):
        self.assertEqual(days_left_label(-3), "逾期 3 天")
        self.assertEqual(days_left_label(0), "今天到期")
        self.assertEqual(days_left_label(12), "剩 12 天")
        self.assertEqual(days_left_label(None), "—")
        self.assertEqual(days_left_label(-3, "closed"), "已办结")


@time_machine.travel(TODAY, tick=False)
class MyTasksOrderTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        def make(number, deadline, status=AssignmentStatus.IN_PROGRESS):
            measure = Measure.objects.create(document=cls.document, number=number, title=f"措施{number}",
                                             deadline=deadline, order=int(number))
            return Assignment.objects.create(measure=measure, department=cls.dept_a, role=AssignmentRole.LEAD,
                                             status=status)
        cls.closed = make("2", datetime.date(2026, 1, 1), AssignmentStatus.CLOSED)
        cls.ongoing = make("3", None)
        cls.late = make("4", datetime.date(2026, 6, 1))
        cls.later = make("5", datetime.date(2026, 12, 31))

    def test_it_sorts_by_urgency_by_default(self):
        self.client.force_login(self.staff_a)
        response = self.client.get(reverse("tasks:my-tasks"))
        self.assertEqual(list(response.context["object_list"]),
                         [self.late, self.assignment_a, self.later, self.ongoing, self.closed])
        self.assertContains(response, "逾期 24 天")
        self.assertContains(response, "剩 5 天")
        self.assertNotContains(response, "descending")
        self.assertNotContains(response, "---------")
        self.assertContains(response, "完成时限（降序）")
        self.assertContains(response, "按紧急程度")

    def test_it_marks_and_filters_returned_reports(self):
        ProgressReport.objects.filter(pk=self.report_a.pk).update(status=ReportStatus.RETURNED,
                                                                  review_comment="请补充数据。")
        self.client.force_login(self.staff_a)
        url = reverse("tasks:my-tasks")
        response = self.client.get(url)
        self.assertEqual(response.context["returned_count"], 1)
        self.assertContains(response, 'data-testid="returned-mark"', count=1)
        self.assertEqual(list(self.client.get(url, {"returned": "true"}).context["object_list"]), [self.assignment_a])
        self.assertNotIn(self.assignment_a, self.client.get(url, {"returned": "false"}).context["object_list"])
        unknown = self.client.get(url, {"returned": "perhaps"})  # not a yes or no: the filter is not applied
        self.assertEqual(len(unknown.context["object_list"]), 5)
        # a later report that was not returned takes the mark away
        ProgressReport.objects.create(assignment=self.assignment_a, period_start=datetime.date(2026, 6, 1),
                                      period_end=datetime.date(2026, 6, 30), text="x", percent=30,
                                      created_by=self.staff_a, status=ReportStatus.SUBMITTED)
        self.assertEqual(self.client.get(url).context["returned_count"], 0)

    def test_its_query_count_does_not_grow_with_rows(self):
        self.client.force_login(self.staff_a)
        url = reverse("tasks:my-tasks")
        self.client.get(url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for n in range(10, 20):
            measure = Measure.objects.create(document=self.document, number=str(n), title=f"措施{n}", order=n)
            assignment = Assignment.objects.create(measure=measure, department=self.dept_a, role=AssignmentRole.LEAD)
            ProgressReport.objects.create(assignment=assignment, period_start=datetime.date(2026, 6, 1),
                                          period_end=datetime.date(2026, 6, 30), text="x", percent=1,
                                          created_by=self.staff_a, status=ReportStatus.RETURNED)
        with CaptureQueriesContext(connection) as many:
            self.client.get(url)
        self.assertEqual(len(few), len(many))


APRIL = datetime.datetime(2026, 4, 15, 9, 0, tzinfo=datetime.UTC)


@time_machine.travel(APRIL, tick=False)
class WithdrawAndWordingTests(BaseTestCase):
    """撤回 while nobody has acted, where the report went, the returned comment above the form."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.dept_a.requires_leader_approval = True
        cls.dept_a.save()
        cls.staff_a.first_name = "张填报"
        cls.staff_a.save()

    def detail(self, assignment=None):
        return reverse("tasks:assignment", args=[(assignment or self.assignment_a).pk])

    def current(self, assignment=None):
        return ProgressReport.objects.get(assignment=assignment or self.assignment_a,
                                          period_start=datetime.date(2026, 4, 1))

    def withdraw(self, user, report, version=None):
        self.client.force_login(user)
        return self.client.post(reverse("tasks:report-withdraw", args=[report.pk]),
                                {"version": report.version if version is None else version}, follow=True)

    def test_it_says_where_a_submitted_report_went(self):
        self.client.force_login(self.staff_a)
        response = self.client.post(self.detail(), {"text": "完成选址。", "percent": "40", "submit": "1"}, follow=True)
        self.assertContains(response, "等待本单位负责人审批后报送督查室")
        self.assertContains(response, 'data-testid="reported-percent"')  # the header shows the percent sent
        self.client.force_login(self.staff_b)
        response = self.client.post(self.detail(self.assignment_b), {"text": "配合完成。", "percent": "30",
                                                                     "submit": "1"}, follow=True)
        self.assertContains(response, "已报送督查室审核")
        self.assertContains(response, "本期报送 30%")

    def test_it_withdraws_a_report_nobody_has_acted_on(self):
        self.client.force_login(self.staff_a)
        self.client.post(self.detail(), {"text": "完成选址。", "percent": "40", "submit": "1"})
        report = self.current()
        self.assertContains(self.client.get(self.detail()), 'data-testid="withdraw"')
        histories = report.history.count()
        response = self.withdraw(self.staff_a, report)
        self.assertContains(response, "报告已撤回为草稿")
        report.refresh_from_db()
        self.assertEqual((report.status, report.submitted_at), (ReportStatus.DRAFT, None))
        self.assertEqual(report.history.count(), histories + 1)
        self.assertContains(response, 'data-testid="submit-report"')  # the form is back to be edited

    def test_it_refuses_to_withdraw_what_someone_acted_on_and_changes_nothing(self):
        self.client.force_login(self.staff_a)
        self.client.post(self.detail(), {"text": "完成选址。", "percent": "40", "submit": "1"})
        report = self.current()
        stale = report.version
        self.client.force_login(self.leader_a)
        self.client.post(reverse("tasks:report-decision", args=[report.pk]),
                         {"decision": "accept", "comment": "", "version": report.version})
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.LEADER_APPROVED)
        self.assertNotContains(self.client.get(self.detail()), 'data-testid="withdraw"')
        for version in (stale, report.version):
            response = self.withdraw(self.staff_a, report, version)
            self.assertContains(response, "您的操作未执行" if version == stale else "不能撤回")
        broken = self.withdraw(self.staff_a, report, "abc")
        self.assertContains(broken, "缺少报告版本")
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.LEADER_APPROVED)
        # another department may not take it back
        response = self.withdraw(self.staff_b, report)
        self.assertEqual(response.status_code, 404)

    def test_it_puts_the_return_comment_above_the_form_and_marks_it_superseded_after_resubmission(self):
        self.client.force_login(self.staff_b)
        self.client.post(self.detail(self.assignment_b), {"text": "配合完成。", "percent": "30", "submit": "1"})
        report = self.current(self.assignment_b)
        self.client.force_login(self.office)
        self.client.post(reverse("tasks:report-decision", args=[report.pk]),
                         {"decision": "return", "comment": "请补充数据来源。", "version": report.version})
        self.client.force_login(self.staff_b)
        page = self.client.get(self.detail(self.assignment_b)).content.decode()
        self.assertIn('data-testid="returned-comment"', page)
        self.assertLess(page.index('data-testid="returned-comment"'), page.index('data-testid="submit-report"'))
        self.assertIn("请补充数据来源。", page)
        self.assertNotIn('data-testid="superseded"', page)
        self.client.post(self.detail(self.assignment_b), {"text": "数据来自统计局。", "percent": "35", "submit": "1"})
        page = self.client.get(self.detail(self.assignment_b))
        self.assertContains(page, 'data-testid="superseded"', count=1)
        self.assertNotContains(page, 'data-testid="returned-comment"')

    def test_it_names_people_by_their_names(self):
        self.client.force_login(self.staff_a)
        self.client.post(self.detail(), {"text": "完成选址。", "percent": "40", "submit": "1"})
        page = self.client.get(self.detail())
        self.assertContains(page, "提交 张填报")
        self.assertNotContains(page, " staff_a ")


@time_machine.travel(TODAY, tick=False)
class DashboardCountsTests(BaseTestCase):
    """Measures and assignments are counted apart and labelled; every department is ranked."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        late = Measure.objects.create(document=cls.document, number="2", title="建设数据中心",
                                      deadline=datetime.date(2026, 5, 31), order=2)
        cls.dept_c = type(cls.dept_a).objects.create(name="市财政局")
        for department in (cls.dept_a, cls.dept_b, cls.dept_c):  # one overdue measure, three overdue assignments
            Assignment.objects.create(measure=late, department=department, role=AssignmentRole.RESPONSIBLE)

    def test_it_counts_overdue_measures_and_assignments_apart(self):
        self.client.force_login(self.office)
        response = self.client.get(reverse("tasks:dashboard"))
        summary = response.context["summary"]
        self.assertEqual((summary.measures, summary.overdue_measures), (2, 1))
        self.assertEqual((summary.assignments, summary.overdue), (5, 3))
        self.assertContains(response, "逾期措施")
        self.assertContains(response, "逾期分工")
        api = self.client.get(reverse("api-dashboard-summary")).json()["summary"]
        self.assertEqual((api["measures"], api["overdue_measures"], api["assignments"], api["overdue"]), (2, 1, 5, 3))

    def test_it_ranks_every_department_and_draws_a_year_of_trend(self):
        self.client.force_login(self.office)
        board = self.client.get(reverse("tasks:dashboard"), {"period": "2026-01"}).context["board"]
        from tasks.dashboard.views import charts

        data = charts(board, board.departments)
        self.assertEqual(len(data["ranking"]), 3)  # also those without a score, drawn at 0
        self.assertTrue(all(isinstance(bar["value"], int | float) for bar in data["ranking"]))
        self.assertEqual(len(data["trend"]), 12)
        self.assertEqual(data["trend_months"][-1], "2026-01")
        self.assertEqual(data["trend_months"][0], "2025-02")
        self.assertNotIn("SCORE_WEIGHT", board.score_rule)


@time_machine.travel(APRIL, tick=False)
class BulkActionsTests(BaseTestCase):
    """Leaders approve several reports at once; the office urges several assignments with a preset;
    the office's list exports the ledger of what it shows."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.dept_a.requires_leader_approval = True
        cls.dept_a.save()
        cls.second = Assignment.objects.create(
            measure=Measure.objects.create(document=cls.document, number="2", title="培育数据市场", order=2,
                                           deadline=datetime.date(2026, 3, 31)),
            department=cls.dept_a, role=AssignmentRole.LEAD)

    def submit(self, assignment):
        self.client.force_login(self.staff_a)
        self.client.post(reverse("tasks:assignment", args=[assignment.pk]),
                         {"text": "已推进。", "percent": "30", "submit": "1"})
        return ProgressReport.objects.get(assignment=assignment, period_start=datetime.date(2026, 4, 1))

    def test_a_leader_approves_several_reports_at_once(self):
        first, second = self.submit(self.assignment_a), self.submit(self.second)
        self.client.force_login(self.leader_a)
        self.assertContains(self.client.get(reverse("tasks:approvals")), 'data-testid="approve-check"', count=2)
        response = self.client.post(reverse("tasks:approvals"), {"reports": [first.pk, second.pk]}, follow=True)
        self.assertContains(response, "已审批通过 2 份报告")
        self.assertEqual(set(ProgressReport.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)),
                         {ReportStatus.LEADER_APPROVED})
        again = self.client.post(reverse("tasks:approvals"), {"reports": [first.pk]}, follow=True)
        self.assertContains(again, "选择一个有效的选项")  # no longer waiting: refused, nothing changes

    def test_the_office_urges_several_assignments_with_a_preset_or_its_own_words(self):
        from tasks.models import Urge
        from tasks.workflow.forms import URGE_PRESETS

        self.client.force_login(self.office)
        url = reverse("tasks:bulk-urge")
        for broken in ({"assignments": [self.assignment_a.pk]}, {"preset": "0"},
                       {"assignments": [self.assignment_a.pk], "preset": "99"}):
            response = self.client.post(url, broken, follow=True)
            self.assertEqual(Urge.objects.count(), 0, broken)
            self.assertNotContains(response, "已催办")
        response = self.client.post(url, {"assignments": [self.assignment_a.pk, self.second.pk], "preset": "1"},
                                    follow=True)
        self.assertContains(response, "已催办 2 项任务")
        self.assertEqual(set(Urge.objects.values_list("message", flat=True)), {str(URGE_PRESETS[1])})
        self.client.post(url, {"assignments": [self.assignment_b.pk], "message": "请本周内报送。"})
        self.assertEqual(Urge.objects.get(assignment=self.assignment_b).message, "请本周内报送。")

    def test_the_office_list_exports_what_it_shows(self):
        import csv
        import io

        self.client.force_login(self.office)
        listed = self.client.get(reverse("tasks:assignments"), {"state": "overdue"})
        self.assertContains(listed, "导出台账")
        self.assertContains(listed, "state=overdue&amp;format=xlsx")
        response = self.client.get(reverse("tasks:ledger-export"), {"state": "overdue", "format": "csv"})
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        self.assertEqual([row[2] for row in rows[1:]], ["培育数据市场"])  # only the overdue measure
        bad = self.client.get(reverse("tasks:ledger-export"), {"state": "sideways", "format": "csv"})
        self.assertEqual(bad.status_code, 400)


class RememberedFiltersTests(BaseTestCase):
    def setUp(self):
        from django.core.cache import cache

        cache.clear()

    def test_each_user_gets_their_last_filters_back_until_they_clear_them(self):
        for user, url, query in ((self.staff_a, reverse("tasks:my-tasks"), {"light": "yellow", "q": "算力"}),
                                 (self.office, reverse("tasks:assignments"), {"state": "overdue"}),
                                 (self.office, reverse("tasks:dashboard"), {"period": "2026-05"})):
            with self.subTest(url=url):
                self.client.force_login(user)
                self.assertNotContains(self.client.get(url), 'data-testid="restore-filters"')
                self.client.get(url, {**query, "page": "1"})
                bare = self.client.get(url)
                self.assertEqual(bare.context["remembered_query"], urlencode(query))
                self.assertContains(bare, 'data-testid="restore-filters"')
                self.client.force_login(self.leader_a)  # someone else's filters are their own
                if user == self.staff_a:
                    self.assertEqual(self.client.get(url).context["remembered_query"], "")
                self.client.force_login(user)
                self.assertEqual(self.client.get(url, {"clear": "1"}).context["remembered_query"], "")
                self.assertEqual(self.client.get(url).context["remembered_query"], "")


class ListQueryCountTests(BaseTestCase):
    """Every list touched here, with its menu badges, reads as many queries for 2 rows as for 12."""

    made = 0

    def grow(self, n):
        from tasks.models import Bulletin

        for i in range(self.made, self.made + n):
            measure = Measure.objects.create(document=self.document, number=f"q{i}", title=f"措施{i}", order=100 + i)
            assignment = Assignment.objects.create(measure=measure, department=self.dept_a, role=AssignmentRole.LEAD)
            ProgressReport.objects.create(assignment=assignment, period_start=datetime.date(2026, 3, 1),
                                          period_end=datetime.date(2026, 3, 31), text="x", percent=5,
                                          created_by=self.staff_a, status=ReportStatus.SUBMITTED)
            for user in (self.staff_a, self.leader_a, self.office):
                Notification.objects.create(recipient=user, kind=NotificationKind.NEW_WORK, title=f"新任务{i}")
            Bulletin.objects.create(period="2026-03", period_start=datetime.date(2026, 3, 1),
                                    period_end=datetime.date(2026, 3, 31), title=f"通报{i}", is_published=True,
                                    published_at=TODAY)
        self.made += n

    def count(self, user, url):
        self.client.force_login(user)
        self.client.get(url)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(queries)

    def test_lists_and_badges_cost_the_same_whatever_they_hold(self):
        self.dept_a.requires_leader_approval = True
        self.dept_a.save()
        pages = [(self.leader_a, reverse("tasks:approvals")), (self.staff_a, reverse("tasks:notifications")),
                 (self.staff_a, reverse("tasks:bulletins")), (self.office, reverse("tasks:reviews")),
                 (self.staff_a, reverse("tasks:my-tasks")), (self.office, reverse("tasks:assignments"))]
        self.grow(2)
        few = [self.count(user, url) for user, url in pages]
        self.grow(10)
        many = [self.count(user, url) for user, url in pages]
        self.assertEqual(few, many)
