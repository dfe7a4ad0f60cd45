"""Cost per instance end to end: a sandbox fleet synced with its spot and list prices and a reservation, each
instance's stored cost checked by hand, then the list sorted and filtered by cost, its CSV and API, the instance
page, the overview's sums against the rows, and a price AWS cannot return: that scope fails on Sync runs and the
instance's cost is "unknown", never 0."""

import csv
import io
from decimal import Decimal

import boto3
import pytest
from django.urls import reverse

from fleetui.ec2.cost_overview import cost_overview
from fleetui.ec2.cost_store import cost_store
from fleetui.ec2.models import CostRollup, Instance, ListPrice, ReservedInstance, SpotPrice
from fleetui.inventory.sync import sync_scope

REGION = "us-east-1"
HOURS_PER_YEAR = Decimal(8760)


def _launch(ec2, image: str, kind: str, name: str, **params) -> str:
    tags = [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": name}]}]
    placement = {"AvailabilityZone": "us-east-1a", **params.pop("Placement", {})}
    answer = ec2.run_instances(
        ImageId=image, InstanceType=kind, MinCount=1, MaxCount=1, Placement=placement, TagSpecifications=tags, **params
    )
    return answer["Instances"][0]["InstanceId"]


def build(account):
    """m5.large and m5.xlarge under a regional 2 x m5.large All Upfront reservation (8 units: the large wholly, the
    xlarge half), a spot c5.large, a dedicated r5.large, a t3.micro stopped."""
    ec2 = boto3.client("ec2", region_name=REGION)
    images = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": ["amzn2-ami-hvm-*x86_64*"]}])
    image = sorted(item["ImageId"] for item in images["Images"])[0]
    ids = {
        "m5_large": _launch(ec2, image, "m5.large", "web-1"),
        "m5_xlarge": _launch(ec2, image, "m5.xlarge", "web-2"),
        "spot": _launch(ec2, image, "c5.large", "batch-1", InstanceMarketOptions={"MarketType": "spot"}),
        "dedicated": _launch(ec2, image, "r5.large", "db-1", Placement={"Tenancy": "dedicated"}),
        "stopped": _launch(ec2, image, "t3.micro", "idle-1"),
    }
    ec2.stop_instances(InstanceIds=[ids["stopped"]])
    offering = ec2.describe_reserved_instances_offerings(
        InstanceType="m5.large",
        ProductDescription="Linux/UNIX",
        OfferingClass="standard",
        OfferingType="All Upfront",
        Filters=[{"Name": "duration", "Values": ["31536000"]}, {"Name": "scope", "Values": ["Region"]}],
    )["ReservedInstancesOfferings"][0]
    ec2.purchase_reserved_instances_offering(
        ReservedInstancesOfferingId=offering["ReservedInstancesOfferingId"], InstanceCount=2
    )
    for kind in ("instances", "volumes", "reserved_instances", "spot_prices", "list_prices"):
        run = sync_scope(account=account, region=REGION, resource_type=kind)
        assert run.status == "succeeded", run.error
    return ids


@pytest.fixture(scope="module")
def synced_for_module(moto_server, django_db_setup, django_db_blocker):
    from tests.conftest import fleet_for_module

    yield from fleet_for_module(moto_server, django_db_blocker, build)


@pytest.fixture
def fleet(synced_for_module, db):
    return synced_for_module


def row(instance_id: str) -> Instance:
    return Instance.objects.get(instance_id=instance_id)


def test_each_instance_pays_by_its_purchase_option(fleet):
    reservation = ReservedInstance.objects.get()
    # The worked example: All Upfront, 1 year: the fixed price over 8,760 h for one m5.large = 4 normalized units.
    per_unit = reservation.fixed_price / HOURS_PER_YEAR / 4
    assert reservation.usd_per_unit_hour == per_unit.quantize(Decimal("0.00000001"))
    large = row(fleet["m5_large"])
    assert large.cost_source == "reserved" and large.cost_per_hour == (4 * reservation.usd_per_unit_hour).quantize(
        Decimal("0.000001")
    )
    # m5.xlarge (8 units): the other 4 units of the reservation, and half its on-demand list price (0.192).
    on_demand = ListPrice.objects.get(kind="instance", subject="m5.xlarge").usd
    assert on_demand == Decimal("0.192")
    xlarge = row(fleet["m5_xlarge"])
    expected = 4 * reservation.usd_per_unit_hour + on_demand / 2
    assert xlarge.cost_source == "reserved_partial" and xlarge.cost_per_hour == expected.quantize(Decimal("0.000001"))
    assert xlarge.cost_as_of is not None
    # The spot instance pays its AZ's spot price, not the list price.
    spot = row(fleet["spot"])
    price = SpotPrice.objects.get(
        instance_type="c5.large", availability_zone=spot.availability_zone, product_description="Linux/UNIX"
    )
    assert spot.cost_source == "spot" and spot.cost_per_hour == price.usd_per_hour
    assert spot.cost_per_hour < ListPrice.objects.get(kind="instance", subject="c5.large").usd
    # Dedicated tenancy pays the dedicated list price (10% above shared in the sandbox: r5.large 0.126 -> 0.1386).
    dedicated = row(fleet["dedicated"])
    assert dedicated.cost_source == "on_demand" and dedicated.cost_per_hour == Decimal("0.1386")
    stopped = row(fleet["stopped"])
    assert stopped.cost_source == "stopped" and stopped.cost_per_hour == 0


def test_the_overview_sums_match_the_rows(fleet):
    running = Instance.objects.filter(state="running")
    total = sum(i.cost_per_hour for i in running)
    view = cost_overview()
    assert view.usd_per_hour == total and view.usd_per_month == (total * 730).quantize(Decimal("0.01"))
    by_option = {line.label: line.usd_per_hour for line in view.by_purchase_option}
    assert by_option == {
        "reserved": row(fleet["m5_large"]).cost_per_hour + row(fleet["m5_xlarge"]).cost_per_hour,
        "spot": row(fleet["spot"]).cost_per_hour,
        "on-demand": row(fleet["dedicated"]).cost_per_hour,
    }
    assert {line.label for line in view.by_family} == {"m5", "c5", "r5"}
    spot = row(fleet["spot"])
    assert view.spot_savings_per_hour == ListPrice.objects.get(subject="c5.large").usd - spot.cost_per_hour
    # The stopped t3.micro's root volume: its size x the gp2/gp3 GB-month price.
    volumes = {
        v.volume_type: v.size_gib
        for v in spot._meta.apps.get_model("ec2", "Volume").objects.filter(instance_id=fleet["stopped"])
    }
    expected = sum(size * ListPrice.objects.get(kind="storage", subject=kind).usd for kind, size in volumes.items())
    assert volumes and view.stopped_ebs_per_month == expected.quantize(Decimal("0.01")) > 0
    assert view.stopped == 1


def test_list_sorts_filters_and_exports_cost(fleet, client, viewer):
    client.force_login(viewer)
    url = reverse("ec2:instance_list")
    page = client.get(url, {"sort": "-cost"}).content.decode()
    dearest = sorted(Instance.objects.filter(state="running"), key=lambda i: -i.cost_per_hour)
    order = [page.index(i.instance_id) for i in dearest]
    assert order == sorted(order) and page.index(fleet["stopped"]) > order[-1]
    cheap = client.get(url, {"cost_max": "0.1"}).content.decode()
    assert fleet["spot"] in cheap and fleet["dedicated"] not in cheap
    assert fleet["stopped"] in cheap  # $0/hour: not running
    dear = client.get(url, {"cost_min": "0.1", "cost_max": "0.5"}).content.decode()
    assert fleet["dedicated"] in dear and fleet["spot"] not in dear
    bad = client.get(url, {"cost_min": "lots"})
    text = bad.content.decode()
    assert bad.status_code == 400 and "Cost from ($/hour)" in text and 'value="lots"' in text
    response = client.get(url, {"export": "csv", "sort": "-cost", "state": "running"})
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    column = lines[0].index("cost_per_hour")
    assert [line[column] for line in lines[1:]] == [f"{i.cost_per_hour}" for i in dearest]
    api = client.get("/api/v1/ec2/instances/", {"cost_min": "0.1"}).json()
    rows = api["results"] if isinstance(api, dict) else api
    assert {r["instance_id"] for r in rows} >= {fleet["dedicated"]} and all(
        Decimal(r["cost_per_hour"]) >= Decimal("0.1") for r in rows
    )


def test_a_price_aws_cannot_return_fails_the_scope_and_shows_unknown(fleet, client, viewer):
    # An instance of a type the Price List does not sell (as a new type would be before AWS lists it).
    Instance.objects.filter(instance_id=fleet["dedicated"]).update(instance_type="zz9.large")
    from fleetui.inventory.models import Account

    account = Account.objects.get()
    run = sync_scope(account=account, region=REGION, resource_type="list_prices")
    assert run.status == "failed" and "zz9.large" in run.error and "no on-demand price" in run.error
    cost_store(account=account, region=REGION)  # as the next instance sync does
    unknown = row(fleet["dedicated"])
    assert unknown.cost_per_hour is None and unknown.cost_source == "unknown"
    client.force_login(viewer)
    page = client.get(reverse("ec2:instance_list"), {"q": "db-1"}).content.decode()
    assert "unknown" in page and "$0.0000" not in page
    detail = client.get(unknown.get_absolute_url()).content.decode()
    assert "unknown" in detail
    assert CostRollup.objects.filter(unknown=1).exists() and cost_overview().unknown == 1


def test_launch_estimate_on_demand_against_spot(fleet, client, operator):
    from fleetui.inventory.models import Account

    account = Account.objects.get().account_id
    client.force_login(operator)
    url = reverse("ec2:launch_estimate")
    page = client.get(url, {"account": account, "region": REGION, "instance_type": "c5.large", "count": "2"})
    text = page.content.decode()
    od = 2 * ListPrice.objects.get(kind="instance", subject="c5.large").usd
    spot = sorted(
        p.usd_per_hour for p in SpotPrice.objects.filter(instance_type="c5.large", product_description="Linux/UNIX")
    )
    assert f"${od:.4f}" in text and f"${(od * 730):,.2f}" in text
    assert f"${2 * spot[0]:.4f}" in text and 'hx-get="/instances/launch/estimate/"' in text
    # A type the fleet does not run: its list price is asked of the Price List at once (m5.2xlarge: 8 x 0.048).
    other = client.get(url, {"account": account, "region": REGION, "instance_type": "m5.2xlarge", "count": "1"})
    assert "$0.3840" in other.content.decode()
    # The launch form shows it for the scope and type it is opened with.
    form = client.get(
        reverse("actions:new", args=["ec2.launch"]), {"account": account, "region": REGION, "instance_type": "c5.large"}
    )
    assert 'id="launch-estimate"' in form.content.decode()
