# ruff: noqa: F811  (the fixtures imported from test_worker_crash are parameters here, as pytest wants)
"""The Batch actions with a real prefork worker on Redis: each kind once end to end, and a worker SIGKILLed while an
update waits for the environment to be VALID.

The sandbox runs in this process (moto in a thread); the worker reaches it through AWS_ENDPOINT_URL. The sandbox's
Batch delay keeps an updated environment UPDATING for a few seconds, so the update is caught in its wait step,
after UpdateComputeEnvironment, when the worker is killed. The sandbox's fault registry counts the
UpdateComputeEnvironment calls it saw (a fault of 1 ms latency, `triggered`): the redelivery must not call it again.
"""

from __future__ import annotations

import pytest

from fleetui.actions.models import Action
from fleetui.batch.models import ComputeEnvironment, Job
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

from .fleet import fleet_build, sandbox_delay

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
UPDATE = "UpdateComputeEnvironment"


def count_updates(endpoint: str) -> None:
    """From now on the sandbox counts the UpdateComputeEnvironment calls it answers (a fault that only adds 1 ms)."""
    fault_inject(endpoint=endpoint, action=UPDATE, latency_ms=1)


def updates_seen(endpoint: str) -> int:
    return next((f["triggered"] for f in faults_list(endpoint=endpoint) if f["action"] == UPDATE), 0)


def ended(action: Action, worker) -> Action:
    """Wait for the action to end, keeping the sandbox's faults (their counters are read after)."""
    wait_for(lambda: Action.objects.get(pk=action.pk).is_done, "the action to finish", worker)
    action.refresh_from_db()
    return action


def test_update_with_a_real_worker(aws, account, request_action, workers):
    fleet = fleet_build(aws, account, delay=1.0)
    count_updates(aws)
    worker = workers()
    action = ended(request_action("batch.update_compute_environment", [fleet.arns["etl"]], {"max_vcpus": 8}), worker)

    assert action.status == "succeeded", (action.error, worker.tail())
    assert action.task_id in worker.log.read_text()  # the worker ran it
    assert fleet.vcpus("etl") == (0, 2, 8) and updates_seen(aws) == 1
    assert ComputeEnvironment.objects.get(compute_environment_arn=fleet.arns["etl"]).max_vcpus == 8
    assert any(m.startswith("etl: UPDATING") for m in messages(action)), messages(action)


def test_a_worker_killed_mid_update_sends_it_once_and_completes(aws, account, request_action, workers):
    """The pool child is SIGKILLed; the worker's next child takes the action over once its heartbeat is stale."""
    fleet = fleet_build(aws, account)
    sandbox_delay(aws, 8)  # the environment stays UPDATING for 8 s: long enough to be killed in the wait
    count_updates(aws)
    worker = workers()
    action = request_action("batch.update_compute_environment", [fleet.arns["etl"]], {"desired_vcpus": 6})
    caught_waiting(action, worker)
    assert "sent_at" in Action.objects.get(pk=action.pk).result and updates_seen(aws) == 1

    survivor = kill_mid_action(worker, "child", workers)
    action = ended(action, survivor)

    log = messages(action)
    assert (action.status, action.deliveries) == ("succeeded", 2), (log, survivor.tail())
    assert log.count(LOST) == 1, log
    assert updates_seen(aws) == 1, log  # the sandbox saw one UpdateComputeEnvironment
    assert sum(m.startswith("Updating etl:") for m in log) == 1, log
    assert "The update of etl was sent by an earlier delivery: waiting on it, not sending it again." in log
    assert fleet.vcpus("etl") == (0, 6, 16) and fleet.environment("etl")["status"] == "VALID"
    assert ComputeEnvironment.objects.get(compute_environment_arn=fleet.arns["etl"]).desired_vcpus == 6


def test_cancel_jobs_with_a_real_worker(aws, account, request_action, workers):
    fleet = fleet_build(aws, account, jobs={"waiting": "RUNNABLE", "working": "RUNNING"})
    worker = workers()
    targets = [fleet.jobs["waiting"], fleet.jobs["working"]]
    action = ended(request_action("batch.cancel_jobs", targets, {"reason": "INC-9"}), worker)

    assert action.status == "succeeded", (action.error, worker.tail())
    assert action.result["jobs"] == {targets[0]: "cancelled", targets[1]: "terminated"}
    assert {fleet.job(name)["statusReason"] for name in ("waiting", "working")} == {"INC-9"}
    assert set(Job.objects.filter(job_id__in=targets).values_list("status", flat=True)) == {"FAILED"}
