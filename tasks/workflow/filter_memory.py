"""Filters remembered per user and list: the last filters a user applied on my tasks, the
office's list of assignments and the dashboard are kept (in the cache, for 30 days) and offered
back with one click (恢复上次筛选) when the list is opened without filters; ``clear=1`` forgets them."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

KEPT_SECONDS = 30 * 24 * 3600
NOT_FILTERS = {"page", "clear"}


def _key(request: HttpRequest, name: str) -> str:
    return f"filters:{request.user.pk}:{name}"


def remembered(request: HttpRequest, name: str) -> str:
    """Remember the filters of this request, or, when it has none, return the query string of the
    last ones ('' when there are none or ``clear`` asked to forget them)."""
    query = request.GET.copy()
    for param in NOT_FILTERS:
        query.pop(param, None)
    if "clear" in request.GET:
        cache.delete(_key(request, name))
        return ""
    if any(value for values in query.lists() for value in values[1]):
        cache.set(_key(request, name), query.urlencode(), KEPT_SECONDS)
        return ""
    return cache.get(_key(request, name), "")
