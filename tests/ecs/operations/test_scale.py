"""ecs.scale_service against the sandbox (eager tasks): page and API -> task -> sandbox ECS -> inventory; the
refusals (no Action row) and a service or cluster that disappeared."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fleetui.actions import services
from fleetui.actions.models import Action
from fleetui.actions.registry import ActionInvalid
from fleetui.ecs.models import Service

from .fleet import CLUSTER, REGION, EcsService, sandbox_delay, service_build

pytestmark = pytest.mark.django_db(transaction=True)
KIND = "ecs.scale_service"


@pytest.fixture
def web(aws, account) -> EcsService:
    return service_build(aws, account, desired=2, delay=0.4)


def form_data(account, web: EcsService, count) -> dict[str, str]:
    return {
        "account": account.account_id, "region": REGION, "targets": web.arn, "p-desired_count": str(count),
        "reason": "CHG-9 traffic", "idempotency_key": f"k-{count}", "submit": "1",
    }  # fmt: skip


def test_scale_from_the_page_waits_until_running_reaches_desired(operator_client, account, web):
    url = reverse("actions:new", args=[KIND])
    form = operator_client.get(url, {"target": web.arn})
    page = form.content.decode()
    assert form.status_code == 200
    assert 'id="scale-service">web<' in page and 'id="scale-desired">2<' in page  # what it is now, from the inventory
    to_zero = operator_client.post(url, {**form_data(account, web, 0), "idempotency_key": "zero"})
    assert to_zero.status_code == 400 and not Action.objects.exists()  # a scale to 0 asks for the service's name
    assert (
        "Scaling web to 0 stops its 2 running tasks. Type <strong>web</strong> to confirm." in to_zero.content.decode()
    )

    done = operator_client.post(url, form_data(account, web, 5))

    action = Action.objects.get()
    assert done.status_code == 302, done.content.decode()[:2000]
    assert (action.status, action.progress, action.error) == ("succeeded", 100, ""), action.error
    assert web.counts() == (5, 5)
    assert action.result["desired_before"] == 2 and action.result["running"] == 5
    row = Service.objects.get(service_arn=web.arn)  # re-synced before the action ended
    assert (row.desired_count, row.running_count) == (5, 5)
    log = list(action.log.order_by("pk").values_list("message", flat=True))
    assert "Setting the desired count of web from 2 to 5" in log
    assert log.index("Setting the desired count of web from 2 to 5") < log.index("Waiting until web runs 5 task(s)")
    assert log[-2:] == ["web runs 5 of 5 task(s).", "Succeeded."]


def test_the_step_log_carries_the_service_events(operator, account, web):
    action = services.action_request(
        user=operator, kind=KIND, account=account, region=REGION, targets=[web.arn], params={"desired_count": 3},
        reason="events",
    )  # fmt: skip
    action.refresh_from_db()
    assert action.status == "succeeded", action.error
    events = [e["message"] for e in web.read()["events"] if e["createdAt"] >= action.started_at]
    assert events, "the sandbox wrote no service event while scaling"
    log = list(action.log.values_list("message", flat=True))
    assert all(log.count(message) == events.count(message) for message in events), (events, log)  # each once


def test_scale_through_the_api_and_scale_in_to_zero_once_confirmed(operator_client, account, web):
    body = {"kind": KIND, "targets": [web.arn], "params": {"desired_count": 0}, "reason": "night"}
    refused = operator_client.post("/api/v1/actions/", body, content_type="application/json")
    assert refused.status_code == 400
    assert "Scaling web to 0 stops its 2 running tasks: type web to confirm." in refused.content.decode()
    assert not Action.objects.exists()
    answer = operator_client.post("/api/v1/actions/", {**body, "confirm": "web"}, content_type="application/json")
    assert answer.status_code == 201, answer.content
    got = operator_client.get(f"/api/v1/actions/{answer.json()['id']}/").json()
    assert got["status"] == "succeeded", got["error"]
    assert got["account"] == account.account_id and got["region"] == REGION  # found from the inventory row
    assert web.counts() == (0, 0)
    assert Service.objects.get(service_arn=web.arn).running_count == 0


def test_a_count_already_set_is_not_set_again(operator, account, web):
    action = services.action_request(
        user=operator, kind=KIND, account=account, region=REGION, targets=[web.arn], params={"desired_count": 2},
        reason="same",
    )  # fmt: skip
    action.refresh_from_db()
    log = list(action.log.values_list("message", flat=True))
    assert action.status == "succeeded", action.error
    assert "The desired count of web is 2 already: UpdateService is not called again." in log
    assert not any(m.startswith("Setting the desired count") for m in log)
    assert "set_at" not in action.result


@pytest.mark.parametrize(
    ("count", "reason"),
    [
        ("-1", "The desired count cannot be negative"),
        ("5001", "ECS runs at most 5000 tasks per service"),
        ("2.5", "The desired count is a whole number of tasks, 0 to 5000."),
        ("", "Say how many tasks the service should run"),
    ],
)
def test_an_invalid_count_is_refused_in_the_form_with_the_reason(operator_client, account, web, count, reason):
    answer = operator_client.post(reverse("actions:new", args=[KIND]), form_data(account, web, count))
    assert answer.status_code == 400
    assert reason in answer.content.decode()
    assert not Action.objects.exists()
    assert web.counts() == (2, 2)


@pytest.mark.parametrize(
    ("count", "reason"),
    [(-3, "cannot be negative"), (10000, "at most 5000 tasks"), ("many", "whole number"), (None, "Say how many")],
)
def test_an_invalid_count_is_refused_by_the_api_with_the_reason(operator_client, web, count, reason):
    params = {} if count is None else {"desired_count": count}
    body = {"kind": KIND, "targets": [web.arn], "params": params, "reason": "bad"}
    answer = operator_client.post("/api/v1/actions/", body, content_type="application/json")
    assert answer.status_code == 400, answer.content
    assert reason in answer.content.decode()
    assert not Action.objects.exists()


def test_a_viewer_may_not_scale(viewer_client: Client, account, web):
    answer = viewer_client.post(reverse("actions:new", args=[KIND]), form_data(account, web, 3))
    assert answer.status_code == 403
    body = {"kind": KIND, "targets": [web.arn], "params": {"desired_count": 3}, "reason": "x"}
    assert viewer_client.post("/api/v1/actions/", body, content_type="application/json").status_code == 403
    assert not Action.objects.exists()
    assert web.counts() == (2, 2)


def test_an_inactive_or_daemon_service_is_refused(operator, account, aws, web):
    Service.objects.filter(service_arn=web.arn).update(status="DRAINING")
    with pytest.raises(ActionInvalid, match="web in prod is DRAINING: ECS changes only an ACTIVE service"):
        services.action_request(
            user=operator, kind=KIND, account=account, region=REGION, targets=[web.arn],
            params={"desired_count": 3}, reason="x",
        )  # fmt: skip
    Service.objects.filter(service_arn=web.arn).update(status="ACTIVE", scheduling_strategy="DAEMON")
    with pytest.raises(ActionInvalid, match="web uses the DAEMON strategy"):
        services.action_request(
            user=operator, kind=KIND, account=account, region=REGION, targets=[web.arn],
            params={"desired_count": 3}, reason="x",
        )  # fmt: skip
    assert not Action.objects.exists()


def run_recorded(operator, account, arn: str, monkeypatch) -> Action:
    """Record a scale of `arn` now, change AWS under it (the caller), then run it: returns a function doing that."""
    monkeypatch.setattr(services, "action_enqueue", lambda action: None)
    return services.action_request(
        user=operator, kind=KIND, account=account, region=REGION, targets=[arn], params={"desired_count": 4},
        reason="gone",
    )  # fmt: skip


def run_now(action: Action) -> Action:
    from fleetui.actions.tasks import run_action

    run_action.delay(action.pk)
    action.refresh_from_db()
    return action


def test_a_service_deleted_in_the_meantime_fails_and_says_nothing_was_changed(operator, account, web, monkeypatch):
    action = run_recorded(operator, account, web.arn, monkeypatch)
    web.ecs.update_service(cluster=CLUSTER, service=web.arn, desiredCount=0)
    web.ecs.delete_service(cluster=CLUSTER, service=web.arn)
    action = run_now(action)
    assert action.status == "failed"
    assert action.error == (
        "DescribeServices says web in prod is INACTIVE: it is being or was deleted. "
        "This action had not changed the desired count."
    )
    log = list(action.log.order_by("pk").values_list("message", flat=True))
    assert log[-1] == action.error and "Reading web in cluster prod" in log
    assert not Action.objects.filter(status="running").exists()


@pytest.mark.parametrize(
    ("cluster", "service", "aws_said"),
    [
        ("gone", "web", "ClusterNotFoundException"),  # the whole cluster was deleted
        (CLUSTER, "gone", "MISSING"),  # DescribeServices' failure reason for a service it does not know
    ],
)
def test_a_cluster_or_service_that_disappeared_fails_with_aws_words(
    operator, account, web, monkeypatch, cluster, service, aws_said
):
    """The inventory still holds it (no sync since), AWS no longer has it."""
    arn = web.arn.replace(f"service/{CLUSTER}/web", f"service/{cluster}/{service}")
    Service.objects.filter(service_arn=web.arn).update(service_arn=arn)
    action = run_now(run_recorded(operator, account, arn, monkeypatch))
    assert action.status == "failed"
    assert action.error.startswith("Not found: DescribeServices: ") and f"[{aws_said}]" in action.error, action.error
    assert action.error.endswith("This action had not changed the desired count.")
    assert web.counts() == (2, 2)


def test_a_scale_that_does_not_converge_in_time_fails_and_says_the_count_is_set(operator, account, aws, web, settings):
    settings.FLEETUI_ECS_SCALE_TIMEOUT = 1
    sandbox_delay(aws, 30)  # the new tasks take far longer than the time-out
    action = services.action_request(
        user=operator, kind=KIND, account=account, region=REGION, targets=[web.arn], params={"desired_count": 5},
        reason="slow",
    )  # fmt: skip
    action.refresh_from_db()
    assert action.status == "failed"
    assert action.error.startswith("web runs 2 task(s) (3 pending) of 5 after 1 s (FLEETUI_ECS_SCALE_TIMEOUT).")
    assert "The desired count is set and ECS keeps trying" in action.error
    assert web.counts()[0] == 5 and "set_at" in action.result
