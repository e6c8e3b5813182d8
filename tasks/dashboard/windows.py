"""Period windows of the dashboard: the chosen period (a month, a quarter, a year) and the
reporting periods of each recurrence that end inside it."""


from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tasks.periods import Period, every_recurrence, period_containing

# --- the chosen period -------------------------------------------------------------------------

PERIOD_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{1,2})|[Qq](?P<quarter>[1-4])))?$")


@dataclass(frozen=True)
class Window:
    """The span the office looks at: a month (2026-06), a quarter (2026-Q2) or a year (2026)."""

    key: str
    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        if "Q" in self.key:
            return _("%(year)d年第%(q)d季度") % {"year": self.start.year, "q": (self.start.month - 1) // 3 + 1}
        if "-" in self.key:
            return _("%(year)d年%(month)d月") % {"year": self.start.year, "month": self.start.month}
        return _("%(year)d年") % {"year": self.start.year}


def month_window(day: datetime.date) -> Window:
    last = calendar.monthrange(day.year, day.month)[1]
    return Window(f"{day.year:04d}-{day.month:02d}", day.replace(day=1), day.replace(day=last))


def parse_period(value: str | None, today: datetime.date) -> Window:
    """The window named by ``value``; empty means the current month. Raises ValueError with a
    message for the user when ``value`` is not a month, a quarter or a year."""
    value = (value or "").strip()
    if not value:
        return month_window(today)
    match = PERIOD_PATTERN.match(value)
    year = int(match["year"]) if match else 0
    if not match or not 2000 <= year <= 2100:
        raise ValueError(
            _("无法识别的期间“%(value)s”：请填写月份（如 2026-06）、季度（如 2026-Q2）或年份（如 2026）。") % {"value": value}
        )
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise ValueError(_("月份应在 1 到 12 之间，收到“%(value)s”。") % {"value": value})
        return month_window(datetime.date(year, month, 1))
    if match["quarter"]:
        quarter = int(match["quarter"])
        start = datetime.date(year, quarter * 3 - 2, 1)
        end = month_window(datetime.date(year, quarter * 3, 1)).end
        return Window(f"{year:04d}-Q{quarter}", start, end)
    return Window(f"{year:04d}", datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def recent_periods(today: datetime.date) -> list[Window]:
    """Suggestions for the period field: the last twelve months, four quarters and two years."""
    months, day = [], today.replace(day=1)
    for _step in range(12):
        months.append(month_window(day))
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    quarter = (today.month - 1) // 3 + 1
    quarters = []
    year = today.year
    for _step in range(4):
        quarters.append(parse_period(f"{year}-Q{quarter}", today))
        quarter, year = (quarter - 1, year) if quarter > 1 else (4, year - 1)
    return months + quarters + [parse_period(str(today.year), today), parse_period(str(today.year - 1), today)]


# --- reporting periods inside a window ---------------------------------------------------------


def start_of_day_after(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


@dataclass(frozen=True)
class Expected:
    """One reporting period of one recurrence that ends inside the window."""

    recurrence: str
    period: Period

    @property
    def deadline(self) -> datetime.datetime:
        """A report is on time when submitted before this moment (period end + grace days)."""
        return start_of_day_after(self.period.end + datetime.timedelta(days=settings.REPORT_GRACE_DAYS))

    def is_due(self, today: datetime.date) -> bool:
        """True once the deadline has passed (the day after end + grace, as the lights count)."""
        return today > self.period.end + datetime.timedelta(days=settings.REPORT_GRACE_DAYS)

    def eligible(self, prefix: str = "") -> Q:
        """Assignments expected to report for this period: created before it ended, not closed by then."""
        after = start_of_day_after(self.period.end)
        return Q(**{f"{prefix}measure__recurrence": self.recurrence, f"{prefix}created_at__lt": after}) & (
            Q(**{f"{prefix}closed_at__isnull": True}) | Q(**{f"{prefix}closed_at__gte": after})
        )


def expected_periods(window: Window) -> list[Expected]:
    found = []
    for recurrence in every_recurrence():
        period = period_containing(recurrence, window.start)
        while period.start <= window.end:
            if window.start <= period.end <= window.end:
                found.append(Expected(recurrence, period))
            period = period_containing(recurrence, period.end + datetime.timedelta(days=1))
    return found
