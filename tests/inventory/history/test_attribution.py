"""Who made a change: the fleetui action that touched the resource while it ran (its re-sync included), with its
requester and reason, or "outside fleetui"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fleetui.actions.models import Action
from fleetui.inventory.models import ResourceChange
from fleetui.inventory.sync import sync_scope

from .conftest import REGION


def full_sync(account):
    return sync_scope(account=account, region=REGION, resource_type="instances")


@pytest.mark.django_db(transaction=True)  # the action is enqueued on commit and run eagerly, as in production
def test_a_fleetui_stop_is_its_actions_and_a_boto3_stop_is_outside_fleetui(ec2, fleet, account, operator_client):
    ids = fleet(2)
    response = operator_client.post(
        "/api/v1/actions/",
        {"kind": "ec2.stop", "targets": [ids[0]], "reason": "CHG-42 patching", "region": REGION},
        content_type="application/json",
    )
    action = Action.objects.get(pk=response.json()["id"])
    assert action.status == "succeeded", action.error
    ec2.stop_instances(InstanceIds=[ids[1]])
    full_sync(account)

    by_fleetui = ResourceChange.objects.get(resource_id=ids[0], kind="changed")
    assert (by_fleetui.action_id, by_fleetui.actor, by_fleetui.diff["state"]) == (
        action.pk,
        "otto",
        ["running", "stopped"],
    )
    outside = ResourceChange.objects.get(resource_id=ids[1], kind="changed")
    assert (outside.action_id, outside.actor, outside.diff["state"]) == (None, "", ["running", "stopped"])

    # The instance's page shows both ways on its timeline: the action, its requester and reason; or outside.
    page = operator_client.get(f"/instances/{account.account_id}/{REGION}/{ids[0]}/").content.decode()
    timeline = page[page.index('id="history"') :]
    assert f"#{action.pk} Stop instances" in timeline and "otto" in timeline and "CHG-42 patching" in timeline
    assert 'running</span> → <span class="new">stopped' in timeline
    other = operator_client.get(f"/instances/{account.account_id}/{REGION}/{ids[1]}/").content.decode()
    assert "outside fleetui" in other[other.index('id="history"') :]


@pytest.mark.django_db
def test_a_change_another_worker_observes_while_the_action_runs_is_still_the_actions(ec2, fleet, account, operator):
    """The link is made from the database, so it does not matter which worker syncs: a periodic full sync that sees
    the change while the action runs attributes it; one that sees a change after the action finished does not."""
    ids = fleet(3)
    now = timezone.now()
    request = {"kind": "ec2.stop", "account": account, "region": REGION, "requested_by": operator, "reason": "r"}
    running = Action.objects.create(**request, targets=[ids[0]], status="running", started_at=now)
    Action.objects.create(
        **request, targets=[ids[1]], status="succeeded", started_at=now - timedelta(minutes=5), finished_at=now
    )
    Action.objects.create(**request, targets=[ids[2]], status="pending")
    ec2.stop_instances(InstanceIds=ids)
    full_sync(account)
    made = dict(ResourceChange.objects.filter(kind="changed").values_list("resource_id", "action_id"))
    assert made == {ids[0]: running.pk, ids[1]: None, ids[2]: None}
