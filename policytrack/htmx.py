"""htmx helpers: list views answer an htmx request with only their table partial."""

from django.http import HttpRequest


def htmx_partial(request: HttpRequest) -> bool:
    """True for an htmx request that swaps part of the page (not a boosted full navigation)."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"
