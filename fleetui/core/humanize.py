"""Times as people read them: relative ("2 min ago", "6 years ago") and exact ("2026-11-30 06:53:10 CET") in the
user's time zone (the one fleetui.core.preferences activates for the request; UTC by default). A `<time>` shows one
and carries the other on hover, as the user's preference says."""

import datetime as dt
from contextvars import ContextVar

from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# How time_html shows a time in the current request, "relative" or "absolute" (fleetui.core.preferences sets it).
TIMES: ContextVar[str] = ContextVar("fleetui_times", default="relative")
# (unit, seconds, how it is written); a day is the smallest unit counted down, so "36 h" reads "1 day".
UNITS = (
    ("year", 365 * 86400, "{n} year{s}"),
    ("month", 30 * 86400, "{n} month{s}"),
    ("day", 86400, "{n} day{s}"),
    ("h", 3600, "{n} h"),
    ("min", 60, "{n} min"),
)


def _span(seconds: int) -> str:
    """'6 years', '3 months', '12 days', '5 h', '2 min': the largest unit that fits, whole ones."""
    for unit, size, text in UNITS:
        if seconds >= size and not (unit == "month" and seconds < 60 * 86400):
            n = seconds // size if size >= 86400 else round(seconds / size)
            return text.format(n=n, s="" if n == 1 else "s")
    return "1 min"


def relative(value: dt.datetime, *, now: dt.datetime | None = None) -> str:
    """'just now', '2 min ago', '3 h ago', '5 days ago', '2 months ago', '6 years ago' (or 'in 2 min' ahead)."""
    seconds = int(((now or timezone.now()) - value).total_seconds())
    ahead, seconds = seconds < 0, abs(seconds)
    if seconds < 45:
        return "just now"
    text = _span(seconds)
    return f"in {text}" if ahead else f"{text} ago"


def absolute(value: dt.datetime) -> str:
    """The exact time in the current time zone, with its abbreviation: '2026-11-30 06:53:10 CET'."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S %Z")


def time_html(value: dt.datetime | None, *, now: dt.datetime | None = None) -> SafeString:
    """A <time> element: the relative time with the exact one on hover, or the other way round when the user's
    preference says exact times (fleetui.core.preferences.TIMES)."""
    if value is None:
        return format_html('<span class="muted">{}</span>', "—")
    shown, hover = relative(value, now=now), absolute(value)
    if TIMES.get() == "absolute":
        shown, hover = hover, shown
    return format_html('<time datetime="{}" title="{}">{}</time>', value.isoformat(), hover, shown)


def copy_html(value: object) -> SafeString:
    if value in (None, ""):
        return mark_safe('<span class="muted">—</span>')
    return format_html(
        '<span class="copyable"><code>{}</code><button type="button" class="copy" data-copy="{}" '
        'title="Copy {}" aria-label="Copy {}"></button></span>',
        value,
        value,
        value,
        value,
    )
