"""A personal calendar feed (iCalendar) of the deadlines of the user's departments."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from documents.models import Milestone
from tasks.models import Assignment
from tasks.notifications import absolute
from tasks.periods import period_containing

HORIZON_DAYS = 400


def build_feed(user) -> bytes:
    """Deadlines, milestones and the next report due dates of every open assignment the user's
    departments carry (the office and leadership get every open assignment)."""
    today = timezone.localdate()
    calendar = Calendar()
    calendar.add("prodid", "-//PolicyTrack//政策落实跟踪平台//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "政策落实跟踪 · 任务时限")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    assignments = list(
        Assignment.objects.visible_to(user).open()
        .select_related("measure__document", "department")
        .order_by("pk")
    )
    for assignment in assignments:
        label = f"{assignment.measure.number} {assignment.measure.title}"
        url = absolute(f"/tasks/{assignment.pk}/")
        deadline = assignment.effective_deadline
        if deadline:
            calendar.add_component(_event(f"deadline-{assignment.pk}", deadline, f"【到期】{assignment.department} {label}", url))
        period = period_containing(assignment.measure.recurrence, today)
        calendar.add_component(
            _event(f"report-{assignment.pk}-{period.start}", period.end, f"【填报截止】{assignment.department} {label}", url)
        )
    horizon = today + datetime.timedelta(days=HORIZON_DAYS)
    milestones = Milestone.objects.filter(
        measure__assignments__in=assignments, due_date__gte=today, due_date__lte=horizon
    ).select_related("measure").distinct()
    for milestone in milestones:
        calendar.add_component(
            _event(f"milestone-{milestone.pk}", milestone.due_date,
                   f"【节点】{milestone.measure.number} {milestone.title}", absolute("/tasks/"))
        )
    return calendar.to_ical()


def _event(uid: str, day: datetime.date, summary: str, url: str) -> Event:
    event = Event()
    event.add("uid", f"{uid}@policytrack")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("url", url)
    return event
