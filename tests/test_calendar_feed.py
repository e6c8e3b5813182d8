"""The calendar feed: open work within the horizon only, conditional requests answered with 304,
absurd dates already stored (from before the date window) do not break it, and those who oversee
other departments' work get it as a digest (one event per day, with its count and list)."""

from __future__ import annotations

import datetime

import time_machine
from django.test import override_settings
from django.urls import reverse
from icalendar import Calendar

from documents.models import Measure, Milestone
from tasks.choices import AssignmentRole, AssignmentStatus
from tasks.models import Assignment
from tasks.notify.models import CalendarToken
from tests.base import BaseTestCase

NOW = datetime.datetime(2026, 3, 20, 9, 0, tzinfo=datetime.UTC)


@time_machine.travel(NOW, tick=False)
@override_settings(CALENDAR_DAYS_BACK=30, CALENDAR_DAYS_AHEAD=180)
class CalendarFeedTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.token = CalendarToken.objects.create(user=cls.staff_a).token
        cls.office_token = CalendarToken.objects.create(user=cls.office).token

        def measure(number: str, deadline: datetime.date | None, status=AssignmentStatus.IN_PROGRESS):
            made = Measure.objects.create(document=cls.document, number=number, title=f"任务{number}",
                                          deadline=deadline, order=int(number))
            return Assignment.objects.create(measure=made, department=cls.dept_a, role=AssignmentRole.LEAD,
                                             status=status)

        cls.soon = measure("11", datetime.date(2026, 5, 31))
        cls.recent = measure("12", datetime.date(2026, 3, 1))
        cls.long_ago = measure("13", datetime.date(2025, 1, 31))
        cls.far_ahead = measure("14", datetime.date(2027, 12, 31))
        cls.closed = measure("15", datetime.date(2026, 4, 30), status=AssignmentStatus.CLOSED)
        cls.ongoing = measure("16", None)
        cls.absurd = measure("17", datetime.date(2026, 4, 30))
        Assignment.objects.filter(pk=cls.absurd.pk).update(deadline=datetime.date(9999, 12, 31),
                                                          due=datetime.date(9999, 12, 31))

    def feed(self, token=None, **headers):
        return self.client.get(reverse("calendar-feed", args=[token or self.token]), headers=headers)

    def uids(self, response) -> set[str]:
        return {str(event["uid"]) for event in Calendar.from_ical(response.content).walk("VEVENT")}

    def events(self, response) -> dict[str, tuple[datetime.date, str, str]]:
        return {str(e["uid"]).split("@")[0]: (e.decoded("dtstart"), str(e["summary"]), str(e["url"]))
                for e in Calendar.from_ical(response.content).walk("VEVENT")}

    def test_it_holds_open_work_within_the_horizon_only(self):
        response = self.feed()
        self.assertEqual(response.status_code, 200)
        deadlines = {uid for uid in self.uids(response) if uid.startswith("deadline-")}
        self.assertEqual(deadlines, {f"deadline-{a.pk}@policytrack"
                                     for a in (self.soon, self.recent, self.assignment_a)})  # not dept_b's
        reports = {uid.split("-")[1] for uid in self.uids(response) if uid.startswith("report-")}
        self.assertIn(str(self.ongoing.pk), reports)
        for left_out in (self.long_ago, self.far_ahead, self.closed, self.absurd):
            self.assertNotIn(str(left_out.pk), reports)

    def test_it_answers_a_conditional_request_with_304(self):
        first = self.feed()
        etag = first["ETag"]
        self.assertTrue(etag.startswith('"'))
        again = self.feed(if_none_match=etag)
        self.assertEqual(again.status_code, 304)
        self.assertEqual(again.content, b"")
        self.assertEqual(self.feed(if_none_match='"something-else"').status_code, 200)
        with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
            self.assertEqual(self.feed(if_none_match=etag).status_code, 200)  # a new day, a new feed

    def test_titles_with_separators_and_long_chinese_text_survive_a_round_trip(self):
        title = "推进“放管服”改革;优化营商环境,建设数字政府\\一网通办" + "并持续深化改革" * 12
        Measure.objects.filter(pk=self.soon.measure_id).update(title=title)
        body = self.feed().content
        self.assertTrue(all(len(line) <= 75 for line in body.split(b"\r\n")))
        summaries = [str(e["summary"]) for e in Calendar.from_ical(body).walk("VEVENT")
                     if str(e["uid"]) == f"deadline-{self.soon.pk}@policytrack"]
        self.assertEqual(summaries, [f"【到期】市发改委 11 {title}"])

    def test_the_office_gets_a_digest_of_the_work_it_oversees(self):
        for measure, day in ((self.soon.measure, 15), (self.recent.measure, 15), (self.closed.measure, 16)):
            Milestone.objects.create(measure=measure, title="完成招标", due_date=datetime.date(2026, 4, day))
        events = self.events(self.feed(self.office_token))
        suffix = f"-u{self.office.pk}"
        june, may, march = datetime.date(2026, 6, 30), datetime.date(2026, 5, 31), datetime.date(2026, 3, 1)
        # assignment_a and assignment_b share one measure due at the end of June
        self.assertEqual(events[f"due-20260630{suffix}"][:2], (june, "【到期】2 项分工（1 项措施）"))
        self.assertEqual(events[f"due-20260531{suffix}"][:2], (may, "【到期】1 项分工（1 项措施）"))
        self.assertEqual(events[f"due-20260301{suffix}"][:2], (march, "【到期】1 项分工（1 项措施）"))
        self.assertEqual(len([uid for uid in events if uid.startswith("due-")]), 3)  # nothing closed or outside
        url = events[f"due-20260630{suffix}"][2]
        self.assertTrue(url.endswith(f"{reverse('tasks:assignments')}?due_from=2026-06-30&due_to=2026-06-30"))
        self.client.force_login(self.office)
        listed = self.client.get(url[url.index("/assignments/"):]).context["paginator"].count
        self.assertEqual(listed, 2)
        # every open assignment in the horizon reports monthly: one event at the month's end
        reports = {uid: event for uid, event in events.items() if uid.startswith("reports-")}
        self.assertEqual(list(reports.values())[0][:2], (datetime.date(2026, 3, 31), "【填报截止】每月报告 5 项分工"))
        self.assertEqual(len(reports), 1)
        self.assertFalse([uid for uid in events if uid.startswith("deadline-")])  # no department of its own
        milestones = {uid: event[:2] for uid, event in events.items() if uid.startswith("milestones-")}
        self.assertEqual(milestones, {f"milestones-20260415{suffix}": (datetime.date(2026, 4, 15), "【节点】2 个工作节点")})

    def test_the_digest_costs_the_same_queries_whatever_the_work(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            self.feed(self.office_token)
        for n in range(20, 30):
            made = Measure.objects.create(document=self.document, number=str(n), title=f"任务{n}",
                                          deadline=datetime.date(2026, 4, n - 10), order=n)
            Assignment.objects.create(measure=made, department=self.dept_b, role=AssignmentRole.LEAD)
        with CaptureQueriesContext(connection) as many:
            events = self.events(self.feed(self.office_token))
        self.assertEqual(len(few), len(many))
        self.assertEqual(len([uid for uid in events if uid.startswith("due-")]), 13)
