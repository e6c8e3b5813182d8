"""The ledger (台账): what the current filters show, one row per measure.

Rows are built from the assignments the user may see (``Assignment.objects.visible_to``) after
the same filters as the task lists (``AssignmentFilterSet``): a department user's ledger holds
only their own departments' assignments, and a filter on a department or role leaves the other
units out of the row. A row's figures follow the measure-status rule of ``tasks.workflow.status``: the
deciding assignments are the lead ones (else the responsible ones, else all); the percentage is
their average, the deadline their earliest effective deadline, the light the worst of the row.
The latest report is the newest one the user may read.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from tasks.choices import AssignmentRole, ReportStatus
from tasks.dashboard.counting import with_closed_on
from tasks.filtersets import DashboardAssignmentFilterSet
from tasks.models import Assignment, ProgressReport
from tasks.spreadsheets.resource import deadline_cell
from tasks.workflow.status import Light, measure_status, with_lights

# (header, width in characters, wrap text)
COLUMNS: list[tuple[str, int, bool]] = [
    ("文件", 26, True), ("序号", 8, False), ("重点任务", 60, True), ("牵头单位", 20, True),
    ("责任单位", 24, True), ("配合单位", 24, True), ("完成时限", 13, False), ("状态", 10, False),
    ("亮灯", 14, False), ("进度(%)", 9, False), ("最新进展", 50, True), ("填报日期", 12, False),
]
HEADERS = [title for title, _width, _wrap in COLUMNS]
EXCERPT = 120
_LIGHT_ORDER = {Light.RED: 0, Light.YELLOW: 1, Light.GREEN: 2, Light.GREY: 3}
_ROLE_ORDER = (AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE, AssignmentRole.SUPPORTING)


class LedgerFilterError(Exception):
    """The filter parameters are not valid; ``messages`` say which."""

    def __init__(self, messages: list[str]):
        super().__init__(";".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Scope:
    """The assignments and reports a ledger may draw from."""

    assignments: QuerySet[Assignment]
    reports: QuerySet[ProgressReport]


def scope_for(user) -> Scope:
    return Scope(Assignment.objects.visible_to(user), ProgressReport.objects.visible_to(user))


def office_scope() -> Scope:
    """The command line's view: everything the office sees (departments' drafts excluded)."""
    return Scope(Assignment.objects.all(), ProgressReport.objects.exclude(status=ReportStatus.DRAFT))


def filtered(scope: Scope, params=None, request=None, today: datetime.date | None = None) -> QuerySet[Assignment]:
    """The scope's assignments with lights, narrowed by the list filters in ``params``: those of
    the task lists and of the office's list behind the dashboard's numbers (state, reporting
    period, …), so that 导出台账 exports exactly what the list shows."""
    today = today or timezone.localdate()
    queryset = with_closed_on(with_lights(scope.assignments, today))
    if params:
        filterset = DashboardAssignmentFilterSet(params, queryset=queryset, request=request, today=today)
        if not filterset.is_valid():
            raise LedgerFilterError([str(e) for errors in filterset.errors.values() for e in errors])
        queryset = filterset.qs
    return queryset


def ledger_rows(assignments: QuerySet[Assignment], scope: Scope, today: datetime.date | None = None) -> Iterator[list[Any]]:
    """One list of cells per measure, in document and measure order, streamed from the database."""
    today = today or timezone.localdate()
    latest = scope.reports.filter(assignment=OuterRef("pk")).order_by("-period_start", "-id")
    queryset = (
        assignments.select_related("measure__document", "department")
        .annotate(
            report_excerpt=Subquery(latest.annotate(head=Substr("text", 1, EXCERPT + 1)).values("head")[:1]),
            report_period=Subquery(latest.values("period_start")[:1]),
            report_at=Subquery(latest.annotate(at=Coalesce("submitted_at", "updated_at")).values("at")[:1]),
        )
        .order_by("measure__document_id", "measure__order", "measure_id", "department__sort_order", "id")
    )
    for _measure_id, group in groupby(queryset.iterator(chunk_size=2000), key=lambda a: a.measure_id):
        yield measure_row(list(group), today)


def measure_row(assignments: list[Assignment], today: datetime.date) -> list[Any]:
    measure = assignments[0].measure
    names = {role: "、".join(a.department.name for a in assignments if a.role == role) for role in _ROLE_ORDER}
    deciding = [a for a in assignments if a.role == AssignmentRole.LEAD] or [
        a for a in assignments if a.role == AssignmentRole.RESPONSIBLE
    ] or assignments
    due = min((a.due for a in deciding if a.due), default=None)
    light = min((Light(a.light) for a in assignments), key=_LIGHT_ORDER.__getitem__)
    reported = [a for a in assignments if a.report_period is not None]
    newest = max(reported, key=lambda a: (a.report_period, a.report_at), default=None)
    excerpt, reported_on = "", None
    if newest is not None:
        text = " ".join((newest.report_excerpt or "").split())
        excerpt = text[:EXCERPT] + ("…" if len(text) > EXCERPT else "")
        reported_on = timezone.localdate(newest.report_at) if newest.report_at else None
    return [
        measure.document.title,
        measure.number,
        measure.content or measure.title,
        names[AssignmentRole.LEAD],
        names[AssignmentRole.RESPONSIBLE],
        names[AssignmentRole.SUPPORTING],
        deadline_cell(measure, due),
        str(measure_status(assignments, today).label),
        str(light.label),
        round(sum(a.percent for a in deciding) / len(deciding)),
        excerpt,
        reported_on,
    ]


def export_name(extension: str, today: datetime.date | None = None) -> str:
    return _("台账-%(day)s.%(ext)s") % {"day": f"{today or timezone.localdate():%Y%m%d}", "ext": extension}
