"""Bundled platforms are priced: instances launched from AMIs that bundle SQL Server, RHEL or SUSE sync with EC2's
PlatformDetails, the list_prices sync finds each one's Price List product, and their costs are stored, dearer by
edition, never "unknown". Every PlatformDetails value EC2's user guide lists names one product. The launch form's
estimate prices the chosen AMI's platform."""

import re
from decimal import Decimal

import boto3
import pytest
from django.urls import reverse

from fleetui.aws.pricing import PLATFORMS, list_price_pages
from fleetui.ec2.models import Instance, ListPrice, SpotPrice
from fleetui.inventory.sync import account_ref, sync_scope
from fleetui.sandbox.ec2.prices import on_demand_hourly
from tests.inventory.sync.conftest import account, fresh_clients  # noqa: F401  fixtures

REGION = "us-east-1"
IMAGES = {
    "Linux/UNIX": "amzn2-ami-hvm-*x86_64*",
    "Windows": "Windows_Server-2016-English-Full-Base-*",
    "Windows with SQL Server Web": "Windows_Server-2016-English-Full-SQL_2016_SP1_Web-*",
    "Windows with SQL Server Standard": "Windows_Server-2016-English-Full-SQL_2016_SP1_Standard-*",
    "Windows with SQL Server Enterprise": "Windows_Server-2016-English-Full-SQL_2016_SP1_Enterprise-*",
    "Red Hat Enterprise Linux": "RHEL-7.4_HVM_GA-*",
    "SUSE Linux": "suse-sles-12-*",
}
# Every value in the EC2 user guide's table of billing information ("AMI billing information fields").
DOCUMENTED = [
    "Linux/UNIX", "Red Hat BYOL Linux", "Red Hat Enterprise Linux", "Red Hat Enterprise Linux with HA",
    "Red Hat Enterprise Linux with SQL Server Standard and HA",
    "Red Hat Enterprise Linux with SQL Server Enterprise and HA",
    "Red Hat Enterprise Linux with SQL Server Standard", "Red Hat Enterprise Linux with SQL Server Web",
    "Red Hat Enterprise Linux with SQL Server Enterprise", "SQL Server Enterprise", "SQL Server Standard",
    "SQL Server Web", "SUSE Linux", "Ubuntu Pro", "Windows", "Windows BYOL", "Windows with SQL Server Enterprise",
    "Windows with SQL Server Standard", "Windows with SQL Server Web",
]  # fmt: skip


def test_every_documented_platform_names_one_product(aws, account):  # noqa: F811
    assert set(DOCUMENTED) <= set(PLATFORMS)
    subjects = [("m5.xlarge", platform, "default") for platform in DOCUMENTED]
    pages = list(list_price_pages(account=account_ref(account), region=REGION, instances=subjects))  # none missing
    found = {item["Subject"]["platform"]: item["Product"]["product"]["attributes"] for page in pages for item in page}
    assert set(found) == set(DOCUMENTED)
    assert found["Windows with SQL Server Enterprise"]["preInstalledSw"] == "SQL Ent"
    assert found["SQL Server Standard"]["operatingSystem"] == "Linux"
    assert found["Windows BYOL"]["licenseModel"] == "Bring your own license"
    assert len({attributes["operation"] for attributes in found.values()}) == len(DOCUMENTED)


def _launch_from(ec2, name: str) -> str:
    images = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": [name]}])["Images"]
    image = sorted(item["ImageId"] for item in images)[0]
    answer = ec2.run_instances(ImageId=image, InstanceType="m5.xlarge", MinCount=1, MaxCount=1)
    return answer["Instances"][0]["InstanceId"]


