"""sync_scope against the real moto server: load, write-only-changes, sweep, and the SyncRun record."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fleetui.aws import client_get
from fleetui.ec2.models import (
    ElasticIP,
    Image,
    Instance,
    InstanceType,
    KeyPair,
    NetworkInterface,
    PlacementGroup,
    SecurityGroup,
    Volume,
)
from fleetui.inventory.models import SyncRun
from fleetui.inventory.sync import RESOURCE_TYPES, account_ref, sync_scope

from .fleet import launch, second_account_ec2

REGION = "us-east-1"
WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"(inventory_\w+)"', re.IGNORECASE)


def sync(account, resource_type, region=REGION):
    return sync_scope(account=account, region=region, resource_type=resource_type)


def inventory_writes(queries) -> list[str]:
    """Writes to inventory tables other than the SyncRun bookkeeping and the change history (its own tests). A
    statement that writes only the rows whose values differ (`IS DISTINCT FROM`) is checked by its effect instead:
    `row_versions`."""
    found = []
    for query in queries:
        match = WRITE.match(query["sql"])
        conditional = "IS DISTINCT FROM" in query["sql"]
        if match and match.group(2) not in ("inventory_syncrun", "inventory_resourcechange") and not conditional:
            found.append(query["sql"][:80])
    return found


def test_first_sync_stores_instances_and_records_the_run(ec2, account):
    ec2.create_key_pair(KeyName="ops")
    ids = launch(
        ec2,
        2,
        "c5.large",
        KeyName="ops",
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web"}]}],
    )
    run = sync(account, "instances")
    assert (run.status, run.seen, run.added, run.changed, run.gone, run.error) == ("succeeded", 2, 2, 0, 0, "")
    assert run.finished_at is not None and run.finished_at >= run.started_at
    row = Instance.objects.get(instance_id=ids[0])
    assert (row.account_id, row.region, row.state, row.name, row.key_name) == (
        account.pk,
        REGION,
        "running",
        "web",
        "ops",
    )
    assert (row.instance_type_id, row.family, row.category, row.lifecycle) == (
        "c5.large",
        "c5",
        "compute_optimized",
        "on-demand",
    )
    assert row.private_ip and row.security_groups and row.eni_count == 1 and row.volume_ids
    assert row.first_seen == row.last_seen == run.started_at and row.gone_at is None
    assert "web" in row.search_text


def test_every_resource_type_syncs_and_an_unchanged_resync_writes_nothing(ec2, account):
    ids = launch(ec2, 3, "m5.large")
    ec2.create_key_pair(KeyName="k1")
    ec2.allocate_address(Domain="vpc")
    group = ec2.create_security_group(GroupName="open-ssh", Description="ssh")["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    ec2.create_image(InstanceId=ids[0], Name="golden")
    ec2.create_placement_group(GroupName="tight", Strategy="cluster")
    first = {rt: sync(account, rt) for rt in RESOURCE_TYPES}
    assert all(run.status == "succeeded" for run in first.values()), {rt: r.error for rt, r in first.items()}
    assert Instance.objects.count() == 3 and first["instances"].added == 3
    assert InstanceType.objects.filter(name="m5.large", category="general_purpose", vcpus=2).exists()
    assert KeyPair.objects.filter(key_name="k1").exists()
    assert ElasticIP.objects.filter(association_id="").count() == 1
    assert SecurityGroup.objects.get(group_id=group).severity == "critical"
    assert Image.objects.filter(name="golden", account=account).count() == 1
    assert PlacementGroup.objects.filter(group_name="tight", strategy="cluster").exists()
    assert NetworkInterface.objects.count() == 3 and Volume.objects.count() == 3

    before = row_versions()
    with CaptureQueriesContext(connection) as queries:
        second = {rt: sync(account, rt) for rt in RESOURCE_TYPES}
    for resource_type, run in second.items():
        assert (run.status, run.added, run.changed, run.gone) == ("succeeded", 0, 0, 0), resource_type
        assert run.seen == first[resource_type].seen
    assert inventory_writes(queries.captured_queries) == []
    assert row_versions() == before  # no instance row rewritten, not even by the cost recompute


def row_versions() -> dict[int, str]:
    """Each instance row's version (PostgreSQL's xmin: the transaction that last wrote it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, xmin::text FROM inventory_instance")
        return dict(cursor.fetchall())


def test_only_changed_rows_are_written(ec2, account):
    ids = launch(ec2, 3)
    sync(account, "instances")
    ec2.create_tags(Resources=[ids[1]], Tags=[{"Key": "Env", "Value": "prod"}])
    with CaptureQueriesContext(connection) as queries:
        run = sync(account, "instances")
    assert (run.seen, run.added, run.changed, run.gone) == (3, 0, 1, 0)
    assert len(inventory_writes(queries.captured_queries)) == 1
    changed = Instance.objects.get(instance_id=ids[1])
    assert changed.tags == {"Env": "prod"} and changed.last_seen == run.started_at
    assert "prod" in changed.search_text
    assert Instance.objects.get(instance_id=ids[0]).last_seen < run.started_at


