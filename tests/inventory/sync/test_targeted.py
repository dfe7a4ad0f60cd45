"""sync_ids against the real moto server: only the named ids are fetched, read, written or marked gone."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fleetui.aws import AwsAccessDenied, AwsError, client_get
from fleetui.aws import ec2 as aws_ec2
from fleetui.ec2.models import ElasticIP, Instance, KeyPair, PlacementGroup
from fleetui.inventory.models import SyncRun
from fleetui.inventory.sync import TARGETED_TYPES, TargetedResult, account_ref, spec_get, sync_ids, sync_scope
from fleetui.inventory.sync.registry import SYNCS
from fleetui.inventory.tasks import sync_ids_task
from fleetui.sandbox.faults import fault_inject

from .fleet import launch

REGION = "us-east-1"


def full_sync(account, resource_type):
    run = sync_scope(account=account, region=REGION, resource_type=resource_type)
    assert run.status == "succeeded", run.error
    return run


def targeted(account, resource_type, ids):
    return sync_ids(account=account, region=REGION, resource_type=resource_type, ids=ids)


def test_a_stopped_instance_shows_stopped_and_other_rows_are_untouched(ec2, account):
    target, other = launch(ec2, 2)
    full_sync(account, "instances")
    before = Instance.objects.get(instance_id=other)
    # Both change in AWS; only the named one may change in the inventory.
    ec2.stop_instances(InstanceIds=[target, other])

    result = targeted(account, "instances", [target])

    assert result == TargetedResult(seen=1, added=0, changed=1, gone=0)
    row = Instance.objects.get(instance_id=target)
    assert (row.state, row.gone_at) == ("stopped", None)
    untouched = Instance.objects.get(instance_id=other)
    assert (untouched.state, untouched.last_seen, untouched.gone_at) == ("running", before.last_seen, None)


def test_a_new_instance_is_added_and_an_unchanged_one_is_not_written(ec2, account):
    (known,) = launch(ec2, 1)
    full_sync(account, "instances")
    (new,) = launch(ec2, 1, "c5.large")

    result = targeted(account, "instances", [known, new])

    assert result == TargetedResult(seen=2, added=1, changed=0, gone=0)
    row = Instance.objects.get(instance_id=new)
    assert (row.account_id, row.region, row.state, row.category) == (account.pk, REGION, "running", "compute_optimized")
    assert row.first_seen == row.last_seen and row.gone_at is None


def test_a_deleted_key_pair_becomes_gone_and_comes_back_when_recreated(ec2, account):
    ec2.create_key_pair(KeyName="deploy")
    ec2.create_key_pair(KeyName="other")
    full_sync(account, "key_pairs")
    ec2.delete_key_pair(KeyName="deploy")
    ec2.delete_key_pair(KeyName="other")  # deleted too, but not named: no sweep may touch it

    assert targeted(account, "key_pairs", ["deploy"]) == TargetedResult(seen=0, added=0, changed=0, gone=1)
    assert KeyPair.objects.get(key_name="deploy").gone_at is not None
    assert KeyPair.objects.get(key_name="other").gone_at is None

    ec2.create_key_pair(KeyName="deploy")
    assert targeted(account, "key_pairs", ["deploy"]) == TargetedResult(seen=1, added=0, changed=1, gone=0)
    assert KeyPair.objects.get(key_name="deploy").gone_at is None


def test_a_released_elastic_ip_becomes_gone(ec2, account):
    released = ec2.allocate_address(Domain="vpc")["AllocationId"]
    kept = ec2.allocate_address(Domain="vpc")["AllocationId"]
    full_sync(account, "elastic_ips")
    ec2.release_address(AllocationId=released)

    assert targeted(account, "elastic_ips", [released, kept]) == TargetedResult(seen=1, added=0, changed=0, gone=1)
    assert ElasticIP.objects.get(allocation_id=released).gone_at is not None
    assert ElasticIP.objects.get(allocation_id=kept).gone_at is None


def test_a_deleted_placement_group_becomes_gone(ec2, account):
    ec2.create_placement_group(GroupName="low-latency", Strategy="cluster")
    ec2.create_placement_group(GroupName="spread-web", Strategy="spread")
    full_sync(account, "placement_groups")
    ec2.delete_placement_group(GroupName="low-latency")
    ec2.delete_placement_group(GroupName="spread-web")  # not named: must stay live in the inventory

    assert targeted(account, "placement_groups", ["low-latency"]).gone == 1
    assert PlacementGroup.objects.get(group_name="low-latency").gone_at is not None
    assert PlacementGroup.objects.get(group_name="spread-web").gone_at is None


def test_a_gone_row_named_again_while_still_gone_is_not_rewritten(ec2, account):
    ec2.create_key_pair(KeyName="old")
    full_sync(account, "key_pairs")
    ec2.delete_key_pair(KeyName="old")
    assert targeted(account, "key_pairs", ["old"]).gone == 1
    first_gone = KeyPair.objects.get(key_name="old").gone_at

    assert targeted(account, "key_pairs", ["old"]) == TargetedResult()
    assert KeyPair.objects.get(key_name="old").gone_at == first_gone


def _two_of_each(ec2_client) -> dict[str, Callable[[], str]]:
    """One maker per resource type: each creates one resource in AWS and returns its inventory key."""

    def image() -> str:
        (instance,) = launch(ec2_client, 1)
        return ec2_client.create_image(InstanceId=instance, Name=f"ami-of-{instance}")["ImageId"]

    def key_pair() -> str:
        name = f"kp-{len(ec2_client.describe_key_pairs()['KeyPairs'])}"
        return ec2_client.create_key_pair(KeyName=name)["KeyName"]

    def placement_group() -> str:
        name = f"pg-{len(ec2_client.describe_placement_groups()['PlacementGroups'])}"
        ec2_client.create_placement_group(GroupName=name, Strategy="spread")
        return name

    def security_group() -> str:
        name = f"sg-{len(ec2_client.describe_security_groups()['SecurityGroups'])}"
        return ec2_client.create_security_group(GroupName=name, Description="t")["GroupId"]

    def network_interface() -> str:
        subnet = ec2_client.describe_subnets()["Subnets"][0]["SubnetId"]
        return ec2_client.create_network_interface(SubnetId=subnet)["NetworkInterface"]["NetworkInterfaceId"]

    def reserved_instance() -> str:
        offering = ec2_client.describe_reserved_instances_offerings(InstanceType="m5.large", MaxResults=10)
        offering_id = offering["ReservedInstancesOfferings"][0]["ReservedInstancesOfferingId"]
        return ec2_client.purchase_reserved_instances_offering(
            ReservedInstancesOfferingId=offering_id, InstanceCount=1
        )["ReservedInstancesId"]

    return {
        "instances": lambda: launch(ec2_client, 1)[0],
        "placement_groups": placement_group,
        "key_pairs": key_pair,
        "elastic_ips": lambda: ec2_client.allocate_address(Domain="vpc")["AllocationId"],
        "images": image,
        "security_groups": security_group,
        "network_interfaces": network_interface,
        "volumes": lambda: ec2_client.create_volume(Size=1, AvailabilityZone="us-east-1a")["VolumeId"],
        "reserved_instances": reserved_instance,
    }


# The EC2 types; every other service's are re-synced by id in its own tests (tests/<service>/test_sync*.py).
@pytest.mark.parametrize(
    "resource_type", [name for name in TARGETED_TYPES if spec_get(name).model._meta.app_label == "ec2"]
)
def test_every_type_fetches_only_the_named_ids_through_the_sandbox_filter(ec2, account, resource_type):
    make = _two_of_each(ec2)[resource_type]
    named, _unnamed = make(), make()
    spec = SYNCS[resource_type]

    result = targeted(account, resource_type, [named])

    assert result == TargetedResult(seen=1, added=1, changed=0, gone=0)
    stored = spec.model._default_manager.filter(account=account, region=REGION)
    assert list(stored.values_list(spec.key, flat=True)) == [named]


def test_ids_go_out_at_most_200_per_filter_and_an_empty_list_calls_nothing(ec2, account):
    (real,) = launch(ec2, 1)
    calls: list[list[str]] = []

    def record(params, **kwargs):
        calls.append(params["Filters"][0]["Values"])

    client = client_get("ec2", account=account_ref(account), region=REGION)
    client.meta.events.register("provide-client-params.ec2.DescribeInstances", record)
    missing = [f"i-{n:017x}" for n in range(450)]

    pages = list(aws_ec2.instance_pages(account=account_ref(account), region=REGION, ids=[*missing, real, real]))

    assert [len(values) for values in calls] == [200, 200, 51]
    assert [instance["InstanceId"] for page in pages for instance in page] == [real]
    calls.clear()
    assert list(aws_ec2.instance_pages(account=account_ref(account), region=REGION, ids=[])) == []
    assert calls == []


def test_query_count_does_not_grow_with_the_scope(ec2, account, django_assert_max_num_queries, settings):
    settings.FLEETUI_HISTORY = False  # the history's own queries are bounded in tests/inventory/history
    ids = launch(ec2, 50)
    full_sync(account, "instances")
    ec2.stop_instances(InstanceIds=[ids[7]])

    # The named rows, the catalog (the instance transform's context) and one upsert: 3 whatever the scope's size;
    # then the instances' `after` hook, each part in a transaction holding the scope's lock: Reserved Instance coverage
    # (the scope has no reservations: their read, the uses' delete, the units left unused; 7 more) and the costs
    # (fleetui.ec2.cost_store: one SELECT of the scope's costs, the changed rows' UPDATE, the rollups' reads and
    # rewrites; 13 more). A transaction inside this test's own is a savepoint: 2 queries each.
    with django_assert_max_num_queries(23), CaptureQueriesContext(connection) as captured:
        result = targeted(account, "instances", [ids[7]])

    assert result == TargetedResult(seen=1, added=0, changed=1, gone=0)
    selects_tags = '"inventory_instance"."tags" AS'
    reads = [q["sql"] for q in captured if q["sql"].startswith("SELECT") and selects_tags in q["sql"]]
    # The stored rows are read by id, not the whole scope (the cost hook reads the scope's costs and the rollups count
    # its rows, without reading them out).
    assert len(reads) == 1 and f"'{ids[7]}'" in reads[0] and ids[8] not in reads[0]
    assert Instance.objects.filter(account=account, state="stopped").count() == 1


def test_aws_errors_propagate_and_nothing_is_marked_gone(ec2, aws, account):
    ec2.create_key_pair(KeyName="deploy")
    full_sync(account, "key_pairs")
    ec2.delete_key_pair(KeyName="deploy")
    fault_inject(endpoint=aws, action="DescribeKeyPairs", error="UnauthorizedOperation", count=1)

    with pytest.raises(AwsAccessDenied) as raised:
        targeted(account, "key_pairs", ["deploy"])

    assert isinstance(raised.value, AwsError) and raised.value.code == "UnauthorizedOperation"
    assert KeyPair.objects.get(key_name="deploy").gone_at is None


def test_the_catalog_and_unknown_types_are_refused(account):
    for resource_type in ("instance_types", "buckets"):
        with pytest.raises(ValueError, match="Cannot re-sync"):
            targeted(account, resource_type, ["x"])


def test_it_records_no_syncrun_and_leaves_a_concurrent_full_sync_whole(ec2, account):
    stopped, running = launch(ec2, 2)
    full_sync(account, "instances")
    added_during: list[str] = []

    def actions_land_during_the_full_sync(run: SyncRun) -> None:
        # The full sync has fetched and loaded its page but not swept yet: two actions land now.
        ec2.stop_instances(InstanceIds=[stopped])
        assert targeted(account, "instances", [stopped]).changed == 1
        (new,) = launch(ec2, 1)
        assert targeted(account, "instances", [new]).added == 1
        added_during.append(new)

    run = sync_scope(
        account=account, region=REGION, resource_type="instances", on_page=actions_land_during_the_full_sync
    )

    assert (run.status, run.seen, run.added, run.changed, run.gone) == ("succeeded", 2, 0, 0, 0)
    assert SyncRun.objects.count() == 2  # the two full syncs; sync_ids records none
    live = Instance.objects.filter(account=account, gone_at__isnull=True)
    # The full sync sweeps only the rows it read at its start, so the row added meanwhile survives it.
    assert sorted(live.values_list("instance_id", flat=True)) == sorted([stopped, running, *added_during])
    assert live.get(instance_id=stopped).state == "stopped"


def test_the_task_returns_the_counts(ec2, account):
    (instance,) = launch(ec2, 1)

    counts = sync_ids_task.delay(account.pk, REGION, "instances", [instance]).get()

    assert counts == {"seen": 1, "added": 1, "changed": 0, "gone": 0}
    assert Instance.objects.get(instance_id=instance).state == "running"
    account.enabled = False
    account.save()
    assert sync_ids_task.delay(account.pk, REGION, "instances", [instance]).get() == {
        "seen": 0,
        "added": 0,
        "changed": 0,
        "gone": 0,
    }
