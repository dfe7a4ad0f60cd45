"""AmazonEC2 products of the Price List API, computed from the filters asked (fleetui.sandbox.ec2.prices gives the
numbers), in the API reference's shapes: each PriceList item is a JSON *string* of {product, serviceCode, terms}.

Three product families, as the real Price List has them:
- "Compute Instance": one product per instance type (moto's catalog) x region x billing code x tenancy, with
  capacitystatus "Used"; USD per hour (unit "Hrs"). A billing code is EC2's UsageOperation, the product's
  `operation`, with the operatingSystem, licenseModel and preInstalledSw that go with it (OPERATIONS).
- "Storage": one per EBS volumeApiName x region; USD per GB-month (unit "GB-Mo").
- "Dedicated Host": one per family (attribute instanceType = "m5") x region; USD per host-hour.

Filters are TERM_MATCH on any attribute (and on productFamily); products are enumerated lazily and NextToken is the
offset of the next one, so an unfiltered GetProducts pages through everything without building it.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from functools import cache
from typing import Any

from fleetui.sandbox.ec2.prices import _region_factor, _units, on_demand_hourly
from fleetui.sandbox.middleware import JsonServiceError

SERVICE_CODE = "AmazonEC2"
MAX_RESULTS = 100
PUBLICATION = "2026-11-01T00:00:00Z"
LOCATIONS = {
    "us-east-1": "US East (N. Virginia)",
    "us-east-2": "US East (Ohio)",
    "us-west-1": "US West (N. California)",
    "us-west-2": "US West (Oregon)",
    "ca-central-1": "Canada (Central)",
    "eu-west-1": "EU (Ireland)",
    "eu-west-2": "EU (London)",
    "eu-central-1": "EU (Frankfurt)",
    "ap-south-1": "Asia Pacific (Mumbai)",
    "ap-southeast-1": "Asia Pacific (Singapore)",
    "ap-southeast-2": "Asia Pacific (Sydney)",
    "ap-northeast-1": "Asia Pacific (Tokyo)",
    "sa-east-1": "South America (Sao Paulo)",
}
# SQL Server licence, USD per normalized unit-hour: SQL Server is licensed per vCPU, so it grows with the size.
# Roughly what AWS charges on top of Windows for an m5.large (4 units): Web ~$0.07/h, Standard ~$0.48, Enterprise
# ~$1.40.
SQL_PER_UNIT = {"NA": 0.0, "SQL Web": 0.017, "SQL Std": 0.12, "SQL Ent": 0.35}
HA_EXTRA = 0.0275  # USD per hour for Red Hat's High Availability add-on, on top of RHEL's
# operation -> (operatingSystem, licenseModel, preInstalledSw, USD per hour on top of the system's instance price).
# Windows' own charge comes from prices.py (as the spot prices and reservations have it); BYOL pays no licence.
ATTRIBUTES = ("operatingSystem", "licenseModel", "preInstalledSw")
OPERATIONS = {
    "RunInstances": ("Linux", "No License required", "NA", 0.0),
    "RunInstances:00g0": ("RHEL", "Bring your own license", "NA", 0.0),
    "RunInstances:0010": ("RHEL", "No License required", "NA", 0.06),
    "RunInstances:1010": ("Red Hat Enterprise Linux with HA", "No License required", "NA", 0.06 + HA_EXTRA),
    "RunInstances:1014": ("Red Hat Enterprise Linux with HA", "No License required", "SQL Std", 0.06 + HA_EXTRA),
    "RunInstances:1110": ("Red Hat Enterprise Linux with HA", "No License required", "SQL Ent", 0.06 + HA_EXTRA),
    "RunInstances:0014": ("RHEL", "No License required", "SQL Std", 0.06),
    "RunInstances:0210": ("RHEL", "No License required", "SQL Web", 0.06),
    "RunInstances:0110": ("RHEL", "No License required", "SQL Ent", 0.06),
    "RunInstances:0100": ("Linux", "No License required", "SQL Ent", 0.0),
    "RunInstances:0004": ("Linux", "No License required", "SQL Std", 0.0),
    "RunInstances:0200": ("Linux", "No License required", "SQL Web", 0.0),
    "RunInstances:000g": ("SUSE", "No License required", "NA", 0.1),
    "RunInstances:0g00": ("Ubuntu Pro", "No License required", "NA", 0.0035),
    "RunInstances:0002": ("Windows", "License Included", "NA", 0.0),
    "RunInstances:0800": ("Windows", "Bring your own license", "NA", 0.0),
    "RunInstances:0102": ("Windows", "License Included", "SQL Ent", 0.0),
    "RunInstances:0006": ("Windows", "License Included", "SQL Std", 0.0),
    "RunInstances:0202": ("Windows", "License Included", "SQL Web", 0.0),
}
TENANCIES = {"Shared": "default", "Dedicated": "dedicated", "Host": "host"}
VOLUME_GB_MONTH = {"gp2": 0.10, "gp3": 0.08, "io1": 0.125, "io2": 0.125, "st1": 0.045, "sc1": 0.015, "standard": 0.05}
HOST_UNITS = 192  # a dedicated host holds about a metal instance's worth of normalized units


@cache
def catalog_types() -> tuple[str, ...]:
    """moto's instance-type catalog (the same 1,395 types DescribeInstanceTypes answers)."""
    from moto.ec2.models.instance_types import INSTANCE_TYPES

    return tuple(sorted(INSTANCE_TYPES))


