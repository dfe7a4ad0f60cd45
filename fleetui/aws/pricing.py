"""The AWS Price List API (`pricing:GetProducts`, ServiceCode AmazonEC2): on-demand list prices for what a fleet
runs. The API is served from a few regions only (us-east-1, eu-central-1, ap-south-1), whatever region is priced:
every call goes to PRICE_LIST_REGION and names the priced region with the `regionCode` filter.

Each answer's PriceList is a list of JSON *strings*; they are parsed here and handed on as plain dicts, the
price under terms.OnDemand.<term>.priceDimensions.<dimension>.pricePerUnit.USD.

`list_price_pages` asks only for what it is given (one GetProducts per instance type x platform x tenancy, per
EBS volume type, per dedicated-host family), and yields what it found first; a subject the Price List has no
product for then fails the call with AwsNotFound naming them, so the caller keeps the prices it got and says
which are missing. A platform the Price List has no operatingSystem for (Windows with SQL Server, ...) is
missing too.
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
# An instance's PlatformDetails -> the Price List's (operatingSystem, licenseModel).
OPERATING_SYSTEMS = {
    "": ("Linux", "No License required"),
    "Linux/UNIX": ("Linux", "No License required"),
    "Windows": ("Windows", "License Included"),
    "Red Hat Enterprise Linux": ("RHEL", "No License required"),
    "SUSE Linux": ("SUSE", "No License required"),
}
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
    if platform not in OPERATING_SYSTEMS or tenancy not in TENANCIES:
        return None
    system, license_model = OPERATING_SYSTEMS[platform]
    return {
        "instanceType": instance_type,
        "regionCode": region,
        "operatingSystem": system,
        "tenancy": TENANCIES[tenancy],
        "preInstalledSw": "NA",
        "capacitystatus": "Used",
        "licenseModel": license_model,
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
