"""Reporting periods: a measure's recurrence decides how often its departments report.

Periods are calendar-aligned so that every department reports for the same span:
weekly Monday–Sunday, monthly, bimonthly (Jan–Feb, Mar–Apr, …), quarterly, yearly.
A measure without a recurrence is reported monthly."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from documents.choices import Recurrence

MONTHS_PER_PERIOD: dict[str, int] = {
    Recurrence.MONTHLY: 1,
    Recurrence.BIMONTHLY: 2,
    Recurrence.QUARTERLY: 3,
    Recurrence.YEARLY: 12,
}


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d} ~ {self.end:%Y-%m-%d}"


def period_containing(recurrence: str, day: datetime.date) -> Period:
    """The reporting period of ``recurrence`` that contains ``day``."""
    if recurrence == Recurrence.WEEKLY:
        start = day - datetime.timedelta(days=day.weekday())
        return Period(start, start + datetime.timedelta(days=6))
    months = MONTHS_PER_PERIOD.get(recurrence, 1)
    first_month = (day.month - 1) // months * months + 1
    start = datetime.date(day.year, first_month, 1)
    return Period(start, _add_months(start, months) - datetime.timedelta(days=1))


def reporting_cycle(recurrence: str) -> str:
    """The recurrence whose periods a measure of ``recurrence`` reports by: its own, or monthly for
    one without (``period_containing`` gives both the same periods)."""
    return recurrence if recurrence == Recurrence.WEEKLY or recurrence in MONTHS_PER_PERIOD else Recurrence.MONTHLY


def previous_period(recurrence: str, day: datetime.date) -> Period:
    """The period that ended last before the one containing ``day``."""
    current = period_containing(recurrence, day)
    return period_containing(recurrence, current.start - datetime.timedelta(days=1))


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    return datetime.date(day.year + month_index // 12, month_index % 12 + 1, 1)


def every_recurrence() -> list[str]:
    return [value for value, _ in Recurrence.choices]
