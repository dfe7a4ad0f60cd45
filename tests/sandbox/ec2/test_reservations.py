"""The sandbox's Reserved Instance APIs, through boto3: offerings, purchase, describe, expiry and errors."""

from datetime import UTC, datetime, timedelta

import pytest
import requests
from botocore.exceptions import ClientError


def _offering(ec2, **params) -> dict:
    params.setdefault("InstanceType", "m5.large")
    params.setdefault("ProductDescription", "Linux/UNIX")
    params.setdefault("InstanceTenancy", "default")
    params.setdefault("OfferingClass", "standard")
    params.setdefault("OfferingType", "Partial Upfront")
    offerings = ec2.describe_reserved_instances_offerings(**params)["ReservedInstancesOfferings"]
    return next(o for o in offerings if o["Duration"] == 31536000)


def test_offerings_are_priced_paged_and_scoped(ec2):
    regional = _offering(ec2, Filters=[{"Name": "scope", "Values": ["Region"]}])
    zonal = _offering(ec2, AvailabilityZone="us-east-1a")
    dedicated = _offering(ec2, InstanceTenancy="dedicated", Filters=[{"Name": "scope", "Values": ["Region"]}])

    assert regional["Scope"] == "Region" and "AvailabilityZone" not in regional
    assert zonal["Scope"] == "Availability Zone" and zonal["AvailabilityZone"] == "us-east-1a"
    # Partial upfront: half paid upfront, the rest hourly; cheaper than the m5.large's $0.096 on-demand.
    hourly = regional["RecurringCharges"][0]["Amount"]
    assert regional["FixedPrice"] > 0 and 0 < hourly < 0.096
    assert (regional["FixedPrice"] + hourly * 8760) / 8760 < 0.096
    assert dedicated["FixedPrice"] > regional["FixedPrice"]
    first = ec2.describe_reserved_instances_offerings(InstanceType="m5.large", MaxResults=10)
    second = ec2.describe_reserved_instances_offerings(
        InstanceType="m5.large", MaxResults=10, NextToken=first["NextToken"]
    )
    ids = {o["ReservedInstancesOfferingId"] for o in first["ReservedInstancesOfferings"]}
    assert len(ids) == 10 and not ids & {o["ReservedInstancesOfferingId"] for o in second["ReservedInstancesOfferings"]}


def test_purchase_then_describe_and_expiry(ec2, aws):
    offering = _offering(ec2, AvailabilityZone="us-east-1b")
    rid = ec2.purchase_reserved_instances_offering(
        ReservedInstancesOfferingId=offering["ReservedInstancesOfferingId"], InstanceCount=3
    )["ReservedInstancesId"]

    [reserved] = ec2.describe_reserved_instances()["ReservedInstances"]
    assert reserved["ReservedInstancesId"] == rid and reserved["InstanceCount"] == 3
    assert reserved["State"] == "active" and reserved["Scope"] == "Availability Zone"
    assert reserved["AvailabilityZone"] == "us-east-1b" and reserved["OfferingType"] == "Partial Upfront"
    assert reserved["End"] - reserved["Start"] == timedelta(days=365)
    assert (
        ec2.describe_reserved_instances(Filters=[{"Name": "state", "Values": ["retired"]}])["ReservedInstances"] == []
    )

    start = (datetime.now(UTC) - timedelta(days=366)).isoformat()
    payload = {"account_id": "123456789012", "region": "us-east-1", "reserved_instances": {rid: start}}
    requests.post(f"{aws}/fleetui-sandbox/backdate", json=payload, timeout=10).raise_for_status()
    [retired] = ec2.describe_reserved_instances(ReservedInstancesIds=[rid])["ReservedInstances"]
    assert retired["State"] == "retired"


def test_errors(ec2):
    with pytest.raises(ClientError) as bad_offering:
        ec2.purchase_reserved_instances_offering(ReservedInstancesOfferingId="nope", InstanceCount=1)
    with pytest.raises(ClientError) as unknown:
        ec2.describe_reserved_instances(ReservedInstancesIds=["00000000-0000-0000-0000-000000000000"])

    assert bad_offering.value.response["Error"]["Code"] == "InvalidReservedInstancesOfferingId"
    assert unknown.value.response["Error"]["Code"] == "InvalidReservedInstancesId.NotFound"
    assert ec2.describe_scheduled_instances()["ScheduledInstanceSet"] == []


def test_spot_price_history_moves_over_time_and_differs_by_az(ec2):
    now = datetime.now(UTC)
    latest = ec2.describe_spot_price_history(InstanceTypes=["m5.large"], ProductDescriptions=["Linux/UNIX"])
    prices = {p["AvailabilityZone"]: float(p["SpotPrice"]) for p in latest["SpotPriceHistory"]}
    day = ec2.describe_spot_price_history(
        InstanceTypes=["m5.large"], AvailabilityZone="us-east-1a", StartTime=now - timedelta(hours=23), EndTime=now
    )["SpotPriceHistory"]
    linux = [p for p in day if p["ProductDescription"] == "Linux/UNIX"]

    assert len(prices) >= 3 and len(set(prices.values())) > 1  # one price per AZ, not all equal
    assert all(0.096 * 0.25 <= price <= 0.096 * 0.45 for price in prices.values())  # m5.large on-demand 0.096
    assert len(linux) == 24 and len({p["SpotPrice"] for p in linux}) > 1  # hourly changes
    assert linux[0]["Timestamp"] > linux[-1]["Timestamp"]  # newest first
