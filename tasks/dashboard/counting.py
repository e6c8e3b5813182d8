"""The one counting formula: each assignment's state, the expected and received reports of a
window, and the grouped queries that count them per department (see tasks.dashboard.numbers)."""


from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy

from departments.models import Department
from tasks.choices import AssignmentStatus, ReportStatus
from tasks.dashboard.windows import Expected, Window, month_window, start_of_day_after
from tasks.models import Assignment, ProgressReport


def any_of(conditions: Iterable[Q]) -> Q:
    combined = Q(pk__in=[])
    for condition in conditions:
        combined |= condition
    return combined


def _per_period(prefix: str, expected: list[Expected], condition: Callable[[Expected], Q]) -> dict[str, Count]:
    """One count per reporting period (``prefix_0``, ``prefix_1`` …), added up by ``_add_up``: a
    year has over seventy weekly periods, too deep for SQLite as one nested sum."""
    return {f"{prefix}_{i}": Count("id", filter=condition(item)) for i, item in enumerate(expected)}


def _add_up(row: dict[str, Any], prefix: str) -> int:
    keys = [key for key in row if key.startswith(f"{prefix}_") and key[len(prefix) + 1:].isdigit()]
    return sum(row.pop(key) for key in keys)


# --- states --------------------------------------------------------------------------------------

CLOSED = "closed"
OVERDUE = "overdue"
IN_PROGRESS = "in_progress"
PENDING = "pending"
STATES = (
    (CLOSED, gettext_lazy("已办结")),
    (OVERDUE, gettext_lazy("逾期")),
    (IN_PROGRESS, gettext_lazy("推进中")),
    (PENDING, gettext_lazy("待签收")),
)


def state_q(state: str, today: datetime.date) -> Q:
    """The condition of one state on an Assignment queryset (or a tally with ``status`` and ``due``)."""
    not_late = Q(due__gte=today) | Q(due__isnull=True)
    return {
        CLOSED: Q(status=AssignmentStatus.CLOSED),
        OVERDUE: ~Q(status=AssignmentStatus.CLOSED) & Q(due__lt=today),
        IN_PROGRESS: Q(status=AssignmentStatus.IN_PROGRESS) & not_late,
        PENDING: Q(status=AssignmentStatus.PENDING) & not_late,
    }[state]


def due_soon_q(today: datetime.date) -> Q:
    """Open and due within TRAFFIC_LIGHT_YELLOW_DAYS (the list filter ``due_within`` says the same)."""
    soon = today + datetime.timedelta(days=settings.TRAFFIC_LIGHT_YELLOW_DAYS)
    return ~Q(status=AssignmentStatus.CLOSED) & Q(due__gte=today, due__lte=soon)


ACKNOWLEDGED_Q = ~Q(status=AssignmentStatus.PENDING)


def assessed_q(today: datetime.date) -> Q:
    """Assignments the on-time closure rate judges: closed, or past their deadline."""
    return Q(status=AssignmentStatus.CLOSED) | Q(due__lt=today)


ON_TIME_CLOSED_Q = Q(status=AssignmentStatus.CLOSED) & (Q(due__isnull=True) | Q(closed_on__lte=F("due")))


