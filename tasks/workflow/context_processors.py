"""Counts shown in the header on every page: unread notifications and what waits in each queue
of the menu (审核 N, 待审批 N); a fixed number of queries whatever the data."""

from django.http import HttpRequest

from tasks.workflow.queues import menu_counts


def notifications(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
        "nav_counts": menu_counts(request),
    }
