"""Links in messages that leave the portal (mail, group robots, the calendar feed) are absolute."""

from __future__ import annotations

from django.conf import settings


def absolute(link: str) -> str:
    """``/tasks/3/`` under ``SITE_URL``; a link that is already absolute is kept."""
    return f"{settings.SITE_URL.rstrip('/')}{link}" if link.startswith("/") else link
