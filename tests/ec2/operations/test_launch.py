"""ec2.launch end to end: page or API -> task (eager) -> sandbox RunInstances -> wait running -> inventory.

Bad input is refused by the form before any Action row exists; what only AWS can tell (capacity) fails the action
with AWS's words; a redelivered action launches nothing new (ClientToken from the action id).
"""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fleetui.actions import engine
from fleetui.actions.models import Action
from fleetui.aws.ec2_launch import LaunchSpec, run_instances_request
from fleetui.ec2.models import Instance, InstanceType
from fleetui.ec2.operations import launch  # noqa: F401  registers ec2.launch
from fleetui.inventory.sync import sync_scope
from fleetui.sandbox.faults import fault_inject
from tests.actions.conftest import REGION

pytestmark = pytest.mark.django_db(transaction=True)
URL = reverse("actions:new", args=["ec2.launch"])


_CATALOG: list[InstanceType] = []


@pytest.fixture
def catalog(aws, account):
    """The instance-type catalog (the type choices) as the sync stores it. The sandbox's catalog never changes, and
    syncing its 1,395 types takes seconds, so the first test syncs it and the others get that sync's rows back."""
    if _CATALOG:
        InstanceType.objects.bulk_create(_CATALOG)
    else:
        sync_scope(account=account, region=REGION, resource_type="instance_types")
        _CATALOG.extend(InstanceType.objects.all())


_AMI: list[str] = []


@pytest.fixture
def ami(ec2) -> str:
    """An x86_64 Amazon AMI. Listing the sandbox's ~1,300 preloaded AMIs takes a second and every reset preloads the
    same ones, so the first test looks it up and the others reuse it."""
    if not _AMI:
        images = ec2.describe_images(Owners=["amazon"])["Images"]
        usable = (i["ImageId"] for i in images if i.get("Architecture") == "x86_64" and i["State"] == "available")
        _AMI.append(next(usable))
    return _AMI[0]


def group(ec2, account, name: str, strategy: str) -> str:
    ec2.create_placement_group(GroupName=name, Strategy=strategy)
    sync_scope(account=account, region=REGION, resource_type="placement_groups")
    return name


def all_instances(ec2) -> list[dict]:
    return [i for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]]


def page_form(ami: str, **params) -> dict[str, str]:
    data = {
        "account": "123456789012",
        "region": REGION,
        "reason": "CHG-7 new web tier",
        "submit": "1",
        "p-image_id": ami,
        "p-instance_type": "m5.large",
        "p-count": "2",
        "p-purchase": "on-demand",
        "p-tenancy": "default",
        "p-tags": "Name=web\r\nOwner=alice\r\nEnv=prod",
    }
    data.update({f"p-{k}": v for k, v in params.items()})
    return data


def test_launch_from_the_page_tags_the_instances_and_shows_them_in_the_inventory(
    ec2, catalog, ami, operator_client, account
):
    form = operator_client.get(URL, {"account": account.account_id, "region": REGION})
    body = form.content.decode()
    assert form.status_code == 200
    assert '<optgroup label="m5 — General purpose">' in body and "m5.large — 2 vCPU, 8 GiB" in body

    done = operator_client.post(URL, page_form(ami, user_data="#!/bin/bash\r\necho hi\r\n"))
    action = Action.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("actions:detail", args=[action.pk])
    assert (action.status, action.progress, action.error) == ("succeeded", 100, "")
    ids = action.result["instance_ids"]
    assert len(ids) == 2 and action.result["instances"] == dict.fromkeys(ids, "running")
    assert action.params["tags"] == {"Name": "web", "Owner": "alice", "Env": "prod"}

    launched = all_instances(ec2)
    assert sorted(i["InstanceId"] for i in launched) == sorted(ids)
    for instance in launched:
        assert {t["Key"]: t["Value"] for t in instance["Tags"]} == {"Name": "web", "Owner": "alice", "Env": "prod"}
        assert instance["ClientToken"] == f"fleetui-action-{action.pk}"
        assert instance["InstanceType"] == "m5.large" and instance["State"]["Name"] == "running"
    user_data = ec2.describe_instance_attribute(InstanceId=ids[0], Attribute="userData")["UserData"]["Value"]
    assert __import__("base64").b64decode(user_data) == b"#!/bin/bash\necho hi\n"  # CRLF from the browser fixed
    # The targeted re-sync ran before the action ended: the list shows them at once.
    rows = Instance.objects.filter(instance_id__in=ids)
    assert {(r.state, r.name, r.tags.get("Owner")) for r in rows} == {("running", "web", "alice")}
    assert rows.count() == 2
    messages = [e.message for e in action.log.all()]
    assert "Requested by otto: Launch 2 x m5.large." in messages and "Launching 2 x m5.large" in messages


