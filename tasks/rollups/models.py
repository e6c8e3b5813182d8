"""The summary rows the dashboard adds up instead of counting assignments and reports.

Every row is ``n`` things with one key; a key holds only what the dashboard filters or counts
by, so that a department has a few dozen rows however many assignments it carries. Deadlines
are stored as dates: overdue (before today) and due soon (within the yellow days) are sums over
a range of them, and need no rewriting as days pass. ``group`` is the leading group of the
document the work belongs to (null for the general office's own documents).
"""

from __future__ import annotations

from django.db import models

from departments.models import Department, LeadingGroup
from documents.models import PolicyDocument


def _department() -> models.ForeignKey:
    return models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")


def _group() -> models.ForeignKey:
    # Not a constraint: a tally follows its document's group when its department is refreshed.
    return models.ForeignKey(LeadingGroup, null=True, on_delete=models.DO_NOTHING, db_constraint=False,
                             related_name="+")


def _document() -> models.ForeignKey:
    return models.ForeignKey(PolicyDocument, on_delete=models.CASCADE, related_name="+")


class Tally(models.Model):
    n = models.PositiveIntegerField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        key = ", ".join(f"{f.attname}={getattr(self, f.attname)}" for f in self._meta.concrete_fields
                        if f.name not in ("id", "n"))
        return f"{type(self).__name__}({key}): {self.n}"


class StateTally(Tally):
    """Assignments of a department by status and effective deadline (``on_time``: closed by it)."""

    department = _department()
    group = _group()
    status = models.CharField(max_length=20)
    due = models.DateField(null=True)
    on_time = models.BooleanField()


class LifeTally(Tally):
    """The change in a department's number of assignments expected to report, per reporting period
    of their measure's recurrence: +1 in the period an assignment was given, -1 in the one it was
    closed (``n`` may be negative). The number expected for a period is the sum up to it.
    ``recurrence`` is the reporting cycle (``tasks.periods.reporting_cycle``: unset is monthly)."""

    department = _department()
    group = _group()
    recurrence = models.CharField(max_length=20)
    period = models.DateField()
    n = models.IntegerField()  # a change, not a count

    class Meta:
        indexes = [models.Index(fields=["period"], name="life_tally_period")]


class OpenTally(Tally):
    """Assignments of a department not closed, per reporting cycle: its LifeTally changes summed
    over every period. The number expected for a recent period is this less the few changes after
    it, instead of a sum over the department's whole history."""

    department = _department()
    group = _group()
    recurrence = models.CharField(max_length=20)


class TrendTally(Tally):
    """Assignments of a department given (``closed`` false) or closed (true) in a month."""

    department = _department()
    group = _group()
    month = models.DateField()
    closed = models.BooleanField()


class ReportTally(Tally):
    """Sent reports of a department for a reporting period its assignment was expected to report
    for, and whether each was sent by the period's end plus REPORT_GRACE_DAYS (``on_time``: after
    changing that setting, run ``manage.py rebuild_rollups``); ``recurrence`` as on a LifeTally."""

    department = _department()
    group = _group()
    recurrence = models.CharField(max_length=20)
    period_start = models.DateField()
    on_time = models.BooleanField()
    class Meta:
        indexes = [models.Index(fields=["period_start"], name="report_tally_period")]


class WaitingTally(Tally):
    """Reports of a department waiting for the office (审核): approved by their leader, or sent by
    a department without leader approval (``tasks.workflow.queues.office_queue``)."""

    department = _department()
    group = _group()


class DocumentTally(Tally):
    """Assignments of a document by the kind of their department, status and effective deadline
    (none for closed work: closed is closed, whatever its deadline, so they share a row)."""

    document = _document()
    kind = models.CharField(max_length=20)
    status = models.CharField(max_length=20)
    due = models.DateField(null=True)


class MeasureTally(Tally):
    """Measures of a document with work of a kind of department (``kind`` empty: of any kind), by
    the earliest effective deadline among that open work (null when none is open or dated)."""

    document = _document()
    kind = models.CharField(max_length=20, blank=True)
    open_due = models.DateField(null=True)

    class Meta:
        # A dashboard reads one kind (most often every kind, ""): its rows alone, in document order,
        # from the index (every column a key: SQLite has no INCLUDE).
        indexes = [models.Index(fields=["kind", "document", "open_due", "n"], name="measure_tally_kind")]


DEPARTMENT_TALLIES = (StateTally, LifeTally, OpenTally, TrendTally, ReportTally, WaitingTally)
DOCUMENT_TALLIES = (DocumentTally, MeasureTally)
