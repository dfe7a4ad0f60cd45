# ruff: noqa: F811  (the fixtures imported from test_worker_crash are parameters here, as pytest wants)
"""The ECS actions with a real prefork worker on Redis: each kind end to end, and a worker SIGKILLed mid-scale.

The sandbox runs in this process (moto in a thread); the worker reaches it through AWS_ENDPOINT_URL. The sandbox's
ECS delay moves a service's running count toward its desired count over a few seconds, so a scale is caught in
its wait step, after UpdateService, when the worker is killed. The sandbox's fault registry counts the
UpdateService calls it saw (a fault of 1 ms latency on that action, `triggered`): the redelivery must find the
count already set and not call UpdateService again.
"""

from __future__ import annotations

import os
import signal

import pytest
from django.test import Client

from fleetui.actions.models import Action
from fleetui.ecs.models import Service, Task
from fleetui.sandbox.faults import fault_inject, faults_list
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

from .fleet import CLUSTER, sandbox_delay, service_build

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def count_update_service(endpoint: str) -> None:
    """From now on the sandbox counts the UpdateService calls it answers (a fault that only adds 1 ms)."""
    fault_inject(endpoint=endpoint, action="UpdateService", latency_ms=1)


def update_service_calls(endpoint: str) -> int:
    return next((f["triggered"] for f in faults_list(endpoint=endpoint) if f["action"] == "UpdateService"), 0)


def ended(action: Action, worker) -> Action:
    """Wait for the action to end, keeping the sandbox's faults (their counters are read after)."""
    wait_for(lambda: Action.objects.get(pk=action.pk).is_done, "the action to finish", worker)
    action.refresh_from_db()
    return action


def test_scale_through_the_api_with_a_real_worker(aws, account, operator, workers, request_action):
    web = service_build(aws, account, desired=1, delay=1.0)
    count_update_service(aws)
    worker = workers()
    client = Client()
    client.force_login(operator)
    body = {"kind": "ecs.scale_service", "targets": [web.arn], "params": {"desired_count": 3}, "reason": "peak"}
    answer = client.post("/api/v1/actions/", body, content_type="application/json")
    assert answer.status_code == 201, answer.content

    action = ended(Action.objects.get(pk=answer.json()["id"]), worker)

    assert action.status == "succeeded", (action.error, worker.tail())
    assert action.task_id in worker.log.read_text()  # the worker ran it
    assert web.counts() == (3, 3) and update_service_calls(aws) == 1
    assert (Service.objects.get(service_arn=web.arn).running_count, action.progress) == (3, 100)
    progress_seen = [m for m in messages(action) if m.startswith("Waiting until web runs 3")]
    assert progress_seen, messages(action)


def test_a_worker_killed_mid_scale_sets_the_count_once_and_completes(aws, account, request_action, workers):
    web = service_build(aws, account, desired=1)
    sandbox_delay(aws, 8)  # the running count takes 8 s to reach 4: long enough to be killed in the wait
    count_update_service(aws)
    worker = workers()
    action = request_action("ecs.scale_service", [web.arn], {"desired_count": 4})
    caught_waiting(action, worker)
    assert "set_at" in Action.objects.get(pk=action.pk).result  # UpdateService was called before the kill
    assert update_service_calls(aws) == 1

    # The pool child: the other ways a worker dies are the engine's (tests/actions/test_worker_crash.py).
    survivor = kill_mid_action(worker, "child", workers)
    action = ended(action, survivor)

    log = messages(action)
    assert (action.status, action.deliveries) == ("succeeded", 2), (log, survivor.tail())
    assert log.count(LOST) == 1, log
    assert update_service_calls(aws) == 1, log  # the sandbox saw one UpdateService: the count was set once
    assert sum(m.startswith("Setting the desired count of web") for m in log) == 1, log
    assert any("(set by an earlier delivery of this action): UpdateService is not called again." in m for m in log)
    assert web.counts() == (4, 4)
    assert Service.objects.get(service_arn=web.arn).running_count == 4
    assert action.result["desired_before"] == 1 and action.result["running"] == 4


def test_force_deployment_with_a_real_worker_reports_the_completed_rollout(aws, account, request_action, workers):
    web = service_build(aws, account, desired=2, delay=1.0)
    before = web.read()["deployments"][0]["id"]
    count_update_service(aws)
    worker = workers()
    action = ended(request_action("ecs.force_deployment", [web.arn]), worker)

    assert action.status == "succeeded", (action.error, worker.tail())
    primary = next(d for d in web.read()["deployments"] if d["status"] == "PRIMARY")
    assert primary["id"] != before and primary["id"] == action.result["deployment_id"]
    assert (primary["rolloutState"], action.result["rollout_state"]) == ("COMPLETED", "COMPLETED")
    assert primary["taskDefinition"] == web.task_definition  # the same task definition
    assert update_service_calls(aws) == 1
    assert Service.objects.get(service_arn=web.arn).rollout_state == "COMPLETED"
    assert any(m.startswith(f"The deployment {primary['id']} of web is COMPLETED") for m in messages(action))


def test_stop_task_with_a_real_worker_passes_the_reason_to_aws(aws, account, request_action, workers):
    web = service_build(aws, account, desired=2, delay=0.5)
    tasks = web.task_arns()
    assert len(tasks) == 2, "the sandbox runs no task for the service"
    worker = workers()
    action = ended(request_action("ecs.stop_task", [tasks[0]], {"reason": "INC-42 stuck on a bad host"}), worker)

    assert action.status == "succeeded", (action.error, worker.tail())
    assert action.result["tasks"] == {tasks[0]: "stopped"}
    [task] = web.ecs.describe_tasks(cluster=CLUSTER, tasks=[tasks[0]])["tasks"]
    assert (task["lastStatus"], task["stoppedReason"]) == ("STOPPED", "INC-42 stuck on a bad host")
    assert Task.objects.get(task_arn=tasks[0]).last_status == "STOPPED"  # re-synced before the end
    assert any("belong to a service: ECS starts replacements" in m for m in messages(action))


def test_a_worker_killed_mid_deployment_does_not_force_another(aws, account, request_action, workers):
    web = service_build(aws, account, desired=2)
    sandbox_delay(aws, 8)
    count_update_service(aws)
    worker = workers()
    action = request_action("ecs.force_deployment", [web.arn])
    caught_waiting(action, worker)
    [child] = wait_for(worker.children, "the pool child", worker)
    os.kill(child, signal.SIGKILL)

    action = ended(action, worker)

    assert (action.status, action.deliveries) == ("succeeded", 2), (messages(action), worker.tail())
    assert update_service_calls(aws) == 1  # one forced deployment
    assert sum(m.startswith("Forcing a new deployment of web") for m in messages(action)) == 1
