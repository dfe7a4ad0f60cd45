"""Placement groups and the stop -> change -> start kinds end to end: page or API -> task (eager) -> sandbox EC2
-> inventory. Capacity errors are injected into the sandbox's StartInstances."""

from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from fleetui.actions import engine, services
from fleetui.actions.context import ActionContext
from fleetui.actions.models import Action
from fleetui.ec2.models import Instance, PlacementGroup
from fleetui.ec2.operations import capacity
from fleetui.inventory.sync import sync_scope
from fleetui.sandbox.faults import fault_inject, faults_clear
from tests.actions.conftest import REGION, state_of
from tests.inventory.sync.fleet import launch

pytestmark = pytest.mark.django_db(transaction=True)
ICE = "InsufficientInstanceCapacity"


def api(client, kind: str, targets: list[str], params: dict, **extra):
    payload = {"kind": kind, "targets": targets, "params": params, "reason": "CHG-7", "region": REGION, **extra}
    return client.post("/api/v1/actions/", payload, content_type="application/json")


def placement_of(ec2, instance_id: str) -> dict:
    return ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]["Placement"]


def groups(ec2) -> dict[str, dict]:
    return {g["GroupName"]: g for g in ec2.describe_placement_groups()["PlacementGroups"]}


def sync_groups(account) -> None:
    sync_scope(account=account, region=REGION, resource_type="placement_groups")


def messages(action: Action) -> list[str]:
    return [entry.message for entry in action.log.all()]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"strategy": "cluster"}, {"Strategy": "cluster"}),
        ({"strategy": "spread", "spread_level": "host"}, {"Strategy": "spread", "SpreadLevel": "host"}),
        ({"strategy": "partition", "partition_count": 5}, {"Strategy": "partition", "PartitionCount": 5}),
    ],
)
def test_create_makes_the_group_in_aws_and_the_inventory(ec2, account, operator_client, params, expected):
    response = api(operator_client, "ec2.create_placement_group", [], {"name": "hpc-1", **params})
    assert response.status_code == 201, response.content
    action = Action.objects.get(pk=response.json()["id"])
    assert action.status == "succeeded", action.error
    made = groups(ec2)["hpc-1"]
    assert {key: made.get(key) for key in expected} == expected and made["State"] == "available"
    assert action.result == {"group_name": "hpc-1", "group_id": made["GroupId"]}
    row = PlacementGroup.objects.get(account=account, group_name="hpc-1")  # the targeted re-sync ran
    assert (row.strategy, row.group_id, row.partition_count) == (
        expected["Strategy"],
        made["GroupId"],
        expected.get("PartitionCount"),
    )


def test_create_refuses_a_duplicate_name_and_a_partition_group_without_a_count(ec2, account, operator_client):
    ec2.create_placement_group(GroupName="taken", Strategy="spread")
    sync_groups(account)
    duplicate = api(operator_client, "ec2.create_placement_group", [], {"name": "taken", "strategy": "cluster"})
    assert duplicate.status_code == 400
    assert "already exists" in duplicate.json()["name"][0]
    no_count = api(operator_client, "ec2.create_placement_group", [], {"name": "p", "strategy": "partition"})
    assert no_count.status_code == 400
    assert no_count.json()["partition_count"] == ["A partition group needs a partition count (1-7)."]
    count_on_cluster = api(
        operator_client, "ec2.create_placement_group", [], {"name": "c", "strategy": "cluster", "partition_count": 2}
    )
    assert count_on_cluster.json()["partition_count"] == ["Only a partition group has partitions."]
    assert not Action.objects.exists() and set(groups(ec2)) == {"taken"}


def test_create_of_a_group_that_already_exists_with_the_same_strategy_is_done(ec2, account, operator_client):
    """What a redelivery finds after its first delivery created the group (the inventory has not seen it yet)."""
    made = ec2.create_placement_group(GroupName="again", Strategy="cluster")["PlacementGroup"]
    response = api(operator_client, "ec2.create_placement_group", [], {"name": "again", "strategy": "cluster"})
    action = Action.objects.get(pk=response.json()["id"])
    assert action.status == "succeeded" and action.result["group_id"] == made["GroupId"]
    assert any("already exists: created by an earlier delivery" in m for m in messages(action))


