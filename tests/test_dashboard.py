"""The dashboard, its API and the list behind its numbers, checked against a hand-computed city.

Today is 2026-06-25 (Asia/Shanghai). Ten assignments on five measures, three departments:

| assignment | measure (recurrence, deadline) | department, role | status | effective deadline |
|---|---|---|---|---|
| a1 | M1 (none → monthly, 06-30) | A lead | pending | 06-30 |
| b1 | M1 | B supporting | pending | 06-30 |
| a2 | M2 (monthly, 05-31) | A lead | closed 05-20 | 05-31 |
| b2 | M2 | B responsible | in progress | 05-31 (overdue) |
| c3 | M3 (quarterly, 06-10) | C lead | closed 06-15 (late) | 06-10 |
| a3 | M3 | A supporting | in progress | 07-15 (approved extension) |
| c4 | M4 (monthly, ongoing) | C lead | in progress | none |
| b4 | M4 | B supporting | pending | none |
| a5 | M5 (yearly, 12-31) | A responsible | pending | 12-31 |
| c5 | M5 | C responsible | closed 06-01 | 12-31 |

M1–M3 are in document 1, M4–M5 in document 2. Every assignment was given on 2026-01-10.
"""

import datetime
import json
import re
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from departments.choices import DepartmentKind
from departments.models import Department
from documents.choices import Recurrence
from documents.models import Measure, PolicyDocument
from tasks.choices import AssignmentRole, AssignmentStatus, ReportStatus
from tasks.dashboard import scoring, windows
from tasks.demo.seed import seed_small
from tasks.models import Assignment, ProgressReport
from tests.base import BaseTestCase, make_user, refresh_rollups

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 6, 25, 9, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 6, 25)
D = datetime.date


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SH)


