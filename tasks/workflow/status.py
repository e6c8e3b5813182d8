"""Traffic lights (亮灯) and measure status: the one place that decides both.

An assignment's light, first rule that applies:

1. grey   — closed (办结);
2. red    — its effective deadline (an approved extension, else the measure's) has passed;
3. yellow — the deadline is TRAFFIC_LIGHT_YELLOW_DAYS days away or closer;
4. yellow — the report for the last finished reporting period is missing more than
            REPORT_GRACE_DAYS days after that period ended (drafts do not count; work assigned
            after that period ended is not expected to report for it);
5. grey   — ongoing work with no deadline (持续推进);
6. green  — on track.

The light is computed in the database (``with_lights``) so that lists can filter, count and
page by it with a fixed number of queries.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from typing import Any, cast

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tasks.choices import AssignmentRole, AssignmentStatus, ReportStatus
from tasks.periods import every_recurrence, previous_period


class Light(models.TextChoices):
    RED = "red", _("逾期")
    YELLOW = "yellow", _("临期或缺报")
    GREEN = "green", _("正常")
    GREY = "grey", _("已办结/持续推进")


def _start_of_day_after(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def missing_report_condition(today: datetime.date) -> Q:
    """Assignments whose report for the last finished period is overdue past the grace days."""
    from tasks.models import ProgressReport

    grace = datetime.timedelta(days=settings.REPORT_GRACE_DAYS)
    condition = Q(pk__in=[])
    for recurrence in every_recurrence():
        period = previous_period(recurrence, today)
        if today <= period.end + grace:
            continue
        reported = Exists(
            ProgressReport.objects.filter(assignment=OuterRef("pk"), period_start=period.start).exclude(
                status=ReportStatus.DRAFT
            )
        )
        # Q & Exists is a Q at run time; the stubs type the result as Combinable.
        condition |= cast(Q, Q(measure__recurrence=recurrence, created_at__lt=_start_of_day_after(period.end)) & ~reported)
    return condition


def with_lights(queryset, today: datetime.date):
    """Annotate ``light`` on an Assignment queryset (from the stored effective deadline ``due``)."""
    soon = today + datetime.timedelta(days=settings.TRAFFIC_LIGHT_YELLOW_DAYS)
    return queryset.annotate(
        light=Case(
            When(status=AssignmentStatus.CLOSED, then=Value(Light.GREY)),
            When(due__lt=today, then=Value(Light.RED)),
            When(due__lte=soon, then=Value(Light.YELLOW)),
            When(missing_report_condition(today), then=Value(Light.YELLOW)),
            When(due__isnull=True, then=Value(Light.GREY)),
            default=Value(Light.GREEN),
            output_field=models.CharField(),
        )
    )


def assignments_with_lights(today: datetime.date):
    """Every assignment, annotated as ``with_lights`` annotates, taken from a queryset whose
    lights were built once per day in this process: building the lights' expressions costs about
    as much as compiling the query, and the lists and the assignment page start from it. Chain
    on what it returns (``visible_to``, ``filter``): a fresh clone each time, the shared one is
    never evaluated."""
    return _lit(today, settings.TRAFFIC_LIGHT_YELLOW_DAYS, settings.REPORT_GRACE_DAYS).all()


@functools.lru_cache(maxsize=4)
def _lit(today: datetime.date, yellow_days: int, grace_days: int):
    from tasks.models import Assignment

    return with_lights(Assignment.objects.all(), today)  # the settings are part of the key above


def describe_rows(assignments: Iterable[Any], today: datetime.date) -> None:
    """Days left and the latest report's status label on each listed assignment (the list
    templates show both); the rows carry ``due`` and ``last_report_status`` annotations."""
    labels = dict(ReportStatus.choices)
    for assignment in assignments:
        assignment.days_left = days_left(assignment.due, today)
        assignment.last_report_label = labels.get(assignment.last_report_status)


def days_left(due: datetime.date | None, today: datetime.date) -> int | None:
    return None if due is None else (due - today).days


class MeasureStatus(models.TextChoices):
    PENDING = "pending", _("待签收")
    IN_PROGRESS = "in_progress", _("推进中")
    OVERDUE = "overdue", _("逾期")
    CLOSED = "closed", _("已办结")


MEASURE_STATUS_RULE = _(
    "措施状态由其任务分工推导：牵头单位（没有牵头单位时为全部责任单位，再没有时为全部单位）都已办结，"
    "措施即为“已办结”；否则只要有一个未办结的分工逾期，即为“逾期”；有任一分工已签收或已有进展，为“推进中”；"
    "其余为“待签收”。"
)


def measure_status(assignments: Iterable, today: datetime.date) -> MeasureStatus:
    """Derive a measure's status from its assignments by the rule in MEASURE_STATUS_RULE."""
    assignments = list(assignments)
    if not assignments:
        return MeasureStatus.PENDING
    deciding = [a for a in assignments if a.role == AssignmentRole.LEAD] or [
        a for a in assignments if a.role == AssignmentRole.RESPONSIBLE
    ] or assignments
    if all(a.status == AssignmentStatus.CLOSED for a in deciding):
        return MeasureStatus.CLOSED
    open_ones = [a for a in assignments if a.status != AssignmentStatus.CLOSED]
    if any(a.effective_deadline and a.effective_deadline < today for a in open_ones):
        return MeasureStatus.OVERDUE
    if any(a.status != AssignmentStatus.PENDING for a in assignments):
        return MeasureStatus.IN_PROGRESS
    return MeasureStatus.PENDING
