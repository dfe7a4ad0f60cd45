"""Every list page, found from the URLs (each a fleetui.core.views.ResourceListView), and rows for each with long,
AWS-shaped values, so a list added later is measured without editing a test.

The rows are built from the model's fields alone: names are long ("payments-reconciliation-worker-…"), ARNs and URLs
have their real shape, ids look like AWS's; choices take their first value and JSON fields their default. They
span two accounts and two regions, so the lists show their account and region columns.
"""

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from fleetui.core.views import ResourceListView
from fleetui.inventory.models import Account

LONG = "payments-reconciliation-worker-production"
REGIONS = ("us-east-1", "ap-southeast-2")
_numbers = itertools.count(1)


def list_pages() -> list[tuple[str, type[ResourceListView]]]:
    """(path, view class) of every list page that takes no argument, in URL order."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[tuple[str, Any]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and not pattern.pattern.converters:
                yield "/" + prefix + str(pattern.pattern), getattr(pattern.callback, "view_class", None)

    return [(path, view) for path, view in walk(get_resolver().url_patterns, "") if _is_list(view)]


def _is_list(view: Any) -> bool:
    return isinstance(view, type) and issubclass(view, ResourceListView)


def rows_for_every_list(accounts: list[Account], per_scope: int = 2) -> None:
    """`per_scope` rows of each list's model in every account and region, unless the model has rows already."""
    for _, view in list_pages():
        model = view.table_class._meta.model
        if model is None or model._default_manager.exists():
            continue
        for account, region in itertools.product(accounts, REGIONS):
            for _ in range(per_scope):
                row_make(model, account=account, region=region)


def row_make(model: type[models.Model], *, account: Account, region: str) -> models.Model:
    n = next(_numbers)
    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.primary_key and isinstance(field, models.AutoField | models.BigAutoField):
            continue
        value = _value(field, n, account, region)
        if value is not _SKIP:
            values[field.attname if field.is_relation else field.name] = value
    return model._default_manager.create(**values)


_SKIP = object()


def _value(field: models.Field, n: int, account: Account, region: str) -> Any:
    name = field.name
    if field.is_relation:
        if field.related_model is Account:
            return account.pk
        if field.null:
            return None
        return row_make(field.related_model, account=account, region=region).pk
    if name == "region":
        return region
    if name == "account_id":
        return account.account_id
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.JSONField):
        return field.get_default()
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DateTimeField):
        return None if name == "gone_at" else timezone.now() - dt.timedelta(days=3, minutes=n)
    if isinstance(field, models.DateField):
        return timezone.now().date()
    if isinstance(field, models.IntegerField | models.FloatField | models.DecimalField):
        return field.get_default() if field.has_default() else 1024 + n
    if isinstance(field, models.CharField | models.TextField):
        return _text(name, n, account, region)[: field.max_length or 500]
    return field.get_default() if field.has_default() else _SKIP


def _text(name: str, n: int, account: Account, region: str) -> str:
    """A value shaped like what AWS answers in a field of that name."""
    if name.endswith("arn"):
        return f"arn:aws:service:{region}:{account.account_id}:resource/{LONG}-{n:03d}"
    if any(part in name for part in ("url", "endpoint", "cname", "uri")):
        return f"https://{LONG}-{n:03d}.{region}.example.com/"
    if name.endswith("_id") or name == "id":
        return f"id-0{n:016x}"
    if "name" in name or "description" in name or "reason" in name:
        return f"{LONG}-{n:03d}"
    return f"{name[:10]}-{n}"
