"""The numbers on the office dashboard, computed in the database with a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from documents.models import Measure, PolicyDocument
from tasks.choices import AssignmentStatus


@dataclass(frozen=True)
class Summary:
    measures: int
    assignments: int
    closed: int
    in_progress: int
    overdue: int
    due_soon: int


def summary(assignments, today: datetime.date) -> Summary:
    """Counts over ``assignments``; deadlines use an approved extension when there is one."""
    soon = today + datetime.timedelta(days=settings.TRAFFIC_LIGHT_YELLOW_DAYS)
    open_q = ~Q(status=AssignmentStatus.CLOSED)
    totals = assignments.annotate(due=Coalesce("deadline", "measure__deadline")).aggregate(
        assignments=Count("id"),
        closed=Count("id", filter=Q(status=AssignmentStatus.CLOSED)),
        in_progress=Count("id", filter=Q(status=AssignmentStatus.IN_PROGRESS)),
        overdue=Count("id", filter=open_q & Q(due__lt=today)),
        due_soon=Count("id", filter=open_q & Q(due__gte=today, due__lte=soon)),
    )
    measures = Measure.objects.filter(assignments__in=assignments).distinct().count()
    return Summary(measures=measures, **totals)


def document_progress(assignments):
    """Per document: assignments and how many are closed, for the progress bars."""
    return (
        PolicyDocument.objects.filter(measures__assignments__in=assignments)
        .annotate(
            total=Count("measures__assignments", distinct=True),
            closed=Count(
                "measures__assignments",
                filter=Q(measures__assignments__status=AssignmentStatus.CLOSED),
                distinct=True,
            ),
        )
        .order_by("-issued_date", "-id")
    )

