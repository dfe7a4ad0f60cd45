"""Elastic IP kinds end to end: page or API -> task (eager) -> sandbox EC2 -> inventory row -> action result."""

import pytest
from django.urls import reverse

from fleetui.actions.models import Action
from fleetui.actions.registry import OPERATIONS
from fleetui.ec2.models import ElasticIP, Instance
from fleetui.inventory.sync import sync_scope
from tests.actions.conftest import REGION

pytestmark = pytest.mark.django_db(transaction=True)


def _address(ec2, allocation_id: str) -> dict:
    found = ec2.describe_addresses(Filters=[{"Name": "allocation-id", "Values": [allocation_id]}])["Addresses"]
    return found[0] if found else {}


@pytest.fixture
def addresses(ec2, account):
    """`addresses(n)`: allocate n addresses in the sandbox and sync them; returns their allocation ids."""

    def make(count: int = 1) -> list[str]:
        ids = [ec2.allocate_address(Domain="vpc")["AllocationId"] for _ in range(count)]
        sync_scope(account=account, region=REGION, resource_type="elastic_ips")
        return ids

    return make


def _api(client, kind: str, targets: list[str], **params):
    payload = {"kind": kind, "targets": targets, "params": params, "reason": "CHG-7", "region": REGION}
    if "confirm" in params:
        payload["confirm"] = params.pop("confirm")
    return client.post("/api/v1/actions/", payload, content_type="application/json")


def test_allocate_from_the_page_tags_the_address_and_adds_it_to_the_inventory(ec2, account, operator_client):
    url = reverse("actions:new", args=["ec2.eip_allocate"])
    assert operator_client.get(url).status_code == 200
    done = operator_client.post(
        url,
        {
            "account": account.account_id,
            "region": REGION,
            "targets": "",
            "p-name": "web-frontend",
            "reason": "CHG-7 new endpoint",
            "idempotency_key": "alloc-1",
            "submit": "1",
        },
    )
    action = Action.objects.get()
    assert done.status_code == 302, done.content
    assert action.status == "succeeded", action.error
    allocation_id, public_ip = action.result["allocation_id"], action.result["public_ip"]
    tags = {t["Key"]: t["Value"] for t in _address(ec2, allocation_id)["Tags"]}
    assert tags == {"Name": "web-frontend", "fleetui:action-id": str(action.pk)}
    row = ElasticIP.objects.get(allocation_id=allocation_id)
    assert (row.public_ip, row.tags.get("Name"), row.association_id) == (public_ip, "web-frontend", "")


def test_allocate_redelivered_finds_its_own_address_instead_of_allocating_another(ec2, account, operator_client):
    from fleetui.actions.engine import action_execute

    response = _api(operator_client, "ec2.eip_allocate", [])
    action = Action.objects.get(pk=response.json()["id"])
    first = action.result["allocation_id"]
    # A second delivery of the same action (the worker died after AllocateAddress): reopen and run it again.
    Action.objects.filter(pk=action.pk).update(status="running", finished_at=None, heartbeat_at=None, result={})
    action_execute(action.pk, owner="test/redelivery")
    action.refresh_from_db()
    assert action.status == "succeeded" and action.result["allocation_id"] == first
    assert len(ec2.describe_addresses()["Addresses"]) == 1
    assert any("allocated by an earlier delivery" in e.message for e in action.log.all())


def test_associate_attaches_the_address_and_refreshes_address_and_instance(ec2, fleet, addresses, operator_client):
    [instance_id] = fleet(1)
    [allocation_id] = addresses(1)
    response = _api(operator_client, "ec2.eip_associate", [allocation_id], instance_id=instance_id)
    assert response.status_code == 201, response.content
    action = Action.objects.get(pk=response.json()["id"])
    assert action.status == "succeeded", action.error
    assert action.result["outcome"] == f"associated with {instance_id}"
    assert _address(ec2, allocation_id)["InstanceId"] == instance_id
    row = ElasticIP.objects.get(allocation_id=allocation_id)
    assert (row.instance_id, row.association_id) == (instance_id, action.result["association_id"])
    assert Instance.objects.get(instance_id=instance_id).public_ip == row.public_ip


