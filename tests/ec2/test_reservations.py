"""Reserved Instances end to end: bought in the sandbox, synced, coverage stored after the sync, and shown on the
instance list (filter, purchase option, CSV), the instance page, the reservations and coverage pages, the overview
and the API. Also: an expired reservation covers nothing, and a reservation read that AWS refuses fails its scope."""

from datetime import UTC, datetime, timedelta

import pytest
import requests
from django.urls import reverse

from fleetui.ec2.models import Instance, ReservationUse, ReservedInstance
from fleetui.inventory.sync import sync_ids, sync_scope
from fleetui.sandbox.faults import fault_inject
from tests.inventory.sync.conftest import account, fresh_clients  # noqa: F401  fixtures

REGION = "us-east-1"


def _image(ec2) -> str:
    images = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": ["amzn2-ami-hvm-*x86_64*"]}])
    return sorted(image["ImageId"] for image in images["Images"])[0]


def _launch(ec2, kind: str, az: str = "us-east-1a", count: int = 1, **params) -> list[str]:
    placement = {"AvailabilityZone": az, **params.pop("Placement", {})}
    answer = ec2.run_instances(
        ImageId=_image(ec2), InstanceType=kind, MinCount=count, MaxCount=count, Placement=placement, **params
    )
    return [item["InstanceId"] for item in answer["Instances"]]


def _buy(ec2, kind: str, count: int, az: str | None = None, tenancy: str = "default") -> str:
    params = {"InstanceType": kind, "InstanceTenancy": tenancy, "ProductDescription": "Linux/UNIX"}
    params.update(OfferingClass="standard", OfferingType="All Upfront")
    params["Filters"] = [{"Name": "duration", "Values": ["31536000"]}]
    if az:
        params["AvailabilityZone"] = az
    else:
        params["Filters"].append({"Name": "scope", "Values": ["Region"]})
    offering = ec2.describe_reserved_instances_offerings(**params)["ReservedInstancesOfferings"][0]
    return ec2.purchase_reserved_instances_offering(
        ReservedInstancesOfferingId=offering["ReservedInstancesOfferingId"], InstanceCount=count
    )["ReservedInstancesId"]


def _sync(account, resource_type):  # noqa: F811
    run = sync_scope(account=account, region=REGION, resource_type=resource_type)
    assert run.status == "succeeded", run.error
    return run


@pytest.fixture
def fleet(ec2, aws, account):  # noqa: F811
    """m5: 2 x large + 1 x 2xlarge (24 units) under a regional 4 x m5.large (16 units): the larges are covered
    (smallest first), the 2xlarge half. r5.large in 1b under a zonal r5.large in 1b; a dedicated m5.large that the
    default-tenancy m5 reservation must not cover; an expired c5.large reservation over a running c5.large."""
    ids = {
        "m5_large": _launch(ec2, "m5.large", count=2),
        "m5_2xl": _launch(ec2, "m5.2xlarge", az="us-east-1c"),
        "r5": _launch(ec2, "r5.large", az="us-east-1b"),
        "dedicated": _launch(ec2, "m5.large", Placement={"Tenancy": "dedicated"}),
        "c5": _launch(ec2, "c5.large"),
    }
    bought = {
        "m5": _buy(ec2, "m5.large", 4),
        "r5": _buy(ec2, "r5.large", 1, az="us-east-1b"),
        "c5": _buy(ec2, "c5.large", 1),
    }
    start = (datetime.now(UTC) - timedelta(days=400)).isoformat()
    payload = {"account_id": account.account_id, "region": REGION, "reserved_instances": {bought["c5"]: start}}
    requests.post(f"{aws}/fleetui-sandbox/backdate", json=payload, timeout=10).raise_for_status()
    _sync(account, "instances")
    _sync(account, "reserved_instances")
    return ids, bought


def _shares(instance_id: str) -> dict[str, float]:
    uses = ReservationUse.objects.filter(instance__instance_id=instance_id).select_related("reservation")
    return {use.reservation.reserved_instances_id: use.share for use in uses}


def test_coverage_is_stored_after_the_sync(fleet):
    ids, bought = fleet
    m5 = ReservedInstance.objects.get(reserved_instances_id=bought["m5"])
    assert (m5.instance_count, m5.scope, m5.offering_type, m5.state) == (4, "Region", "All Upfront", "active")
    assert m5.fixed_price > 0 and m5.family == "m5"
    assert all(_shares(i) == {bought["m5"]: 1.0} for i in ids["m5_large"])
    assert _shares(ids["m5_2xl"][0]) == {bought["m5"]: 0.5}  # 16 - 8 = 8 units left for 16
    assert _shares(ids["r5"][0]) == {bought["r5"]: 1.0}
    assert _shares(ids["dedicated"][0]) == {}  # tenancy mismatch
    assert ReservedInstance.objects.get(reserved_instances_id=bought["c5"]).state == "retired"
    assert _shares(ids["c5"][0]) == {}  # expired