def test_delete_of_an_empty_group_removes_it(ec2, account, admin_client_):
    ec2.create_placement_group(GroupName="old", Strategy="cluster")
    sync_groups(account)
    response = api(admin_client_, "ec2.delete_placement_group", ["old"], {})
    action = Action.objects.get(pk=response.json()["id"])
    assert action.status == "succeeded", action.error
    assert action.result["groups"] == {"old": "deleted"} and "old" not in groups(ec2)
    assert PlacementGroup.objects.get(group_name="old").gone_at is not None


def test_delete_of_a_group_with_members_is_refused_before_anything_with_the_count(ec2, account, fleet, admin_client_):
    ec2.create_placement_group(GroupName="busy", Strategy="spread")
    ids = fleet(2, Placement={"GroupName": "busy"})
    sync_groups(account)
    response = api(admin_client_, "ec2.delete_placement_group", ["busy"], {})
    assert response.status_code == 400
    refusal = response.json()["targets"][0]
    assert "'busy' has 2 instance(s)" in refusal and all(i in refusal for i in ids)
    assert not Action.objects.exists() and "busy" in groups(ec2)


def test_delete_fails_clearly_when_aws_says_the_group_is_in_use(ec2, account, admin_client_):
    ec2.create_placement_group(GroupName="late", Strategy="spread")
    sync_groups(account)
    launch(ec2, 1, Placement={"GroupName": "late"})  # the inventory has not seen it
    action = Action.objects.get(pk=api(admin_client_, "ec2.delete_placement_group", ["late"], {}).json()["id"])
    assert action.status == "failed" and "InvalidPlacementGroup.InUse" in action.error
    assert "late" in action.error and "late" in groups(ec2)


def test_move_three_instances_into_a_cluster_group_in_batches_of_two(ec2, account, fleet, operator_client):
    ec2.create_placement_group(GroupName="hpc", Strategy="cluster")
    sync_groups(account)
    ids = fleet(3)
    ec2.stop_instances(InstanceIds=[ids[2]])  # a stopped one is moved and stays stopped
    sync_scope(account=account, region=REGION, resource_type="instances")
    params = {"destination": "hpc", "batch_size": 2}
    action = Action.objects.get(pk=api(operator_client, "ec2.move_placement", ids, params).json()["id"])

    assert action.status == "succeeded", action.error
    assert [placement_of(ec2, i)["GroupName"] for i in ids] == ["hpc", "hpc", "hpc"]
    assert [state_of(ec2, i) for i in ids] == ["running", "running", "stopped"]
    rows = Instance.objects.filter(instance_id__in=ids).order_by("instance_id")
    assert {r.instance_id: (r.placement_group, r.state) for r in rows} == {
        ids[0]: ("hpc", "running"),
        ids[1]: ("hpc", "running"),
        ids[2]: ("hpc", "stopped"),
    }
    assert action.result["moved"] == ids and action.result["was_running"] == ids[:2]
    assert action.result["original"] == {i: {"group": "", "partition": None} for i in ids}
    assert action.result["instances"] == dict.fromkeys(ids, "moved into placement group 'hpc'")
    log = messages(action)
    for batch in ("Batch 1 of 2", "Batch 2 of 2"):
        assert any(m.startswith(f"{batch}: moving") for m in log), log
    assert f"Batch 1 of 2: stopping 2 running instance(s): {ids[0]}, {ids[1]}" in log
    assert not any(m.startswith("Batch 2 of 2: st") for m in log)  # the stopped one: nothing to stop or start


def test_move_out_of_a_group_and_into_a_partition(ec2, account, fleet, operator_client):
    ec2.create_placement_group(GroupName="kafka", Strategy="partition", PartitionCount=3)
    ids = fleet(2, Placement={"GroupName": "kafka", "PartitionNumber": 1})
    sync_groups(account)
    out = Action.objects.get(pk=api(operator_client, "ec2.move_placement", ids[:1], {"destination": ""}).json()["id"])
    assert out.status == "succeeded", out.error
    assert not placement_of(ec2, ids[0]).get("GroupName") and state_of(ec2, ids[0]) == "running"
    assert out.result["original"] == {ids[0]: {"group": "kafka", "partition": 1}}
    assert Instance.objects.get(instance_id=ids[0]).placement_group == ""

    params = {"destination": "kafka", "partition": 3}
    into = Action.objects.get(pk=api(operator_client, "ec2.move_placement", ids, params).json()["id"])
    assert into.status == "succeeded", into.error
    assert [(placement_of(ec2, i)["GroupName"], placement_of(ec2, i)["PartitionNumber"]) for i in ids] == [
        ("kafka", 3),
        ("kafka", 3),
    ]
    bad = api(operator_client, "ec2.move_placement", ids, {"destination": "kafka", "partition": 5})
    assert bad.json()["partition"] == ["'kafka' has 3 partitions."]