class CityTestCase(BaseTestCase):
    """The fixture of the module docstring, on top of tests/base.py's personas."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.report_a.delete()  # the persona world's draft plays no part here
        cls.dept_c = Department.objects.create(name="东湖区人民政府", short_name="东湖区政府", kind=DepartmentKind.COUNTY)
        cls.doc2 = PolicyDocument.objects.create(title="测试市乡村振兴方案", doc_number="测府办发〔2025〕9号",
                                                 issued_date=D(2025, 12, 1))
        m1 = cls.measure
        m2 = Measure.objects.create(document=cls.document, number="2", title="培育数据市场", order=2,
                                    deadline=D(2026, 5, 31), recurrence=Recurrence.MONTHLY)
        m3 = Measure.objects.create(document=cls.document, number="3", title="建设政务云", order=3,
                                    deadline=D(2026, 6, 10), recurrence=Recurrence.QUARTERLY)
        m4 = Measure.objects.create(document=cls.doc2, number="1", title="改善人居环境", order=1, is_ongoing=True,
                                    recurrence=Recurrence.MONTHLY)
        m5 = Measure.objects.create(document=cls.doc2, number="2", title="发展特色产业", order=2,
                                    deadline=D(2026, 12, 31), recurrence=Recurrence.YEARLY)
        cls.measures = {"M1": m1, "M2": m2, "M3": m3, "M4": m4, "M5": m5}
        A, B, C = cls.dept_a, cls.dept_b, cls.dept_c  # noqa: N806
        make = Assignment.objects.create
        cls.a1, cls.b1 = cls.assignment_a, cls.assignment_b
        cls.a2 = make(measure=m2, department=A, role=AssignmentRole.LEAD, status=AssignmentStatus.CLOSED,
                      closed_at=at(D(2026, 5, 20)), acknowledged_at=at(D(2026, 1, 12)))
        cls.b2 = make(measure=m2, department=B, role=AssignmentRole.RESPONSIBLE, status=AssignmentStatus.IN_PROGRESS)
        cls.c3 = make(measure=m3, department=C, role=AssignmentRole.LEAD, status=AssignmentStatus.CLOSED,
                      closed_at=at(D(2026, 6, 15)))
        cls.a3 = make(measure=m3, department=A, role=AssignmentRole.SUPPORTING, status=AssignmentStatus.IN_PROGRESS,
                      deadline=D(2026, 7, 15))
        cls.c4 = make(measure=m4, department=C, role=AssignmentRole.LEAD, status=AssignmentStatus.IN_PROGRESS)
        cls.b4 = make(measure=m4, department=B, role=AssignmentRole.SUPPORTING)
        cls.a5 = make(measure=m5, department=A, role=AssignmentRole.RESPONSIBLE)
        cls.c5 = make(measure=m5, department=C, role=AssignmentRole.RESPONSIBLE, status=AssignmentStatus.CLOSED,
                      closed_at=at(D(2026, 6, 1)))
        Assignment.objects.update(created_at=at(D(2026, 1, 10)))

        def report(assignment, start, end, status, submitted=None):
            ProgressReport.objects.create(
                assignment=assignment, period_start=start, period_end=end, text="进展", percent=50, status=status,
                submitted_at=at(submitted) if submitted else None,
            )

        june, may, q2 = (D(2026, 6, 1), D(2026, 6, 30)), (D(2026, 5, 1), D(2026, 5, 31)), (D(2026, 4, 1), D(2026, 6, 30))
        report(cls.a1, *june, ReportStatus.SUBMITTED, D(2026, 6, 20))
        report(cls.b2, *june, ReportStatus.DRAFT)
        report(cls.a3, *q2, ReportStatus.SUBMITTED, D(2026, 6, 24))
        report(cls.c4, *june, ReportStatus.RETURNED, D(2026, 6, 22))
        report(cls.a1, *may, ReportStatus.ACCEPTED, D(2026, 6, 3))
        ProgressReport.objects.filter(assignment=cls.a1, period_start=may[0]).update(
            submitted_at=datetime.datetime(2026, 6, 5, 23, 30, tzinfo=SH))  # the last minutes of the grace days
        report(cls.b1, *may, ReportStatus.SUBMITTED, D(2026, 6, 10))  # late
        report(cls.b2, *may, ReportStatus.ACCEPTED, D(2026, 5, 28))
        report(cls.b4, *may, ReportStatus.DRAFT)
        report(cls.a2, *may, ReportStatus.ACCEPTED, D(2026, 5, 19))  # closed before May ended: not expected
        refresh_rollups()


@time_machine.travel(NOW, tick=False)
class DashboardNumbersTests(CityTestCase):
    def board(self, query=None, user=None):
        self.client.force_login(user or self.office)
        response = self.client.get(reverse("tasks:dashboard"), query or {})
        self.assertEqual(response.status_code, 200, response.content[:500])
        return response.context["board"]

    def test_it_counts_every_card_by_hand(self):
        s = self.board({"period": "2026-05"}).summary
        self.assertEqual(
            (s.measures, s.assignments, s.closed, s.overdue, s.in_progress, s.pending, s.due_soon, s.acknowledged),
            (5, 10, 3, 1, 2, 4, 2, 6),
        )
        self.assertEqual((s.assessed, s.on_time_closed, s.on_time_closure_rate), (4, 2, 50.0))
        self.assertEqual((s.reports_expected, s.reports_received, s.reports_due, s.reports_on_time), (5, 3, 5, 2))
        self.assertEqual((s.report_rate, s.on_time_report_rate), (60.0, 40.0))

    def test_it_counts_the_current_period_without_calling_anyone_late_before_the_deadline(self):
        s = self.board().summary  # the current month, June: no report is due before 5 July
        self.assertEqual((s.reports_expected, s.reports_received, s.reports_due), (6, 3, 0))
        self.assertEqual((s.reports_assessed, s.reports_on_time, s.report_rate, s.on_time_report_rate),
                         (3, 3, 50.0, 100.0))

    def test_it_ranks_departments_by_the_documented_score(self):
        rows = self.board({"period": "2026-05"}).departments
        got = [(r.name, r.rank, r.assigned, r.closed, r.overdue, r.acknowledged, r.on_time_closure_rate,
                r.on_time_report_rate, r.score) for r in rows]
        self.assertEqual(got, [
            ("市发改委", 1, 4, 1, 0, 2, 100.0, 100.0, 100.0),
            ("东湖区政府", 2, 3, 2, 0, 3, 50.0, 0.0, 30.0),
            ("市工信局", 3, 3, 0, 1, 1, 0.0, 33.3, 13.3),
        ])
        june = [(r.name, r.rank, r.on_time_report_rate, r.score) for r in self.board().departments]
        self.assertEqual(june, [("市发改委", 1, 100.0, 100.0), ("东湖区政府", 2, 100.0, 70.0), ("市工信局", 3, None, 0.0)])

    @override_settings(SCORE_WEIGHT_ON_TIME_CLOSURE=0, SCORE_WEIGHT_ON_TIME_REPORTS=40)
    def test_it_reads_the_weights_shares_ranks_and_puts_departments_without_a_score_last(self):
        rows = self.board().departments
        self.assertEqual([(r.name, r.rank, r.score) for r in rows],
                         [("市发改委", 1, 100.0), ("东湖区政府", 1, 100.0), ("市工信局", 3, None)])
        self.assertIn("100 ×（0 × 按时办结率 + 40 × 按时报告率）", self.board().score_rule)

    def test_it_sorts_the_department_table(self):
        names = lambda sort: [r.name for r in self.board({"period": "2026-05", "sort": sort}).departments]  # noqa: E731
        self.assertEqual(names("-overdue")[0], "市工信局")
        self.assertEqual(names("score"), ["市工信局", "东湖区政府", "市发改委"])
        self.assertEqual(names("-assigned")[0], "市发改委")
        self.assertEqual(names("-rank"), ["市工信局", "东湖区政府", "市发改委"])

    def test_it_filters_by_document_and_department_kind(self):
        s = self.board({"document": self.doc2.pk}).summary
        self.assertEqual((s.measures, s.assignments, s.closed, s.in_progress, s.pending), (2, 4, 1, 1, 2))
        county = self.board({"department_kind": "county"})
        self.assertEqual((county.summary.assignments, [r.name for r in county.departments]), (3, ["东湖区政府"]))

    def test_it_shows_document_progress_and_the_monthly_series(self):
        board = self.board()
        self.assertEqual([(d.title, d.total, d.closed, d.overdue) for d in board.documents],
                         [("测试市数字经济行动方案", 6, 2, 1), ("测试市乡村振兴方案", 4, 1, 0)])
        months = {m.month: m for m in board.months}
        self.assertEqual([(months[k].due, months[k].due_closed) for k in ("2026-05", "2026-06", "2026-07", "2026-12")],
                         [(2, 1), (3, 1), (1, 0), (2, 1)])
        self.assertEqual([(months[k].closed_by_end, months[k].assigned_by_end, months[k].completion)
                          for k in ("2026-01", "2026-05", "2026-06")], [(0, 10, 0.0), (1, 10, 10.0), (3, 10, 30.0)])
        self.assertIsNone(months["2026-07"].completion)

    def test_it_escapes_names_in_the_tables(self):
        Department.objects.filter(pk=self.dept_c.pk).update(short_name="<b>东湖</b>")
        PolicyDocument.objects.filter(pk=self.doc2.pk).update(title="乡村<script>alert(1)</script>")
        self.client.force_login(self.office)
        response = self.client.get(reverse("tasks:dashboard"))
        self.assertContains(response, "&lt;b&gt;东湖&lt;/b&gt;")
        self.assertContains(response, "乡村&lt;script&gt;")
        self.assertNotContains(response, "<b>东湖")
        self.assertNotContains(response, "<script>alert(1)")

    def test_it_shows_the_formula_on_the_page(self):
        self.client.force_login(self.leadership)
        response = self.client.get(reverse("tasks:dashboard"))
        self.assertContains(response, "这些数字如何计算")
        self.assertContains(response, "每项分工只归入一种状态")
        self.assertContains(response, "不看登录、点击")
        self.assertContains(response, 'data-stat="closed">3<')
        self.assertContains(response, "vendor/echarts/echarts.min.js")
        self.assertNotContains(response, "cdn")


@time_machine.travel(NOW, tick=False)
class DashboardLinksTests(CityTestCase):
    """Every number opens the list behind it, and that list has exactly that many rows."""

    def listed(self, url: str) -> int:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response.context["paginator"].count

    def test_every_card_and_table_number_links_to_a_list_of_that_size(self):
        self.client.force_login(self.office)
        board = self.client.get(reverse("tasks:dashboard"), {"period": "2026-05"}).context["board"]
        s = board.summary
        for key in ("assignments", "closed", "overdue", "in_progress", "pending", "due_soon", "acknowledged"):
            with self.subTest(card=key):
                self.assertEqual(self.listed(s.links[key]), getattr(s, key))
        self.assertEqual(self.listed(s.links["reports_expected"]), s.reports_expected)  # one period per assignment
        self.assertEqual(self.listed(s.links["reports_received"]), s.reports_received)
        self.assertEqual(self.listed(s.links["reports_missing"]), s.reports_expected - s.reports_received)
        for row in board.departments:
            for key in ("assigned", "closed", "overdue", "acknowledged"):
                with self.subTest(department=row.name, column=key):
                    self.assertEqual(self.listed(row.links[key]), getattr(row, key))
            self.assertEqual(self.listed(row.links["on_time_closure_rate"]), row.assessed)
        for doc in board.documents:
            self.assertEqual((self.listed(doc.links["total"]), self.listed(doc.links["closed"])), (doc.total, doc.closed))
        for month in board.months:
            with self.subTest(month=month.month):
                self.assertEqual(self.listed(month.links["due"]), month.due)
                self.assertEqual(self.listed(month.links["due_closed"]), month.due_closed)
                if month.closed_by_end is not None:
                    self.assertEqual(self.listed(month.links["closed_by_end"]), month.closed_by_end)

    def test_links_keep_the_dashboard_filters(self):
        self.client.force_login(self.office)
        board = self.client.get(reverse("tasks:dashboard"), {"document": self.doc2.pk, "department_kind": "county"}
                                ).context["board"]
        self.assertEqual(board.summary.closed, 1)
        self.assertEqual(self.listed(board.summary.links["closed"]), 1)
        self.assertIn(f"document={self.doc2.pk}", board.summary.links["closed"])
        self.assertIn("department_kind=county", board.summary.links["closed"])

    def test_chart_segments_carry_their_links(self):
        self.client.force_login(self.office)
        data = self.client.get(reverse("tasks:dashboard")).context["chart_data"]
        self.assertEqual([(d["value"], self.listed(d["url"])) for d in data["status"]], [(3, 3), (1, 1), (2, 2), (4, 4)])
        self.assertEqual([d["name"] for d in data["ranking"]], ["市发改委", "东湖区政府", "市工信局"])


@time_machine.travel(NOW, tick=False)
class DashboardPagingTests(CityTestCase):
    """A province's 3,000 departments and 2,000 documents: the page shows them a page at a time."""

    def test_the_department_table_and_its_ranking_are_paged(self):
        self.client.force_login(self.office)
        everyone = self.client.get(reverse("tasks:dashboard"), {"sort": "name"}).context["board"].departments
        with mock.patch("tasks.dashboard.views.DEPARTMENTS_PER_PAGE", 2):
            first = self.client.get(reverse("tasks:dashboard"), {"sort": "name"})
            second = self.client.get(reverse("tasks:dashboard"), {"sort": "name", "page": 2})
            beyond = self.client.get(reverse("tasks:dashboard"), {"sort": "name", "page": "x"})
        for response, shown in ((first, everyone[:2]), (second, everyone[2:]), (beyond, everyone[:2])):
            self.assertEqual(response.status_code, 200)
            rows = re.findall(r'<tr data-department="(\d+)"', response.content.decode())
            self.assertEqual([int(pk) for pk in rows], [d.id for d in shown])
            ranked = sorted(shown, key=lambda d: d.rank)
            self.assertEqual([bar["name"] for bar in response.context["chart_data"]["ranking"]],
                             [d.name for d in ranked])
        self.assertContains(first, 'data-testid="department-pages"')
        self.assertContains(first, "sort=name&amp;page=2")
        self.assertContains(first, "单位表第 1 页")
        self.assertNotContains(self.client.get(reverse("tasks:dashboard")), 'data-testid="department-pages"')

    def test_it_lists_the_newest_documents_and_links_to_the_rest(self):
        self.client.force_login(self.office)
        with mock.patch("tasks.dashboard.views.DOCUMENTS_SHOWN", 1):
            response = self.client.get(reverse("tasks:dashboard"))
        newest = response.context["board"].documents[0]
        self.assertEqual(response.content.decode().count('data-doc-closed="'), 1)
        self.assertContains(response, f'data-doc-closed="{newest.id}"')
        self.assertContains(response, f"另有 {len(response.context['board'].documents) - 1} 份较早的文件未列出")
        self.assertContains(response, reverse("documents:list"))
        self.assertNotContains(self.client.get(reverse("tasks:dashboard")), 'data-testid="documents-hidden"')