def test_sweep_marks_what_is_gone_and_a_reappearing_row_comes_back(ec2, account):
    ec2.create_key_pair(KeyName="stays")
    ec2.create_key_pair(KeyName="goes")
    sync(account, "key_pairs")
    ec2.delete_key_pair(KeyName="goes")
    run = sync(account, "key_pairs")
    assert (run.seen, run.gone) == (1, 1)
    gone = KeyPair.objects.get(key_name="goes")
    assert gone.gone_at == run.started_at
    assert KeyPair.objects.get(key_name="stays").gone_at is None
    ec2.create_key_pair(KeyName="goes")
    back = sync(account, "key_pairs")
    assert (back.added, back.changed, back.gone) == (0, 1, 0)
    assert KeyPair.objects.get(key_name="goes").gone_at is None


def test_sync_is_per_account_and_region(ec2, aws, account, second_account):
    launch(ec2, 2)
    other = second_account_ec2(aws)
    other_ids = launch(other, 1, "r5.large")
    assert sync(account, "instances").seen == 2
    run = sync(second_account, "instances")
    assert (run.status, run.seen) == ("succeeded", 1)
    assert list(Instance.objects.filter(account=second_account).values_list("instance_id", flat=True)) == other_ids
    assert sync(account, "instances", region="eu-west-1").seen == 0
    assert Instance.objects.filter(account=account).count() == 2  # the empty region swept nothing elsewhere


def test_catalog_categories_reach_instances(ec2, account):
    launch(ec2, 1, "g4dn.xlarge")
    catalog = sync(account, "instance_types")
    assert catalog.seen > 500 and catalog.gone == 0
    g4dn = InstanceType.objects.get(name="g4dn.xlarge")
    assert (g4dn.family, g4dn.category, g4dn.vcpus) == ("g4dn", "accelerated_computing", 4)
    assert sync(account, "instances").status == "succeeded"
    assert Instance.objects.get().category == "accelerated_computing"
    # The catalog is global: another region's catalog sync upserts the same rows and writes nothing new.
    again = sync(account, "instance_types", region="eu-west-1")
    assert (again.added, again.changed) == (0, 0)
    assert InstanceType.objects.count() == catalog.seen


def test_account_ref_carries_the_role(second_account):
    ref = account_ref(second_account)
    assert (ref.account_id, ref.role_arn, ref.external_id) == (
        "210987654321",
        "arn:aws:iam::210987654321:role/fleetui-read",
        "ext-1",
    )


def test_unknown_resource_type_is_refused(account):
    with pytest.raises(ValueError, match="Unknown resource type"):
        sync(account, "buckets")
    assert not SyncRun.objects.exists()


def test_the_client_used_is_the_cached_one(ec2, account):
    calls = []
    client_get("ec2", account=account_ref(account), region=REGION).meta.events.register(
        "before-send.ec2.DescribeInstances", lambda **kw: calls.append(1)
    )
    sync(account, "instances")
    assert calls == [1]


def test_a_child_type_is_fetched_with_its_parents_live_keys(account, monkeypatch):
    """A spec with `parent` gets `parents=`: the parent type's live keys in the scope (not another region's, not
    gone ones), and its rows load and sweep like any other type."""
    from fleetui.beanstalk import transforms
    from fleetui.beanstalk.models import ApplicationVersion, BeanstalkApplication
    from fleetui.inventory.sync import ResourceSync
    from fleetui.inventory.sync.registry import SYNCS

    seen = {"account": account, "first_seen": timezone.now(), "last_seen": timezone.now()}
    BeanstalkApplication.objects.create(**seen, region="us-east-1", application_name="shop")
    BeanstalkApplication.objects.create(**seen, region="us-east-1", application_name="old", gone_at=timezone.now())
    BeanstalkApplication.objects.create(**seen, region="eu-west-1", application_name="elsewhere")
    asked = []

    def versions(*, account, region, ids=None, parents=None):
        asked.append(parents)
        yield [
            {"ApplicationName": app, "VersionLabel": "v1", "ApplicationVersionArn": f"arn:{app}/v1"} for app in parents
        ]

    spec = ResourceSync(versions, transforms.version_fields, ApplicationVersion, "arn", parent="eb_applications")
    monkeypatch.setitem(SYNCS, "test_versions", spec)
    run = sync_scope(account=account, region="us-east-1", resource_type="test_versions")
    assert run.status == "succeeded", run.error
    assert asked == [["shop"]]
    assert list(ApplicationVersion.objects.values_list("application_name", "arn")) == [("shop", "arn:shop/v1")]