def test_stopping_an_instance_moves_the_coverage(fleet, ec2, account):  # noqa: F811
    ids, bought = fleet
    ec2.stop_instances(InstanceIds=[ids["m5_large"][0]])
    sync_ids(account=account, region=REGION, resource_type="instances", ids=[ids["m5_large"][0]])
    # 16 units: the other large (4), then all of the 2xlarge (12 left >= 16? no: 12 of 16 = 0.75).
    assert _shares(ids["m5_large"][0]) == {}
    assert _shares(ids["m5_2xl"][0]) == {bought["m5"]: 0.75}
    # An unchanged re-sync writes no coverage rows.
    before = set(ReservationUse.objects.values_list("pk", flat=True))
    _sync(account, "reserved_instances")
    assert set(ReservationUse.objects.values_list("pk", flat=True)) == before


def test_pages_show_coverage(fleet, viewer_client):
    ids, bought = fleet
    instances = reverse("ec2:instance_list")
    covered = viewer_client.get(instances, {"coverage": "covered", "per_page": 100})
    uncovered = viewer_client.get(instances, {"coverage": "uncovered", "per_page": 100})
    bad = viewer_client.get(instances, {"coverage": "sometimes"})
    assert {r.instance_id for r in covered.context["table"].page.object_list.data} == {
        *ids["m5_large"],
        *ids["m5_2xl"],
        *ids["r5"],
    }
    assert {r.instance_id for r in uncovered.context["table"].page.object_list.data} == {*ids["dedicated"], *ids["c5"]}
    assert "on-demand (reserved)" in covered.content.decode()
    exported = viewer_client.get(instances, {"coverage": "covered", "export": "csv"}).getvalue().decode()
    header = exported.splitlines()[0].split(",")
    assert header[header.index("reserved") + 1 :] == ["cost_per_hour", "cost_source", "cost_as_of"]
    assert sum(line.split(",")[header.index("reserved")] == "True" for line in exported.splitlines()[1:]) == 4
    api = viewer_client.get("/api/v1/ec2/instances/", {"coverage": "uncovered"}).json()["results"]
    assert {(row["instance_id"], row["reserved"]) for row in api} == {
        (ids["dedicated"][0], False),
        (ids["c5"][0], False),
    }
    assert bad.status_code == 400 and "coverage" in bad.content.decode()

    m5 = Instance.objects.get(instance_id=ids["m5_2xl"][0])
    page = viewer_client.get(reverse("ec2:instance_detail", args=[m5.account.account_id, REGION, m5.instance_id]))
    assert "covered by RI <a" in page.content.decode() and bought["m5"] in page.content.decode()
    assert "50% of this instance" in page.content.decode()
    other = Instance.objects.get(instance_id=ids["dedicated"][0])
    page = viewer_client.get(reverse("ec2:instance_detail", args=[other.account.account_id, REGION, other.instance_id]))
    assert 'id="ri-coverage">not covered' in page.content.decode()


def test_reservations_and_coverage_pages(fleet, viewer_client):
    _ids, bought = fleet
    listing = viewer_client.get(reverse("ec2:reserved_instance_list"), {"state": "active"})
    rows = {r.reserved_instances_id: r for r in listing.context["table"].page.object_list.data}
    assert set(rows) == {bought["m5"], bought["r5"]}
    assert rows[bought["m5"]].used_units == 16.0
    unused = viewer_client.get(reverse("ec2:reserved_instance_list"), {"unused": "true"})
    assert list(unused.context["table"].page.object_list.data) == []
    csv_text = viewer_client.get(reverse("ec2:reserved_instance_list"), {"export": "csv"}).getvalue().decode()
    assert csv_text.count("\n") == 4 and "used_units" in csv_text.splitlines()[0]

    coverage = viewer_client.get(reverse("ec2:reservation_coverage"))
    families = {f.family: f for f in coverage.context["families"]}
    # m5 default+dedicated running: 4 + 4 + 16 + 4 = 28 units; 16 reserved, all used.
    assert (families["m5"].running_units, families["m5"].purchased_units, families["m5"].used_units) == (28, 16, 16)
    assert families["m5"].coverage_percent == 57.1 and families["m5"].utilization_percent == 100.0
    assert families["m5"].verdict == "under-covered"
    assert families["c5"].purchased_units == 0 and families["c5"].coverage_percent == 0.0
    api = viewer_client.get("/api/v1/ec2/reserved-instances/", {"state": "retired"}).json()
    assert [r["reserved_instances_id"] for r in api["results"]] == [bought["c5"]]


