"""Reporting periods and traffic lights at their boundaries, with time moved by time-machine."""

import datetime

import time_machine
from django.test import SimpleTestCase, override_settings

from documents.choices import Recurrence
from documents.models import Measure
from tasks.choices import AssignmentRole, AssignmentStatus, ReportStatus
from tasks.models import Assignment, ProgressReport
from tasks.periods import period_containing, previous_period
from tasks.workflow.status import Light, MeasureStatus, _lit, assignments_with_lights, measure_status, with_lights
from tests.base import BaseTestCase

D = datetime.date


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=datetime.UTC), tick=False)


class PeriodTests(SimpleTestCase):
    def test_it_aligns_periods_to_the_calendar(self):
        cases = [
            (Recurrence.WEEKLY, D(2026, 1, 1), D(2025, 12, 29), D(2026, 1, 4)),
            (Recurrence.MONTHLY, D(2024, 2, 29), D(2024, 2, 1), D(2024, 2, 29)),
            (Recurrence.NONE, D(2026, 12, 31), D(2026, 12, 1), D(2026, 12, 31)),
            (Recurrence.BIMONTHLY, D(2026, 4, 1), D(2026, 3, 1), D(2026, 4, 30)),
            (Recurrence.QUARTERLY, D(2026, 9, 30), D(2026, 7, 1), D(2026, 9, 30)),
            (Recurrence.QUARTERLY, D(2026, 10, 1), D(2026, 10, 1), D(2026, 12, 31)),
            (Recurrence.YEARLY, D(2026, 6, 15), D(2026, 1, 1), D(2026, 12, 31)),
        ]
        for recurrence, day, start, end in cases:
            with self.subTest(recurrence=recurrence, day=day):
                period = period_containing(recurrence, day)
                self.assertEqual((period.start, period.end), (start, end))

    def test_it_finds_the_previous_period_across_the_turn_of_a_year(self):
        self.assertEqual(previous_period(Recurrence.MONTHLY, D(2027, 1, 3)).start, D(2026, 12, 1))
        self.assertEqual(previous_period(Recurrence.QUARTERLY, D(2027, 2, 1)).start, D(2026, 10, 1))
        self.assertEqual(previous_period(Recurrence.WEEKLY, D(2027, 1, 4)).start, D(2026, 12, 28))


