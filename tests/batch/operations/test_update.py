"""batch.update_compute_environment against the sandbox (eager tasks): page and API -> task -> sandbox Batch ->
inventory; the refusals (no Action row), an environment that disappeared, and a wait that times out."""

from __future__ import annotations

import pytest
import requests
from django.test import Client
from django.urls import reverse

from fleetui.actions import services
from fleetui.actions.models import Action
from fleetui.batch.models import ComputeEnvironment
from fleetui.ec2.models import Instance

from .fleet import REGION, BatchFleet, fleet_build, sandbox_delay

pytestmark = pytest.mark.django_db(transaction=True)
KIND = "batch.update_compute_environment"


@pytest.fixture
def fleet(aws, account) -> BatchFleet:
    return fleet_build(aws, account, delay=0.3)


def form_data(account, arn: str, key: str = "k", **params) -> dict[str, str]:
    data = {"account": account.account_id, "region": REGION, "targets": arn, "reason": "CHG-12 month end"}
    data |= {f"p-{name}": str(value) for name, value in params.items()}
    return data | {"idempotency_key": key, "submit": "1"}


def api(client: Client, arn: str, **params):
    body = {"kind": KIND, "targets": [arn], "params": params, "reason": "CHG-12"}
    return client.post("/api/v1/actions/", body, content_type="application/json")


def log_of(action: Action) -> list[str]:
    return list(action.log.order_by("pk").values_list("message", flat=True))


def test_update_from_the_page_waits_until_valid_and_resyncs(operator_client, account, fleet):
    url = reverse("actions:new", args=[KIND])
    form = operator_client.get(url, {"target": fleet.arns["etl"]})
    page = form.content.decode()
    assert form.status_code == 200
    assert 'id="update-environment">etl<' in page and 'id="update-vcpus">min 0 / desired 2 / max 16<' in page
    before = set(fleet.instances("etl"))
    assert len(before) == 1  # 2 vCPUs: one m5.large

    done = operator_client.post(url, form_data(account, fleet.arns["etl"], min_vcpus=2, desired_vcpus=6, max_vcpus=32))

    action = Action.objects.get()
    assert done.status_code == 302, done.content.decode()[:2000]
    assert (action.status, action.progress, action.error) == ("succeeded", 100, ""), action.error
    assert fleet.vcpus("etl") == (2, 6, 32) and fleet.environment("etl")["status"] == "VALID"
    running = {i for i, state in fleet.instances("etl").items() if state == "running"}
    assert len(running) == 3 and before < running  # 6 vCPUs: three m5.large, the first one kept
    row = ComputeEnvironment.objects.get(compute_environment_arn=fleet.arns["etl"])  # re-synced before the end
    assert (row.min_vcpus, row.desired_vcpus, row.max_vcpus, row.status) == (2, 6, 32, "VALID")
    assert set(action.result["instance_ids"]) == running and action.result["instances"] == 3
    assert (
        set(Instance.objects.filter(instance_id__in=running, state="running").values_list("instance_id", flat=True))
        == running
    )
    log = log_of(action)
    sent = "Updating etl: min 0 / desired 2 / max 16 -> min 2 / desired 6 / max 32"
    assert sent in log and log.index(sent) < log.index("Waiting until Batch reports etl VALID")
    assert any(m.startswith("etl: UPDATING, ENABLED, min 2 / desired 6 / max 32") for m in log), log
    assert log[-2:] == ["etl is VALID and ENABLED at min 2 / desired 6 / max 32, with 3 instance(s).", "Succeeded."]
    assert action.result["before"]["desiredvCpus"] == 2 and "sent_at" in action.result


def test_disable_through_the_api(operator_client, account, fleet):
    answer = api(operator_client, fleet.arns["etl"], state="DISABLED")
    assert answer.status_code == 201, answer.content
    got = operator_client.get(f"/api/v1/actions/{answer.json()['id']}/").json()
    assert got["status"] == "succeeded", got["error"]
    assert fleet.environment("etl")["state"] == "DISABLED" and fleet.vcpus("etl") == (0, 2, 16)
    assert ComputeEnvironment.objects.get(compute_environment_arn=fleet.arns["etl"]).state == "DISABLED"


