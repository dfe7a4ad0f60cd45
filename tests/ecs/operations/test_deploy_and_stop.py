"""ecs.force_deployment and ecs.stop_task against the sandbox (eager tasks): the outcomes, the refusals, and
resources that disappeared."""

from __future__ import annotations

import time

import pytest
import requests

from fleetui.actions import services
from fleetui.actions.models import Action
from fleetui.actions.registry import ActionInvalid
from fleetui.ecs.models import Service, Task

from .fleet import CLUSTER, REGION, EcsService, ecs_sync, service_build

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def web(aws, account) -> EcsService:
    return service_build(aws, account, desired=2, delay=0.4)


def request(user, account, kind: str, targets, **params) -> Action:
    action = services.action_request(
        user=user, kind=kind, account=account, region=REGION, targets=list(targets), params=params, reason="test"
    )
    action.refresh_from_db()
    return action


def messages(action: Action) -> list[str]:
    return list(action.log.order_by("pk").values_list("message", flat=True))


def test_force_deployment_replaces_the_tasks_with_the_same_task_definition(operator, account, web):
    old_tasks = web.task_arns()
    action = request(operator, account, "ecs.force_deployment", [web.arn])
    assert action.status == "succeeded", action.error
    service = web.read()
    primary = next(d for d in service["deployments"] if d["status"] == "PRIMARY")
    assert primary["id"] == action.result["deployment_id"] and primary["rolloutState"] == "COMPLETED"
    assert service["taskDefinition"] == web.task_definition == action.result["task_definition"]
    new_tasks = web.task_arns()
    assert len(new_tasks) == 2 and not set(new_tasks) & set(old_tasks)  # every task was replaced
    row = Service.objects.get(service_arn=web.arn)
    assert (row.rollout_state, row.running_count) == ("COMPLETED", 2)
    # The tasks re-sync: the old ones are STOPPED in the inventory, the new ones are there.
    assert set(Task.objects.filter(task_arn__in=old_tasks).values_list("last_status", flat=True)) <= {"STOPPED"}
    assert Task.objects.filter(task_arn__in=new_tasks, gone_at__isnull=True).count() == 2
    log = messages(action)
    assert any(m.startswith("Forcing a new deployment of web on web:1") for m in log), log
    assert any("has reached a steady state" in m or "deployment completed" in m for m in log), log


def test_a_failed_rollout_fails_the_action_with_ecs_reason(aws, operator, account, web):
    requests.post(f"{aws}/fleetui-sandbox/ecs/fail-rollout", json={"service_arn": web.arn}, timeout=10)
    action = request(operator, account, "ecs.force_deployment", [web.arn])
    assert action.status == "failed"
    assert action.result["rollout_state"] == "FAILED"
    assert action.error.startswith(f"The deployment {action.result['deployment_id']} of web FAILED: ")
    assert action.result["rollout_state_reason"] and action.result["rollout_state_reason"] in action.error
    assert Service.objects.get(service_arn=web.arn).rollout_state == "FAILED"


def test_stop_task_stops_skips_stopped_ones_and_passes_the_default_reason(operator, account, web):
    first, second = web.task_arns()
    web.ecs.stop_task(cluster=CLUSTER, task=second, reason="by hand")
    deadline = time.monotonic() + 10
    while web.ecs.describe_tasks(cluster=CLUSTER, tasks=[second])["tasks"][0]["lastStatus"] != "STOPPED":
        assert time.monotonic() < deadline, "the sandbox did not stop the task"
        time.sleep(0.05)
    action = request(operator, account, "ecs.stop_task", [first, second])
    assert action.status == "succeeded", action.error
    assert action.result["tasks"] == {first: "stopped", second: "already stopped"}
    described = {t["taskArn"]: t for t in web.ecs.describe_tasks(cluster=CLUSTER, tasks=[first, second])["tasks"]}
    assert described[first]["stoppedReason"] == f"test (fleetui action #{action.pk} by otto)"
    assert described[second]["stoppedReason"] == "by hand"  # not stopped again
    assert sum(m.startswith("Stopping 1 task(s)") for m in messages(action)) == 1


def test_stop_task_refuses_tasks_already_stopped_and_unknown_ones(operator, account, web):
    [first, _] = web.task_arns()
    Task.objects.filter(task_arn=first).update(last_status="STOPPED")
    with pytest.raises(ActionInvalid, match="The task is STOPPED already"):
        request(operator, account, "ecs.stop_task", [first])
    with pytest.raises(ActionInvalid, match="Not in the inventory"):
        request(operator, account, "ecs.stop_task", [first.replace(first[-6:], "000000")])
    with pytest.raises(ActionInvalid, match="AWS keeps at most 255 characters"):
        request(operator, account, "ecs.stop_task", [web.task_arns()[1]], reason="x" * 256)
    assert not Action.objects.exists()


def test_tasks_that_vanished_fail_with_aws_words_and_the_others_stop(operator, account, web):
    """The inventory still holds them (no sync since): one whose cluster is gone, one ECS no longer knows."""
    real, other = web.task_arns()
    row = Task.objects.get(task_arn=other)
    ghost_cluster = other.replace(f"task/{CLUSTER}/", "task/gone/")
    missing = other[:-12] + "000000000000"
    Task.objects.filter(pk=row.pk).update(task_arn=ghost_cluster)
    row.pk, row.task_arn = None, missing
    row.save()
    action = request(operator, account, "ecs.stop_task", [real, ghost_cluster, missing])
    assert action.status == "failed"
    assert action.error.startswith("2 of 3 task(s) could not be stopped: ")
    outcome = action.result["tasks"]
    assert outcome[real] == "stopped"
    assert outcome[ghost_cluster] == (
        "failed: not found in AWS (Not found: DescribeTasks: Cluster not found. [ClusterNotFoundException])"
    )
    assert outcome[missing] == "failed: not found in AWS (MISSING)"
    assert web.ecs.describe_tasks(cluster=CLUSTER, tasks=[real])["tasks"][0]["lastStatus"] == "STOPPED"


def test_a_deployment_on_a_deleted_service_fails_with_what_was_done(operator, account, web, monkeypatch):
    monkeypatch.setattr(services, "action_enqueue", lambda action: None)
    action = request(operator, account, "ecs.force_deployment", [web.arn])
    web.ecs.update_service(cluster=CLUSTER, service=web.arn, desiredCount=0)
    web.ecs.delete_service(cluster=CLUSTER, service=web.arn)
    from fleetui.actions.tasks import run_action

    run_action.delay(action.pk)
    action.refresh_from_db()
    assert action.status == "failed"
    assert "web in prod is INACTIVE" in action.error and "No deployment had been started." in action.error
    ecs_sync(account)  # ECS lists no INACTIVE service: a full sync marks it gone
    assert Service.objects.get(service_arn=web.arn).gone_at
