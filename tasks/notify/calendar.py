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
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.roles import get_roles
from documents.choices import Recurrence
from documents.models import Milestone
from tasks import changes
from tasks.models import Assignment
from tasks.notify.links import absolute
from tasks.periods import Period, period_containing, reporting_cycle


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
    """The user's calendar: each deadline, milestone and report due date of the open work of the
    user's own departments (``_own_work``); and, for those who oversee other departments' work (the
    general office, leadership, a group's office), that work as a digest (``_overseen_work``): one
    event per day with something due, one per report due date and one per day of milestones, each
    with its count and the link to its list. A province's office oversees some 65,000 open
    assignments within the horizon: no calendar client shows 110,000 events, and one a day is
    what an overseer reads."""
    today = timezone.localdate()
    start, end = window(today)
    feed = _Feed(scope=f"u{user.pk}")
    roles = get_roles(user)
    overseen = Assignment.objects.visible_to(user) if roles.sees_everything or roles.oversees_groups else None
    if overseen is not None:
        own = Assignment.objects.filter(department_id__in=roles.department_ids)
    else:
        own = Assignment.objects.visible_to(user)
    if roles.department_ids or overseen is None:
        _own_work(feed, _in_horizon(own, start, end), today, start, end)
    if overseen is not None:
        _overseen_work(feed, _in_horizon(overseen, start, end), today, start, end)
    return feed.finish()


def _in_horizon(assignments, start: datetime.date, end: datetime.date):
    """Open work due within the horizon, or with no deadline (ongoing work)."""
    return assignments.open().filter(Q(due__isnull=True) | Q(due__gte=start, due__lte=end))


def _own_work(feed: _Feed, assignments, today: datetime.date, start: datetime.date, end: datetime.date) -> None:
    rows = list(assignments.order_by("pk").values_list(
        "pk", "due", "department__short_name", "department__name", "measure_id", "measure__number",
        "measure__title", "measure__recurrence"))
    periods: dict[str, Period] = {}
    for pk, due, short_name, name, _measure, number, title, recurrence in rows:
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
        measure_id__in={row[4] for row in rows}, due_date__gte=max(start, today), due_date__lte=end
    ).order_by("due_date", "pk").values_list("pk", "due_date", "measure__number", "title")
    for pk, due_date, number, title in milestones:
        feed.event(f"milestone-{pk}", due_date, f"【节点】{number} {title}", absolute("/tasks/"))


def _overseen_work(feed: _Feed, assignments, today: datetime.date, start: datetime.date,
                   end: datetime.date) -> None:
    """Three grouped counts, whatever the number of assignments: by deadline, by recurrence (the
    report due this period), and the milestones of the work by day."""
    lists = reverse("tasks:assignments")
    days = (assignments.filter(due__isnull=False).order_by("due").values("due")
            .annotate(work=Count("pk"), measures=Count("measure_id", distinct=True)))
    for row in days:
        day = row["due"]
        feed.event(f"due-{day:%Y%m%d}-{feed.scope}", day,
                   _("【到期】%(work)d 项分工（%(measures)d 项措施）") % row,
                   absolute(f"{lists}?due_from={day}&due_to={day}"))
    due_reports: dict[tuple[str, Period], int] = {}
    for row in assignments.order_by().values("measure__recurrence").annotate(work=Count("pk")):
        recurrence = reporting_cycle(row["measure__recurrence"])  # work without one reports monthly
        key = (recurrence, period_containing(recurrence, today))
        due_reports[key] = due_reports.get(key, 0) + row["work"]
    for (recurrence, period), work in sorted(due_reports.items(), key=lambda item: item[0][1].end):
        if period.end <= end:
            feed.event(f"reports-{recurrence}-{period.start}-{feed.scope}", period.end,
                       _("【填报截止】%(label)s报告 %(work)d 项分工") % {"label": Recurrence(recurrence).label, "work": work},
                       absolute(reverse("tasks:reviews")))
    milestones = (Milestone.objects.filter(measure_id__in=assignments.values("measure_id"),
                                           due_date__gte=max(start, today), due_date__lte=end)
                  .order_by("due_date").values("due_date").annotate(n=Count("pk")))
    for row in milestones:
        feed.event(f"milestones-{row['due_date']:%Y%m%d}-{feed.scope}", row["due_date"],
                   _("【节点】%(n)d 个工作节点") % row, absolute(lists))


class _Feed:
    """iCalendar text (RFC 5545) written directly: thousands of all-day events, each a handful of
    escaped and folded lines, cost a fraction of what a component tree costs to build."""

    def __init__(self, scope: str = "all") -> None:
        self.scope = scope  # in the digest's UIDs: a group's office and the city's see different counts
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
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    parts, begin, limit = [], 0, 75
    while len(data) - begin > limit:
        cut = begin + limit
        while data[cut] & 0xC0 == 0x80:  # a continuation byte: cut before its character
            cut -= 1
        parts.append(data[begin:cut])
        begin, limit = cut, 74  # continuation lines begin with a space
    parts.append(data[begin:])
    return b"\r\n ".join(parts).decode("utf-8") + "\r\n"
