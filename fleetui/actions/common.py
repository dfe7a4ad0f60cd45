"""Helpers every service's operations share: how long and how often to wait on AWS, and links to a request page."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode


def setting_int(name: str, default: int) -> int:
    """A service's own integer setting (a time-out, a limit): Django's setting `name`, else the environment variable
    of that name, else `default`. Read where it is used, so a service never edits `fleetui/settings/`."""
    value = getattr(settings, name, None)
    return int(value if value is not None else os.environ.get(name, default))


def wait_timeout() -> int:
    return int(settings.FLEETUI_ACTION_WAIT_TIMEOUT)


def poll_interval() -> float:
    return float(settings.FLEETUI_ACTION_POLL_INTERVAL)


def request_url(
    kind: str, *, account_id: str, region: str, targets: Sequence[str] = (), parent: int | None = None,
    params: dict[str, Any] | None = None,
) -> str:  # fmt: skip
    """The request page of `kind` with its targets, scope, parameters (prefix "p-") and parent filled in."""
    query: list[tuple[str, Any]] = [("target", target) for target in targets]
    query += [("account", account_id), ("region", region)] + ([("parent", parent)] if parent else [])
    query += [(f"p-{name}", "" if value is None else value) for name, value in (params or {}).items()]
    return reverse("actions:new", args=[kind]) + "?" + urlencode(query)
