# ruff: noqa: F811  (the fixtures imported from test_worker_crash are parameters here, as pytest wants)
"""eks.scale_nodegroup with a real prefork worker on Redis: through the page, and with the worker SIGKILLed while it
waits on the update.

The sandbox runs in this process (moto in a thread); the worker reaches it through AWS_ENDPOINT_URL. The sandbox's
EKS delay keeps the update InProgress (and the ASG moving) for a few seconds after UpdateNodegroupConfig, so the
action is caught in its wait step, after the call, when the worker is killed: the redelivery must wait on the same
update and not send another (ListUpdates would know two, and EKS would refuse the second: ResourceInUseException).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fleetui.actions.models import Action
from fleetui.eks.models import Nodegroup
from tests.actions.test_worker_crash import (  # noqa: F401  fixtures
    broker,
    caught_waiting,
    finished,
    kill_mid_action,
    messages,
    request_action,
    workers,
)

from .nodegroup import REGION, nodegroup_build

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
KIND = "eks.scale_nodegroup"


def test_the_scale_through_the_page_with_a_real_worker(aws, account, operator, workers, request_action):
    """`request_action` sends every requested action through Redis to the worker, the page's too."""
    built = nodegroup_build(aws, account, delay=1.0)
    worker = workers()
    client = Client()
    client.force_login(operator)
    data = {
        "account": account.account_id, "region": REGION, "targets": built.arn, "p-min_size": 1,
        "p-desired_size": 3, "p-max_size": 5, "reason": "sale", "idempotency_key": "k", "submit": "1",
    }  # fmt: skip
    answer = client.post(reverse("actions:new", args=[KIND]), data)
    assert answer.status_code == 302
    action = finished(Action.objects.get(kind=KIND), worker)

    assert action.status == "succeeded", (action.error, worker.tail())
    assert built.scaling() == {"minSize": 1, "desiredSize": 3, "maxSize": 5}
    assert len(built.instance_ids()) == 3 and len(built.updates()) == 1
    assert Nodegroup.objects.get(nodegroup_arn=built.arn).desired_size == 3
    page = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert "EKS accepted the update" in page
    # The end's line, always written ("3 of 3 ... in service" shows only if a poll caught the nodes before the update
    # ended, which a loaded machine may not).
    assert "with 3 instance(s) in service." in page


def test_a_worker_killed_mid_scale_ends_with_one_update(aws, account, request_action, workers):
    # The update stays InProgress for 8 s after the call: long enough to be killed in the wait.
    built = nodegroup_build(aws, account, delay=8)
    worker = workers()
    action = request_action(KIND, [built.arn], {"min_size": 1, "desired_size": 4, "max_size": 6})
    caught_waiting(action, worker)
    update_id = Action.objects.get(pk=action.pk).result["update_id"]  # the call was made before the kill

    # The pool child: the other ways a worker dies are the engine's (tests/actions/test_worker_crash.py).
    survivor = kill_mid_action(worker, "child", workers)
    action = finished(action, survivor)

    log = messages(action)
    assert (action.status, action.deliveries) == ("succeeded", 2), (log, survivor.tail())
    assert [u["id"] for u in built.updates()] == [update_id]  # ListUpdates: the one update of the first delivery
    assert sum(m.startswith("Scaling web:") for m in log) == 1, log
    assert f"Update {update_id} was already sent for this scaling: waiting on it, not sending it again." in log
    assert built.scaling() == {"minSize": 1, "desiredSize": 4, "maxSize": 6} and len(built.instance_ids()) == 4
    assert Nodegroup.objects.get(nodegroup_arn=built.arn).desired_size == 4
