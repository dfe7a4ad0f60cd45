"""The default account and the sync plan (fleetui.inventory.services)."""

import pytest
from botocore.exceptions import ClientError

from fleetui.aws import AwsAccessDenied, client_get, clients_clear
from fleetui.inventory.models import Account, SyncRun
from fleetui.inventory.selectors import sync_freshness
from fleetui.inventory.services import account_ensure_default, sync_scopes_plan
from fleetui.inventory.sync import RESOURCE_TYPES, account_ref, spec_get
from fleetui.sandbox.faults import fault_inject, faults_clear

from .fleet import DEFAULT_ID


def test_resource_types_in_sync_order():
    """EC2's and Beanstalk's first, as declared; every later service's after them, each app's together, and a type
    read per parent after its parent."""
    assert RESOURCE_TYPES[:17] == [
        "instance_types",
        "instances",
        "placement_groups",
        "key_pairs",
        "elastic_ips",
        "images",
        "security_groups",
        "network_interfaces",
        "volumes",
        "reserved_instances",
        "scheduled_instances",
        "spot_prices",
        "list_prices",
        "eb_applications",
        "eb_versions",
        "eb_environments",
        "eb_events",
    ]
    apps = [spec_get(name).model._meta.app_label for name in RESOURCE_TYPES]
    runs = [label for i, label in enumerate(apps) if i == 0 or apps[i - 1] != label]
    assert len(runs) == len(set(runs)), f"an app's types are split: {apps}"
    for position, name in enumerate(RESOURCE_TYPES):
        parent = spec_get(name).parent
        assert not parent or RESOURCE_TYPES.index(parent) < position, f"{name} syncs before its parent {parent}"


def test_default_account_comes_from_the_caller_identity_once(aws, db):
    account = account_ensure_default()
    assert (account.account_id, account.name, account.role_arn, account.enabled) == (DEFAULT_ID, "default", "", True)
    Account.objects.filter(pk=account.pk).update(name="Production", enabled=False)
    again = account_ensure_default()
    assert again.pk == account.pk and (again.name, again.enabled) == ("Production", False)  # the admin's choices stay
    assert Account.objects.count() == 1


def test_default_account_without_usable_credentials_raises(aws, db):
    client_get("sts").meta.events.register(
        "before-call.sts.GetCallerIdentity",
        lambda **kw: (_ for _ in ()).throw(
            ClientError({"Error": {"Code": "InvalidClientTokenId", "Message": "bad"}}, "GetCallerIdentity")
        ),
    )
    with pytest.raises(AwsAccessDenied, match="InvalidClientTokenId"):
        account_ensure_default()
    assert not Account.objects.exists()


def test_plan_is_enabled_accounts_by_regions_with_the_catalog_once_per_region(account, second_account, settings):
    settings.FLEETUI_REGIONS = ["us-east-1", "eu-west-1"]
    Account.objects.create(
        account_id="999999999999", name="off", role_arn="arn:aws:iam::999999999999:role/x", enabled=False
    )
    plan = sync_scopes_plan()
    scopes = [(a.account_id, region, rt) for a, region, rt in plan]
    assert len(scopes) == 2 * 2 * len(RESOURCE_TYPES) - 2  # the second account does not re-read the catalog
    assert scopes[0] == (account.account_id, "us-east-1", "instance_types")  # the ambient account first
    assert [s for s in scopes if s[2] == "instance_types"] == [
        (account.account_id, "us-east-1", "instance_types"),
        (account.account_id, "eu-west-1", "instance_types"),
    ]
    assert (second_account.account_id, "eu-west-1", "volumes") in scopes
    assert not any(s[0] == "999999999999" for s in scopes)


def test_plan_filters(account, second_account):
    plan = sync_scopes_plan(account_ids=["second"], regions=["ap-south-1"], resource_types=["volumes", "instances"])
    assert [(a.account_id, r, t) for a, r, t in plan] == [
        (second_account.account_id, "ap-south-1", "instances"),
        (second_account.account_id, "ap-south-1", "volumes"),
    ]
    assert sync_scopes_plan(account_ids=[account.account_id], resource_types=["key_pairs"])[0][0] == account


def test_plan_refuses_unknown_resource_types(account):
    with pytest.raises(ValueError, match="buckets"):
        sync_scopes_plan(resource_types=["buckets"])


def test_plan_discovers_regions_and_records_an_account_that_cannot_list_them(aws, account, second_account, settings):
    settings.FLEETUI_REGIONS = []

    def refuse(**kwargs):
        raise ClientError({"Error": {"Code": "AuthFailure", "Message": "no"}}, "DescribeRegions")

    client_get("ec2", account=account_ref(second_account)).meta.events.register(
        "before-call.ec2.DescribeRegions", refuse
    )
    plan = sync_scopes_plan(resource_types=["instances"])
    regions = {region for a, region, _ in plan if a == account}
    assert {"us-east-1", "eu-west-1"} <= regions
    assert not any(a == second_account for a, _, _ in plan)
    failed = SyncRun.objects.get(account=second_account)
    assert (failed.resource_type, failed.region, failed.status) == ("regions", "*", "failed")
    assert "AuthFailure" in failed.error and failed.finished_at


def test_a_region_discovery_that_succeeds_again_clears_its_failure(aws, account, settings, monkeypatch):
    settings.FLEETUI_REGIONS = []
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")  # fail at once instead of retrying the 503
    clients_clear()
    fault_inject(endpoint=aws, action="DescribeRegions", error="ServiceUnavailable")
    assert sync_scopes_plan(resource_types=["instances"]) == []
    freshness = sync_freshness()
    assert (freshness.scopes, freshness.failed_scopes, freshness.stale) == (1, 1, True)

    faults_clear(endpoint=aws)
    plan = sync_scopes_plan(resource_types=["instances"])
    assert {"us-east-1", "eu-west-1"} <= {region for _, region, _ in plan}
    latest = SyncRun.objects.filter(account=account).first()  # newest first
    assert (latest.region, latest.resource_type, latest.status) == ("*", "regions", "succeeded")
    assert latest.seen == len(plan) and latest.finished_at and not latest.error
    freshness = sync_freshness()
    assert (freshness.scopes, freshness.failed_scopes, freshness.stale) == (1, 0, False)


def test_configured_regions_call_no_discovery_and_forget_an_old_failed_one(aws, account, settings):
    settings.FLEETUI_REGIONS = []
    refused = []

    def refuse(**kwargs):
        refused.append(1)
        raise ClientError({"Error": {"Code": "AuthFailure", "Message": "no"}}, "DescribeRegions")

    client_get("ec2", account=account_ref(account)).meta.events.register("before-call.ec2.DescribeRegions", refuse)
    assert sync_scopes_plan(resource_types=["instances"]) == [] and refused == [1]
    assert sync_freshness().failed_scopes == 1

    settings.FLEETUI_REGIONS = ["us-east-1"]
    plan = sync_scopes_plan(resource_types=["instances"])
    assert [(region, kind) for _, region, kind in plan] == [("us-east-1", "instances")] and refused == [1]
    assert SyncRun.objects.count() == 1  # no discovery, so nothing recorded
    freshness = sync_freshness()
    assert (freshness.scopes, freshness.failed_scopes) == (0, 0)
