"""htmx helpers: one view serves the whole page and, to htmx, only the fragment it swaps."""

from django.http import HttpRequest


def wants_partial(request: HttpRequest) -> bool:
    """An htmx request that is not boosted wants only the partial; a boosted one (or no htmx) the page."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.boosted


def template_for(request: HttpRequest, template_name: str, partial: str) -> str:
    """`template_name` for a full page, `template_name#partial` (django-template-partials) for htmx."""
    return f"{template_name}#{partial}" if wants_partial(request) else template_name