class LinksTests(TestCase):
    def test_a_rows_links_are_the_links_url_would_write(self):
        from tasks.dashboard.presentation import Links

        links = Links({"period": "2026-05", "department_kind": "county"}, "/assignments/")
        row = links.per("department", assigned={}, closed={"state": "closed"}, later={"reporting": "2026-Q2"},
                        empty={"state": ""})
        self.assertEqual(row(7), {
            "assigned": links.url(department=7), "closed": links.url(department=7, state="closed"),
            "later": links.url(department=7, reporting="2026-Q2"), "empty": links.url(department=7)})
        self.assertEqual(Links(path="/a/").per("document", total={})(3), {"total": "/a/?document=3"})


@time_machine.travel(NOW, tick=False)
class DashboardApiTests(CityTestCase):
    def test_it_answers_the_same_numbers_as_the_page(self):
        self.client.force_login(self.leadership)
        for query in ({}, {"period": "2026-05", "sort": "-score"}, {"document": self.document.pk},
                      {"department_kind": "bureau", "period": "2026-Q2"}, {"period": "2026"}):
            with self.subTest(query=query):
                page = self.client.get(reverse("tasks:dashboard"), query).context["board"].as_json()
                api = self.client.get(reverse("api-dashboard-summary"), query)
                self.assertEqual(api.status_code, 200)
                self.assertEqual(api.json(), json.loads(json.dumps(page)))
        self.assertEqual(api.json()["summary"]["closed"], 3)

    def test_it_refuses_department_users_and_explains_bad_filters(self):
        self.client.force_login(self.staff_a)
        self.assertEqual(self.client.get(reverse("api-dashboard-summary")).status_code, 403)
        self.client.force_login(self.office)
        response = self.client.get(reverse("api-dashboard-summary"), {"period": "2026-13", "department_kind": "moon",
                                                                      "document": "abc", "sort": "luck"})
        self.assertEqual(response.status_code, 400)
        body = response.json()
        self.assertEqual(set(body), {"period", "department_kind", "document", "sort"})
        self.assertIn("月份应在 1 到 12 之间", body["period"][0])