@cache
def catalog_families() -> tuple[str, ...]:
    return tuple(sorted({name.partition(".")[0] for name in catalog_types()}))


def _price_item(sku: str, product: dict[str, Any], unit: str, usd: float, description: str) -> str:
    term = f"{sku}.JRTCKXETXF"
    terms = {
        "OnDemand": {
            term: {
                "offerTermCode": "JRTCKXETXF",
                "sku": sku,
                "effectiveDate": PUBLICATION,
                "priceDimensions": {
                    f"{term}.6YS6EN2CT7": {
                        "rateCode": f"{term}.6YS6EN2CT7",
                        "description": description,
                        "beginRange": "0",
                        "endRange": "Inf",
                        "unit": unit,
                        "pricePerUnit": {"USD": f"{usd:.10f}"},
                        "appliesTo": [],
                    }
                },
                "termAttributes": {},
            }
        }
    }
    item = {"product": {**product, "sku": sku}, "serviceCode": SERVICE_CODE, "terms": terms}
    item.update(version="20261101000000", publicationDate=PUBLICATION)
    return json.dumps(item)


def _instance(kind: str, region: str, operation: str, tenancy: str) -> str:
    system, license_model, software, extra = OPERATIONS[operation]
    platform = "Windows" if license_model == "License Included" else "Linux/UNIX"
    price = on_demand_hourly(kind, region, TENANCIES[tenancy], platform) + extra
    price += _units(kind) * SQL_PER_UNIT[software] * _region_factor(region)
    attributes = {
        "servicecode": SERVICE_CODE,
        "instanceType": kind,
        "instanceFamily": "General purpose",
        "regionCode": region,
        "location": LOCATIONS[region],
        "locationType": "AWS Region",
        "operatingSystem": system,
        "tenancy": tenancy,
        "preInstalledSw": software,
        "capacitystatus": "Used",
        "licenseModel": license_model,
        "operation": operation,
        "usagetype": f"BoxUsage:{kind}",
    }
    product = {"productFamily": "Compute Instance", "attributes": attributes}
    sku = _stable_sku("ci", kind, region, operation, tenancy)
    with_software = "" if software == "NA" else f" with {software}"
    description = f"${price:.4f} per On Demand {system}{with_software} {kind} Instance Hour"
    return _price_item(sku, product, "Hrs", round(price, 4), description)


def _storage(volume: str, region: str) -> str:
    usd = round(VOLUME_GB_MONTH[volume] * _region_factor(region), 4)
    attributes = {
        "servicecode": SERVICE_CODE,
        "volumeApiName": volume,
        "regionCode": region,
        "location": LOCATIONS[region],
        "usagetype": f"EBS:VolumeUsage.{volume}",
    }
    product = {"productFamily": "Storage", "attributes": attributes}
    return _price_item(_stable_sku("st", volume, region), product, "GB-Mo", usd, f"${usd} per GB-month of {volume}")