def with_closed_on(queryset: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Annotate ``closed_on`` (local date of closing) beside the stored effective deadline ``due``."""
    return queryset.annotate(closed_on=TruncDate("closed_at"))


def received_q(expected: list[Expected], *, on_time: bool = False, only: Callable[[Expected], bool] | None = None) -> Q:
    """Reports (non-draft, on a ProgressReport queryset) sent for the expected periods."""
    terms = []
    for item in expected:
        if only is not None and not only(item):
            continue
        term = Q(period_start=item.period.start) & item.eligible("assignment__")
        if on_time:
            term &= Q(submitted_at__lt=item.deadline)
        terms.append(term)
    return any_of(terms) & ~Q(status=ReportStatus.DRAFT)


# --- the numbers ---------------------------------------------------------------------------------

COUNTED = ("assignments", "closed", "overdue", "in_progress", "pending", "due_soon", "acknowledged", "assessed",
           "on_time_closed", "reports_expected", "reports_due", "reports_received", "reports_on_time", "reports_early")


def _assignment_counts(today: datetime.date, expected: list[Expected]) -> dict[str, Any]:
    return {
        "assignments": Count("id"),
        "closed": Count("id", filter=state_q(CLOSED, today)),
        "overdue": Count("id", filter=state_q(OVERDUE, today)),
        "in_progress": Count("id", filter=state_q(IN_PROGRESS, today)),
        "pending": Count("id", filter=state_q(PENDING, today)),
        "due_soon": Count("id", filter=due_soon_q(today)),
        "acknowledged": Count("id", filter=ACKNOWLEDGED_Q),
        "assessed": Count("id", filter=assessed_q(today)),
        "on_time_closed": Count("id", filter=ON_TIME_CLOSED_Q),
        **_per_period("expected", expected, lambda item: item.eligible()),
        **_per_period("due", [item for item in expected if item.is_due(today)], lambda item: item.eligible()),
    }


def _report_counts(today: datetime.date, expected: list[Expected]) -> dict[str, Any]:
    """Counts over ``_reports_of`` (this window's sent reports)."""
    return {
        "reports_received": Count("id", filter=received_q(expected)),
        "reports_on_time": Count("id", filter=received_q(expected, on_time=True)),
        "reports_early": Count("id", filter=received_q(expected, only=lambda item: not item.is_due(today))),
    }


def _reports_of(assignments: QuerySet[Assignment], expected: list[Expected]) -> QuerySet[ProgressReport]:
    """Sent reports of the scoped assignments that start like an expected period (narrowed up front,
    so that the database joins this window's reports, not every report ever written); the counts
    then keep those of the right recurrence and eligible assignment."""
    reports = ProgressReport.objects.filter(period_start__in={item.period.start for item in expected})
    if assignments.query.has_filters():  # else every assignment is in scope: no need to join them twice
        reports = reports.filter(assignment__in=assignments.values("pk"))
    return reports.exclude(status=ReportStatus.DRAFT)


def recurrences_in_use() -> set[str]:
    """Recurrences some measure has: periods of the others would only add empty counts. One
    query of one index lookup per recurrence (the index measure_recurrence), rather than reading
    every measure for their distinct values."""
    from documents.choices import Recurrence
    from documents.models import Measure

    parts: list[str] = []
    params: list[Any] = []
    for value in Recurrence.values:
        sql, part_params = Measure.objects.filter(recurrence=value).order_by().values("pk").query.sql_with_params()
        parts.append(f"EXISTS ({sql})")
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        found = cursor.fetchone()
    return {value for value, used in zip(Recurrence.values, found, strict=True) if used}


READ_WHOLE_DIRECTORY = 500
"""Beyond this many ids, ``rows_of`` reads the whole table."""


def name_departments(counts: dict[int, dict[str, Any]]) -> None:
    """The departments' names and kinds on their counts, in a query of their own: grouping 20,000
    rows by the departments' text columns costs more."""
    for dept, short_name, name, kind, sort_order in rows_of(counts, Department.objects.values_list(
            "pk", "short_name", "name", "kind", "sort_order")):
        counts[dept].update(name=short_name, full_name=name, kind=kind, sort_order=sort_order)


def rows_of(ids: Collection[int], rows: QuerySet) -> list[tuple]:
    """The rows (``values_list`` with the pk first, text and integer columns) of these ids, read
    straight from the cursor: for a long list of ids, the whole table (a list of 3,000 ids costs
    the database more to parse and plan than the 3,000 rows cost to send)."""
    if len(ids) <= READ_WHOLE_DIRECTORY:
        rows = rows.filter(pk__in=list(ids))
    return [row for row in raw_rows(rows)[1] if row[0] in ids]


def raw_rows(queryset: QuerySet) -> tuple[list[str], list[tuple]]:
    """The column names and rows of a ``values``/``values_list`` queryset, straight from the cursor,
    without the ORM's per-value converters: for columns the driver already gives as Python values
    (ids, integer sums, text). A filter that can match nothing gives no rows without a query."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return [], []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [column[0] for column in cursor.description], cursor.fetchall()


def department_counts(assignments: QuerySet[Assignment], today: datetime.date,
                      expected: list[Expected]) -> dict[int, dict[str, Any]]:
    """Every count of ``COUNTED`` per department with scoped work: one grouped query over the
    assignments, one over their reports of the window, one for the departments' names."""
    counts: dict[int, dict[str, Any]] = {}
    for row in with_closed_on(assignments).order_by().values(dept=F("department_id")).annotate(
        **_assignment_counts(today, expected)
    ):
        row["reports_expected"], row["reports_due"] = _add_up(row, "expected"), _add_up(row, "due")
        row.update(reports_received=0, reports_on_time=0, reports_early=0)
        counts[row["dept"]] = row
    name_departments(counts)
    grouped = _reports_of(assignments, expected).order_by().values(dept=F("assignment__department_id"))
    for row in grouped.annotate(**_report_counts(today, expected)):
        counts[row.pop("dept")].update(row)
    return counts


def document_counts(assignments: QuerySet[Assignment], today: datetime.date) -> dict[int, dict[str, int]]:
    """Per document: measures, assignments, closed and overdue (one grouped query)."""
    return {
        row.pop("doc"): row
        for row in assignments.order_by().values(doc=F("measure__document_id")).annotate(
            measures=Count("measure_id", distinct=True), total=Count("id"),
            closed=Count("id", filter=state_q(CLOSED, today)), overdue=Count("id", filter=state_q(OVERDUE, today)),
            overdue_measures=Count("measure_id", distinct=True, filter=state_q(OVERDUE, today)),
        )
    }


@dataclass(frozen=True)
class MonthCounts:
    """Month (its first day) → counts: ``due`` (due that month: ``due`` and ``closed``), and the
    assignments ``closed`` and ``given`` that month (``n``), up to today."""

    due: dict[datetime.date, dict[str, int]]
    closed: dict[datetime.date, dict[str, int]]
    given: dict[datetime.date, dict[str, int]]


def year_months(window: Window) -> list[Window]:
    return [month_window(datetime.date(window.start.year, m, 1)) for m in range(1, 13)]


def month_counts(assignments: QuerySet[Assignment], today: datetime.date, window: Window) -> MonthCounts:
    """Three queries grouped by month over the scoped assignments (see ``presentation.monthly``)."""
    months = year_months(window)
    last = start_of_day_after(min(months[-1].end, today))
    due = _by_month(assignments.filter(due__gte=months[0].start, due__lte=months[-1].end), "due",
                    due=Count("id"), closed=Count("id", filter=state_q(CLOSED, today)))
    closed = _by_month(assignments.filter(status=AssignmentStatus.CLOSED, closed_at__lt=last), "closed_at",
                       n=Count("id"))
    given = _by_month(assignments.filter(created_at__lt=last), "created_at", n=Count("id"))
    return MonthCounts(due, closed, given)


def _by_month(queryset: QuerySet, field: str, **counts: Any) -> dict[datetime.date, dict[str, int]]:
    """Counts grouped by the (local) month of ``field``."""
    grouped = queryset.annotate(month=TruncMonth(field)).order_by().values("month").annotate(**counts)
    return {as_date(row.pop("month")): row for row in grouped if row["month"] is not None}


def as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    return timezone.localtime(value).date() if isinstance(value, datetime.datetime) else value
