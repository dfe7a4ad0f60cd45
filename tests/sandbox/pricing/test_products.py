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
    byol = compute(
        pricing, **base, regionCode="us-east-1", operatingSystem="Windows", licenseModel="Bring your own license"
    )
    assert len(byol) == 3 and usd(byol[0]) == pytest.approx(0.096)  # a tenancy each; the Linux price, no licence
    assert compute(pricing, instanceType="zz9.large", regionCode="us-east-1") == []  # not in the catalog


def test_sql_server_is_a_product_of_its_own_priced_by_edition(pricing):
    base = {"instanceType": "m5.xlarge", "regionCode": "us-east-1", "tenancy": "Shared", "capacitystatus": "Used"}

    def price(system: str, software: str) -> float:
        license_model = LICENSES[system]
        [item] = compute(pricing, **base, operatingSystem=system, preInstalledSw=software, licenseModel=license_model)
        attributes = json.loads(item)["product"]["attributes"]
        assert (attributes["operatingSystem"], attributes["preInstalledSw"]) == (system, software)
        return usd(item)

    windows = {software: price("Windows", software) for software in ("NA", "SQL Web", "SQL Std", "SQL Ent")}
    linux = {software: price("Linux", software) for software in ("NA", "SQL Web", "SQL Std", "SQL Ent")}
    assert linux["NA"] < windows["NA"] < windows["SQL Web"] < windows["SQL Std"] < windows["SQL Ent"]
    assert windows["SQL Ent"] > 5 * windows["NA"]  # the real m5.xlarge: $0.376 Windows, $3.176 with SQL Enterprise
    # The licence is the same on either system: Linux with SQL Standard costs Windows with it less Windows' charge.
    assert linux["SQL Std"] - linux["NA"] == pytest.approx(windows["SQL Std"] - windows["NA"], abs=1e-4)
    [by_operation] = compute(pricing, **base, operation="RunInstances:0102")
    assert usd(by_operation) == windows["SQL Ent"]  # the usage operation names the same product


LICENSES = {"Windows": "License Included", "Linux": "No License required"}


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
    # 13 regions x 19 billing codes (EC2's usage operations) x 3 tenancies, each once.
    assert len(every) == len(set(every)) == 13 * 19 * 3
    with pytest.raises(ClientError) as error:
        pricing.get_products(ServiceCode="AmazonS4")
    assert error.value.response["Error"]["Code"] == "InvalidParameterException"
