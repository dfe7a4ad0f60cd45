"""htmx helpers: one view serves the whole page and, to htmx, only the fragment it swaps."""

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_vary_headers


def wants_partial(request: HttpRequest) -> bool:
    """An htmx request that is not boosted wants only the partial; a boosted one (or no htmx) the page.

    A history-restore request (Back to a page htmx no longer has in its cache) also gets the whole
    page, since htmx swaps it in as the body.
    """
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def vary_on_htmx(response: HttpResponseBase) -> HttpResponseBase:
    """The same URL answers a page or a fragment: caches must key on the HX-Request header too."""
    patch_vary_headers(response, ["HX-Request"])
    return response


def template_for(request: HttpRequest, template_name: str, partial: str) -> str:
    """`template_name` for a full page, `template_name#partial` (django-template-partials) for htmx."""
    return f"{template_name}#{partial}" if wants_partial(request) else template_name
