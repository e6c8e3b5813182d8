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
import operator
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
    due_soon_q,
    name_departments,
    raw_rows,
    state_q,
    year_months,
)
from tasks.dashboard.filtering import Filters
from tasks.dashboard.windows import Expected, Window
from tasks.periods import reporting_cycle
from tasks.rollups.models import (
    DocumentTally,
    LifeTally,
    MeasureTally,
    OpenTally,
    ReportTally,
    StateTally,
    TrendTally,
)


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
    weekly periods: too deep for SQLite as one expression); the columns come in the items' order."""
    return {f"{prefix}_{i}": _sum(condition(item)) for i, item in enumerate(items)}


def _fetch(queryset) -> list[dict[str, Any]]:
    """The rows of a grouped sum as dicts, read straight from the cursor: every value here is an id
    or an integer sum, which the driver already gives as int, so the ORM's per-value converters
    (a third of the time for a province's 3,000 departments) are skipped."""
    names, rows = raw_rows(queryset)
    return [dict(zip(names, row, strict=True)) for row in rows]


NO_REPORTS = {"reports_expected": 0, "reports_due": 0, "reports_received": 0, "reports_on_time": 0, "reports_early": 0}


def _by_cycle(expected: list[Expected]) -> list[Expected]:
    """The expected periods per reporting cycle, as the tallies keep them: a measure without a
    recurrence reports monthly, so its periods and the monthly ones are summed once, together."""
    return list(dict.fromkeys(Expected(reporting_cycle(item.recurrence), item.period) for item in expected))


def _expected_counts(counts: dict[int, dict[str, Any]], where: Q, expected: list[Expected],
                     due: list[Expected]) -> None:
    """Reports expected and due per department: for each period, the assignments given by its end
    and not closed by then (``Expected.eligible``), which on the tallies is the work open now
    (OpenTally, per reporting cycle) less the changes after the period (LifeTally): for recent
    periods a handful of rows, whatever the length of the city's history."""
    cycles = list(dict.fromkeys(item.recurrence for item in expected))
    _names, open_now = raw_rows(OpenTally.objects.filter(where).values(dept=F("department_id")).order_by().annotate(
        **{f"open_{i}": _sum(Q(recurrence=cycle)) for i, cycle in enumerate(cycles)}))
    times_expected = [sum(item.recurrence == cycle for item in expected) for cycle in cycles]
    times_due = [sum(item.recurrence == cycle for item in due) for cycle in cycles]
    for dept, *per_cycle in open_now:
        if (found := counts.get(dept)) is not None:
            found["reports_expected"] = sum(map(operator.mul, per_cycle, times_expected))
            found["reports_due"] = sum(map(operator.mul, per_cycle, times_due))
    later = LifeTally.objects.filter(where, period__gt=min(item.period.start for item in expected))
    names, changes = raw_rows(later.values(dept=F("department_id")).order_by().annotate(
        **_sums("expected", expected, _later_q), **_sums("due", due, _later_q)))
    split = names.index("due_0") if due and names else len(names)
    for row in changes:  # the department, then the changes after each expected period, then after each due one
        if (found := counts.get(row[0])) is not None:
            found["reports_expected"] -= sum(row[1:split])
            found["reports_due"] -= sum(row[split:])


def _later_q(item: Expected) -> Q:
    """The LifeTally changes after a period (given or closed later)."""
    return Q(recurrence=item.recurrence, period__gt=item.period.start)


def _received_q(item: Expected) -> Q:
    return Q(recurrence=item.recurrence, period_start=item.period.start)


def department_counts(scope: TallyScope, today: datetime.date, expected: list[Expected]) -> dict[int, dict[str, Any]]:
    """``counting.department_counts`` from the tallies: one grouped sum over the states, two for the
    reports expected, one over the window's reports, one for the names."""
    where = scope.departments()
    expected = _by_cycle(expected)
    counts: dict[int, dict[str, Any]] = {}
    names, states = raw_rows(StateTally.objects.filter(where).values(dept=F("department_id")).order_by().annotate(
        assignments=_sum(), closed=_sum(state_q(CLOSED, today)), overdue=_sum(state_q(OVERDUE, today)),
        in_progress=_sum(state_q(IN_PROGRESS, today)), pending=_sum(state_q(PENDING, today)),
        due_soon=_sum(due_soon_q(today)), acknowledged=_sum(ACKNOWLEDGED_Q), on_time_closed=_sum(Q(on_time=True)),
    ))
    for row in states:
        department = counts[row[0]] = dict(zip(names, row, strict=True), **NO_REPORTS)
        # Assessed (closed, or past the deadline: counting.assessed_q) is closed plus overdue; one
        # sum fewer over every tally row.
        department["assessed"] = department["closed"] + department["overdue"]
    due = [item for item in expected if item.is_due(today)]
    if expected:
        _expected_counts(counts, where, expected, due)
        # The window's periods in the WHERE (the index on the start, then the recurrence), so each
        # sum tests at most its own condition.
        reports = ReportTally.objects.filter(where, any_of(_received_q(item) for item in expected),
                                             period_start__in={item.period.start for item in expected})
        early = [item for item in expected if not item.is_due(today)]
        _names, received = raw_rows(reports.values(dept=F("department_id")).order_by().annotate(
            received=_sum(), on_time=_sum(Q(on_time=True)), early=_sum(any_of(_received_q(item) for item in early))))
        for dept, sent, on_time, sent_early in received:
            if (found := counts.get(dept)) is not None:
                found["reports_received"], found["reports_on_time"], found["reports_early"] = sent, on_time, sent_early
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
