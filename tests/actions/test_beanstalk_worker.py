# ruff: noqa: F811  (the fixtures imported from test_worker_crash are parameters here, as pytest wants)
"""The swap with a real prefork worker on Redis: through the page, and with the worker SIGKILLed mid-swap.

The sandbox runs in this process (moto in a thread); the worker reaches it through AWS_ENDPOINT_URL. The sandbox's
Beanstalk delay keeps both environments Updating for a few seconds after the swap call, so the action is caught
in its wait step, after the call, when the worker is killed: the redelivery must see the CNAMEs already exchanged
and not call SwapEnvironmentCNAMEs again (which would swap them back).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fleetui.actions.models import Action
from tests.beanstalk.operations.pair import REGION, pair_build, sandbox_delay

from .test_worker_crash import (  # noqa: F401  fixtures
    broker,
    caught_waiting,
    finished,
    kill_mid_action,
    messages,
    request_action,
    workers,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
PRODUCTION = f"shop.{REGION}.elasticbeanstalk.com"


def test_the_whole_swap_flow_through_the_page_with_a_real_worker(aws, account, operator, workers, request_action):
    """`request_action` sends every requested action through Redis to the worker, the page's too."""
    pair = pair_build(aws, account, delay=0.5)
    worker = workers()
    client = Client()
    client.force_login(operator)
    data = {
        "account": account.account_id, "region": REGION, "targets": pair.green, "p-partner": pair.blue,
        "reason": "release v2", "idempotency_key": "k", "submit": "1",
    }  # fmt: skip
    answer = client.post(reverse("actions:new", args=["beanstalk.swap"]), data)
    assert answer.status_code == 302
    action = finished(Action.objects.get(kind="beanstalk.swap"), worker)
    assert action.status == "succeeded", (action.error, worker.tail())
    assert pair.cnames()[pair.green] == PRODUCTION
    page = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert "Swap back" in page and "Completed swapping CNAMEs" in page


def test_the_swap_through_the_api_with_a_real_worker_and_swap_back(aws, account, operator, workers, request_action):
    pair = pair_build(aws, account, delay=0.5)
    worker = workers()
    client = Client()
    client.force_login(operator)

    def swap(promote: str, partner: str, key: str) -> Action:
        body = {
            "kind": "beanstalk.swap", "account": account.account_id, "region": REGION, "targets": [promote],
            "params": {"partner": partner}, "reason": "api", }  # fmt: skip
        answer = client.post("/api/v1/actions/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)
        assert answer.status_code == 201, answer.content
        return finished(Action.objects.get(pk=answer.json()["id"]), worker)

    forth = swap(pair.green, pair.blue, "forth")
    assert forth.status == "succeeded", (forth.error, worker.tail())
    assert pair.cnames()[pair.green] == PRODUCTION
    back = swap(pair.blue, pair.green, "back")
    assert back.status == "succeeded", (back.error, worker.tail())
    assert pair.cnames()[pair.blue] == PRODUCTION
    assert client.get(f"/api/v1/actions/{back.pk}/").json()["result"]["production_url"] == PRODUCTION


def test_a_worker_killed_mid_swap_ends_with_the_urls_swapped_once(aws, account, request_action, workers):
    pair = pair_build(aws, account)
    sandbox_delay(aws, 6)  # both stay Updating for 6 s after the call: long enough to be killed in the wait
    worker = workers()
    action = request_action("beanstalk.swap", [pair.green], {"partner": pair.blue})
    caught_waiting(action, worker)
    assert "called_at" in Action.objects.get(pk=action.pk).result  # the call was made before the kill

    # The pool child: the other ways a worker dies are the engine's (tests/actions/test_worker_crash.py).
    survivor = kill_mid_action(worker, "child", workers)
    action = finished(action, survivor)

    log = messages(action)
    assert (action.status, action.deliveries) == ("succeeded", 2), (log, survivor.tail())
    assert sum(m.startswith("Swapping the CNAMEs") for m in log) == 1, log
    assert any("already exchanged" in m for m in log), log
    assert pair.cnames() == {pair.green: PRODUCTION, pair.blue: f"shop-green.{REGION}.elasticbeanstalk.com"}
    assert action.result["after"] == pair.cnames()
