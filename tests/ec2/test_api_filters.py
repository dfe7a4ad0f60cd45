"""API filters are the pages' FilterSets: they narrow the same way, and a bad value is a 400 that names the field."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import QueryDict
from django.utils import timezone

from fleetui.ec2.filters import InstanceFilterSet
from fleetui.ec2.models import Instance
from tests import factories as f


@pytest.fixture
def fleet(db):
    """Six instances that differ in one attribute each from the first."""
    staging = f.AccountFactory(account_id="210987654321", name="staging")
    return {
        "plain": f.InstanceFactory(name="web-plain"),
        "stopped": f.InstanceFactory(state="stopped", name="batch-stopped"),
        "eu_stopped": f.InstanceFactory(state="stopped", region="eu-west-1", name="eu-stopped"),
        "spot": f.InstanceFactory(lifecycle="spot", spot_request_id="sir-1", name="spot-worker", env="dev"),
        "staging": f.InstanceFactory(account=staging, name="staging-api", owner="bob", instance_type__name="c5.large"),
        "gone": f.InstanceFactory(name="old-gone", gone_at=timezone.now()),
    }


def ids(answer) -> set[str]:
    assert answer.status_code == 200, answer.content
    return {row["instance_id"] for row in answer.json()["results"]}


def names(fleet, *keys) -> set[str]:
    return {fleet[k].instance_id for k in keys}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"plain", "stopped", "eu_stopped", "spot", "staging"}),
        ("state=stopped", {"stopped", "eu_stopped"}),
        ("state=stopped&region=eu-west-1", {"eu_stopped"}),
        ("region=us-east-1,eu-west-1&state=stopped", {"stopped", "eu_stopped"}),
        ("lifecycle=spot", {"spot"}),
        ("tag=Env=dev", {"spot"}),
        ("tag=Owner=bob", {"staging"}),
        ("account=210987654321", {"staging"}),
        ("family=c5", {"staging"}),
        ("q=STAGING-api", {"staging"}),
        ("q=batch stopped", {"stopped"}),
        ("gone=true", {"gone"}),
    ],
)
def test_instance_filters_narrow_like_the_page(viewer_client, fleet, query, expected):
    from_api = ids(viewer_client.get(f"/api/v1/ec2/instances/?{query}"))
    assert from_api == names(fleet, *expected)
    # The page's FilterSet, given the same query string, selects exactly the same rows.
    page = InstanceFilterSet(QueryDict(query), queryset=Instance.objects.all())
    assert page.is_valid()
    assert {i.instance_id for i in page.qs} == from_api


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/ec2/instances/?lifecycle=reserved-ish", "lifecycle"),
        ("/api/v1/ec2/instances/?tenancy=shared-ish", "tenancy"),
        ("/api/v1/ec2/instances/?tag=Env", "tag"),
        ("/api/v1/ec2/images/?created_before=last-tuesday", "created_before"),
        ("/api/v1/ec2/instance-types/?min_vcpus=many", "min_vcpus"),
        ("/api/v1/ec2/instance-types/?min_memory_mib=lots", "min_memory_mib"),
        ("/api/v1/sync-runs/?status=exploded", "status"),
        ("/api/v1/ec2/elastic-ips/?attached=perhaps", "attached"),
        ("/api/v1/ec2/security-groups/?severity=sometimes", "severity"),
    ],
)
def test_invalid_filter_value_is_400_naming_the_field(viewer_client, url, field):
    answer = viewer_client.get(url)
    assert answer.status_code == 400
    assert field in answer.json()
    assert answer.json()[field]  # a message a person can read


def test_tag_filter_error_explains_the_format(viewer_client):
    answer = viewer_client.get("/api/v1/ec2/instances/?tag=Env")
    assert answer.json() == {"tag": ["Write a tag filter as Key=Value, for example Env=prod."]}


def test_other_lists_filter(viewer_client, db):
    f.ElasticIPFactory(allocation_id="eipalloc-free")
    f.ElasticIPFactory(allocation_id="eipalloc-used", association_id="eipassoc-1", instance_id="i-1")
    f.SecurityGroupFactory(group_id="sg-open", world_open=True)
    f.SecurityGroupFactory(group_id="sg-closed")
    f.PlacementGroupFactory(group_name="pg-spread", strategy="spread")
    f.PlacementGroupFactory(group_name="pg-cluster", strategy="cluster")
    f.ImageFactory(image_id="ami-old", creation_date=timezone.now() - dt.timedelta(days=900))
    f.ImageFactory(image_id="ami-new")
    f.VolumeFactory(volume_id="vol-free", state="available")
    f.VolumeFactory(volume_id="vol-used")
    f.NetworkInterfaceFactory(network_interface_id="eni-a", instance_id="i-a")
    f.NetworkInterfaceFactory(network_interface_id="eni-b", instance_id="i-b")
    f.InstanceTypeFactory(name="p3.2xlarge", gpus=1, vcpus=8)
    f.InstanceTypeFactory(name="t3.micro")

    def only(url: str, key: str) -> list:
        answer = viewer_client.get(url)
        assert answer.status_code == 200, answer.content
        return [row[key] for row in answer.json()["results"]]

    assert only("/api/v1/ec2/elastic-ips/?attached=false", "allocation_id") == ["eipalloc-free"]
    assert only("/api/v1/ec2/security-groups/?severity=critical", "group_id") == ["sg-open"]
    assert only("/api/v1/ec2/placement-groups/?strategy=spread", "group_name") == ["pg-spread"]
    cutoff = (timezone.now() - dt.timedelta(days=365)).isoformat()
    assert only(f"/api/v1/ec2/images/?created_before={cutoff.replace('+', '%2B')}", "image_id") == ["ami-old"]
    assert only("/api/v1/ec2/volumes/?state=available", "volume_id") == ["vol-free"]
    assert only("/api/v1/ec2/network-interfaces/?instance_id=i-b", "network_interface_id") == ["eni-b"]
    assert only("/api/v1/ec2/instance-types/?gpu=true", "name") == ["p3.2xlarge"]


def test_sync_runs_filter_by_status_and_account(viewer_client, db):
    f.SyncRunFactory(status="failed", error="AccessDenied", resource_type="volumes")
    f.SyncRunFactory(status="succeeded")
    f.SyncRunFactory(account__account_id="210987654321", status="failed", region="eu-west-1")
    answer = viewer_client.get("/api/v1/sync-runs/?status=failed&account=123456789012").json()
    assert [(r["status"], r["resource_type"], r["error"]) for r in answer["results"]] == [
        ("failed", "volumes", "AccessDenied")
    ]


def test_ordering(viewer_client, fleet):
    by_name = viewer_client.get("/api/v1/ec2/instances/?ordering=-name").json()["results"]
    assert [r["name"] for r in by_name] == ["web-plain", "staging-api", "spot-worker", "eu-stopped", "batch-stopped"]
    default = viewer_client.get("/api/v1/ec2/instances/").json()["results"]
    assert [r["instance_id"] for r in default] == sorted(r["instance_id"] for r in default)


SQLITE_TAG_CHECK = """
from django.core.management import call_command
from django.http import QueryDict
from django.utils import timezone
from fleetui.ec2.filters import InstanceFilterSet
from fleetui.ec2.models import Instance
from fleetui.inventory.models import Account

call_command("migrate", verbosity=0)
account = Account.objects.create(account_id="123456789012", name="demo")
now = timezone.now()
for i, tags in enumerate([{"Env": "prod"}, {"Env": "dev"}, {}]):
    Instance.objects.create(
        account=account, region="us-east-1", instance_id=f"i-{i}", state="running", tags=tags,
        first_seen=now, last_seen=now,
    )
page = InstanceFilterSet(QueryDict("tag=Env=prod"), queryset=Instance.objects.all())
assert page.is_valid()
print(sorted(page.qs.values_list("instance_id", flat=True)))
"""


def test_tag_filter_works_on_sqlite_the_demo_database(tmp_path):
    """The demo runs on SQLite; the suite on PostgreSQL. The tag filter must work on both."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}", "FLEETUI_VAR_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SQLITE_TAG_CHECK],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "['i-0']"
