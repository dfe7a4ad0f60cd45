"""AMI kinds end to end: page or API -> task (eager) -> sandbox EC2 -> inventory row -> action result."""

import boto3
import pytest
from django.urls import reverse

from fleetui.actions.engine import action_execute
from fleetui.actions.models import Action
from fleetui.ec2.models import Image, Instance
from fleetui.inventory.sync import sync_scope
from tests.actions.conftest import REGION

pytestmark = pytest.mark.django_db(transaction=True)
WEST = "us-west-2"


def _api(client, kind: str, targets: list[str], **params):
    payload = {"kind": kind, "targets": targets, "params": params, "reason": "CHG-11", "region": REGION}
    if "confirm" in params:
        payload["confirm"] = params.pop("confirm")
    return client.post("/api/v1/actions/", payload, content_type="application/json")


@pytest.fixture
def images(ec2, account, fleet):
    """`images(*names)`: AMIs of one instance in the sandbox, synced; returns their ids."""

    def make(*names: str) -> list[str]:
        [instance_id] = fleet(1)
        ids = [ec2.create_image(InstanceId=instance_id, Name=name)["ImageId"] for name in names]
        sync_scope(account=account, region=REGION, resource_type="images")
        return ids

    return make


def _image(client, image_id: str) -> dict:
    found = client.describe_images(Filters=[{"Name": "image-id", "Values": [image_id]}])["Images"]
    return found[0] if found else {}


def test_create_image_from_the_instance_page_waits_and_adds_the_ami(ec2, account, fleet, operator_client):
    [instance_id] = fleet(1)
    detail = operator_client.get(reverse("ec2:instance_detail", args=[account.account_id, REGION, instance_id]))
    url = reverse("actions:new", args=["ec2.image_create"])
    assert url in detail.content.decode()
    done = operator_client.post(
        url,
        {
            "account": account.account_id,
            "region": REGION,
            "targets": instance_id,
            "p-name": "web (2026-11-29) v1.2",
            "p-description": "before the upgrade",
            "p-no_reboot": "on",
            "reason": "CHG-11 backup",
            "idempotency_key": "img-1",
            "submit": "1",
        },
    )
    action = Action.objects.get()
    assert done.status_code == 302 and action.status == "succeeded", action.error
    image_id = action.result["image_id"]
    raw = _image(ec2, image_id)
    assert (raw["Name"], raw["Description"]) == ("web (2026-11-29) v1.2", "before the upgrade")
    assert raw["State"] == "available"
    assert {"Key": "fleetui:action-id", "Value": str(action.pk)} in raw["Tags"]
    row = Image.objects.get(image_id=image_id)
    assert (row.name, row.state, row.region) == ("web (2026-11-29) v1.2", "available", REGION)
    assert action.params["no_reboot"] is True
    assert any("Waiting until" in e.message for e in action.log.all())

    # A redelivery finds its own image by name and tag instead of creating (or failing on) a second one.
    Action.objects.filter(pk=action.pk).update(status="running", finished_at=None, heartbeat_at=None)
    action_execute(action.pk, owner="test/redelivery")
    action.refresh_from_db()
    assert action.status == "succeeded" and action.result["image_id"] == image_id
    assert len(ec2.describe_images(Owners=["self"])["Images"]) == 1


def test_create_image_refuses_bad_or_taken_names_and_gone_instances(ec2, images, fleet, operator_client):
    images("golden")
    [instance_id] = fleet(1)
    for name, reason in {
        "ab": "An AMI name is 3-128 characters",
        "web#1": "An AMI name is 3-128 characters",
        "golden": "is already called golden; AMI names are unique.",
    }.items():
        response = _api(operator_client, "ec2.image_create", [instance_id], name=name)
        assert response.status_code == 400 and reason in response.json()["name"][0], response.json()
    Instance.objects.filter(instance_id=instance_id).update(state="terminated")
    detail = reverse("ec2:instance_detail", args=["123456789012", REGION, instance_id])
    assert reverse("actions:new", args=["ec2.image_create"]) not in operator_client.get(detail).content.decode()
    ended = _api(operator_client, "ec2.image_create", [instance_id], name="fresh")
    assert ended.json()["__all__"] == [f"{instance_id} is terminated; an image needs a running or stopped instance."]
    assert not Action.objects.exists()


def test_create_image_fails_on_a_name_someone_else_took_since_the_last_sync(ec2, fleet, operator_client):
    [instance_id] = fleet(1)
    other = ec2.create_image(InstanceId=instance_id, Name="race")["ImageId"]
    response = _api(operator_client, "ec2.image_create", [instance_id], name="race")
    action = Action.objects.get(pk=response.json()["id"])
    assert action.status == "failed"
    assert action.error == f"{other} is already called race (not made by this action); pick another name."