def test_move_refuses_instances_neither_running_nor_stopped(ec2, account, fleet, operator_client):
    ids = fleet(2)
    ec2.terminate_instances(InstanceIds=[ids[1]])
    sync_scope(account=account, region=REGION, resource_type="instances")
    response = api(operator_client, "ec2.move_placement", ids, {"destination": ""})
    assert response.status_code == 400
    assert f"{ids[1]} is terminated" in response.json()["targets"][0]


def test_a_capacity_error_is_answered_by_stopping_and_starting_the_batch_again(
    ec2, aws, account, fleet, operator_client
):
    ec2.create_placement_group(GroupName="hpc", Strategy="cluster")
    sync_groups(account)
    ids = fleet(2)
    fault_inject(endpoint=aws, action="StartInstances", error=ICE, count=1, status=400)
    action = Action.objects.get(pk=api(operator_client, "ec2.move_placement", ids, {"destination": "hpc"}).json()["id"])
    assert action.status == "succeeded", action.error
    assert [(placement_of(ec2, i)["GroupName"], state_of(ec2, i)) for i in ids] == [("hpc", "running")] * 2
    log = messages(action)
    assert any("AWS has no capacity to start them" in m and ICE in m for m in log), log
    assert "Batch 1 of 1: capacity retry 1 of 3: stopping the batch again, then starting it" in log
    assert "left_stopped" not in action.result


def exhausted_move(ec2, aws, account, fleet, operator_client) -> tuple[Action, list[str]]:
    """3 instances in spread group 'old' (one stopped) moved to cluster 'hpc' in batches of 2 while AWS has no
    capacity: the first batch is left stopped, the third instance untouched."""
    ec2.create_placement_group(GroupName="old", Strategy="spread")
    ec2.create_placement_group(GroupName="hpc", Strategy="cluster")
    ids = fleet(3, Placement={"GroupName": "old"})
    ec2.stop_instances(InstanceIds=[ids[1]])
    sync_scope(account=account, region=REGION, resource_type="instances")
    sync_groups(account)
    fault_inject(endpoint=aws, action="StartInstances", error=ICE, count=50, status=400)
    params = {"destination": "hpc", "batch_size": 2, "capacity_retries": 2}
    action = Action.objects.get(pk=api(operator_client, "ec2.move_placement", ids, params).json()["id"])
    return action, ids


def test_exhausted_capacity_fails_naming_the_instances_left_stopped_and_where(
    ec2, aws, account, fleet, operator_client, viewer_client
):
    action, ids = exhausted_move(ec2, aws, account, fleet, operator_client)
    assert action.status == "failed"
    assert f"Left stopped: {ids[0]} in placement group 'hpc'." in action.error
    assert "after 2 capacity retries [InsufficientInstanceCapacity]" in action.error
    assert f"Not touched (still as they were): {ids[2]}." in action.error
    assert action.result["left_stopped"] == [ids[0]] and action.result["untouched"] == [ids[2]]
    assert action.result["moved"] == ids[:2]
    assert action.result["original"] == {i: {"group": "old", "partition": None} for i in ids}
    assert [state_of(ec2, i) for i in ids] == ["stopped", "stopped", "running"]
    assert [placement_of(ec2, i)["GroupName"] for i in ids] == ["hpc", "hpc", "old"]
    assert sum("capacity retry" in m for m in messages(action)) == 2
    assert Instance.objects.get(instance_id=ids[0]).state == "stopped"  # re-synced on failure too

    page = operator_client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert ">Retry</a>" in page and ">Roll back to the original placement</a>" in page
    viewer_page = viewer_client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert "Retry</a>" not in viewer_page and "Roll back" not in viewer_page