def test_associate_refuses_an_address_attached_elsewhere_unless_reassociation_is_allowed(
    ec2, account, fleet, addresses, operator_client
):
    first, second = fleet(2)
    [allocation_id] = addresses(1)
    ec2.associate_address(AllocationId=allocation_id, InstanceId=first)
    sync_scope(account=account, region=REGION, resource_type="elastic_ips")
    refused = _api(operator_client, "ec2.eip_associate", [allocation_id], instance_id=second)
    assert refused.status_code == 400
    assert f"already associated with {first}" in refused.json()["targets"][0]
    assert "Allow reassociation" in refused.json()["targets"][0]
    assert not Action.objects.exists()

    moved = _api(operator_client, "ec2.eip_associate", [allocation_id], instance_id=second, allow_reassociation=True)
    action = Action.objects.get(pk=moved.json()["id"])
    assert action.status == "succeeded", action.error
    assert action.result["previous_instance"] == first
    assert _address(ec2, allocation_id)["InstanceId"] == second
    assert ElasticIP.objects.get(allocation_id=allocation_id).instance_id == second
    address_ip = ElasticIP.objects.get(allocation_id=allocation_id).public_ip
    assert Instance.objects.get(instance_id=second).public_ip == address_ip
    # Both instances are re-synced. (moto 5.2.5 leaves the moved address on the first instance's
    # PublicIpAddress, so its row cannot show the change here; EC2 gives it a new public IP or none.)
    touched = OPERATIONS["ec2.eip_associate"].touched(action)
    assert touched == {"elastic_ips": [allocation_id], "instances": [second, first]}


def test_associate_refuses_an_instance_outside_the_inventory_or_not_running_or_stopped(
    ec2, fleet, addresses, operator_client
):
    [instance_id] = fleet(1)
    [allocation_id] = addresses(1)
    unknown = _api(operator_client, "ec2.eip_associate", [allocation_id], instance_id="i-0123456789abcdef0")
    assert unknown.status_code == 400
    assert "not in the inventory" in unknown.json()["instance_id"][0]
    Instance.objects.filter(instance_id=instance_id).update(state="terminated")
    ended = _api(operator_client, "ec2.eip_associate", [allocation_id], instance_id=instance_id)
    assert ended.json()["instance_id"] == [f"{instance_id} is terminated; an address needs a running or stopped one."]
    assert not Action.objects.exists()


def test_disassociate_detaches_and_refuses_an_address_that_is_not_associated(
    ec2, account, fleet, addresses, operator_client
):
    [instance_id] = fleet(1)
    attached, loose = addresses(2)
    ec2.associate_address(AllocationId=attached, InstanceId=instance_id)
    sync_scope(account=account, region=REGION, resource_type="elastic_ips")
    refused = _api(operator_client, "ec2.eip_disassociate", [attached, loose])
    assert refused.status_code == 400
    assert refused.json()["targets"] == [f"Not associated, nothing to disassociate: {loose}."]
    assert not Action.objects.exists()

    response = _api(operator_client, "ec2.eip_disassociate", [attached])
    action = Action.objects.get(pk=response.json()["id"])
    assert action.status == "succeeded", action.error
    assert action.result["addresses"] == {attached: "disassociated"}
    assert "AssociationId" not in _address(ec2, attached)
    assert ElasticIP.objects.get(allocation_id=attached).association_id == ""
    assert (
        Instance.objects.get(instance_id=instance_id).public_ip
        != ElasticIP.objects.get(allocation_id=attached).public_ip
    )


def test_release_refuses_an_associated_address_with_disassociate_it_first(
    ec2, account, fleet, addresses, admin_client_
):
    [instance_id] = fleet(1)
    [allocation_id] = addresses(1)
    ec2.associate_address(AllocationId=allocation_id, InstanceId=instance_id)
    sync_scope(account=account, region=REGION, resource_type="elastic_ips")
    refused = _api(admin_client_, "ec2.eip_release", [allocation_id])
    assert refused.status_code == 400
    assert f"{allocation_id} it is associated with {instance_id}: disassociate it first" in refused.json()["targets"][0]
    assert not Action.objects.exists()
    assert _address(ec2, allocation_id)  # still allocated


