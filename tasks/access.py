"""Single objects for a user: 404 when the user may not see the object at all. Whether they
may change it is decided by the service functions in tasks.reports (403)."""

from django.shortcuts import get_object_or_404

from tasks.models import Assignment, Attachment, ExtensionRequest, ProgressReport, Urge


def get_assignment_for_user(user, pk: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.visible_to(user).select_related("measure__document", "measure__section", "department"),
        pk=pk,
    )


def get_report_for_user(user, pk: int) -> ProgressReport:
    return get_object_or_404(
        ProgressReport.objects.visible_to(user).select_related("assignment__department", "assignment__measure"),
        pk=pk,
    )


def get_attachment_for_user(user, pk: int) -> Attachment:
    return get_object_or_404(Attachment, pk=pk, report__in=ProgressReport.objects.visible_to(user))


def get_urge_for_user(user, pk: int) -> Urge:
    return get_object_or_404(Urge.objects.select_related("assignment"), pk=pk,
                             assignment__in=Assignment.objects.visible_to(user))


def get_extension_for_user(user, pk: int) -> ExtensionRequest:
    return get_object_or_404(
        ExtensionRequest.objects.select_related("assignment__measure"), pk=pk,
        assignment__in=Assignment.objects.visible_to(user),
    )