def follow_button(client, action: Action, label: str, key: str) -> Action:
    """GET the button's form, then POST it as a person would (the prefilled values, a reason, submit)."""
    button = next(b for b in action.operation_extra if b["label"] == label)
    assert client.get(button["url"]).status_code == 200
    query = parse_qsl(urlsplit(button["url"]).query, keep_blank_values=True)
    data = {k: v for k, v in query if k != "target"}
    data.update(targets=" ".join(v for k, v in query if k == "target"), reason="undo", idempotency_key=key, submit="1")
    response = client.post(urlsplit(button["url"]).path, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    return Action.objects.get(parent=action, idempotency_key=key)


@pytest.fixture
def with_extra(operator):
    def attach(action: Action) -> Action:
        from fleetui.actions.registry import operation_get

        action.refresh_from_db()
        action.operation_extra = operation_get(action.kind).page_extra(action, operator)["buttons"]
        return action

    return attach


def test_roll_back_restores_the_original_placement(ec2, aws, account, fleet, operator_client, with_extra):
    action, ids = exhausted_move(ec2, aws, account, fleet, operator_client)
    faults_clear(endpoint=aws)
    back = follow_button(operator_client, with_extra(action), "Roll back to the original placement", "rb")
    assert back.status == "succeeded", back.error
    assert back.targets == ids[:2] and back.params["destination"] == "old"
    assert [placement_of(ec2, i)["GroupName"] for i in ids] == ["old", "old", "old"]
    # The one that was running before the failed move runs again; the one that was stopped stays stopped.
    assert [state_of(ec2, i) for i in ids] == ["running", "stopped", "running"]


def test_retry_finishes_the_move_and_starts_what_the_failure_left_stopped(
    ec2, aws, account, fleet, operator_client, with_extra
):
    action, ids = exhausted_move(ec2, aws, account, fleet, operator_client)
    faults_clear(endpoint=aws)
    retry = follow_button(operator_client, with_extra(action), "Retry", "retry")
    assert retry.status == "succeeded", retry.error
    assert retry.targets == [ids[0], ids[2]]
    assert [placement_of(ec2, i)["GroupName"] for i in ids] == ["hpc", "hpc", "hpc"]
    assert [state_of(ec2, i) for i in ids] == ["running", "stopped", "running"]
    # It keeps the real origin, so a rollback of the retry still goes back to 'old'.
    assert retry.result["original"][ids[0]] == {"group": "old", "partition": None}


def test_change_type_keeps_stopped_instances_stopped_and_skips_those_already_of_the_type(
    ec2, account, fleet, operator_client
):
    sync_scope(account=account, region=REGION, resource_type="instance_types")
    ids = fleet(2) + launch(ec2, 1, instance_type="m5.xlarge")
    ec2.stop_instances(InstanceIds=[ids[1]])
    sync_scope(account=account, region=REGION, resource_type="instances")
    action = Action.objects.get(
        pk=api(operator_client, "ec2.change_type", ids, {"instance_type": "m5.xlarge"}).json()["id"]
    )
    assert action.status == "succeeded", action.error
    described = {
        i["InstanceId"]: (i["InstanceType"], i["State"]["Name"])
        for r in ec2.describe_instances(InstanceIds=ids)["Reservations"]
        for i in r["Instances"]
    }
    assert described == {
        ids[0]: ("m5.xlarge", "running"),
        ids[1]: ("m5.xlarge", "stopped"),
        ids[2]: ("m5.xlarge", "running"),
    }
    assert action.result["instances"] == {
        ids[0]: "changed to m5.xlarge",
        ids[1]: "changed to m5.xlarge",
        ids[2]: "already m5.xlarge",
    }
    assert action.result["original"] == {
        i: {"type": t} for i, t in zip(ids, ["m5.large", "m5.large", "m5.xlarge"], strict=True)
    }
    assert set(Instance.objects.filter(instance_id__in=ids).values_list("instance_type", flat=True)) == {"m5.xlarge"}
    assert f"Batch 1 of 1: stopping 1 running instance(s): {ids[0]}" in messages(action)  # not ids[2]


def test_change_type_with_exhausted_capacity_offers_a_rollback_to_the_original_type(
    ec2, aws, account, fleet, operator_client, with_extra
):
    sync_scope(account=account, region=REGION, resource_type="instance_types")
    ids = fleet(1)
    fault_inject(endpoint=aws, action="StartInstances", error=ICE, count=50, status=400)
    params = {"instance_type": "m5.xlarge", "capacity_retries": 0}
    action = Action.objects.get(pk=api(operator_client, "ec2.change_type", ids, params).json()["id"])
    assert action.status == "failed" and f"Left stopped: {ids[0]} as m5.xlarge." in action.error
    faults_clear(endpoint=aws)
    back = follow_button(operator_client, with_extra(action), "Roll back to the original type", "rb-type")
    assert back.status == "succeeded", back.error
    assert ec2.describe_instances(InstanceIds=ids)["Reservations"][0]["Instances"][0]["InstanceType"] == "m5.large"
    assert state_of(ec2, ids[0]) == "running"


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing in the engine catches it, so the row stays running with the lost owner."""


def test_a_redelivered_move_does_not_repeat_finished_batches(ec2, account, fleet, operator, monkeypatch, settings):
    ec2.create_placement_group(GroupName="hpc", Strategy="cluster")
    sync_groups(account)
    ids = fleet(4)
    monkeypatch.setattr(services, "action_enqueue", lambda action: None)  # no task: this test is the worker
    action = services.action_request(
        user=operator, kind="ec2.move_placement", account=account, region=REGION, targets=ids,
        params={"destination": "hpc", "batch_size": 2}, reason="redelivery",
    )  # fmt: skip
    real_step = ActionContext.step

    def killed_at_batch_two(self, message, **kwargs):
        if message.startswith("Batch 2 of 2: reading") and self.owner == "w1":
            raise WorkerKilled()
        return real_step(self, message, **kwargs)

    monkeypatch.setattr(ActionContext, "step", killed_at_batch_two)
    with pytest.raises(WorkerKilled):
        engine.action_execute(action.pk, owner="w1")
    action.refresh_from_db()
    assert action.status == "running" and action.result["batches_done"] == 1
    assert [placement_of(ec2, i).get("GroupName") or "" for i in ids] == ["hpc", "hpc", "", ""]

    stopped: list[str] = []
    real_stop = capacity.aws_instances.instances_stop
    monkeypatch.setattr(
        capacity.aws_instances, "instances_stop", lambda **kw: stopped.extend(kw["ids"]) or real_stop(**kw)
    )
    stale = timezone.now() - timedelta(seconds=settings.FLEETUI_ACTION_STALE_AFTER + 1)
    Action.objects.filter(pk=action.pk).update(heartbeat_at=stale)
    engine.action_execute(action.pk, owner="w2")
    action.refresh_from_db()
    assert action.status == "succeeded", action.error
    assert stopped == ids[2:]  # the first batch was not stopped again
    assert [placement_of(ec2, i)["GroupName"] for i in ids] == ["hpc"] * 4
    assert [state_of(ec2, i) for i in ids] == ["running"] * 4
    log = messages(action)
    assert "Batch 1 of 2 was finished by an earlier delivery; not repeating it." in log
    assert sum(m == "Batch 1 of 2: moving 2 instance(s)" for m in log) == 1


def test_the_placement_group_list_offers_create_to_operators_and_delete_to_admins(
    ec2, account, operator_client, admin_client_, viewer_client
):
    ec2.create_placement_group(GroupName="hpc", Strategy="cluster")
    sync_groups(account)
    url = reverse("ec2:placement_group_list")
    create = reverse("actions:new", args=["ec2.create_placement_group"])
    admin_page = admin_client_.get(url).content.decode()
    assert create in admin_page and 'value="ec2.delete_placement_group"' in admin_page
    assert 'name="target" value="hpc"' in admin_page
    operator_page = operator_client.get(url).content.decode()
    assert create in operator_page and "ec2.delete_placement_group" not in operator_page
    assert 'name="target"' not in operator_page
    viewer_page = viewer_client.get(url).content.decode()
    assert create not in viewer_page and 'name="target"' not in viewer_page
    form = operator_client.get(create).content.decode()
    assert 'name="p-name"' in form and 'value="partition"' in form