@time_machine.travel(NOW, tick=False)
class DashboardAccessAndInputTests(CityTestCase):
    def test_department_users_get_403_and_leadership_reads(self):
        for name in ("tasks:dashboard", "tasks:assignments"):
            for user in (self.staff_a, self.leader_a, self.staff_b):
                self.client.force_login(user)
                self.assertEqual(self.client.get(reverse(name)).status_code, 403, (name, user))
            self.client.force_login(self.leadership)
            self.assertEqual(self.client.get(reverse(name)).status_code, 200)

    def test_bad_filters_give_clear_messages(self):
        self.client.force_login(self.office)
        cases = [
            ({"period": "June"}, "无法识别的期间"),
            ({"period": "2026-00"}, "月份应在 1 到 12 之间"),
            ({"department_kind": "moon"}, "单位类型“moon”不存在"),
            ({"document": "999999"}, "所选政策文件不存在或您无权查看"),
            ({"sort": "luck"}, "无法按“luck”排序"),
        ]
        for query, message in cases:
            with self.subTest(query=query):
                response = self.client.get(reverse("tasks:dashboard"), query)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, message, status_code=400)
                self.assertNotIn("board", response.context)
        list_cases = [
            ({"due_from": "yesterday"}, "输入一个有效的日期"),
            ({"reporting": "2026-Q5"}, "无法识别的期间"),
            ({"report": "missing"}, "需要同时指定应报告期间"),
            ({"state": "lost"}, "lost"),
        ]
        for query, message in list_cases:
            with self.subTest(query=query):
                response = self.client.get(reverse("tasks:assignments"), query)
                self.assertContains(response, message, status_code=400)

    def test_the_list_is_read_only_with_lights_and_pages(self):
        self.client.force_login(self.office)
        response = self.client.get(reverse("tasks:assignments"), {"state": "overdue"})
        self.assertEqual([a.pk for a in response.context["object_list"]], [self.b2.pk])
        self.assertContains(response, "light-red")
        main = response.content.decode().split("<main", 1)[1]
        self.assertNotIn('method="post"', main)
        self.assertEqual(response.context["paginator"].per_page, 50)
        self.assertEqual(self.client.post(reverse("tasks:assignments")).status_code, 405)


