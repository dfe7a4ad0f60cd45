"""Stop safety end to end against the sandbox: instance-store data is named and confirmed (ERASE <n>) before any
kind that stops instances is recorded, and instances AWS cannot stop are refused per instance while the rest go
ahead."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from fleetui.actions.models import Action
from fleetui.ec2.catalog import instance_type_fields
from fleetui.ec2.models import Instance, InstanceType
from fleetui.inventory.sync import sync_scope
from fleetui.sandbox.ec2.images import instance_store_image
from fleetui.sandbox.faults import fault_inject, faults_clear
from tests.actions.conftest import REGION, state_of
from tests.inventory.sync.fleet import launch

from .test_placement_ops import ICE, api, placement_of, sync_groups

pytestmark = pytest.mark.django_db(transaction=True)
CATALOG_TYPES = ["i3.large", "d2.xlarge", "m5.large"]


@pytest.fixture
def catalog(ec2):
    """The catalog rows of the types these tests launch, from the sandbox's DescribeInstanceTypes (the full catalog
    sync reads 800 types; its transform is the same)."""
    for raw in ec2.describe_instance_types(InstanceTypes=CATALOG_TYPES)["InstanceTypes"]:
        fields = instance_type_fields(raw)
        InstanceType.objects.update_or_create(name=fields.pop("name"), defaults={**fields, "last_seen": timezone.now()})


@pytest.fixture
def mixed(ec2, account, catalog):
    """`mixed()`: 2 i3.large (instance store, EBS root), 1 m5.large (EBS only), 1 d2.xlarge booted from an
    instance-store AMI, 1 one-time spot m5.large, all running and synced. Returns their ids by name."""

    def make(**extra) -> dict[str, str]:
        ids = {}
        ids["i3a"], ids["i3b"] = launch(ec2, 2, "i3.large", **extra)
        [ids["m5"]] = launch(ec2, 1, "m5.large", **extra)
        root = ec2.run_instances(
            ImageId=instance_store_image(ec2), MinCount=1, MaxCount=1, InstanceType="d2.xlarge", **extra
        )
        ids["store_root"] = root["Instances"][0]["InstanceId"]
        [ids["spot"]] = launch(ec2, 1, "m5.large", InstanceMarketOptions={"MarketType": "spot"}, **extra)
        sync_scope(account=account, region=REGION, resource_type="instances")
        return ids

    return make


def stop_api(client, targets, **extra):
    payload = {"kind": "ec2.stop", "targets": targets, "reason": "CHG-9", **extra}
    return client.post("/api/v1/actions/", payload, content_type="application/json")


@pytest.mark.django_db  # reads only: no transactional flush
def test_the_catalog_and_the_inventory_keep_instance_storage(ec2, account, mixed):
    ids = mixed()
    i3 = InstanceType.objects.get(name="i3.large")
    assert (i3.instance_storage_gb, i3.instance_storage_nvme) == (475, "required")
    assert i3.instance_storage_disks == [{"count": 1, "size_gb": 475, "type": "ssd", "nvme": True}]
    assert InstanceType.objects.get(name="m5.large").instance_storage_disks == []
    rows = {row.instance_id: row for row in Instance.objects.all()}
    assert (rows[ids["i3a"]].root_device_type, rows[ids["i3a"]].instance_store_text) == ("ebs", "1 × 475 GB NVMe SSD")
    assert (rows[ids["m5"]].has_instance_store, rows[ids["m5"]].instance_store_volumes) == (False, [])
    store_root = rows[ids["store_root"]]
    assert store_root.root_device_type == "instance-store"
    assert store_root.instance_store_volumes[0]["root"] is True
    assert store_root.instance_store_text.endswith("3 × 2048 GB HDD")


@pytest.mark.django_db  # reads only: no transactional flush
def test_the_instance_page_says_what_is_erased(viewer_client, mixed):
    ids = mixed()
    page = viewer_client.get(reverse("ec2:instance_detail", args=["123456789012", REGION, ids["i3a"]]))
    assert "Instance store: 1 × 475 GB NVMe SSD — erased when the instance stops or terminates" in page.content.decode()
    root_page = viewer_client.get(reverse("ec2:instance_detail", args=["123456789012", REGION, ids["store_root"]]))
    assert "AWS cannot stop it, only reboot or terminate it" in root_page.content.decode()
    ebs_page = viewer_client.get(reverse("ec2:instance_detail", args=["123456789012", REGION, ids["m5"]]))
    assert 'id="instance-store"' not in ebs_page.content.decode()


@pytest.mark.django_db  # reads only: no transactional flush
def test_the_overview_tile_counts_running_instances_with_instance_store_and_links_to_them(
    ec2, account, viewer_client, mixed
):
    ids = mixed()
    ec2.stop_instances(InstanceIds=[ids["i3b"]])  # stopped: nothing left to lose
    sync_scope(account=account, region=REGION, resource_type="instances")
    page = viewer_client.get(reverse("inventory:overview")).content.decode()
    data = next(
        p["overview"] for p in viewer_client.get(reverse("inventory:overview")).context["panels"] if "overview" in p
    )
    assert data.findings["instance_store"] == 2  # i3a and the instance-store-root d2
    assert "?state=running&amp;instance_store=true" in page and "Running instances hold instance-store data" in page
    listed = viewer_client.get(reverse("ec2:instance_list"), {"state": "running", "instance_store": "true"})
    assert {row.record.instance_id for row in listed.context["table"].page.object_list} == {
        ids["i3a"],
        ids["store_root"],
    }
    api = viewer_client.get("/api/v1/ec2/instances/", {"instance_store": "false"}).json()
    assert {row["instance_id"] for row in api["results"]} == {ids["m5"], ids["spot"]}


def test_the_api_refuses_a_stop_of_instance_store_data_without_erase_n_and_records_nothing(ec2, operator_client, mixed):
    ids = mixed()
    targets = [ids["i3a"], ids["i3b"], ids["m5"]]
    for confirm in (None, "ERASE 3", "erase 2"):
        refused = stop_api(operator_client, targets, **({"confirm": confirm} if confirm else {}))
        assert refused.status_code == 400
        assert refused.json()["confirm"] == [
            "Stop instances stops 2 running instances whose instance-store data will be erased: type ERASE 2 to "
            "confirm."
        ]
    assert not Action.objects.exists()
    assert {state_of(ec2, i) for i in targets} == {"running"}

    done = stop_api(operator_client, targets, confirm="ERASE 2")
    assert done.status_code == 201, done.content
    assert Action.objects.get().status == "succeeded"
    assert {state_of(ec2, i) for i in targets} == {"stopped"}
    # Stopped now: a second stop has nothing left to erase and asks for nothing.
    assert stop_api(operator_client, targets).status_code == 201


def test_the_page_lists_the_instances_whose_data_is_erased_and_keeps_the_form_until_confirmed(
    ec2, account, operator_client, mixed
):
    ids = mixed()
    targets = [ids["i3a"], ids["m5"]]
    url = reverse("actions:new", args=["ec2.stop"])
    form = operator_client.get(url, {"target": targets}).content.decode()
    assert 'id="erase-warning"' in form and "1 × 475 GB NVMe SSD" in form
    erase_list = form.split('class="target-list erase-list"')[1].split("</ul>")[0]
    assert ids["i3a"] in erase_list and ids["m5"] not in erase_list
    assert "Type <strong>ERASE 1</strong> to confirm" in form

    post = {"account": account.account_id, "region": REGION, "targets": " ".join(targets), "submit": "1"}
    post.update(reason="CHG-10 kernel", idempotency_key="k-erase")
    refused = operator_client.post(url, {**post, "confirm": "ERASE"})
    assert refused.status_code == 400 and not Action.objects.exists()
    body = refused.content.decode()
    assert "type ERASE 1 to confirm" in body and "CHG-10 kernel" in body  # the form keeps its values
    assert operator_client.post(url, {**post, "confirm": "ERASE 1"}).status_code == 302
    assert Action.objects.get().result["instances"] == dict.fromkeys(targets, "stopped")


def test_a_bulk_stop_refuses_an_instance_store_root_and_a_one_time_spot_per_instance_and_stops_the_rest(
    ec2, operator_client, mixed
):
    ids = mixed()
    targets = [ids["store_root"], ids["spot"], ids["m5"]]
    form = operator_client.get(reverse("actions:new", args=["ec2.stop"]), {"target": targets}).content.decode()
    assert 'id="store-root-refusal"' in form and ids["store_root"] in form and 'id="spot-check"' in form
    assert "ERASE" not in form  # the instance-store root is refused, not erased

    response = stop_api(operator_client, targets)
    assert response.status_code == 201, response.content
    action = Action.objects.get()
    outcome = action.result["instances"]
    assert outcome[ids["m5"]] == "stopped"
    assert outcome[ids["store_root"]].startswith("failed: refused before the call: its root device is instance store")
    assert outcome[ids["spot"]].startswith("failed: refused before the call: a spot instance from a one-time request")
    assert action.status == "failed" and "2 of 3 instance(s) could not be stopped" in action.error
    assert [state_of(ec2, i) for i in targets] == ["running", "running", "stopped"]


def test_a_move_erases_only_with_erase_n_and_refuses_what_aws_cannot_stop(ec2, account, operator_client, mixed):
    ec2.create_placement_group(GroupName="hpc", Strategy="cluster")
    sync_groups(account)
    ids = mixed()
    targets = [ids["i3a"], ids["m5"], ids["store_root"]]
    refused = api(operator_client, "ec2.move_placement", targets, {"destination": "hpc"})
    assert refused.status_code == 400 and "type ERASE 1 to confirm" in refused.json()["confirm"][0]
    assert not Action.objects.exists()

    response = api(operator_client, "ec2.move_placement", targets, {"destination": "hpc"}, confirm="ERASE 1")
    action = Action.objects.get(pk=response.json()["id"])
    assert action.status == "failed" and f"AWS cannot stop {ids['store_root']}" in action.error
    assert action.result["refused"] == [ids["store_root"]] and action.result["moved"] == [ids["i3a"], ids["m5"]]
    assert [placement_of(ec2, i).get("GroupName", "") for i in targets] == ["hpc", "hpc", ""]
    assert [state_of(ec2, i) for i in targets] == ["running", "running", "running"]


@pytest.mark.django_db  # reads only: no transactional flush
def test_change_type_asks_for_erase_n_too(operator_client, mixed):
    ids = mixed()
    refused = api(operator_client, "ec2.change_type", [ids["i3a"], ids["i3b"]], {"instance_type": "i3.large"})
    assert refused.status_code == 400
    assert refused.json()["confirm"] == [
        "Change instance type stops 2 running instances whose instance-store data will be erased: type ERASE 2 to "
        "confirm."
    ]
    assert not Action.objects.exists()


def test_the_retry_of_a_move_left_by_a_capacity_error_asks_again_for_what_it_stops(
    ec2, aws, account, operator_client, operator, catalog
):
    ec2.create_placement_group(GroupName="hpc", Strategy="cluster")
    sync_groups(account)
    ids = launch(ec2, 3, "i3.large")
    sync_scope(account=account, region=REGION, resource_type="instances")
    fault_inject(endpoint=aws, action="StartInstances", error=ICE, count=50, status=400)
    params = {"destination": "hpc", "batch_size": 2, "capacity_retries": 1}
    failed = api(operator_client, "ec2.move_placement", ids, params, confirm="ERASE 3")
    action = Action.objects.get(pk=failed.json()["id"])
    assert action.status == "failed" and action.result["untouched"] == [ids[2]]
    faults_clear(endpoint=aws)

    from fleetui.actions.registry import operation_get

    retry = next(b for b in operation_get(action.kind).page_extra(action, operator)["buttons"] if b["label"] == "Retry")
    page = operator_client.get(retry["url"]).content.decode()
    # Two are left stopped (nothing left to erase), the untouched one still runs with its data.
    erase_list = page.split('class="target-list erase-list"')[1].split("</ul>")[0]
    assert ids[2] in erase_list and ids[0] not in erase_list and "Type <strong>ERASE 1</strong>" in page
    query = parse_qsl(urlsplit(retry["url"]).query, keep_blank_values=True)
    data = {k: v for k, v in query if k != "target"}
    data.update(targets=" ".join(v for k, v in query if k == "target"), reason="retry", submit="1")
    assert operator_client.post(urlsplit(retry["url"]).path, {**data, "idempotency_key": "r1"}).status_code == 400
    assert not Action.objects.filter(parent=action).exists()
    done = operator_client.post(urlsplit(retry["url"]).path, {**data, "idempotency_key": "r2", "confirm": "ERASE 1"})
    assert done.status_code == 302
    assert Action.objects.get(parent=action).status == "succeeded"
