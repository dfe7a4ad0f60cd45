"""The AWS Price List API (`pricing:GetProducts`, ServiceCode AmazonEC2): on-demand list prices for what a fleet
runs. The API is served from a few regions only (us-east-1, eu-central-1, ap-south-1), whatever region is priced:
every call goes to PRICE_LIST_REGION and names the priced region with the `regionCode` filter.

Each answer's PriceList is a list of JSON *strings*; they are parsed here and handed on as plain dicts, the
price under terms.OnDemand.<term>.priceDimensions.<dimension>.pricePerUnit.USD.

`list_price_pages` asks only for what it is given (one GetProducts per instance type x platform x tenancy, per
EBS volume type, per dedicated-host family), and yields what it found first; a subject the Price List has no
product for then fails the call with AwsNotFound naming them, so the caller keeps the prices it got and says
which are missing. A platform EC2 does not document (PLATFORMS) is missing too.

An instance is priced by its billing code: EC2's user guide ("AMI billing information fields") lists each
PlatformDetails value with its UsageOperation, and the usage operation is the Price List product's `operation`
attribute, so `operation` names the platform's product whatever its operatingSystem and licenseModel are spelled.
preInstalledSw ("NA", "SQL Std", "SQL Ent", "SQL Web") is asked as well: a product with SQL Server bundled is a
product of its own, several times the price of the system alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any, cast

from .clients import AccountRef, client_get, paginate
from .errors import AwsNotFound
from .query import Page

PRICE_LIST_REGION = "us-east-1"
SERVICE_CODE = "AmazonEC2"
# An instance's PlatformDetails -> the Price List's (operation, preInstalledSw): every value EC2's user guide lists
# ("" and "windows" are what an instance without PlatformDetails says: its Platform).
PLATFORMS = {
    "": ("RunInstances", "NA"),
    "Linux/UNIX": ("RunInstances", "NA"),
    "Red Hat BYOL Linux": ("RunInstances:00g0", "NA"),
    "Red Hat Enterprise Linux": ("RunInstances:0010", "NA"),
    "Red Hat Enterprise Linux with HA": ("RunInstances:1010", "NA"),
    "Red Hat Enterprise Linux with SQL Server Standard and HA": ("RunInstances:1014", "SQL Std"),
    "Red Hat Enterprise Linux with SQL Server Enterprise and HA": ("RunInstances:1110", "SQL Ent"),
    "Red Hat Enterprise Linux with SQL Server Standard": ("RunInstances:0014", "SQL Std"),
    "Red Hat Enterprise Linux with SQL Server Web": ("RunInstances:0210", "SQL Web"),
    "Red Hat Enterprise Linux with SQL Server Enterprise": ("RunInstances:0110", "SQL Ent"),
    "SQL Server Enterprise": ("RunInstances:0100", "SQL Ent"),
    "SQL Server Standard": ("RunInstances:0004", "SQL Std"),
    "SQL Server Web": ("RunInstances:0200", "SQL Web"),
    "SUSE Linux": ("RunInstances:000g", "NA"),
    "Ubuntu Pro": ("RunInstances:0g00", "NA"),
    "Windows": ("RunInstances:0002", "NA"),
    "windows": ("RunInstances:0002", "NA"),
    "Windows BYOL": ("RunInstances:0800", "NA"),
    "Windows with SQL Server Enterprise": ("RunInstances:0102", "SQL Ent"),
    "Windows with SQL Server Standard": ("RunInstances:0006", "SQL Std"),
    "Windows with SQL Server Web": ("RunInstances:0202", "SQL Web"),
}
# SQL Server on Linux under the name reservations' ProductDescription gives it ("Linux with SQL Server Standard").
PLATFORMS.update({f"Linux with {name}": PLATFORMS[name] for name in list(PLATFORMS) if name.startswith("SQL Server")})
# An instance's Placement.Tenancy -> the Price List's tenancy.
TENANCIES = {"default": "Shared", "dedicated": "Dedicated", "host": "Host"}


def _products(account: AccountRef, **fields: str) -> list[dict[str, Any]]:
    client = client_get("pricing", account=account, region=PRICE_LIST_REGION)
    filters = [{"Type": "TERM_MATCH", "Field": field, "Value": value} for field, value in fields.items()]
    found: list[dict[str, Any]] = []
    for page in paginate(
        client, "get_products", "PriceList", ServiceCode=SERVICE_CODE, Filters=filters, FormatVersion="aws_v1"
    ):
        found.extend(json.loads(cast(str, item)) for item in page)  # PriceList items are JSON strings
    return found


def instance_filters(*, region: str, instance_type: str, platform: str, tenancy: str) -> dict[str, str] | None:
    """The GetProducts filters that name one instance type's on-demand product, or None for a platform or tenancy
    the Price List does not sell alone."""
    if platform not in PLATFORMS or tenancy not in TENANCIES:
        return None
    operation, software = PLATFORMS[platform]
    return {
        "instanceType": instance_type,
        "regionCode": region,
        "operation": operation,
        "tenancy": TENANCIES[tenancy],
        "preInstalledSw": software,
        "capacitystatus": "Used",
    }


def list_price_pages(
    *,
    account: AccountRef,
    region: str,
    instances: Sequence[tuple[str, str, str]] = (),
    volume_types: Sequence[str] = (),
    host_families: Sequence[str] = (),
    ids: Sequence[str] | None = None,
) -> Iterator[Page]:
    """One page per subject: [{"Kind": "instance"|"storage"|"host", "Subject": {...}, "Product": parsed item}].

    `instances` are (instance type, platform as PlatformDetails says it, tenancy); `volume_types` EBS volumeApiNames;
    `host_families` dedicated-host families ("m5"). Raises AwsNotFound, after the pages, naming the subjects the
    Price List has no product for."""
    if ids is not None:
        raise ValueError("The Price List is read whole for a scope, not by id.")
    missing: list[str] = []
    asks: list[tuple[str, dict[str, str], dict[str, str] | None]] = []
    for kind, platform, tenancy in instances:
        subject = {"instance_type": kind, "platform": platform, "tenancy": tenancy}
        fields = instance_filters(region=region, instance_type=kind, platform=platform, tenancy=tenancy)
        asks.append(("instance", subject, fields))
    for volume in volume_types:
        asks.append(("storage", {"volume_type": volume}, {"productFamily": "Storage", "volumeApiName": volume}))
    for family in host_families:
        asks.append(("host", {"family": family}, {"productFamily": "Dedicated Host", "instanceType": family}))
    for kind, subject, fields in asks:
        products = _products(account, **{**fields, "regionCode": region}) if fields is not None else []
        if not products:
            missing.append(" ".join(str(value) for value in subject.values() if value))
            continue
        yield [{"Kind": kind, "Subject": subject, "Product": products[0]}]
    if missing:
        raise AwsNotFound(
            f"The AWS Price List has no on-demand price in {region} for: {'; '.join(missing)}.",
            code="NoPriceListProduct",
            operation="GetProducts",
        )
