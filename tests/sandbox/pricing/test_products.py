"""The sandbox's Price List API (moto has none): GetProducts through boto3, in the API reference's shapes."""

import json

import boto3
import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def pricing(aws):
    return boto3.client("pricing", region_name="us-east-1")


def usd(item: str) -> float:
    terms = json.loads(item)["terms"]["OnDemand"]
    (term,) = terms.values()
    (dimension,) = term["priceDimensions"].values()
    return float(dimension["pricePerUnit"]["USD"])


def compute(pricing, **fields):
    filters = [{"Type": "TERM_MATCH", "Field": k, "Value": v} for k, v in fields.items()]
    return pricing.get_products(ServiceCode="AmazonEC2", Filters=filters)["PriceList"]


def test_prices_differ_by_region_tenancy_and_system(pricing):
    base = {"instanceType": "m5.large", "preInstalledSw": "NA", "capacitystatus": "Used"}
    shared = compute(pricing, **base, regionCode="us-east-1", operatingSystem="Linux", tenancy="Shared")
    assert len(shared) == 1 and isinstance(shared[0], str)  # a JSON string, as AWS sends it
    product = json.loads(shared[0])["product"]
    assert product["attributes"]["instanceType"] == "m5.large" and product["productFamily"] == "Compute Instance"
    assert usd(shared[0]) == pytest.approx(0.096)
    dedicated = compute(pricing, **base, regionCode="us-east-1", operatingSystem="Linux", tenancy="Dedicated")
    ireland = compute(pricing, **base, regionCode="eu-west-1", operatingSystem="Linux", tenancy="Shared")
    windows = compute(pricing, **base, regionCode="us-east-1", operatingSystem="Windows", tenancy="Shared")
    assert usd(shared[0]) < usd(ireland[0]) and usd(shared[0]) < usd(dedicated[0]) < usd(windows[0]) + 1
    assert usd(windows[0]) > usd(shared[0])
    assert (
        compute(
            pricing, **base, regionCode="us-east-1", operatingSystem="Windows", licenseModel="Bring your own license"
        )
        == []
    )
    assert compute(pricing, instanceType="zz9.large", regionCode="us-east-1") == []  # not in the catalog


def test_storage_and_dedicated_host_prices(pricing):
    gp3 = compute(pricing, productFamily="Storage", volumeApiName="gp3", regionCode="us-east-1")
    assert json.loads(gp3[0])["terms"]["OnDemand"] and usd(gp3[0]) == pytest.approx(0.08)
    host = compute(pricing, productFamily="Dedicated Host", instanceType="m5", regionCode="us-east-1")
    assert json.loads(host[0])["product"]["attributes"]["instanceType"] == "m5" and usd(host[0]) > 4


def test_pages_by_next_token_and_refuses_bad_input(pricing):
    filters = [{"Type": "TERM_MATCH", "Field": "instanceType", "Value": "m5.large"}]
    first = pricing.get_products(ServiceCode="AmazonEC2", Filters=filters, MaxResults=5)
    assert len(first["PriceList"]) == 5 and first["NextToken"]
    pages = pricing.get_paginator("get_products").paginate(ServiceCode="AmazonEC2", Filters=filters)
    every = [item for page in pages for item in page["PriceList"]]
    # 13 regions x 4 systems x 3 tenancies, each once.
    assert len(every) == len(set(every)) == 13 * 4 * 3
    with pytest.raises(ClientError) as error:
        pricing.get_products(ServiceCode="AmazonS4")
    assert error.value.response["Error"]["Code"] == "InvalidParameterException"
