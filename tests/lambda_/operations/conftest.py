"""Lambda's action kinds run against the sandbox; the account and the operator come from the actions' fixtures."""

from typing import Any

from django.test import Client

from tests.actions.conftest import account, operator_client  # noqa: F401  fixtures

from ..conftest import REGION

KINDS = {"config": "lambda.update_config", "concurrency": "lambda.set_concurrency"}
API = "/api/v1/actions/"


def api_request(client: Client, kind: str, name: str, **params: Any) -> Any:
    body = {"kind": KINDS[kind], "targets": [name], "reason": "CHG-7 tuning", "params": params}
    return client.post(API, body, content_type="application/json")


def page_request(client: Client, owner: Any, kind: str, name: str, **params: Any) -> Any:
    data = {
        "account": owner.account_id, "region": REGION, "targets": name, "reason": "CHG-7 tuning",
        "idempotency_key": f"k-{kind}-{name}-{sorted(params.items())}", "submit": "1",
        **{f"p-{key}": value for key, value in params.items()},
    }  # fmt: skip
    return client.post(f"/actions/new/{KINDS[kind]}/", data)