@override_settings(TRAFFIC_LIGHT_YELLOW_DAYS=7, REPORT_GRACE_DAYS=5)
class LightTests(BaseTestCase):
    def light(self, assignment=None):
        from django.utils import timezone

        assignment = assignment or self.assignment_a
        return with_lights(Assignment.objects.filter(pk=assignment.pk), timezone.localdate()).get().light

    def report_for_may(self, status=ReportStatus.SUBMITTED):
        ProgressReport.objects.filter(pk=self.report_a.pk).update(status=status)

    def test_it_turns_yellow_seven_days_before_and_red_the_day_after_the_deadline(self):
        # Deadline 2026-06-30; May's report exists so only the deadline speaks.
        ProgressReport.objects.create(assignment=self.assignment_a, period_start=D(2026, 5, 1), period_end=D(2026, 5, 31),
                                      text="五月进展", status=ReportStatus.SUBMITTED)
        for day, expected in [
            (D(2026, 6, 22), Light.GREEN),
            (D(2026, 6, 23), Light.YELLOW),
            (D(2026, 6, 30), Light.YELLOW),
            (D(2026, 7, 1), Light.RED),
        ]:
            with self.subTest(day=day), at(day):
                self.assertEqual(self.light(), expected)

    def test_it_turns_grey_when_closed_and_follows_an_approved_extension(self):
        with at(D(2026, 7, 10)):
            self.assertEqual(self.light(), Light.RED)
            Assignment.objects.filter(pk=self.assignment_a.pk).update(deadline=D(2026, 9, 30), due=D(2026, 9, 30))
            self.assertNotEqual(self.light(), Light.RED)
            Assignment.objects.filter(pk=self.assignment_a.pk).update(status=AssignmentStatus.CLOSED)
            self.assertEqual(self.light(), Light.GREY)

    def test_it_turns_yellow_when_last_periods_report_is_missing_after_the_grace_days(self):
        measure = Measure.objects.create(document=self.document, number="2", title="持续推进", is_ongoing=True, order=2,
                                         recurrence=Recurrence.MONTHLY)
        with at(D(2026, 4, 20)):
            ongoing = Assignment.objects.create(measure=measure, department=self.dept_a, role=AssignmentRole.LEAD)
        for day, expected in [
            (D(2026, 5, 20), Light.GREY),  # April reported; ongoing work has no deadline
            (D(2026, 6, 5), Light.GREY),  # May ended 31 May; grace until 5 June
            (D(2026, 6, 6), Light.YELLOW),  # May's report missing past the grace days
        ]:
            with self.subTest(day=day), at(day):
                if day == D(2026, 5, 20):
                    ProgressReport.objects.create(assignment=ongoing, period_start=D(2026, 4, 1), period_end=D(2026, 4, 30),
                                                  text="四月", status=ReportStatus.ACCEPTED)
                self.assertEqual(self.light(ongoing), expected)
        draft = ProgressReport.objects.create(assignment=ongoing, period_start=D(2026, 5, 1), period_end=D(2026, 5, 31),
                                              text="五月草稿")
        with at(D(2026, 6, 6)):
            self.assertEqual(self.light(ongoing), Light.YELLOW)  # a draft is not a report
            draft.status = ReportStatus.SUBMITTED
            draft.save()
            self.assertEqual(self.light(ongoing), Light.GREY)

    def test_it_does_not_expect_a_report_for_a_period_before_the_assignment(self):
        measure = Measure.objects.create(document=self.document, number="3", title="新任务", order=3,
                                         deadline=D(2026, 12, 31), recurrence=Recurrence.QUARTERLY)
        with at(D(2026, 7, 2)):
            fresh = Assignment.objects.create(measure=measure, department=self.dept_b)
        with at(D(2026, 7, 20)):
            self.assertEqual(self.light(fresh), Light.GREEN)

    def test_it_derives_the_measure_status_from_the_lead(self):
        with at(D(2026, 6, 1)):
            from django.utils import timezone

            today = timezone.localdate()
            self.assertEqual(measure_status([self.assignment_a, self.assignment_b], today), MeasureStatus.PENDING)
            self.assignment_b.status = AssignmentStatus.IN_PROGRESS
            self.assertEqual(measure_status([self.assignment_a, self.assignment_b], today), MeasureStatus.IN_PROGRESS)
            self.assignment_a.status = AssignmentStatus.CLOSED
            self.assertEqual(measure_status([self.assignment_a, self.assignment_b], today), MeasureStatus.CLOSED)
        with at(D(2026, 7, 1)):
            self.assignment_a.status = AssignmentStatus.IN_PROGRESS
            self.assertEqual(measure_status([self.assignment_a, self.assignment_b], D(2026, 7, 1)), MeasureStatus.OVERDUE)


class SharedLightsTests(BaseTestCase):
    """The lists start from one lit queryset per day and process: it must see every change, every
    day and every setting, and never be evaluated itself."""

    def light_of(self, day: datetime.date) -> str:
        return assignments_with_lights(day).get(pk=self.assignment_a.pk).light

    def test_it_follows_the_data_the_day_and_the_settings(self):
        self.assertEqual(self.light_of(datetime.date(2026, 4, 15)), Light.GREEN)
        self.assertEqual(self.light_of(datetime.date(2026, 6, 25)), Light.YELLOW)  # a week before 6-30
        self.assertEqual(self.light_of(datetime.date(2026, 7, 1)), Light.RED)
        Assignment.objects.filter(pk=self.assignment_a.pk).update(due=datetime.date(2026, 4, 10))
        self.assertEqual(self.light_of(datetime.date(2026, 4, 15)), Light.RED)  # the same day's queryset, new data
        Assignment.objects.filter(pk=self.assignment_a.pk).update(due=datetime.date(2026, 4, 30))
        self.assertEqual(self.light_of(datetime.date(2026, 4, 15)), Light.GREEN)
        with override_settings(TRAFFIC_LIGHT_YELLOW_DAYS=20):
            self.assertEqual(self.light_of(datetime.date(2026, 4, 15)), Light.YELLOW)
        shared = _lit(datetime.date(2026, 4, 15), 7, 5)
        self.assertIsNone(shared._result_cache)
        self.assertEqual(list(assignments_with_lights(datetime.date(2026, 4, 15)).values_list("light", flat=True)),
                         list(with_lights(Assignment.objects.all(), datetime.date(2026, 4, 15))
                              .values_list("light", flat=True)))