class QueryCountTests(BaseTestCase):
    """The dashboard, its API and the list use the same number of queries at two sizes."""

    def grow(self, n: int) -> None:
        first = Department.objects.count()
        for i in range(first, first + n):
            dept = Department.objects.create(name=f"测试局{i}", kind=DepartmentKind.BUREAU if i % 2 else DepartmentKind.ZONE)
            doc = PolicyDocument.objects.create(title=f"文件{i}", doc_number=f"测〔2026〕{100 + i}号")
            for j in range(3):
                measure = Measure.objects.create(document=doc, number=str(j), title=f"措施{i}-{j}", order=j,
                                                 deadline=D(2026, 3 + j * 3, 1), recurrence=Recurrence.WEEKLY if j else "")
                a = Assignment.objects.create(measure=measure, department=dept,
                                              status=AssignmentStatus.CLOSED if j == 1 else AssignmentStatus.PENDING,
                                              closed_at=at(D(2026, 5, 2)) if j == 1 else None)
                ProgressReport.objects.create(assignment=a, period_start=D(2026, 5, 1), period_end=D(2026, 5, 31),
                                              text="x", status=ReportStatus.SUBMITTED, submitted_at=at(D(2026, 6, 1)))

    def count(self, url: str, query: dict) -> int:
        self.client.get(url, query)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url, query)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    @time_machine.travel(NOW, tick=False)
    def test_it_uses_a_fixed_number_of_queries(self):
        self.client.force_login(self.office)
        urls = [(reverse("tasks:dashboard"), {}), (reverse("tasks:dashboard"), {"period": "2026"}),
                (reverse("api-dashboard-summary"), {"period": "2026-Q2"}),
                (reverse("tasks:assignments"), {"reporting": "2026-05", "report": "missing"})]
        self.grow(2)
        small = [self.count(url, query) for url, query in urls]
        self.grow(12)
        large = [self.count(url, query) for url, query in urls]
        self.assertEqual(small, large)
        self.assertLessEqual(small[0], 17)  # 16 for the dashboard (11 of them its numbers), one for the menu's 审核 count