@pytest.mark.django_db
def test_instances_of_bundled_platforms_are_priced(aws, account):  # noqa: F811
    ec2 = boto3.client("ec2", region_name=REGION)
    ids = {platform: _launch_from(ec2, name) for platform, name in IMAGES.items()}
    for kind in ("instances", "list_prices"):
        run = sync_scope(account=account, region=REGION, resource_type=kind)
        assert run.status == "succeeded", run.error
    rows = {platform: Instance.objects.get(instance_id=instance_id) for platform, instance_id in ids.items()}
    cost = {}
    for platform, row in rows.items():
        assert row.platform == platform and row.cost_source == "on_demand", (platform, row.cost_source)
        price = ListPrice.objects.get(kind="instance", subject="m5.xlarge", platform=platform, tenancy="default")
        assert row.cost_per_hour == price.usd and row.cost_as_of is not None
        cost[platform] = row.cost_per_hour
    windows = [cost[p] for p in ("Windows", *list(IMAGES)[2:5])]
    assert cost["Linux/UNIX"] < windows[0] and windows == sorted(windows)  # Web < Standard < Enterprise
    assert cost["Windows with SQL Server Enterprise"] > 5 * cost["Windows"]
    assert cost["Linux/UNIX"] < cost["Red Hat Enterprise Linux"] and cost["Linux/UNIX"] < cost["SUSE Linux"]
    assert Decimal(0) not in cost.values()


@pytest.mark.django_db
def test_the_launch_estimate_prices_the_chosen_amis_platform(aws, account, client, operator):  # noqa: F811
    ec2 = boto3.client("ec2", region_name=REGION)
    windows = _launch_from(ec2, IMAGES["Windows"])
    sql = _launch_from(ec2, IMAGES["Windows with SQL Server Standard"])
    own = ec2.create_image(InstanceId=windows, Name="golden-windows")["ImageId"]  # an own AMI: an Image row
    for kind in ("instances", "images", "spot_prices", "list_prices"):
        run = sync_scope(account=account, region=REGION, resource_type=kind)
        assert run.status == "succeeded", run.error
    client.force_login(operator)

    def estimate(**fields: str) -> str:
        form = {"account": account.account_id, "region": REGION, "p-count": "2", "p-tenancy": "default"}
        page = client.get(reverse("ec2:launch_estimate"), {**form, **{f"p-{k}": v for k, v in fields.items()}})
        assert page.status_code == 200
        return page.content.decode()

    def stored(platform: str) -> Decimal:
        return ListPrice.objects.get(kind="instance", subject="m5.xlarge", platform=platform, tenancy="default").usd

    # The own AMI (its Image row says Windows): the Windows list price and Windows spot, as the page form sends them.
    text = estimate(image_id=own, instance_type="m5.xlarge")
    assert f"${2 * stored('Windows'):.4f}" in text and "Windows list prices of default tenancy" in text
    spots = SpotPrice.objects.filter(instance_type="m5.xlarge", product_description="Windows")
    assert spots and f"${2 * min(p.usd_per_hour for p in spots):.4f}" in text
    linux = Instance.objects.get(instance_id=windows).image_id  # Amazon's AMI: known by the instance it runs
    assert f"${2 * stored('Windows'):.4f}" in estimate(image_id=linux, instance_type="m5.xlarge")
    # SQL Server Standard bundled: its own list price, several times Windows'; no spot price is stored for it.
    sql_image = Instance.objects.get(instance_id=sql).image_id
    text = estimate(image_id=sql_image, instance_type="m5.xlarge")
    assert stored("Windows with SQL Server Standard") > 2 * stored("Windows")
    assert f"${2 * stored('Windows with SQL Server Standard'):.4f}" in text
    assert re.search(r'data-price="spot">.*?<td class="num">unknown</td>', text, re.S)
    # A type the fleet does not run on that AMI: asked of the Price List at once, for Windows (not Linux).
    bigger = estimate(image_id=own, instance_type="m5.4xlarge")
    assert f"${2 * Decimal(str(on_demand_hourly('m5.4xlarge', REGION, 'default', 'Windows'))):.4f}" in bigger
    # An AMI the inventory does not know: unknown, never $0.
    text = estimate(image_id="ami-00000000000000000", instance_type="m5.xlarge")
    assert "unknown" in text and "$0" not in text and "is not in the inventory" in text
