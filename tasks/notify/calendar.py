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
from django.utils import timezone

from documents.models import Milestone
from tasks import changes
from tasks.models import Assignment
from tasks.notify.links import absolute
from tasks.periods import Period, period_containing


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
    if not settings.CALENDAR_CACHE_SECONDS:
        return build_feed(user)
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
    feed = _Feed()
    assignments = list(
        Assignment.objects.visible_to(user).open()
        .filter(Q(due__isnull=True) | Q(due__gte=start, due__lte=end))
        .order_by("pk")
        .values_list("pk", "due", "department__short_name", "department__name", "measure_id",
                     "measure__number", "measure__title", "measure__recurrence")
    )
    periods: dict[str, Period] = {}
    for pk, due, short_name, name, _measure, number, title, recurrence in assignments:
        label = f"{short_name or name} {number} {title}"
        url = absolute(f"/tasks/{pk}/")
        if due:
            feed.event(f"deadline-{pk}", due, f"【到期】{label}", url)
        if recurrence not in periods:
            periods[recurrence] = period_containing(recurrence, today)
        period = periods[recurrence]
        if period.end <= end:
            feed.event(f"report-{pk}-{period.start}", period.end, f"【填报截止】{label}", url)
    milestones = Milestone.objects.filter(
        measure_id__in={row[4] for row in assignments}, due_date__gte=max(start, today), due_date__lte=end
    ).order_by("due_date", "pk").values_list("pk", "due_date", "measure__number", "title")
    for pk, due_date, number, title in milestones:
        feed.event(f"milestone-{pk}", due_date, f"【节点】{number} {title}", absolute("/tasks/"))
    return feed.finish()


class _Feed:
    """iCalendar text (RFC 5545) written directly: thousands of all-day events, each a handful of
    escaped and folded lines, cost a fraction of what a component tree costs to build."""

    def __init__(self) -> None:
        self.stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        self.lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//PolicyTrack//政策落实跟踪平台//ZH",
                      "X-WR-CALNAME:政策落实跟踪 · 任务时限", f"X-WR-TIMEZONE:{settings.TIME_ZONE}"]

    def event(self, uid: str, day: datetime.date, summary: str, url: str) -> None:
        self.lines += [
            "BEGIN:VEVENT", f"SUMMARY:{_text(summary)}", f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + datetime.timedelta(days=1):%Y%m%d}", f"DTSTAMP:{self.stamp}",
            f"UID:{uid}@policytrack", f"URL:{url}", "END:VEVENT",
        ]

    def finish(self) -> bytes:
        self.lines.append("END:VCALENDAR")
        return "".join(_fold(line) for line in self.lines).encode("utf-8")


def _text(value: str) -> str:
    """An iCalendar TEXT value: backslash, semicolon, comma and newlines escaped."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    """One content line, folded at 75 octets without splitting a UTF-8 character, CRLF-ended."""
    if len(line.encode("utf-8")) <= 75:
        return line + "\r\n"
    parts: list[str] = []
    current: list[str] = []
    size, limit = 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines begin with a space
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts) + "\r\n"