class PeriodTests(BaseTestCase):
    def test_it_reads_months_quarters_and_years(self):
        today = D(2026, 6, 25)
        self.assertEqual(windows.parse_period("", today), windows.Window("2026-06", D(2026, 6, 1), D(2026, 6, 30)))
        self.assertEqual(windows.parse_period("2026-2", today).end, D(2026, 2, 28))
        self.assertEqual(windows.parse_period("2026-q4", today), windows.Window("2026-Q4", D(2026, 10, 1), D(2026, 12, 31)))
        self.assertEqual(windows.parse_period("2025", today).end, D(2025, 12, 31))
        for bad in ("2026-13", "26-06", "2026-Q0", "1999", "abc"):
            with self.subTest(bad=bad), self.assertRaises(ValueError):
                windows.parse_period(bad, today)

    def test_it_expects_every_period_that_ends_inside_the_window(self):
        june = windows.expected_periods(windows.parse_period("2026-06", D(2026, 6, 25)))
        kinds = sorted((e.recurrence, e.period.start.isoformat()) for e in june)
        self.assertEqual(kinds, sorted([
            ("", "2026-06-01"), ("monthly", "2026-06-01"), ("bimonthly", "2026-05-01"), ("quarterly", "2026-04-01"),
            ("weekly", "2026-06-01"), ("weekly", "2026-06-08"), ("weekly", "2026-06-15"), ("weekly", "2026-06-22"),
        ]))

    def test_the_score_leaves_out_what_cannot_be_measured(self):
        weights = scoring.ScoreWeights(60, 40)
        self.assertEqual(scoring.score((1, 2), (1, 3), weights), 43.3)  # 100 × (60×.5 + 40×.333) / 100
        self.assertEqual(scoring.score((0, 0), (1, 4), weights), 25.0)
        self.assertIsNone(scoring.score((0, 0), (0, 0), weights))
        self.assertEqual(scoring.rate(1, 8), 12.5)
        self.assertEqual(scoring.rate(1, 6), 16.7)
        self.assertIsNone(scoring.rate(0, 0))