def test_api_launches_spot_into_a_placement_group_with_dedicated_tenancy(ec2, catalog, ami, operator_client, account):
    group(ec2, account, "hpc", "cluster")
    payload = {
        "kind": "ec2.launch",
        "account": account.account_id,
        "region": REGION,
        "reason": "batch run",
        "params": {
            "image_id": ami,
            "instance_type": "c5.xlarge",
            "count": 2,
            "purchase": "spot",
            "spot_max_price": "0.25",
            "tenancy": "dedicated",
            "placement_group": "hpc",
            "tags": [{"Key": "Name", "Value": "batch"}, {"Key": "Owner", "Value": "data"}],  # AWS's shape
        },
    }
    response = operator_client.post("/api/v1/actions/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    action = Action.objects.get(pk=response.json()["id"])
    assert action.status == "succeeded", action.error
    assert action.params["spot_max_price"] == "0.25" and action.params["tags"] == {"Name": "batch", "Owner": "data"}
    ids = action.result["instance_ids"]
    rows = list(Instance.objects.filter(instance_id__in=ids))
    assert len(rows) == 2
    assert {(r.lifecycle, r.placement_group, r.tenancy, r.instance_type_id is not None) for r in rows} == {
        ("spot", "hpc", "dedicated", True)
    }
    assert all(r.spot_request_id for r in rows)
    for instance in all_instances(ec2):
        assert instance["InstanceLifecycle"] == "spot"
        assert (instance["Placement"]["GroupName"], instance["Placement"]["Tenancy"]) == ("hpc", "dedicated")
    requests = ec2.describe_spot_instance_requests()["SpotInstanceRequests"]
    assert {(r["InstanceId"], float(r["SpotPrice"])) for r in requests} == {(i, 0.25) for i in ids}


def test_a_redelivered_launch_launches_nothing_new(ec2, catalog, ami, operator_client, account, settings):
    operator_client.post(URL, page_form(ami, count="3"))
    action = Action.objects.get()
    first_ids = action.result["instance_ids"]
    assert action.status == "succeeded" and len(all_instances(ec2)) == 3

    # As if the worker died after RunInstances: the row is still running, its heartbeat stale.
    stale = timezone.now() - timedelta(seconds=settings.FLEETUI_ACTION_STALE_AFTER + 1)
    Action.objects.filter(pk=action.pk).update(status="running", finished_at=None, owner="w1", heartbeat_at=stale)
    engine.action_execute(action.pk, owner="w2")

    action.refresh_from_db()
    assert (action.status, action.deliveries) == ("succeeded", 2)
    assert action.result["instance_ids"] == first_ids
    assert len(all_instances(ec2)) == 3  # the same ClientToken got the same instances back
    assert any("same ClientToken" in e.message for e in action.log.all())


# (parameters, field, reason). The first ones need the sandbox's answer (DescribeImages, DescribeSubnets, the
# synced spread group); the others are refused by the form alone, so they skip the sandbox's slow first EC2 call.
CHECKED_WITH_AWS = [
    ({"image_id": "ami-0123456789abcdef0"}, "image_id", "ami-0123456789abcdef0 does not exist in us-east-1"),
    ({"instance_type": "m6g.large"}, "instance_type", "m6g.large runs arm64"),
    ({"subnet_id": "subnet-0123456789abcdef0"}, "subnet_id", "subnet-0123456789abcdef0 does not exist"),
    ({"count": "8", "placement_group": "spread-web"}, "count", "spread-web is a spread group"),
]
CHECKED_BY_THE_FORM = [
    ({"image_id": "my-image"}, "image_id", "'my-image' is not an AMI id"),
    ({"instance_type": "m9.huge"}, "instance_type", "m9.huge is not in the instance-type catalog"),
    ({"tags": "Name=web"}, "tags", "Missing required tag: Owner (the tag policy requires Name, Owner)."),
    ({"tags": "Name=web\nOwner=a\naws:cost=1"}, "tags", "The tag key aws:cost uses the prefix aws:"),
    ({"tags": "Name=web\nOwner"}, "tags", "Line 2 ('Owner'): write each tag as Key=Value."),
    ({"count": "101"}, "count", "less than or equal to 100"),
    ({"tenancy": "host"}, "host_id", "Tenancy host needs the dedicated host"),
    ({"user_data": "x" * (16 * 1024 + 1)}, "user_data", "User data is 16,385 bytes; AWS takes at most 16 KB"),
    ({"purchase": "spot", "spot_interruption": "stop"}, "spot_type", "needs a persistent spot request"),
    ({"purchase": "spot", "spot_type": "persistent"}, "spot_type", "persistent spot request only with interruption"),
    ({"purchase": "spot", "spot_max_price": "0.001"}, "spot_max_price", "more than USD 0.001"),
    ({"availability_zone": "eu-west-1a"}, "availability_zone", "eu-west-1a is not a zone of us-east-1"),
    ({"iam_instance_profile": "bad name!"}, "iam_instance_profile", "Give an instance profile name"),
]


def assert_refused(response, field: str, reason: str) -> None:
    assert response.status_code == 400
    errors = response.context["params"].errors
    assert any(reason in message for message in errors.get(field, [])), errors
    assert reason in html.unescape(response.content.decode())
    assert not Action.objects.exists()


@pytest.mark.parametrize(("params", "field", "reason"), CHECKED_WITH_AWS, ids=[c[2][:40] for c in CHECKED_WITH_AWS])
def test_bad_input_is_refused_in_the_form_after_asking_aws(
    ec2, catalog, ami, operator_client, account, params, field, reason
):
    group(ec2, account, "spread-web", "spread")
    assert_refused(operator_client.post(URL, page_form(ami, **params)), field, reason)
    assert all_instances(ec2) == []


@pytest.mark.parametrize(
    ("params", "field", "reason"), CHECKED_BY_THE_FORM, ids=[c[2][:40] for c in CHECKED_BY_THE_FORM]
)
def test_bad_input_is_refused_by_the_form(catalog, operator_client, params, field, reason):
    assert_refused(operator_client.post(URL, page_form("ami-0a1b2c3d4e5f60718", **params)), field, reason)


def test_a_spread_group_counts_the_members_already_running_in_the_zone(ec2, catalog, ami, operator_client, account):
    group(ec2, account, "spread-web", "spread")
    placement = {"GroupName": "spread-web", "AvailabilityZone": "us-east-1a"}
    ec2.run_instances(ImageId=ami, MinCount=5, MaxCount=5, InstanceType="m5.large", Placement=placement)
    sync_scope(account=account, region=REGION, resource_type="instances")
    params = {"placement_group": "spread-web", "count": "3", "availability_zone": "us-east-1a"}
    response = operator_client.post(URL, page_form(ami, **params))
    reason = "at most 7 running instances per availability zone; us-east-1a already has 5 of them, and 3 were asked"
    assert_refused(response, "count", reason)
    # Another zone has room: the same launch goes there.
    done = operator_client.post(URL, page_form(ami, **{**params, "availability_zone": "us-east-1b"}))
    assert done.status_code == 302 and Action.objects.get().status == "succeeded"
    rows = Instance.objects.filter(placement_group="spread-web", availability_zone="us-east-1b", state="running")
    assert rows.count() == 3


def test_the_api_gets_the_same_refusal(catalog, ami, operator_client, account):
    payload = {"kind": "ec2.launch", "account": account.account_id, "region": REGION, "reason": "x"}
    payload["params"] = {"image_id": ami, "instance_type": "m5.large", "count": 1, "tags": {"Name": "web"}}
    response = operator_client.post("/api/v1/actions/", payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["tags"] == ["Missing required tag: Owner (the tag policy requires Name, Owner)."]
    assert not Action.objects.exists()


def test_no_capacity_fails_the_action_plainly_and_launches_nothing(aws, ec2, catalog, ami, operator_client):
    fault_inject(endpoint=aws, action="RunInstances", error="InsufficientInstanceCapacity", count=1, status=400)
    response = operator_client.post(URL, page_form(ami))
    action = Action.objects.get()
    assert response.status_code == 302
    assert action.status == "failed"
    assert "capacity" in action.error and "InsufficientInstanceCapacity" in action.error
    assert "instance_ids" not in action.result
    assert all_instances(ec2) == []


def test_the_run_instances_request_carries_every_option():
    spec = LaunchSpec(
        image_id="ami-1",
        instance_type="m5.large",
        count=3,
        tags={"Name": "a"},
        spot={"max_price": "", "spot_type": "persistent", "interruption": "stop"},
        tenancy="host",
        host_id="h-0123456789abcdef0",
        subnet_id="subnet-1",
        security_group_ids=["sg-1"],
        key_name="ops",
        iam_instance_profile="arn:aws:iam::123456789012:instance-profile/web",
        user_data="#!/bin/sh",
    )
    request = run_instances_request(spec, client_token="tok")
    assert request["MinCount"] == request["MaxCount"] == 3 and request["ClientToken"] == "tok"
    assert [s["ResourceType"] for s in request["TagSpecifications"]] == ["instance", "volume"]
    assert request["InstanceMarketOptions"] == {
        "MarketType": "spot",
        "SpotOptions": {"SpotInstanceType": "persistent", "InstanceInterruptionBehavior": "stop"},
    }
    assert request["Placement"] == {"Tenancy": "host", "HostId": "h-0123456789abcdef0"}
    assert request["IamInstanceProfile"] == {"Arn": "arn:aws:iam::123456789012:instance-profile/web"}
    assert (request["SubnetId"], request["SecurityGroupIds"], request["KeyName"]) == ("subnet-1", ["sg-1"], "ops")
    plain = run_instances_request(LaunchSpec(image_id="ami-1", instance_type="t3.micro", count=1), client_token="t")
    assert set(plain) == {"ImageId", "InstanceType", "MinCount", "MaxCount", "ClientToken"}
