"""Daily work in the lists: urgency order, days left as people say it, returned reports marked
and filterable, Chinese sort labels, the review queue's inline decisions."""

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.models import Measure
from tasks.choices import AssignmentRole, AssignmentStatus, ReportStatus
from tasks.models import Assignment, ProgressReport
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
