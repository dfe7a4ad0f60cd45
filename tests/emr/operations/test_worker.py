# ruff: noqa: F811  (the fixtures imported from test_worker_crash are parameters here, as pytest wants)
"""The EMR actions with a real prefork worker on Redis: each kind end to end, and a worker SIGKILLed mid-resize.

The sandbox runs in this process (moto in a thread); the worker reaches it through AWS_ENDPOINT_URL. The sandbox's
EMR delay moves a group's running count toward its requested count over a few seconds, so a resize is caught in its
wait step, after ModifyInstanceGroups, when the worker is killed. The sandbox's fault registry counts the
ModifyInstanceGroups calls it saw (a fault of 1 ms latency on that action, `triggered`): the redelivery must find the
count already set and not call again.
"""

from __future__ import annotations

import pytest
from django.test import Client

from fleetui.actions.models import Action
from fleetui.emr.models import EmrCluster, InstanceGroup
from tests.actions.test_worker_crash import (  # noqa: F401  fixtures
    LOST,
    broker,
    caught_waiting,
    kill_mid_action,
    messages,
    request_action,
    wait_for,
    workers,
)

from .cluster import cluster_build
from .test_resize import count_modify_calls, modify_calls

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def ended(action: Action, worker) -> Action:
    """Wait for the action to end, keeping the sandbox's faults (their counters are read after)."""
    wait_for(lambda: Action.objects.get(pk=action.pk).is_done, "the action to finish", worker)
    action.refresh_from_db()
    return action


def test_resize_through_the_api_with_a_real_worker(aws, account, operator, workers, request_action):
    built = cluster_build(aws, account, delay=1.0)
    task = built.group_id("TASK")
    count_modify_calls(aws)
    worker = workers()
    client = Client()
    client.force_login(operator)
    body = {"kind": "emr.resize_group", "targets": [task], "params": {"instance_count": 4}, "reason": "backlog"}
    answer = client.post("/api/v1/actions/", body, content_type="application/json")
    assert answer.status_code == 201, answer.content

    action = ended(Action.objects.get(pk=answer.json()["id"]), worker)

    assert action.status == "succeeded", (action.error, worker.tail())
    assert action.task_id in worker.log.read_text()  # the worker ran it
    assert built.counts("TASK") == (4, 4) and modify_calls(aws) == 1
    assert (InstanceGroup.objects.get(instance_group_id=task).running_count, action.progress) == (4, 100)
    assert any(": RESIZING, " in m for m in messages(action)), messages(action)


def test_terminate_with_a_real_worker(aws, account, admin_user, workers, request_action):
    built = cluster_build(aws, account, delay=0.5)
    worker = workers()
    client = Client()
    client.force_login(admin_user)
    body = {"kind": "emr.terminate_cluster", "targets": [built.cluster_id], "reason": "retired", "confirm": built.name}
    answer = client.post("/api/v1/actions/", body, content_type="application/json")
    assert answer.status_code == 201, answer.content

    action = ended(Action.objects.get(pk=answer.json()["id"]), worker)

    assert action.status == "succeeded", (action.error, worker.tail())
    assert built.state() == "TERMINATED"
    assert EmrCluster.objects.get(cluster_id=built.cluster_id).state == "TERMINATED"
    assert any(m.endswith("TERMINATING (Terminated by user request [USER_REQUEST]).") for m in messages(action))


def test_a_worker_killed_mid_resize_modifies_the_group_once_and_completes(aws, account, request_action, workers):
    built = cluster_build(aws, account, delay=8)  # 2 -> 5 instances take 8 s: long enough to be killed in the wait
    task = built.group_id("TASK")
    count_modify_calls(aws)
    worker = workers()
    action = request_action("emr.resize_group", [task], {"instance_count": 5})
    caught_waiting(action, worker)
    assert "set_at" in Action.objects.get(pk=action.pk).result  # ModifyInstanceGroups was called before the kill
    assert modify_calls(aws) == 1

    survivor = kill_mid_action(worker, "child", workers)
    action = ended(action, survivor)

    log = messages(action)
    assert (action.status, action.deliveries) == ("succeeded", 2), (log, survivor.tail())
    assert log.count(LOST) == 1, log
    assert modify_calls(aws) == 1, log  # the sandbox saw one ModifyInstanceGroups: the count was set once
    assert sum(m.startswith("Resizing TASK group spot-tasks") for m in log) == 1, log
    assert any(
        "(set by an earlier delivery of this action): ModifyInstanceGroups is not called again." in m for m in log
    )
    assert built.counts("TASK") == (5, 5)
    assert InstanceGroup.objects.get(instance_group_id=task).running_count == 5
    assert action.result["requested_before"] == 2 and action.result["running"] == 5