class BenchCommandTests(BaseTestCase):
    """The benchmark's worker measures what exists and says "not available" for what does not; the
    command measures each scale asked for on its own database and prints them side by side."""

    def test_it_measures_pages_and_reports_missing_ones(self):
        from tasks.management.commands import bench

        make_user("staff1", self.dept_a)
        pages = [*bench.PAGES, ("/api/not-built-yet/", "office")]
        with self.settings(ALLOWED_HOSTS=["testserver"]), mock.patch.object(bench, "PAGES", pages):
            results = bench.measure(2)
            printed = bench.table({"small": results, "city": results, "province": results})
        self.assertEqual(results["/api/not-built-yet/"], {"available": False, "reason": "no such URL"})
        for path, _user in bench.PAGES:
            self.assertTrue(results[path]["available"], path)
            self.assertEqual(results[path]["status"], 200, path)
            self.assertGreater(results[path]["queries"], 0, path)
            self.assertEqual("uncached_ms" in results[path], path in bench.CACHED, path)
        self.assertIn("/api/not-built-yet/", printed)
        self.assertIn("not available", printed)
        self.assertIn("/dashboard/ (uncached)", printed)
        self.assertRegex(printed.splitlines()[0], r"small ms +queries +city ms +queries +×small +province ms +queries +×small")
        self.assertRegex(printed, r"/tasks/ +[\d.]+ +\d+ +[\d.]+ +\d+ +1\.00 +[\d.]+ +\d+ +1\.00  ok")

    def test_each_scale_runs_on_its_own_database(self):
        from tasks.management.commands import bench

        figures = {path: {"available": True, "status": 200, "queries": 3, "median_ms": 2.0} for path, _u in bench.PAGES}
        out = StringIO()
        with (mock.patch.object(bench, "current_url", return_value="postgres://u@h:5432/city"),
              mock.patch.object(bench, "run_worker", return_value=figures) as worker):
            call_command("bench", "--runs", "2", "--rounds", "2", "--scale", "small,large,province",
                         "--url", "small=sqlite:////tmp/s.db", "--no-seed", stdout=out)
        self.assertEqual([c.args for c in worker.call_args_list], 2 * [
            ("sqlite:////tmp/s.db", 2), ("postgres://u@h:5432/city", 2), ("postgres://u@h:5432/city_province", 2)])
        self.assertIn("province ms", out.getvalue())
        self.assertEqual(bench.sibling_url("postgres://u@h:5432/city"), "postgres://u@h:5432/city_small")
        self.assertEqual(bench.sibling_url("sqlite:////tmp/city.sqlite3", "province"), "sqlite:////tmp/city-province.sqlite3")
        for wrong in (["--scale", "county"], ["--scale", ","], ["--url", "province"], ["--url", "town=sqlite:///x"],
                      ["--rounds", "0"]):
            with self.assertRaises(CommandError, msg=wrong):
                call_command("bench", *wrong, "--no-seed", stdout=StringIO())


    def test_each_figure_is_the_median_of_its_rounds(self):
        from tasks.management.commands import bench

        def found(ms: float, uncached: float) -> dict:
            return {"/dashboard/": {"available": True, "status": 200, "queries": 7, "median_ms": ms,
                                    "uncached_ms": uncached, "uncached_queries": 16},
                    "/api/not-built-yet/": {"available": False, "reason": "no such URL"}}

        combined = bench.combine([found(10.0, 30.0), found(50.0, 20.0), found(12.0, 25.0)])
        self.assertEqual(combined["/dashboard/"], {"available": True, "status": 200, "queries": 7, "median_ms": 12.0,
                                                   "uncached_ms": 25.0, "uncached_queries": 16})
        self.assertEqual(combined["/api/not-built-yet/"], {"available": False, "reason": "no such URL"})


