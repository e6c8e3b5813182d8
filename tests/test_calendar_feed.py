"""The calendar feed: open work within the horizon only, conditional requests answered with 304,
and absurd dates already stored (from before the date window) do not break it."""

from __future__ import annotations

import datetime

import time_machine
from django.test import override_settings
from django.urls import reverse
from icalendar import Calendar

from documents.models import Measure
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
        cls.token = CalendarToken.objects.create(user=cls.office).token

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

    def feed(self, **headers):
        return self.client.get(reverse("calendar-feed", args=[self.token]), headers=headers)

    def uids(self, response) -> set[str]:
        return {str(event["uid"]) for event in Calendar.from_ical(response.content).walk("VEVENT")}

    def test_it_holds_open_work_within_the_horizon_only(self):
        response = self.feed()
        self.assertEqual(response.status_code, 200)
        deadlines = {uid for uid in self.uids(response) if uid.startswith("deadline-")}
        self.assertEqual(deadlines, {f"deadline-{a.pk}@policytrack" for a in (self.soon, self.recent)}
                         | {f"deadline-{a.pk}@policytrack" for a in (self.assignment_a, self.assignment_b)})
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
