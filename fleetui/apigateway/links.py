"""What API Gateway offers other services: the one module they may import from fleetui.apigateway (import-linter's
links contract), so a page elsewhere (a CloudFormation stack's resources) can link an API id to its inventory page."""

from collections.abc import Sequence
from typing import Any

from .models import Api, RestApi

__all__ = ["Api", "RestApi", "apis_by_id"]


def apis_by_id(*, account: Any, region: str, ids: Sequence[str]) -> dict[str, RestApi | Api]:
    """{API id: its inventory row (gone ones too)}, REST, HTTP or WebSocket, for the named ids in one account and
    region (two queries); ids the inventory has not seen are absent. Each row has `name`, `gone_at` and
    `get_absolute_url()`."""
    found: dict[str, RestApi | Api] = {}
    for model in (RestApi, Api):
        rows = model.objects.filter(account=account, region=region, api_id__in=list(ids)).select_related("account")
        found.update((row.api_id, row) for row in rows)
    return found
