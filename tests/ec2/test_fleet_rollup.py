"""The overview's fleet mix and instance findings are read from FleetRollup, which must follow the instance rows after
every way they change: a full sync, a targeted re-sync, an action's re-sync, instances going gone (swept by a full
sync, or named by a targeted one), a sync that fails after it loaded a page; and two workers rebuilding one scope at
once. Each test first checks that the change moves a number, so it fails if the rollup were not rebuilt."""

import datetime as dt
import threading
from collections import Counter

import pytest
from botocore.exceptions import ClientError
from django.db import connection
from django.utils import timezone

from fleetui.aws import AwsError, client_get
from fleetui.ec2.models import FleetRollup, Instance, ReservationUse, ReservedInstance
from fleetui.ec2.selectors import OVERVIEW_DIMENSIONS, fleet_overview
from fleetui.ec2.sync import SYNCS
from fleetui.inventory.sync import account_ref, sync_ids, sync_scope
from tests.actions.conftest import account, fleet, operator_client  # noqa: F401  fixtures
from tests.factories import InstanceFactory, rollups_store
from tests.inventory.sync.fleet import launch

REGION = "us-east-1"
FINDINGS = ("no_key_pair", "missing_owner", "public_ip", "stopped", "instance_store")
# What each chart of the mix counts, read off a row (OVERVIEW_DIMENSIONS names the columns).
ROW_VALUES = {
    "Account": lambda i: i.account.account_id,
    "Region": lambda i: i.region,
    "State": lambda i: i.state,
    "Family": lambda i: i.family,
    "Category": lambda i: i.category,
    "Purchase option": lambda i: i.lifecycle,
    "Tenancy": lambda i: i.tenancy,
}


def shown() -> dict:
    """What the overview's EC2 panel says: from the rollup."""
    overview = fleet_overview()
    by = {title: {b.value: b.count for b in buckets} for title, buckets in overview.breakdowns.items()}
    return {"total": overview.total, "by": by, "findings": {key: overview.findings[key] for key in FINDINGS}}


def counted() -> dict:
    """The same numbers, counted here from the live instance rows."""
    live = list(Instance.objects.filter(gone_at__isnull=True).select_related("account"))
    assert set(ROW_VALUES) == set(OVERVIEW_DIMENSIONS)
    by = {title: dict(Counter(str(value(i) or "") for i in live)) for title, value in ROW_VALUES.items()}
    running = [i for i in live if i.state == "running"]
    findings = {
        "no_key_pair": sum(i.key_name == "" for i in live),
        "missing_owner": sum("Owner" not in i.tags for i in live),
        "public_ip": sum(i.public_ip is not None for i in running),
        "stopped": sum(i.state == "stopped" for i in live),
        "instance_store": sum(i.has_instance_store for i in running),
    }
    return {"total": len(live), "by": by, "findings": findings}


def full_sync(account) -> None:  # noqa: F811
    run = sync_scope(account=account, region=REGION, resource_type="instances")
    assert run.status == "succeeded", run.error


def owned(ec2, count: int, owner: str = "") -> list[str]:
    """Launch `count` instances, tagged Owner=`owner` unless it is empty."""
    tags = [{"ResourceType": "instance", "Tags": [{"Key": "Owner", "Value": owner}]}]
    return launch(ec2, count, **({"TagSpecifications": tags} if owner else {}))


def small_pages(params, **kwargs):
    params["MaxResults"] = 5


def fail_on_call(n: int):
    """A botocore before-call handler: AWS fails the n-th DescribeInstances."""
    calls = []

    def handler(**kwargs):
        calls.append(1)
        if len(calls) == n:
            error = {"Error": {"Code": "InternalError", "Message": "An internal error."}}
            raise ClientError(error, "DescribeInstances")

    return handler


def test_a_full_sync_rebuilds_the_mix_and_the_findings(ec2, account):  # noqa: F811
    ids = owned(ec2, 2, owner="alice")
    full_sync(account)
    before = shown()
    assert before == counted() and before["total"] == 2 and before["findings"]["missing_owner"] == 0

    ec2.stop_instances(InstanceIds=[ids[0]])
    owned(ec2, 1)  # no Owner tag
    full_sync(account)

    after = shown()
    assert after == counted()
    assert after["by"]["State"] == {"running": 2, "stopped": 1}
    assert (after["findings"]["stopped"], after["findings"]["missing_owner"]) == (1, 1)


def test_a_targeted_resync_rebuilds_the_mix(ec2, account):  # noqa: F811
    ids = owned(ec2, 2, owner="alice")
    full_sync(account)
    assert shown()["by"]["State"] == {"running": 2}

    ec2.stop_instances(InstanceIds=[ids[1]])
    assert sync_ids(account=account, region=REGION, resource_type="instances", ids=[ids[1]]).changed == 1

    assert shown() == counted() and shown()["by"]["State"] == {"running": 1, "stopped": 1}