def test_fargate_takes_a_new_maximum(operator, account, fleet):
    action = services.action_request(
        user=operator, kind=KIND, account=account, region=REGION, targets=[fleet.arns["render"]],
        params={"max_vcpus": 64}, reason="render peak",
    )  # fmt: skip
    action.refresh_from_db()
    assert action.status == "succeeded", action.error
    assert fleet.environment("render")["computeResources"]["maxvCpus"] == 64
    assert ComputeEnvironment.objects.get(compute_environment_arn=fleet.arns["render"]).max_vcpus == 64


def test_settings_already_in_place_are_not_sent_again(operator, account, fleet):
    action = services.action_request(
        user=operator, kind=KIND, account=account, region=REGION, targets=[fleet.arns["etl"]],
        params={"desired_vcpus": 2, "max_vcpus": 16, "state": "ENABLED"}, reason="same",
    )  # fmt: skip
    action.refresh_from_db()
    assert action.status == "succeeded", action.error
    assert "etl is at desired 2 / max 16, ENABLED already: UpdateComputeEnvironment is not called." in log_of(action)
    assert "sent_at" not in action.result and action.result["outcome"] == "already applied"


FORM_REFUSALS = [
    ({"min_vcpus": 8, "desired_vcpus": 4}, "The desired vCPUs (4) cannot be below the minimum (8)."),
    ({"desired_vcpus": 40, "max_vcpus": 32}, "The desired vCPUs (40) cannot be above the maximum (32)."),
    ({"min_vcpus": 9, "max_vcpus": 8}, "The minimum vCPUs (9) cannot be above the maximum (8)."),
    ({"max_vcpus": -1}, "Maximum vCPUs cannot be negative: 0 is the fewest."),
    ({"max_vcpus": 2**31}, "2,147,483,648 vCPUs is above 2,147,483,647, the largest number the Batch API takes."),
    ({"max_vcpus": "lots"}, "Maximum vCPUs is a whole number of vCPUs (0 or more)."),
    ({"state": "PAUSED"}, "The state is ENABLED or DISABLED (or empty to leave it)."),
    ({}, "Say what to change: a vCPU setting, the state, or both."),
]
TARGET_REFUSALS = [
    ("render", {"desired_vcpus": 4}, "render runs on FARGATE, which has no minimum or desired vCPUs"),
    ("byo", {"max_vcpus": 4}, "byo is an UNMANAGED environment: you run its instances yourself"),
    ("etl", {"desired_vcpus": 1}, "etl runs 2 desired vCPUs now, and AWS takes no desired vCPUs below the current"),
    ("etl", {"min_vcpus": 20}, "The minimum vCPUs of etl would be 20, above its maximum of 16."),
]


@pytest.mark.django_db  # nothing is recorded: no need for the slower transactional database
def test_invalid_settings_are_refused_in_the_form_and_the_api(operator_client, account, fleet):
    url = reverse("actions:new", args=[KIND])
    for params, reason in FORM_REFUSALS:
        page = operator_client.post(url, form_data(account, fleet.arns["etl"], **params))
        assert page.status_code == 400 and reason in page.content.decode(), (params, page.content.decode()[-3000:])
        answer = api(operator_client, fleet.arns["etl"], **params)
        assert answer.status_code == 400 and reason in answer.content.decode(), (params, answer.content)
    assert not Action.objects.exists()
    assert fleet.vcpus("etl") == (0, 2, 16)


@pytest.mark.django_db
def test_settings_the_environment_cannot_take_are_refused(operator_client, account, fleet):
    url = reverse("actions:new", args=[KIND])
    for name, params, reason in TARGET_REFUSALS:
        page = operator_client.post(url, form_data(account, fleet.arns[name], **params))
        assert page.status_code == 400 and reason in page.content.decode(), (name, params)
        answer = api(operator_client, fleet.arns[name], **params)
        assert answer.status_code == 400 and reason in answer.content.decode(), (name, params, answer.content)
    assert not Action.objects.exists()


@pytest.mark.django_db
def test_a_deployment_ceiling_is_refused(operator_client, fleet, settings):
    settings.FLEETUI_BATCH_MAX_VCPUS = 100
    answer = api(operator_client, fleet.arns["etl"], max_vcpus=101)
    assert answer.status_code == 400
    assert "101 vCPUs is above 100, the ceiling set by FLEETUI_BATCH_MAX_VCPUS" in answer.content.decode()
    assert not Action.objects.exists()


@pytest.mark.django_db
def test_a_viewer_may_not_update(viewer_client: Client, account, fleet):
    page = viewer_client.post(reverse("actions:new", args=[KIND]), form_data(account, fleet.arns["etl"], max_vcpus=8))
    assert page.status_code == 403
    assert api(viewer_client, fleet.arns["etl"], max_vcpus=8).status_code == 403
    assert not Action.objects.exists() and fleet.vcpus("etl") == (0, 2, 16)