class QueriesAcrossScalesTests(TestCase):
    """What ``bench`` measures, asserted: each page reads the demo city, the city-scale one (here
    at 2 % of its size) and the province (at half a percent) with the same number of queries,
    served from the dashboard cache or computed afresh; the table shows them side by side."""

    @time_machine.travel(NOW, tick=False)
    def test_every_benchmarked_page_uses_as_many_queries_at_every_scale(self):
        from tasks.demo import large, province
        from tasks.management.commands import bench

        def measured() -> dict:
            cache.clear()
            with self.settings(ALLOWED_HOSTS=["testserver"], DASHBOARD_CACHE_SECONDS=300):
                results = bench.measure(1)
            for path, figures in results.items():
                self.assertEqual(figures.get("status"), 200, (path, figures))
            return results

        def queries(results: dict) -> dict[str, tuple[int, int | None]]:
            return {path: (figures["queries"], figures.get("uncached_queries")) for path, figures in results.items()}

        seed_small(TODAY)
        results = {"small": measured()}
        with transaction.atomic():
            large.seed_large(TODAY, scale=0.02)
            self.assertGreater(Assignment.objects.count(), 10 * 38)
            results["city"] = measured()
            transaction.set_rollback(True)
        province.seed_province(TODAY, scale=0.005)
        self.assertGreater(Assignment.objects.count(), 10 * 38)
        results["province"] = measured()
        for scale in ("city", "province"):
            self.assertEqual(queries(results[scale]), queries(results["small"]), scale)
        printed = bench.table(results)
        for path, (count, uncached) in queries(results["small"]).items():
            self.assertRegex(printed, rf"{re.escape(path)} +[\d.]+ +{count} +[\d.]+ +{count} +[\d.]+ +[\d.]+ +{count} ")
            if uncached is not None:
                self.assertRegex(printed, rf"{re.escape(path)} \(uncached\) +[\d.]+ +{uncached} +[\d.]+ +{uncached} ")