def test_release_backstop_is_awss_in_use_error_when_the_inventory_is_behind(
    ec2, account, fleet, addresses, admin_client_
):
    [instance_id] = fleet(1)
    [allocation_id] = addresses(1)  # the inventory says: unattached
    ec2.associate_address(AllocationId=allocation_id, InstanceId=instance_id)
    response = _api(admin_client_, "ec2.eip_release", [allocation_id])
    action = Action.objects.get(pk=response.json()["id"])
    assert action.status == "failed"
    assert "disassociate it first" in action.error and allocation_id in action.error
    assert _address(ec2, allocation_id)["InstanceId"] == instance_id


def test_release_frees_addresses_with_the_count_typed(ec2, addresses, admin_client_, operator_client):
    ids = addresses(2)
    assert _api(operator_client, "ec2.eip_release", ids, confirm="2").status_code == 403
    unconfirmed = _api(admin_client_, "ec2.eip_release", ids)
    assert unconfirmed.status_code == 400 and "type 2 to confirm" in unconfirmed.json()["confirm"][0]
    assert not Action.objects.exists()
    response = _api(admin_client_, "ec2.eip_release", ids, confirm="2")
    action = Action.objects.get(pk=response.json()["id"])
    assert action.status == "succeeded", action.error
    assert action.result["addresses"] == dict.fromkeys(ids, "released")
    assert ec2.describe_addresses()["Addresses"] == []
    assert ElasticIP.objects.filter(allocation_id__in=ids, gone_at__isnull=False).count() == 2


def test_the_elastic_ip_list_offers_the_bulk_kinds_and_the_allocate_button(addresses, operator_client, viewer_client):
    addresses(1)
    page = operator_client.get(reverse("ec2:elastic_ip_list")).content.decode()
    assert reverse("actions:new", args=["ec2.eip_allocate"]) in page
    assert 'value="ec2.eip_disassociate"' in page and 'form="bulk-form"' in page
    assert 'value="ec2.eip_release"' not in page  # an operator cannot release
    viewer_page = viewer_client.get(reverse("ec2:elastic_ip_list")).content.decode()
    assert "bulk-form" not in viewer_page and "ec2.eip_allocate" not in viewer_page


def test_associate_from_the_bulk_bar_with_one_checked_address(ec2, account, fleet, addresses, operator_client):
    [instance_id] = fleet(1)
    [allocation_id] = addresses(1)
    page = operator_client.get(reverse("ec2:elastic_ip_list")).content.decode()
    assert 'value="ec2.eip_associate"' in page
    form = operator_client.post(
        reverse("actions:bulk"), {"kind": "ec2.eip_associate", "scope": "checked", "target": [allocation_id]}
    )
    assert form.status_code == 200 and allocation_id in form.content.decode()
    assert 'name="p-instance_id"' in form.content.decode()
    done = operator_client.post(
        reverse("actions:new", args=["ec2.eip_associate"]),
        {
            "account": account.account_id,
            "region": REGION,
            "targets": allocation_id,
            "p-instance_id": instance_id,
            "reason": "CHG-7",
            "idempotency_key": "bulk-assoc",
            "submit": "1",
        },
    )
    assert done.status_code == 302 and Action.objects.get().status == "succeeded"
    assert _address(ec2, allocation_id)["InstanceId"] == instance_id


def test_release_on_all_filtered_addresses_from_the_bulk_bar(addresses, admin_client_):
    ids = addresses(2)
    form = admin_client_.post(
        reverse("actions:bulk"), {"kind": "ec2.eip_release", "scope": "filtered", "query": "region=us-east-1"}
    )
    assert form.status_code == 200
    assert (
        all(a in form.content.decode() for a in ids) and "Type <strong>2</strong> to confirm" in form.content.decode()
    )
