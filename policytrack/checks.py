"""System checks for a production that runs as several processes: whatever one process keeps to
itself, the others do not see. A per-process cache makes every gunicorn worker and every machine
compute and remember on its own (the remembered filters of a user differ from one request to the
next); sessions or login lockouts kept in such a cache would be lost or escaped by a request that
lands on another process. Run by every management command (``migrate`` included) when DEBUG is
off; a deployment that truly is one process silences them with SILENCED_SYSTEM_CHECKS."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning

PER_PROCESS = {"django.core.cache.backends.locmem.LocMemCache": "in each process's memory",
               "django.core.cache.backends.filebased.FileBasedCache": "in files on each machine"}
CACHE_SESSIONS = "django.contrib.sessions.backends.cache"
CACHE_LOCKOUTS = "axes.handlers.cache.AxesCacheHandler"


def _unshared(alias: str) -> str | None:
    """Where the cache ``alias`` keeps its entries when that is not shared, else None."""
    return PER_PROCESS.get(settings.CACHES.get(alias, {}).get("BACKEND", ""))


@register(Tags.caches)
def shared_state(app_configs=None, **kwargs) -> list[CheckMessage]:
    if settings.DEBUG:
        return []
    found: list[CheckMessage] = []
    where = _unshared("default")
    if where:
        found.append(CheckWarning(
            f"The cache is kept {where}: with more than one web process or machine, each caches the "
            "dashboards and remembers users' filters for itself.",
            hint="Set REDIS_URL (and leave CACHE_USE_REDIS on) so that every process shares one cache; "
                 "silence policytrack.W001 only when the portal runs as a single process.",
            id="policytrack.W001",
        ))
    if settings.SESSION_ENGINE == CACHE_SESSIONS and (where := _unshared(settings.SESSION_CACHE_ALIAS)):
        found.append(CheckWarning(
            f"Sessions are kept only in a cache held {where}: a user logged in on one process is "
            "logged out on the next.",
            hint="Keep sessions in the database (the default SESSION_ENGINE) or in a shared Redis cache.",
            id="policytrack.W002",
        ))
    axes_cache = getattr(settings, "AXES_CACHE", "default")
    if getattr(settings, "AXES_HANDLER", "") == CACHE_LOCKOUTS and (where := _unshared(axes_cache)):
        found.append(CheckWarning(
            f"Login lockouts are counted in a cache held {where}: each process counts failures "
            "separately, so the lockout comes late or never.",
            hint="Use django-axes' database handler (the default) or a shared Redis cache.",
            id="policytrack.W003",
        ))
    return found
