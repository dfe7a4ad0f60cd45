"""Value helpers every service's transforms share: AWS's tag lists and timestamps, normalised the way the
loader compares rows (see load.py)."""

from __future__ import annotations

from datetime import UTC, datetime


def tags_of(items: list[dict[str, str]] | None) -> dict[str, str]:
    return {item["Key"]: item.get("Value", "") for item in items or [] if "Key" in item}


def when(value: datetime | str | None) -> datetime | None:
    """An aware UTC datetime from boto3's datetime or an ISO string (canned payloads)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
