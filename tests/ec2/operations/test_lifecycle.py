"""ec2.start/stop/reboot/terminate end to end: page or API -> task (eager) -> sandbox EC2 -> inventory."""

import pytest
from django.urls import reverse

from fleetui.actions.models import Action
from fleetui.ec2.models import Instance
from tests.actions.conftest import REGION, state_of

# Transactional: the action is enqueued on commit, as in production (eager mode then runs it at once).
pytestmark = pytest.mark.django_db(transaction=True)


def test_stop_from_the_page_stops_the_instances_and_refreshes_the_inventory(ec2, fleet, operator_client, account):
    ids = fleet(2)
    url = reverse("actions:new", args=["ec2.stop"])
    form = operator_client.get(url, {"target": ids})
    assert form.status_code == 200 and ids[0] in form.content.decode()

    done = operator_client.post(
        url,
        {
            "account": account.account_id,
            "region": REGION,
            "targets": " ".join(ids),
            "reason": "CHG-1 patching",
            "idempotency_key": "k1",
            "submit": "1",
        },
    )
    action = Action.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("actions:detail", args=[action.pk])
    assert (action.status, action.progress, action.error) == ("succeeded", 100, "")
    assert action.result["instances"] == dict.fromkeys(ids, "stopped")
    assert [state_of(ec2, i) for i in ids] == ["stopped", "stopped"]
    # The targeted re-sync ran before the action ended: the inventory already shows it.
    assert set(Instance.objects.filter(instance_id__in=ids).values_list("state", flat=True)) == {"stopped"}
    assert [e.message for e in action.log.all()][-1] == "Succeeded."


def test_start_skips_instances_already_running_and_reports_each(ec2, fleet, operator_client):
    ids = fleet(2)
    ec2.stop_instances(InstanceIds=[ids[0]])
    response = operator_client.post(
        "/api/v1/actions/", {"kind": "ec2.start", "targets": ids, "reason": "back up"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = operator_client.get(f"/api/v1/actions/{response.json()['id']}/").json()
    assert body["status"] == "succeeded"
    assert body["result"]["instances"] == {ids[0]: "started", ids[1]: "already running"}
    assert body["account"] == "123456789012" and body["region"] == REGION  # taken from the inventory
    assert any("Reading the state" in entry["message"] for entry in body["log"])


def test_terminate_is_refused_for_protected_instances_and_done_for_the_rest(ec2, fleet, admin_client_):
    ids = fleet(3)
    ec2.modify_instance_attribute(InstanceId=ids[0], DisableApiTermination={"Value": True})
    payload = {"kind": "ec2.terminate", "targets": ids, "reason": "decommission", "confirm": "3"}
    response = admin_client_.post("/api/v1/actions/", payload, content_type="application/json")
    action = Action.objects.get(pk=response.json()["id"])
    assert action.status == "failed"
    assert "1 of 3 instance(s) could not be terminated" in action.error and ids[0] in action.error
    assert "termination protection" in action.result["instances"][ids[0]]
    assert [state_of(ec2, i) for i in ids] == ["running", "terminated", "terminated"]


def test_a_destructive_bulk_action_needs_the_count_typed(fleet, admin_client_):
    ids = fleet(2)
    payload = {"kind": "ec2.terminate", "targets": ids, "reason": "decommission", "confirm": "3"}
    response = admin_client_.post("/api/v1/actions/", payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["confirm"] == ["This terminate instances affects 2 resources: type 2 to confirm."]
    assert not Action.objects.exists()


def test_an_unknown_instance_is_refused_before_anything_runs(fleet, operator_client):
    fleet(1)
    payload = {
        "kind": "ec2.stop",
        "targets": ["i-0000000000000dead"],
        "reason": "x",
        "account": "123456789012",
        "region": REGION,
    }
    response = operator_client.post("/api/v1/actions/", payload, content_type="application/json")
    assert response.status_code == 400
    assert "Not in the inventory of 123456789012/us-east-1: i-0000000000000dead" in response.json()["targets"][0]
    assert not Action.objects.exists()


def test_stop_on_a_terminated_instance_fails_with_its_state(ec2, fleet, operator_client):
    ids = fleet(2)
    ec2.terminate_instances(InstanceIds=[ids[1]])
    response = operator_client.post(
        "/api/v1/actions/", {"kind": "ec2.stop", "targets": ids, "reason": "x"}, content_type="application/json"
    )
    action = Action.objects.get(pk=response.json()["id"])
    assert action.status == "failed"
    assert action.result["instances"] == {
        ids[0]: "stopped",
        ids[1]: "failed: it is terminated; stop instances needs pending or running",
    }


def test_reboot_leaves_instances_running(ec2, fleet, operator_client):
    ids = fleet(1)
    response = operator_client.post(
        "/api/v1/actions/", {"kind": "ec2.reboot", "targets": ids, "reason": "hung"}, content_type="application/json"
    )
    assert Action.objects.get(pk=response.json()["id"]).result["instances"] == {ids[0]: "rebooted"}
    assert state_of(ec2, ids[0]) == "running"