def recorded(operator, account, arn: str, monkeypatch, **params) -> Action:
    """The action recorded now and run later (the caller changes AWS in between)."""
    monkeypatch.setattr(services, "action_enqueue", lambda action: None)
    return services.action_request(
        user=operator, kind=KIND, account=account, region=REGION, targets=[arn], params=params, reason="gone"
    )


def run_now(action: Action) -> Action:
    from fleetui.actions.tasks import run_action

    run_action.delay(action.pk)
    action.refresh_from_db()
    return action


def test_an_environment_deleted_in_the_meantime_fails_with_aws_words(operator, account, fleet, monkeypatch):
    action = recorded(operator, account, fleet.arns["etl"], monkeypatch, max_vcpus=8)
    fleet.batch.update_compute_environment(computeEnvironment="etl", state="DISABLED")
    fleet.batch.delete_compute_environment(computeEnvironment="etl")
    action = run_now(action)
    assert action.status == "failed"
    assert action.error == (
        "Not found: DescribeComputeEnvironments does not list etl (it was deleted, or is in another account or "
        "region) [MISSING]. Nothing was changed by this action."
    )
    log = log_of(action)
    assert log[-1] == action.error and "Reading etl" in log
    assert not ComputeEnvironment.objects.filter(compute_environment_arn=fleet.arns["etl"], gone_at=None).exists()


def test_the_live_environment_is_checked_again_before_anything_is_sent(operator, account, fleet, monkeypatch):
    """The inventory was out of date (someone raised desired to 4): the run's own read says why it cannot go on."""
    sandbox_delay(fleet.endpoint, 0)
    fleet.batch.update_compute_environment(computeEnvironment="etl", computeResources={"desiredvCpus": 4})
    assert fleet.environment("etl")["status"] == "VALID"  # settled at 4 desired; the inventory still says 2
    action = run_now(recorded(operator, account, fleet.arns["etl"], monkeypatch, desired_vcpus=3))
    assert action.status == "failed"
    assert action.error.startswith("etl runs 4 desired vCPUs now, and AWS takes no desired vCPUs below the current")
    assert action.error.endswith("Nothing was changed by this action.") and "sent_at" not in action.result
    assert fleet.vcpus("etl") == (0, 4, 16)


def test_an_update_that_does_not_settle_in_time_fails_and_says_it_was_sent(operator, account, fleet, settings):
    settings.FLEETUI_BATCH_UPDATE_TIMEOUT = 1
    sandbox_delay(fleet.endpoint, 30)
    action = services.action_request(
        user=operator, kind=KIND, account=account, region=REGION, targets=[fleet.arns["etl"]],
        params={"desired_vcpus": 8}, reason="slow",
    )  # fmt: skip
    action.refresh_from_db()
    assert action.status == "failed"
    assert action.error.startswith("Timed out after 1 s waiting for etl to be VALID. (FLEETUI_BATCH_UPDATE_TIMEOUT).")
    assert "This action had sent its update (UpdateComputeEnvironment)." in action.error
    assert fleet.environment("etl")["status"] == "UPDATING" and fleet.vcpus("etl")[1] == 8


def test_an_environment_gone_between_the_read_and_the_update_fails_with_aws_words(operator, account, fleet):
    """Batch answers UpdateComputeEnvironment for an environment it no longer has with ClientException (the
    sandbox's fault stands for a deletion between the action's read and its call)."""
    fault = {"action": "UpdateComputeEnvironment", "error": "ClientException", "count": 1,
             "message": "Compute environment etl does not exist"}  # fmt: skip
    requests.post(f"{fleet.endpoint}/fleetui-sandbox/faults", json=fault, timeout=10).raise_for_status()
    action = services.action_request(
        user=operator, kind=KIND, account=account, region=REGION, targets=[fleet.arns["etl"]],
        params={"max_vcpus": 8}, reason="gone",
    )  # fmt: skip
    action.refresh_from_db()
    assert action.status == "failed"
    assert action.error == (
        "AWS refused the request (UpdateComputeEnvironment: Compute environment etl does not exist) "
        "[ClientException]. Nothing was changed by this action."
    )
    assert "sent_at" not in action.result and fleet.vcpus("etl") == (0, 2, 16)
