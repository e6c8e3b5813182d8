"""htmx helpers: list views answer an htmx request with only their table partial, and every
response says so to caches, so that the Back button never shows a partial as if it were a page."""

from django.http import HttpRequest
from django.utils.cache import add_never_cache_headers, patch_vary_headers


def htmx_partial(request: HttpRequest) -> bool:
    """True for an htmx request that swaps part of the page: not a boosted full navigation and
    not htmx's history restore (which asks for the whole page at the URL it pushed)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Boosted") != "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


class HtmxCacheMiddleware:
    """A filtered list's partial is served at the same URL as the page (htmx pushes that URL).
    ``Vary: HX-Request`` keeps the browser's cache from answering a full navigation to that URL
    with the partial, and the partial itself is never stored (``no-store``), so Back after a
    search reloads the whole page with its filters."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_vary_headers(response, ["HX-Request"])
        if htmx_partial(request):
            add_never_cache_headers(response)
        return response
