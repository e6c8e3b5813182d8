"""The key of every tally row, read from the columns of one assignment or one report.

``refresh`` (one department or document) and ``rebuild`` (everything) read the same columns
and call the same functions, so a tally is always what a full recomputation gives.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone

from tasks.choices import AssignmentStatus, ReportStatus
from tasks.periods import period_containing, reporting_cycle

# Columns read per assignment / report (``values_list`` order).
ASSIGNMENT_COLUMNS = ("department_id", "measure__document__group_id", "status", "due", "created_at", "closed_at",
                      "measure__recurrence")
REPORT_COLUMNS = ("assignment__department_id", "assignment__measure__document__group_id", "period_start",
                  "submitted_at", "assignment__created_at", "assignment__closed_at", "assignment__measure__recurrence",
                  "status", "assignment__department__requires_leader_approval")
DOCUMENT_COLUMNS = ("measure__document_id", "measure_id", "department__kind", "status", "due")

# The key of each tally, in the order of the tuples below (model name → column names).
KEY_COLUMNS = {
    "StateTally": ("department_id", "group_id", "status", "due", "on_time"),
    "LifeTally": ("department_id", "group_id", "recurrence", "period"),
    "OpenTally": ("department_id", "group_id", "recurrence"),
    "TrendTally": ("department_id", "group_id", "month", "closed"),
    "ReportTally": ("department_id", "group_id", "recurrence", "period_start", "on_time"),
    "WaitingTally": ("department_id", "group_id"),
    "DocumentTally": ("document_id", "kind", "status", "due"),
    "MeasureTally": ("document_id", "kind", "open_due"),
}


def local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return None if moment is None else timezone.localtime(moment).date()


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def department_keys(assignments: Iterable[tuple], reports: Iterable[tuple]) -> dict[str, Counter]:
    """The department tallies of these assignment and report rows, per model name: key → n."""
    states: Counter = Counter()
    lives: Counter = Counter()
    opened: Counter = Counter()
    trends: Counter = Counter()
    for department, group, status, due, created_at, closed_at, recurrence in assignments:
        created, closed = timezone.localtime(created_at).date(), local_day(closed_at)
        on_time = status == AssignmentStatus.CLOSED and (due is None or (closed is not None and closed <= due))
        states[(department, group, status, due, on_time)] += 1
        # Expected to report for a period from the one it was given in until the one it was closed
        # in (or a later one, should closing come first): +1 at the start, -1 at the end, so the
        # number expected for a period is the sum up to it. Kept per reporting cycle (a measure
        # without a recurrence reports monthly), as the reports are.
        cycle = reporting_cycle(recurrence)
        given = period_containing(cycle, created).start
        lives[(department, group, cycle, given)] += 1
        if closed:
            lives[(department, group, cycle, max(given, period_containing(cycle, closed).start))] -= 1
        else:  # still open: its changes add up to one, which OpenTally keeps
            opened[(department, group, cycle)] += 1
        trends[(department, group, month_of(created), False)] += 1
        if closed and status == AssignmentStatus.CLOSED:
            trends[(department, group, month_of(closed), True)] += 1
    received: Counter = Counter()
    waiting: Counter = Counter()
    for (department, group, period_start, submitted_at, created_at, closed_at, recurrence, status,
         needs_leader) in reports:
        key = report_key(department, group, period_start, submitted_at, created_at, closed_at, recurrence)
        if key is not None:
            received[key] += 1
        if waits_for_office(status, needs_leader):
            waiting[(department, group)] += 1
    return {"StateTally": states, "LifeTally": lives, "OpenTally": opened, "TrendTally": trends, "ReportTally": received,
            "WaitingTally": waiting}


def waits_for_office(status: str, needs_leader: bool) -> bool:
    """The rule of the office's review queue (tasks.workflow.queues.office_queue)."""
    return status == ReportStatus.LEADER_APPROVED or (status == ReportStatus.SUBMITTED and not needs_leader)


def report_key(department: int, group: int | None, period_start: datetime.date,
               submitted_at: datetime.datetime | None, created_at: datetime.datetime,
               closed_at: datetime.datetime | None, recurrence: str) -> tuple | None:
    """A sent report's key, or None when the dashboard never counts it: its period is not one of
    its measure's recurrence (the recurrence changed since), or its assignment was not expected to
    report for it (given after the period ended, or closed before)."""
    period = period_containing(recurrence, period_start)
    if period.start != period_start:
        return None
    created, closed = local_day(created_at), local_day(closed_at)
    if created is None or created > period.end or (closed is not None and closed <= period.end):
        return None
    sent = local_day(submitted_at)
    on_time = sent is not None and sent <= period.end + datetime.timedelta(days=settings.REPORT_GRACE_DAYS)
    return (department, group, reporting_cycle(recurrence), period_start, on_time)


def document_keys(assignments: Iterable[tuple]) -> dict[str, Counter]:
    """The document tallies of these assignment rows (``DOCUMENT_COLUMNS``), per model name."""
    states: Counter = Counter()
    earliest: dict[tuple, Any] = {}  # (document, measure, kind) → earliest open due, or None
    for document, measure, kind, status, due in assignments:
        states[(document, kind, status, None if status == AssignmentStatus.CLOSED else due)] += 1
        is_open = status != AssignmentStatus.CLOSED and due is not None
        for each_kind in (kind, ""):
            key = (document, measure, each_kind)
            current = earliest.get(key, None)
            if key not in earliest:
                earliest[key] = due if is_open else None
            elif is_open and (current is None or due < current):
                earliest[key] = due
    measures: Counter = Counter()
    for (document, _measure, kind), due in earliest.items():
        measures[(document, kind, due)] += 1
    return {"DocumentTally": states, "MeasureTally": measures}


def recount(get_model, names: set[str], chunk: int = 20000) -> None:
    """Empty the tallies named and count them again from scratch (a migration that changes what
    they hold); ``get_model(name)`` gives the models (a migration's historical ones, or the app's)."""
    for name in names:
        get_model(name).objects.all().delete()
    assignments, reports = get_model("Assignment"), get_model("ProgressReport")
    counted = department_keys(
        assignments.objects.order_by().values_list(*ASSIGNMENT_COLUMNS).iterator(chunk_size=chunk),
        reports.objects.exclude(status="draft").order_by().values_list(*REPORT_COLUMNS).iterator(chunk_size=chunk),
    )
    counted.update(document_keys(assignments.objects.order_by().values_list(*DOCUMENT_COLUMNS).iterator(chunk_size=chunk)))
    for name in names:
        model, columns = get_model(name), KEY_COLUMNS[name]
        model.objects.bulk_create(
            (model(**dict(zip(columns, key, strict=True)), n=n) for key, n in counted[name].items() if n),
            batch_size=2000)
