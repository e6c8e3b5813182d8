"""A personal calendar feed (iCalendar) of the deadlines of the user's departments.

Calendar clients poll the feed, so it holds only open work within a horizon (CALENDAR_DAYS_BACK
days back to CALENDAR_DAYS_AHEAD ahead), is built once per committed change (``feed_etag`` is
the change counter of tasks.changes with the user and the day; the body is cached under it) and
answers a client's If-None-Match with 304."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from icalendar import Calendar, Event

from documents.models import Milestone
from tasks import changes
from tasks.models import Assignment
from tasks.notifications import absolute
from tasks.periods import period_containing


def window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return (today - datetime.timedelta(days=settings.CALENDAR_DAYS_BACK),
            today + datetime.timedelta(days=settings.CALENDAR_DAYS_AHEAD))


def feed_etag(user, today: datetime.date | None = None) -> str:
    """Changes whenever the feed could: a committed change, another day, other horizon settings."""
    today = today or timezone.localdate()
    key = f"{changes.version()}:{user.pk}:{today}:{settings.CALENDAR_DAYS_BACK}:{settings.CALENDAR_DAYS_AHEAD}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def cached_feed(user, etag: str) -> bytes:
    """``build_feed``, cached under its ETag (a missing or unreachable cache computes it)."""
    key = f"calendar-feed:{etag}"
    body = cache.get(key)
    if body is None:
        body = build_feed(user)
        cache.set(key, body, settings.CALENDAR_CACHE_SECONDS)
    return body


def build_feed(user) -> bytes:
    """Deadlines, milestones and the report due dates of the open assignments the user's
    departments carry (the office and leadership get every open assignment) whose deadline
    falls within the horizon, and of those with no deadline (ongoing work)."""
    today = timezone.localdate()
    start, end = window(today)
    calendar = Calendar()
    calendar.add("prodid", "-//PolicyTrack//政策落实跟踪平台//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "政策落实跟踪 · 任务时限")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    assignments = list(
        Assignment.objects.visible_to(user).open()
        .annotate(feed_due=Coalesce("deadline", "measure__deadline"))
        .filter(Q(feed_due__isnull=True) | Q(feed_due__gte=start, feed_due__lte=end))
        .select_related("measure", "department")
        .only("pk", "deadline", "department__name", "department__short_name", "measure__number",
              "measure__title", "measure__deadline", "measure__recurrence")
        .order_by("pk")
    )
    for assignment in assignments:
        label = f"{assignment.measure.number} {assignment.measure.title}"
        url = absolute(f"/tasks/{assignment.pk}/")
        deadline = assignment.effective_deadline
        if deadline:
            calendar.add_component(_event(f"deadline-{assignment.pk}", deadline, f"【到期】{assignment.department} {label}", url))
        period = period_containing(assignment.measure.recurrence, today)
        if period.end <= end:
            calendar.add_component(_event(f"report-{assignment.pk}-{period.start}", period.end,
                                          f"【填报截止】{assignment.department} {label}", url))
    milestones = Milestone.objects.filter(
        measure_id__in={a.measure_id for a in assignments}, due_date__gte=max(start, today), due_date__lte=end
    ).select_related("measure").order_by("due_date", "pk")
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
