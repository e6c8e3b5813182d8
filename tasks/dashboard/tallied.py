"""The dashboard's counts read from the rollups (tasks.rollups) instead of the assignments.

Where the scoped work is a set of documents (all of them, a leading group's, the groups a user
oversees; with or without a department kind) every count ``counting`` makes is a sum over the
tallies, whose size follows the number of departments and documents rather than of assignments
and reports; ``scope_of`` says when that is so. Work scoped to a user's own departments, or to
one document, is small by nature and is counted from the assignments (``counting``). Both give
the same numbers (tests/test_rollups.py checks it after random sequences of changes).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce

from departments.roles import get_roles
from tasks.choices import AssignmentStatus
from tasks.dashboard.counting import (
    ACKNOWLEDGED_Q,
    CLOSED,
    IN_PROGRESS,
    OVERDUE,
    PENDING,
    MonthCounts,
    any_of,
    assessed_q,
    due_soon_q,
    name_departments,
    raw_rows,
    state_q,
    year_months,
)
from tasks.dashboard.filtering import Filters
from tasks.dashboard.windows import Expected, Window
from tasks.rollups.models import DocumentTally, LifeTally, MeasureTally, ReportTally, StateTally, TrendTally


@dataclass(frozen=True)
class TallyScope:
    """The work a dashboard counts, as the tallies can select it: the documents of some leading
    groups (``groups`` None: every document) and departments of one kind (empty: every kind)."""

    groups: frozenset[int] | None
    kind: str

    def departments(self) -> Q:
        """On a department tally."""
        condition = Q()
        if self.groups is not None:
            condition &= Q(group_id__in=self.groups)
        if self.kind:
            condition &= Q(department__kind=self.kind)
        return condition

    def documents(self) -> Q:
        """On a document tally (``kind`` is the measure tally's own)."""
        return Q(document__group_id__in=self.groups) if self.groups is not None else Q()


def scope_of(user, filters: Filters) -> TallyScope | None:
    """The tally scope of ``scoped(user, filters)``, or None when it is not a set of documents."""
    if filters.document is not None:
        return None
    roles = get_roles(user)
    if roles.sees_everything:
        groups = None
    elif roles.oversees_groups and not roles.department_ids:
        groups = frozenset(roles.oversees_groups)
    else:
        return None
    if filters.group is not None:
        groups = frozenset({filters.group.pk}) & groups if groups is not None else frozenset({filters.group.pk})
    return TallyScope(groups, filters.department_kind)


def _sum(condition: Q | None = None) -> Coalesce:
    return Coalesce(Sum("n", filter=condition), 0)


def _sums(prefix: str, items: list[Expected], condition) -> dict[str, Coalesce]:
    """One sum per reporting period (``prefix_0`` …), added up afterwards (a year has over seventy
    weekly periods: too deep for SQLite as one expression)."""
    return {f"{prefix}_{i}": _sum(condition(item)) for i, item in enumerate(items)}


def _add_up(row: dict[str, Any], prefix: str, items: list[Expected]) -> int:
    return sum(row[f"{prefix}_{i}"] for i in range(len(items)))


def _fetch(queryset) -> list[dict[str, Any]]:
    """The rows of a grouped sum as dicts, read straight from the cursor: every value here is an id
    or an integer sum, which the driver already gives as int, so the ORM's per-value converters
    (a third of the time for a province's 3,000 departments) are skipped."""
    names, rows = raw_rows(queryset)
    return [dict(zip(names, row, strict=True)) for row in rows]


def _expected_q(item: Expected) -> Q:
    """Given by the period's end and not closed by then (``Expected.eligible``): on a LifeTally,
    the changes up to the period add up to that number."""
    return Q(recurrence=item.recurrence, period__lte=item.period.start)


def _received_q(item: Expected, on_time: bool = False) -> Q:
    condition = Q(recurrence=item.recurrence, period_start=item.period.start)
    if on_time:
        condition &= Q(on_time=True)
    return condition


def department_counts(scope: TallyScope, today: datetime.date, expected: list[Expected]) -> dict[int, dict[str, Any]]:
    """``counting.department_counts`` from the tallies: one grouped sum over the states, one over
    the spans of work (reports expected), one over the window's reports, one for the names."""
    where = scope.departments()
    counts: dict[int, dict[str, Any]] = {}
    for row in _fetch(StateTally.objects.filter(where).values(dept=F("department_id")).order_by().annotate(
        assignments=_sum(), closed=_sum(state_q(CLOSED, today)), overdue=_sum(state_q(OVERDUE, today)),
        in_progress=_sum(state_q(IN_PROGRESS, today)), pending=_sum(state_q(PENDING, today)),
        due_soon=_sum(due_soon_q(today)), acknowledged=_sum(ACKNOWLEDGED_Q), assessed=_sum(assessed_q(today)),
        on_time_closed=_sum(Q(on_time=True)),
    )):
        row.update(reports_expected=0, reports_due=0, reports_received=0, reports_on_time=0, reports_early=0)
        counts[row["dept"]] = row
    due = [item for item in expected if item.is_due(today)]
    if expected:
        spans = LifeTally.objects.filter(where, recurrence__in={item.recurrence for item in expected})
        for row in _fetch(spans.values(dept=F("department_id")).order_by().annotate(
                **_sums("expected", expected, _expected_q), **_sums("due", due, _expected_q))):
            if row["dept"] in counts:
                counts[row["dept"]].update(reports_expected=_add_up(row, "expected", expected),
                                           reports_due=_add_up(row, "due", due))
        reports = ReportTally.objects.filter(where, period_start__in={item.period.start for item in expected})
        early = [item for item in expected if not item.is_due(today)]
        for row in _fetch(reports.values(dept=F("department_id")).order_by().annotate(
                received=_sum(any_of(_received_q(item) for item in expected)),
                on_time=_sum(any_of(_received_q(item, on_time=True) for item in expected)),
                early=_sum(any_of(_received_q(item) for item in early)))):
            if row["dept"] in counts:
                counts[row["dept"]].update(reports_received=row["received"], reports_on_time=row["on_time"],
                                           reports_early=row["early"])
    name_departments(counts)
    return counts


def document_counts(scope: TallyScope, today: datetime.date) -> dict[int, dict[str, int]]:
    """``counting.document_counts`` from the tallies (two grouped sums)."""
    states = DocumentTally.objects.filter(scope.documents(), **({"kind": scope.kind} if scope.kind else {}))
    counts = {
        row.pop("doc"): {**row, "measures": 0, "overdue_measures": 0}
        for row in _fetch(states.values(doc=F("document_id")).order_by().annotate(
            total=_sum(), closed=_sum(state_q(CLOSED, today)), overdue=_sum(state_q(OVERDUE, today))))
    }
    measures = MeasureTally.objects.filter(scope.documents(), kind=scope.kind)
    for row in _fetch(measures.values(doc=F("document_id")).order_by().annotate(
            measures=_sum(), overdue_measures=_sum(Q(open_due__lt=today)))):
        if row["doc"] in counts:
            counts[row.pop("doc")].update(row)
    return counts


def month_counts(scope: TallyScope, today: datetime.date, window: Window) -> MonthCounts:
    """``counting.month_counts`` from the tallies (three grouped sums)."""
    months = year_months(window)
    where = scope.departments()
    due: dict[datetime.date, dict[str, int]] = {}
    by_day = (StateTally.objects.filter(where, due__gte=months[0].start, due__lte=months[-1].end)
              .values("due").order_by().annotate(due_n=_sum(), closed=_sum(Q(status=AssignmentStatus.CLOSED))))
    for row in by_day:  # grouped by day, added up by month here: a few dozen days, no date function per row
        month = due.setdefault(row["due"].replace(day=1), {"due": 0, "closed": 0})
        month["due"] += row["due_n"]
        month["closed"] += row["closed"]
    last = min(months[-1].end, today).replace(day=1)
    closed: dict[datetime.date, dict[str, int]] = {}
    given: dict[datetime.date, dict[str, int]] = {}
    trend = TrendTally.objects.filter(where, month__lte=last).values("month", "closed").order_by().annotate(n=_sum())
    for row in trend:
        (closed if row["closed"] else given)[row["month"]] = {"n": row["n"]}
    return MonthCounts(due, closed, given)