def test_copy_image_to_another_region_encrypted_and_syncs_the_destination(aws, images, operator_client):
    [source] = images("base")
    response = _api(
        operator_client,
        "ec2.image_copy",
        [source],
        destination_region=WEST,
        name="base-dr",
        encrypted=True,
        kms_key_id="alias/dr-key",
    )
    action = Action.objects.get(pk=response.json()["id"])
    assert action.status == "succeeded", action.error
    assert action.result["destination_region"] == WEST
    west = boto3.client("ec2", region_name=WEST, endpoint_url=aws)
    raw = _image(west, action.result["image_id"])
    assert raw["Name"] == "base-dr" and raw["BlockDeviceMappings"][0]["Ebs"]["Encrypted"] is True
    row = Image.objects.get(image_id=action.result["image_id"])
    assert (row.region, row.name, row.state) == (WEST, "base-dr", "available")

    # A redelivery finds the copy by its name in the destination instead of copying again.
    Action.objects.filter(pk=action.pk).update(status="running", finished_at=None, heartbeat_at=None)
    action_execute(action.pk, owner="test/redelivery")
    action.refresh_from_db()
    assert action.status == "succeeded" and action.result["image_id"] == row.image_id
    assert len(west.describe_images(Owners=["self"])["Images"]) == 1


def test_copy_image_refusals(images, operator_client, account):
    [source] = images("base")
    Image.objects.create(
        account=account, region=WEST, image_id="ami-0west", name="taken", state="available",
        first_seen="2026-01-01T00:00Z", last_seen="2026-01-01T00:00Z",
    )  # fmt: skip
    cases = [
        ({"destination_region": REGION, "name": "x-copy"}, "destination_region", "pick one other than the source"),
        ({"destination_region": "mars-1", "name": "x-copy"}, "destination_region", "is not an AWS region name"),
        ({"destination_region": WEST, "name": "x-copy", "kms_key_id": "k"}, "kms_key_id", "tick Encrypted"),
        ({"destination_region": WEST, "name": "taken"}, "name", "ami-0west in us-west-2 is already called taken"),
    ]
    for params, field, reason in cases:
        response = _api(operator_client, "ec2.image_copy", [source], **params)
        assert response.status_code == 400 and reason in response.json()[field][0], response.json()
    assert not Action.objects.exists()


def test_share_adds_launch_permissions_and_reports_what_was_already_shared(ec2, images, operator_client):
    first, second = images("a-img", "b-img")
    ec2.modify_image_attribute(ImageId=second, LaunchPermission={"Add": [{"UserId": "111122223333"}]})
    response = _api(operator_client, "ec2.image_share", [first, second], account_ids="111122223333, 444455556666")
    action = Action.objects.get(pk=response.json()["id"])
    assert action.status == "succeeded", action.error
    assert action.params["account_ids"] == ["111122223333", "444455556666"]
    assert action.result["images"] == {
        first: "shared with 111122223333, 444455556666",
        second: "shared with 444455556666; already shared with 111122223333",
    }
    for image_id in (first, second):
        shared = ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")["LaunchPermissions"]
        assert sorted(p["UserId"] for p in shared) == ["111122223333", "444455556666"]


def test_share_refuses_bad_account_ids_and_the_owner(images, operator_client):
    [image_id] = images("a-img")
    bad = _api(operator_client, "ec2.image_share", [image_id], account_ids="1234 111122223333")
    assert bad.json()["account_ids"] == ["Not 12-digit AWS account ids: 1234."]
    own = _api(operator_client, "ec2.image_share", [image_id], account_ids="123456789012")
    assert "owns the image" in own.json()["account_ids"][0]
    unknown = _api(operator_client, "ec2.image_share", ["ami-00000000"], account_ids="111122223333")
    assert "Not in the inventory" in unknown.json()["targets"][0]
    assert not Action.objects.exists()


def test_deregister_warns_about_instances_launched_from_the_image(ec2, account, images, admin_client_):
    used, spare = images("used-img", "spare-img")
    ec2.run_instances(ImageId=used, MinCount=2, MaxCount=2)
    sync_scope(account=account, region=REGION, resource_type="instances")
    refused = _api(admin_client_, "ec2.image_deregister", [used, spare])
    assert refused.status_code == 400 and "type 2 to confirm" in refused.json()["confirm"][0]
    assert not Action.objects.exists()
    response = _api(admin_client_, "ec2.image_deregister", [used, spare], confirm="2")
    action = Action.objects.get(pk=response.json()["id"])
    assert action.status == "succeeded", action.error
    assert action.result["images"] == {used: "deregistered", spare: "deregistered"}
    assert action.result["warnings"] == [
        f"2 instances in the inventory were launched from {used}; they keep running, but cannot be relaunched from it."
    ]
    assert ec2.describe_images(Owners=["self"])["Images"] == []
    assert Image.objects.filter(image_id__in=[used, spare], gone_at__isnull=False).count() == 2


def test_deregister_needs_an_admin(images, operator_client):
    [image_id] = images("a-img")
    assert _api(operator_client, "ec2.image_deregister", [image_id]).status_code == 403
    assert not Action.objects.exists()


def test_the_ami_list_offers_the_image_kinds(images, operator_client, admin_client_):
    images("a-img")
    page = operator_client.get(reverse("ec2:image_list")).content.decode()
    assert 'value="ec2.image_share"' in page and 'value="ec2.image_deregister"' not in page
    assert 'value="ec2.image_deregister"' in admin_client_.get(reverse("ec2:image_list")).content.decode()