def test_over_coverage_and_expiry_are_findings(fleet, ec2, aws, account, viewer_client):  # noqa: F811
    extra = _buy(ec2, "r5.large", 2)  # nothing left to cover: unused
    soon = (datetime.now(UTC) - timedelta(days=340)).isoformat()  # ends in 25 days
    payload = {"account_id": account.account_id, "region": REGION, "reserved_instances": {fleet[1]["r5"]: soon}}
    requests.post(f"{aws}/fleetui-sandbox/backdate", json=payload, timeout=10).raise_for_status()
    _sync(account, "reserved_instances")

    overview = viewer_client.get("/").content.decode()
    unused = viewer_client.get(reverse("ec2:reserved_instance_list"), {"unused": "true"})
    expiring = viewer_client.get(reverse("ec2:reserved_instance_list"), {"expiring": "30"})
    assert [r.reserved_instances_id for r in unused.context["table"].page.object_list.data] == [extra]
    assert [r.reserved_instances_id for r in expiring.context["table"].page.object_list.data] == [fleet[1]["r5"]]
    assert "25 days left" in expiring.content.decode() or "24 days left" in expiring.content.decode()
    for finding in ("unused_reservations", "reservations_expiring_30", "reservations_expiring_60"):
        assert f'data-finding="{finding}">\n    <span class="n">1</span>' in overview


def test_a_refused_reservation_read_fails_its_scope_visibly(fleet, aws, account, viewer_client):  # noqa: F811
    fault_inject(endpoint=aws, action="DescribeReservedInstances", error="UnauthorizedOperation", count=1)
    run = sync_scope(account=account, region=REGION, resource_type="reserved_instances")
    assert run.status == "failed" and "UnauthorizedOperation" in run.error
    assert ReservedInstance.objects.filter(gone_at__isnull=True).count() == 3  # kept, not swept
    runs = viewer_client.get(reverse("inventory:sync_run_list"), {"status": "failed"}).content.decode()
    assert "reserved_instances" in runs


def _cost(client, instance_id: str) -> str:
    instance = Instance.objects.get(instance_id=instance_id)
    page = client.get(reverse("ec2:instance_detail", args=[instance.account.account_id, REGION, instance_id]))
    text = page.content.decode()
    return text[text.index('id="cost-now">') + 14 : text.index("</dd>", text.index('id="cost-now">'))]


def test_instance_cost_from_spot_prices_and_reservations(fleet, ec2, account, viewer_client):  # noqa: F811
    ids, bought = fleet
    spot = ec2.request_spot_instances(
        InstanceCount=1,
        LaunchSpecification={
            "ImageId": _image(ec2),
            "InstanceType": "c5.large",
            "Placement": {"AvailabilityZone": "us-east-1b"},
        },
    )["SpotInstanceRequests"][0]
    spot_id = ec2.describe_spot_instance_requests(SpotInstanceRequestIds=[spot["SpotInstanceRequestId"]])[
        "SpotInstanceRequests"
    ][0]["InstanceId"]
    _sync(account, "instances")
    prices = _sync(account, "spot_prices")
    zone = Instance.objects.get(instance_id=spot_id).availability_zone
    price = ec2.describe_spot_price_history(
        InstanceTypes=["c5.large"], AvailabilityZone=zone, ProductDescriptions=["Linux/UNIX"]
    )["SpotPriceHistory"][0]

    assert prices.seen >= 2 * 3 * 25  # Linux and Windows, every AZ, the demo's types
    assert _cost(viewer_client, spot_id).startswith(f"${float(price['SpotPrice']):.4f} ")
    assert f"spot price in {zone}" in _cost(viewer_client, spot_id)
    # A covered m5.large pays its reservation's upfront over the year: fixed / 8760 h.
    m5 = ReservedInstance.objects.get(reserved_instances_id=bought["m5"])
    assert _cost(viewer_client, ids["m5_large"][0]).startswith(f"${m5.fixed_price / 8760:.4f} ")
    # No on-demand price synced: unknown, never $0.
    assert _cost(viewer_client, ids["dedicated"][0]).startswith("<strong>unknown")
