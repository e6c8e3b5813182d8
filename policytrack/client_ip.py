"""The client's address as the trusted reverse proxy saw it.

Behind the documented proxy (SECURE_PROXY=1) every request comes from the proxy's address, so
login throttling keyed on REMOTE_ADDR would lock everyone out together. The proxy appends the
address it was connected from to X-Forwarded-For; with TRUSTED_PROXY_COUNT proxies in front of
the app, the client is the entry that many places from the right. Entries further left were
sent by the client and are not trusted. Without a proxy, REMOTE_ADDR is the client."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
