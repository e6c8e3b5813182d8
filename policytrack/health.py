"""GET /healthz/: can this process serve requests? For the reverse proxy and container
healthchecks, which call it every few seconds, so it is cheap: answered by the first middleware,
before the host check, the HTTPS redirect, sessions and authentication (no cookie is read or set,
no user is looked up), with one ``SELECT 1`` and one write and read of the shared cache.

503 only when the database does not answer. An unreachable cache is reported (``"cache":
"error"``, status ``degraded``) but the answer stays 200: the portal works without the cache
(policytrack.cache), so an orchestrator must not take every web process out of service for it."""

from __future__ import annotations

import logging
import secrets

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponseNotAllowed, JsonResponse

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz/"


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("health check: the database does not answer: %s", error)
        return False
    return True


def cache_answers() -> bool:
    """Write a random value and read it back (the cache swallows its errors, so only the round
    trip tells): True when the cache keeps what it is given."""
    key, token = f"healthz:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, token, 10)
    kept = cache.get(key) == token
    cache.delete(key)
    return kept


def health(request: HttpRequest) -> JsonResponse:
    database, shared_cache = database_answers(), cache_answers()
    status = "unavailable" if not database else "ok" if shared_cache else "degraded"
    response = JsonResponse(
        {"status": status, "database": "ok" if database else "error", "cache": "ok" if shared_cache else "error"},
        status=200 if database else 503,
    )
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.path_info != HEALTH_PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return health(request)
