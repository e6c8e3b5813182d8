"""Traffic lights (亮灯): one place that decides the colour of an assignment.

- grey: closed (办结), or ongoing work (持续推进) with no fixed deadline;
- red: the effective deadline has passed;
- yellow: the deadline is TRAFFIC_LIGHT_YELLOW_DAYS days away or closer;
- green: on track.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tasks.choices import AssignmentStatus

if TYPE_CHECKING:
    from tasks.models import Assignment


class Light(models.TextChoices):
    RED = "red", _("逾期")
    YELLOW = "yellow", _("临期")
    GREEN = "green", _("正常")
    GREY = "grey", _("已办结/持续推进")


def traffic_light(assignment: Assignment, today: datetime.date) -> Light:
    if assignment.status == AssignmentStatus.CLOSED:
        return Light.GREY
    deadline = assignment.effective_deadline
    if deadline is None:
        return Light.GREY
    if deadline < today:
        return Light.RED
    if (deadline - today).days <= settings.TRAFFIC_LIGHT_YELLOW_DAYS:
        return Light.YELLOW
    return Light.GREEN


def days_left(assignment: Assignment, today: datetime.date) -> int | None:
    deadline = assignment.effective_deadline
    return None if deadline is None else (deadline - today).days
