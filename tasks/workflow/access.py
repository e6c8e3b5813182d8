"""Single objects for a user: 404 when the user may not see the object at all. Whether they
may change it is decided by the service functions in tasks.workflow.reports (403)."""

import datetime

from django.db.models import Q
from django.shortcuts import get_object_or_404

from departments.roles import get_roles
from tasks.models import Assignment, AssignmentQuerySet, Attachment, ExtensionRequest, ProgressReport, Urge
from tasks.workflow.status import assignments_with_lights


def get_assignment_for_user(user, pk: int, lights_on: datetime.date | None = None) -> Assignment:
    """The assignment, with its measure, document, section and department; with ``lights_on``
    a day, annotated with its light on that day as well (``tasks.workflow.status.with_lights``)."""
    start: AssignmentQuerySet = Assignment.objects.all() if lights_on is None else assignments_with_lights(lights_on)
    assignments = start.visible_to(user)
    return get_object_or_404(assignments.select_related("measure__document", "measure__section", "department"), pk=pk)


def get_report_for_user(user, pk: int) -> ProgressReport:
    return get_object_or_404(
        ProgressReport.objects.visible_to(user).select_related("assignment__department", "assignment__measure"),
        pk=pk,
    )


def get_attachment_for_user(user, pk: int) -> Attachment:
    """Evidence of reports the user may see; a department never gets another department's files,
    even where it reads that department's report to fold it into its own."""
    reports = ProgressReport.objects.visible_to(user)
    roles = get_roles(user)
    if not roles.sees_everything:
        reports = reports.filter(
            Q(assignment__department_id__in=roles.department_ids)
            | Q(assignment__measure__document__group_id__in=roles.oversees_groups)
        )
    return get_object_or_404(Attachment, pk=pk, report__in=reports)


def get_urge_for_user(user, pk: int) -> Urge:
    return get_object_or_404(Urge.objects.select_related("assignment"), pk=pk,
                             assignment__in=Assignment.objects.visible_to(user))


def get_extension_for_user(user, pk: int) -> ExtensionRequest:
    return get_object_or_404(
        ExtensionRequest.objects.select_related("assignment__measure"), pk=pk,
        assignment__in=Assignment.objects.visible_to(user),
    )