def test_instances_going_gone_leave_the_mix(ec2, account):  # noqa: F811
    owned(ec2, 2, owner="alice")
    full_sync(account)
    # Rows AWS no longer returns (terminated long ago): one swept by the next full sync, one named by a targeted one.
    swept = InstanceFactory(account=account, region=REGION, state="stopped")
    named = InstanceFactory(account=account, region=REGION)
    rollups_store()
    assert shown()["total"] == 4 and shown()["findings"]["stopped"] == 1

    full_sync(account)
    assert Instance.objects.get(pk=swept.pk).gone_at is not None
    assert shown() == counted() and shown()["total"] == 2 and shown()["findings"]["stopped"] == 0

    named.gone_at = None  # the full sync swept it too: back, then named by an action's re-sync
    named.save()
    rollups_store()
    assert shown()["total"] == 3
    assert sync_ids(account=account, region=REGION, resource_type="instances", ids=[named.instance_id]).gone == 1
    assert shown() == counted() and shown()["total"] == 2


def test_a_sync_that_fails_after_a_page_rebuilds_the_mix_from_what_it_loaded(ec2, account):  # noqa: F811
    for _ in range(7):
        launch(ec2, 1)  # moto pages by reservation: 7 reservations in pages of 5 make 2 pages
    client = client_get("ec2", account=account_ref(account), region=REGION)
    client.meta.events.register("provide-client-params.ec2.DescribeInstances", small_pages)
    client.meta.events.register("before-call.ec2.DescribeInstances", fail_on_call(2))
    run = sync_scope(account=account, region=REGION, resource_type="instances")

    assert run.status == "failed" and run.seen == 5
    assert shown() == counted() and shown()["total"] == 5  # the first page's rows stay, and the overview counts them


def test_a_targeted_resync_that_fails_after_a_page_rebuilds_the_mix_from_what_it_loaded(ec2, account):  # noqa: F811
    (stopped,) = owned(ec2, 1, owner="alice")
    full_sync(account)
    ec2.stop_instances(InstanceIds=[stopped])
    # Ids go out 200 to a call, in order: the real one in the first call, made-up ones after it in the second.
    missing = [f"i-ffff{n:013x}" for n in range(250)]
    client_get("ec2", account=account_ref(account), region=REGION).meta.events.register(
        "before-call.ec2.DescribeInstances", fail_on_call(2)
    )

    with pytest.raises(AwsError):
        sync_ids(account=account, region=REGION, resource_type="instances", ids=[stopped, *missing])

    assert shown() == counted() and shown()["by"]["State"] == {"stopped": 1}


@pytest.mark.django_db(transaction=True)
def test_an_actions_resync_rebuilds_the_mix(ec2, fleet, operator_client):  # noqa: F811
    ids = fleet(2)
    assert shown()["by"]["State"] == {"running": 2}

    payload = {"kind": "ec2.stop", "targets": [ids[0]], "reason": "CHG-2 resize"}
    response = operator_client.post("/api/v1/actions/", payload, content_type="application/json")

    assert response.status_code == 201, response.content
    assert shown() == counted() and shown()["by"]["State"] == {"running": 1, "stopped": 1}


@pytest.mark.django_db(transaction=True)
def test_two_workers_deriving_one_scope_at_once_leave_one_right_result(account):  # noqa: F811
    """Two instance syncs of one scope ending together (a full sync and an action's re-sync, on two workers) run the
    instances' after hook at once: coverage, costs and rollups. Each scope's derivation is serialized, so neither
    writes a use or a rollup row the other wrote (a unique constraint would refuse it) and the result is right."""
    for n in range(12):
        InstanceFactory(account=account, region=REGION, state=("running", "stopped", "pending")[n % 3])
    now = timezone.now()
    ReservedInstance.objects.create(
        account=account, region=REGION, reserved_instances_id="ri-1", instance_type="m5.large", family="m5",
        scope="Region", instance_count=6, product_description="Linux/UNIX", instance_tenancy="default",
        end=now + dt.timedelta(days=400), state="active", first_seen=now, last_seen=now,
    )  # fmt: skip
    derive = SYNCS["instances"].after
    assert derive is not None
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def worker() -> None:
        try:
            for _ in range(10):
                start.wait(timeout=30)
                derive(account=account, region=REGION)
        except BaseException as error:  # reported below, from the test's thread
            errors.append(error)
            start.abort()
        finally:
            connection.close()

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=120)

    assert errors == []
    assert FleetRollup.objects.count() == 3  # one row per state: none twice
    assert shown() == counted() and shown()["total"] == 12
    # The 4 running m5.large use 16 of the 24 units bought, once each.
    assert ReservationUse.objects.count() == 4 and ReservedInstance.objects.get().units_unused == 8.0
