"""Cost arithmetic: the reserved effective rate worked by hand, a rate's month, and the Price List product and
reservation transforms on API-shaped payloads."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from fleetui.ec2.costs import Rate, hourly_charge, reservation_hourly, unit_rate
from fleetui.ec2.transforms import list_price_fields, reserved_instance_fields


def test_reservation_effective_rate_amortises_the_upfront():
    assert reservation_hourly(fixed_price=Decimal(876), hourly_charge=Decimal(0), duration_seconds=31536000) == Decimal(
        "0.1"
    )
    # Partial: $438 upfront over 3 years (26,280 h) + $0.02/h = 0.016666... + 0.02.
    partial = reservation_hourly(fixed_price=Decimal(438), hourly_charge=Decimal("0.02"), duration_seconds=3 * 31536000)
    assert round(partial, 6) == Decimal("0.036667")


def test_a_normalized_unit_of_a_reservation():
    # All Upfront m5.large (4 units), $876 a year: $0.10/h for the instance, $0.025 per unit-hour. A size-flexible
    # m5.xlarge (8 units) wholly paid by two of them costs 8 x 0.025 = $0.20/h.
    assert unit_rate(
        instance_type="m5.large", fixed_price=Decimal(876), hourly=Decimal(0), duration_seconds=31536000
    ) == (Decimal("0.025"))
    charges = [{"amount": "0.03", "frequency": "Hourly"}, {"amount": "9", "frequency": "Monthly"}]
    assert hourly_charge(recurring_charges=charges, usage_price=Decimal("0.01")) == Decimal("0.04")
    no_upfront = unit_rate(
        instance_type="m5.xlarge", fixed_price=None, hourly=Decimal("0.08"), duration_seconds=31536000
    )
    assert no_upfront == Decimal("0.01")


def test_a_rate_per_month_is_730_hours_and_unknown_stays_unknown():
    assert Rate(Decimal("0.192"), "list").usd_per_month == Decimal("140.1600")
    assert Rate(None, "no price").usd_per_month is None


def _product(usd: str | None) -> dict:
    dimension = {"unit": "Hrs", "beginRange": "0", "description": "$0.096 per On Demand Linux m5.large Instance Hour"}
    if usd is not None:
        dimension["pricePerUnit"] = {"USD": usd}
    item = {
        "product": {"sku": "ABC", "productFamily": "Compute Instance", "attributes": {"instanceType": "m5.large"}},
        "terms": {"OnDemand": {"ABC.JRTCKXETXF": {"effectiveDate": "2026-11-01T00:00:00Z", "priceDimensions": {
            "ABC.JRTCKXETXF.6YS6EN2CT7": dimension}}}},
    }  # fmt: skip
    return json.loads(json.dumps(item))


def test_list_price_transform_reads_the_on_demand_dimension():
    subject = {"instance_type": "m5.large", "platform": "Linux/UNIX", "tenancy": "default"}
    fields = list_price_fields({"Kind": "instance", "Subject": subject, "Product": _product("0.0960000000")})
    assert fields["price_key"] == "instance|m5.large|Linux/UNIX|default" and fields["usd"] == Decimal("0.096")
    assert fields["unit"] == "Hrs" and fields["sku"] == "ABC"
    assert fields["effective_date"] == datetime(2026, 11, 1, tzinfo=UTC)
    missing = list_price_fields({"Kind": "instance", "Subject": subject, "Product": _product(None)})
    assert missing["usd"] is None  # no USD: unknown, never 0
    storage = list_price_fields({"Kind": "storage", "Subject": {"volume_type": "gp3"}, "Product": _product("0.08")})
    assert storage["price_key"] == "storage|gp3||" and storage["subject"] == "gp3"


def test_reservation_transform_stores_the_unit_rate():
    raw = {
        "ReservedInstancesId": "ri-1", "InstanceType": "m5.large", "InstanceCount": 2, "FixedPrice": 876.0,
        "UsagePrice": 0.0, "Duration": 31536000, "RecurringCharges": [], "State": "active",
    }  # fmt: skip
    assert reserved_instance_fields(raw)["usd_per_unit_hour"] == Decimal("0.025")


@pytest.mark.django_db
def test_stopped_instances_ebs_counts_stopped_ones_only():
    """Pending and terminated instances are not running either, but only a stopped (or stopping) instance is
    billed for its volumes without compute: the overview's tile counts those alone."""
    from django.utils import timezone

    from fleetui.ec2.cost_overview import cost_overview
    from fleetui.ec2.cost_store import cost_store
    from fleetui.ec2.models import ListPrice
    from tests.factories import AccountFactory, InstanceFactory, VolumeFactory

    account, now = AccountFactory(), timezone.now()
    scope = {"account": account, "region": "us-east-1", "first_seen": now, "last_seen": now}
    ListPrice.objects.create(**scope, price_key="storage|gp3||", kind="storage", subject="gp3", usd=Decimal("0.08"))
    for state, size in (("stopped", 100), ("stopping", 10), ("pending", 50), ("terminated", 200), ("running", 30)):
        instance = InstanceFactory(account=account, region="us-east-1", state=state)
        VolumeFactory(account=account, region="us-east-1", instance_id=instance.instance_id, size_gib=size)
    cost_store(account=account, region="us-east-1")
    view = cost_overview()
    assert view.stopped == 2 and view.stopped_ebs_per_month == Decimal("8.80")  # (100 + 10) GB x $0.08
