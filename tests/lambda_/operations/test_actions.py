"""The Lambda kinds against the sandbox, with eager tasks: page or API -> task -> sandbox Lambda -> inventory row and
step log. A memory change waits while the update is InProgress; an update Lambda reports Failed fails the action
with its reason; a function deleted meanwhile fails the action, recorded so; a reservation set then removed."""

from __future__ import annotations

import pytest
import requests

from fleetui.actions.models import Action
from fleetui.lambda_.models import Function

from ..conftest import ACCOUNT, REGION, delay_set, sync_all
from .conftest import api_request, page_request

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def synced(aws, demo, account):
    sync_all(account, types=("lambda_functions",))
    delay_set(aws, 0.3)  # each update stays InProgress for 0.3 s
    return demo


def log_of(action: Action) -> list[str]:
    return list(action.log.order_by("pk").values_list("message", flat=True))


def test_memory_raised_from_the_page_waits_for_successful_and_resyncs(operator_client, account, lam, synced):
    form = operator_client.get("/actions/new/lambda.update_config/", {"target": "orders-api", "p-memory_mb": "512"})
    assert 'id="config-memory">512 MB<' in form.content.decode()

    done = page_request(operator_client, account, "config", "orders-api", memory_mb=2048, timeout_s=60)

    assert done.status_code == 302, done.content.decode()[:2000]
    action = Action.objects.get()
    assert (action.status, action.progress, action.error) == ("succeeded", 100, "")
    config = lam.get_function_configuration(FunctionName="orders-api")
    assert (config["MemorySize"], config["Timeout"], config["LastUpdateStatus"]) == (2048, 60, "Successful")
    row = Function.objects.get(function_name="orders-api")
    assert (row.memory_mb, row.timeout_s, row.last_update_status) == (2048, 60, "Successful")
    log = log_of(action)
    assert "Updating orders-api: memory 512 MB, timeout 30 s -> memory 2,048 MB, timeout 60 s" in log
    assert "orders-api: LastUpdateStatus InProgress." in log, log
    assert log[-2:] == ["orders-api now has memory 2,048 MB, timeout 60 s (LastUpdateStatus Successful).", "Succeeded."]
    assert action.result["before"] == {"MemorySize": 512, "Timeout": 30} and "sent_at" in action.result

    # A reservation set, then removed.
    assert api_request(operator_client, "concurrency", "orders-api", reserved=50).status_code == 201
    assert lam.get_function_concurrency(FunctionName="orders-api")["ReservedConcurrentExecutions"] == 50
    assert Function.objects.get(function_name="orders-api").reserved_concurrency == 50
    assert api_request(operator_client, "concurrency", "orders-api", remove=True).status_code == 201
    assert "ReservedConcurrentExecutions" not in lam.get_function_concurrency(FunctionName="orders-api")
    assert Function.objects.get(function_name="orders-api").reserved_concurrency is None
    assert [a.status for a in Action.objects.order_by("pk")] == ["succeeded"] * 3
    assert "orders-api now has no reservation." in log_of(Action.objects.order_by("pk").last())


def test_a_failed_update_or_a_function_deleted_meanwhile_fails_the_action_clearly(aws, operator_client, lam, synced):
    fail = {"account_id": ACCOUNT, "region": REGION, "function": "image-resizer", "reason": "ENI limit reached"}
    requests.post(f"{aws}/fleetui-sandbox/lambda_/fail", json=fail, timeout=10).raise_for_status()
    answer = api_request(operator_client, "config", "image-resizer", memory_mb=8192)
    assert answer.status_code == 201, answer.content
    action = Action.objects.get()
    assert action.status == "failed"
    assert "Lambda reports the update of image-resizer Failed: ENI limit reached" in action.error
    assert "This action had sent its update" in action.error
    assert Function.objects.get(function_name="image-resizer").last_update_status == "Failed"

    cases = (("config", "legacy-cron", {"timeout_s": 120}), ("concurrency", "thumbnail-cleanup", {"reserved": 3}))
    for kind, name, params in cases:
        lam.delete_function(FunctionName=name)
        assert api_request(operator_client, kind, name, **params).status_code == 201
    actions = list(Action.objects.order_by("pk"))[1:]
    assert [a.status for a in actions] == ["failed", "failed"]
    for action, (_kind, name, _params) in zip(actions, cases, strict=True):
        assert f"The function {name} no longer exists in 123456789012/us-east-1 (it was deleted meanwhile)" in (
            action.error
        )
        assert "Nothing was changed by this action." in action.error
        assert Function.objects.get(function_name=name).gone_at is not None  # the action's re-sync saw it gone