def _host(family: str, region: str) -> str:
    usd = on_demand_hourly(f"{family}.large", region, "host") / 4 * HOST_UNITS
    attributes = {
        "servicecode": SERVICE_CODE,
        "instanceType": family,
        "regionCode": region,
        "location": LOCATIONS[region],
        "tenancy": "Host",
        "usagetype": f"HostUsage:{family}",
    }
    product = {"productFamily": "Dedicated Host", "attributes": attributes}
    return _price_item(
        _stable_sku("dh", family, region), product, "Hrs", round(usd, 4), f"${usd:.4f} per {family} host"
    )


def _stable_sku(*parts: str) -> str:
    """A 16-character SKU that is the same in every run (Python's str hash is salted per process)."""
    import zlib

    return "".join(f"{zlib.crc32(part.encode()):08X}" for part in ("|".join(parts), "|".join(reversed(parts))))


def _wanted(filters: dict[str, str], field: str, domain: tuple[str, ...] | list[str]) -> list[str]:
    if field not in filters:
        return list(domain)
    return [value for value in domain if value == filters[field]]


def products(filters: dict[str, str]) -> Iterator[str]:
    """Every product matching the TERM_MATCH filters, in a stable order, as PriceList strings."""
    family = filters.get("productFamily")
    regions = _wanted(filters, "regionCode", list(LOCATIONS))
    if "location" in filters:
        regions = [r for r in regions if LOCATIONS[r] == filters["location"]]
    if family in (None, "Compute Instance") and filters.get("capacitystatus", "Used") == "Used":
        operations = [
            operation
            for operation in _wanted(filters, "operation", list(OPERATIONS))
            if all(
                filters.get(field, value) == value
                for field, value in zip(ATTRIBUTES, OPERATIONS[operation][:3], strict=True)
            )
        ]
        combos = itertools.product(
            _wanted(filters, "instanceType", catalog_types()),
            regions,
            operations,
            _wanted(filters, "tenancy", list(TENANCIES)),
        )
        yield from (_instance(*combo) for combo in combos)
    if family in (None, "Storage") and "instanceType" not in filters:
        for volume, region in itertools.product(_wanted(filters, "volumeApiName", list(VOLUME_GB_MONTH)), regions):
            yield _storage(volume, region)
    if family in (None, "Dedicated Host") and "volumeApiName" not in filters:
        for fam, region in itertools.product(_wanted(filters, "instanceType", catalog_families()), regions):
            yield _host(fam, region)


def get_products(params: dict[str, Any]) -> dict[str, Any]:
    """GetProducts: ServiceCode, Filters [{Type: TERM_MATCH, Field, Value}], FormatVersion, NextToken, MaxResults."""
    if params.get("ServiceCode") != SERVICE_CODE:
        raise JsonServiceError("InvalidParameterException", f"Unknown service code {params.get('ServiceCode')!r}.")
    filters: dict[str, str] = {}
    for item in params.get("Filters") or []:
        if item.get("Type") != "TERM_MATCH":
            raise JsonServiceError("InvalidParameterException", f"Unsupported filter type {item.get('Type')!r}.")
        filters[item["Field"]] = item["Value"]
    size = int(params.get("MaxResults") or MAX_RESULTS)
    if not 1 <= size <= MAX_RESULTS:
        raise JsonServiceError("InvalidParameterException", "MaxResults must be between 1 and 100.")
    token = params.get("NextToken") or "0"
    if not token.isdigit():
        raise JsonServiceError("InvalidNextTokenException", "The NextToken is not valid.")
    start = int(token)
    page = list(itertools.islice(products(filters), start, start + size + 1))
    answer: dict[str, Any] = {"FormatVersion": "aws_v1", "PriceList": page[:size]}
    if len(page) > size:
        answer["NextToken"] = str(start + size)
    return answer


MORE_ATTRIBUTES = ["preInstalledSw", "productFamily", "regionCode", "tenancy", "volumeApiName"]


def describe_services(params: dict[str, Any]) -> dict[str, Any]:
    names = ["capacitystatus", "instanceType", "licenseModel", "location", "operatingSystem", "operation"]
    service = {"ServiceCode": SERVICE_CODE, "AttributeNames": [*names, *MORE_ATTRIBUTES]}
    wanted = params.get("ServiceCode")
    return {"Services": [service] if wanted in (None, SERVICE_CODE) else [], "FormatVersion": "aws_v1"}


JSON_TARGETS = {
    "AWSPriceListService": {"GetProducts": get_products, "DescribeServices": describe_services},
}
