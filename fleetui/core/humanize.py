"""Relative times ("2 min ago") with the absolute UTC time on hover, for tables and templates."""

import datetime as dt

from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def relative(value: dt.datetime, *, now: dt.datetime | None = None) -> str:
    """'just now', '2 min ago', '3 h ago', '5 days ago' (or 'in 2 min' for a time ahead of `now`)."""
    seconds = int(((now or timezone.now()) - value).total_seconds())
    ahead, seconds = seconds < 0, abs(seconds)
    if seconds < 45:
        return "just now"
    for unit, size in (("day", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            n = round(seconds / size) if unit != "day" else seconds // size
            text = f"{n} {unit}{'s' if unit == 'day' and n != 1 else ''}"
            break
    else:
        text = "1 min"
    return f"in {text}" if ahead else f"{text} ago"


def absolute(value: dt.datetime) -> str:
    return timezone.localtime(value, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def time_html(value: dt.datetime | None, *, now: dt.datetime | None = None) -> SafeString:
    """A <time> element: the relative time, the absolute one on hover and in `datetime`."""
    if value is None:
        return format_html('<span class="muted">{}</span>', "—")
    return format_html(
        '<time datetime="{}" title="{}">{}</time>', value.isoformat(), absolute(value), relative(value, now=now)
    )


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
