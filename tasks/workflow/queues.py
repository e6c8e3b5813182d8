"""The queues people work through, shared by their pages and the menu's counts: reports waiting
for the office (审核) and reports waiting for a department leader (待审批)."""

from __future__ import annotations

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from departments.roles import get_roles
from tasks.choices import ReportStatus
from tasks.models import ProgressReport
from tasks.rollups.models import WaitingTally


def office_queue(user):
    """Reports waiting for the office: approved by their leader, or sent by a department
    without leader approval; oldest first."""
    return (
        ProgressReport.objects.visible_to(user)
        .filter(
            Q(status=ReportStatus.LEADER_APPROVED)
            | Q(status=ReportStatus.SUBMITTED, assignment__department__requires_leader_approval=False)
        )
        .select_related("assignment__measure", "assignment__department", "submitted_by")
        .defer("assignment__measure__content")
        .prefetch_related("folded_reports__assignment__department")
        .order_by("submitted_at", "id")  # the index report_waiting_for_review
    )


def leader_queue(user):
    """Reports of the leader's departments waiting for the leader, oldest first."""
    return (
        ProgressReport.objects.visible_to(user)
        .filter(status=ReportStatus.SUBMITTED, assignment__department__requires_leader_approval=True,
                assignment__department_id__in=get_roles(user).led_department_ids)
        .select_related("assignment__measure__document", "assignment__department", "submitted_by",
                        "leader_approved_by", "reviewed_by")
        .prefetch_related("attachments", "indicator_values__indicator", "folded_reports__assignment__department")
        .order_by("submitted_at", "id")
    )


_COUNTED = "_policytrack_queue_counts"


def note_count(request, name: str, count: int) -> None:
    """A queue's page has counted its queue (for its pager): the menu shows that number rather
    than counting the same queue again in the same request."""
    vars(request).setdefault(_COUNTED, {})[name] = count


MENU_COUNT_CAP = 99
"""The menu shows "99+" beyond this: counting a province's whole queue on every page would cost
more than the page, and nobody reads a badge of 165,000 differently from one of 100."""


def menu_counts(request) -> dict[str, int]:
    """What waits in each queue the user works through, by the menu entry's URL name: one
    count query per queue the user has (at most two) that the page has not counted already,
    whatever the data. A queue the page has not counted is summed from the rollups where it can
    be (``office_queue_count``), else counted no further than MENU_COUNT_CAP + 1."""
    user = request.user
    roles = get_roles(user)
    counted = getattr(request, _COUNTED, {})
    cap = MENU_COUNT_CAP
    queues = [("tasks:reviews", office_queue_count)] if roles.is_office else []
    if roles.is_leader:
        queues.append(("tasks:approvals", leader_queue_count))
    return {name: counted[name] if name in counted else count(user, cap + 1) for name, count in queues}


def office_queue_count(user, limit: int | None = None) -> int:
    """The length of ``office_queue(user)``: a sum over the rollups (tasks.rollups WaitingTally) when
    the user's queue is every waiting report or those of some leading groups' documents, whatever
    their number; otherwise (an office member who also belongs to a department) counted, and no
    further than ``limit``."""
    roles = get_roles(user)
    if roles.sees_everything or (roles.oversees_groups and not roles.department_ids):
        tallies = WaitingTally.objects.all()
        if not roles.sees_everything:
            tallies = tallies.filter(group_id__in=roles.oversees_groups)
        return tallies.aggregate(n=Coalesce(Sum("n"), 0))["n"]
    return _count(office_queue(user), limit)


def leader_queue_count(user, limit: int | None = None) -> int:
    return _count(leader_queue(user), limit)


def _count(queue, limit: int | None) -> int:
    queue = queue.order_by()
    return (queue[:limit] if limit is not None else queue).count()
