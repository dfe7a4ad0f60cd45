# ruff: noqa: F811  (the fixtures imported from test_worker_crash are parameters here, as pytest wants)
"""lambda.set_concurrency end to end with a real worker on Redis: a reservation set, then removed, as Lambda and
the inventory row see it. (lambda.update_config runs on a real worker in tests/browser/test_lambda_config.py.)"""

from __future__ import annotations

import pytest

from fleetui.actions.models import Action
from fleetui.lambda_.models import Function
from tests.actions.test_worker_crash import (  # noqa: F401  fixtures
    broker,
    messages,
    request_action,
    wait_for,
    workers,
)

from ..conftest import sync_all

KIND = "lambda.set_concurrency"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_reservation_set_then_removed_by_a_real_worker(aws, demo, lam, account, operator, workers, request_action):
    sync_all(account, types=("lambda_functions",))
    worker = workers()
    for params, expected in (({"reserved": 25}, 25), ({"remove": True}, None)):
        action = request_action(KIND, ["payments-webhook"], params)
        wait_for(lambda action=action: Action.objects.get(pk=action.pk).is_done, "the action to finish", worker)
        action.refresh_from_db()
        assert action.status == "succeeded", (action.error, messages(action), worker.tail())
        assert action.task_id in worker.log.read_text()  # the worker ran it, not this process
        answer = lam.get_function_concurrency(FunctionName="payments-webhook")
        assert answer.get("ReservedConcurrentExecutions") == expected
        assert Function.objects.get(function_name="payments-webhook").reserved_concurrency == expected
