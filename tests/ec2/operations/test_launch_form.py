"""The launch form (issue 15 §4, §6): under Instances, account and region inside it choosing its choices, the type
picker grouped by family with vCPU and memory, spot fields only for spot, and a refusal that keeps every value.

One sandbox scope for the module (fleet_for_module): key pairs, security groups and a placement group in two regions,
a named subnet, and a few catalog types; every test only reads or is refused, so nothing is launched.
"""

import html
import re

import boto3
import pytest
from django.urls import reverse

from fleetui.actions.models import Action
from fleetui.ec2.models import InstanceType
from fleetui.ec2.operations.launch_choices import type_default
from fleetui.inventory.sync import sync_scope
from tests.conftest import fleet_for_module
from tests.factories import InstanceTypeFactory

URL = reverse("actions:new", args=["ec2.launch"])
EAST, WEST = "us-east-1", "eu-west-1"
TYPES = [  # (type, vCPU, memory MiB, current generation)
    ("t3.micro", 2, 1024, True),
    ("t3.small", 2, 2048, True),
    ("m5.large", 2, 8192, True),
    ("m5.xlarge", 4, 16384, True),
    ("m4.large", 2, 8192, False),
    ("c5.large", 2, 4096, True),
    ("p3.2xlarge", 8, 62464, True),
]


def build(account) -> dict[str, str]:
    made = {}
    for region, prefix in ((EAST, "east"), (WEST, "west")):
        ec2 = boto3.client("ec2", region_name=region)
        ec2.create_key_pair(KeyName=f"{prefix}-ops")
        made[f"{prefix}_sg"] = ec2.create_security_group(GroupName=f"{prefix}-web", Description="web")["GroupId"]
        subnet = ec2.describe_subnets()["Subnets"][0]
        ec2.create_tags(Resources=[subnet["SubnetId"]], Tags=[{"Key": "Name", "Value": f"{prefix}-app"}])
        made[f"{prefix}_subnet"], made[f"{prefix}_zone"] = subnet["SubnetId"], subnet["AvailabilityZone"]
        for resource_type in ("key_pairs", "security_groups"):
            sync_scope(account=account, region=region, resource_type=resource_type)
    boto3.client("ec2", region_name=EAST).create_placement_group(GroupName="east-cluster", Strategy="cluster")
    sync_scope(account=account, region=EAST, resource_type="placement_groups")
    for name, vcpus, memory, current in TYPES:
        InstanceTypeFactory(name=name, vcpus=vcpus, memory_mib=memory, current_generation=current)
    return made


@pytest.fixture(scope="module")
def scope_for_module(moto_server, django_db_setup, django_db_blocker):
    yield from fleet_for_module(moto_server, django_db_blocker, build)


@pytest.fixture
def scope(scope_for_module, db) -> dict[str, str]:
    return scope_for_module


@pytest.fixture
def operator_client(client, operator):
    client.force_login(operator)
    return client


def options(body: str, name: str) -> list[str]:
    """The option labels of the select named `name`."""
    select = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', body, re.S)
    assert select, f"no select {name}"
    return [html.unescape(label) for label in re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))]


def selected(body: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', body, re.S)
    assert select, f"no select {name}"
    return re.findall(r'<option value="([^"]*)"[^>]*\bselected\b', select.group(1))


def test_the_form_sits_under_instances(scope, operator_client):
    instances = operator_client.get(reverse("ec2:instance_list")).content.decode()
    assert f'href="{URL}">Launch instances</a>' in instances  # the list's button leads to it

    body = operator_client.get(URL).content.decode()
    crumbs = re.search(r'<nav class="crumbs">(.*?)</nav>', body, re.S).group(1)
    assert html.unescape(re.sub(r"<[^>]+>", "", crumbs)).split() == ["Instances", "\u203a", "Launch"]
    assert f'<a href="{reverse("ec2:instance_list")}">Instances</a>' in crumbs
    # The menu marks Instances (in the Compute dropdown), not Activity.
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', body)
    assert current == [reverse("ec2:instance_list")]
    assert re.search(r'<details class="navgroup current"><summary>Compute</summary>', body)


def test_account_and_region_are_in_the_form_and_choose_what_it_offers(scope, operator_client):
    body = operator_client.get(URL, {"region": EAST}).content.decode()
    form = body[body.index('id="action-form"') :]
    assert options(form, "account") == ["default (123456789012)"] and options(form, "region") == [EAST, WEST]
    assert selected(form, "region") == [EAST]
    assert "scope-form" not in body  # no second bar above the form
    assert options(form, "p-key_name") == ["None: no SSH key", "east-ops"]
    assert options(form, "p-placement_group") == ["None", "east-cluster (cluster)"]
    groups = options(form, "p-security_groups")
    assert any(label.startswith(f"east-web ({scope['east_sg']}) · vpc-") for label in groups)
    assert not any("west-web" in label for label in groups)
    assert f"east-app ({scope['east_subnet']}) · {scope['east_zone']} · " in options(form, "p-subnet_id")[1]
    assert scope["east_zone"] in options(form, "p-availability_zone")

    # The region changes (htmx posts the form without "submit"): the choices follow, what was entered stays.
    entered = {
        "account": "123456789012",
        "region": WEST,
        "reason": "CHG-9",
        "p-count": "4",
        "p-instance_type": "m5.xlarge",
        "p-purchase": "spot",
        "p-tags": "Name=web\r\nOwner=ops",
        "p-user_data": "#!/bin/sh\necho hi",
    }
    refreshed = operator_client.post(URL, entered, HTTP_HX_REQUEST="true")
    body = refreshed.content.decode()
    assert refreshed.status_code == 200 and not Action.objects.exists()
    assert selected(body, "region") == [WEST]
    assert options(body, "p-key_name") == ["None: no SSH key", "west-ops"]
    assert options(body, "p-placement_group") == ["None"]
    assert {label.split(" (")[0] for label in options(body, "p-security_groups")} == {"default", "west-web"}
    assert scope["west_subnet"] in body and scope["east_subnet"] not in body
    assert selected(body, "p-instance_type") == ["m5.xlarge"] and selected(body, "p-purchase") == ["spot"]
    assert 'name="p-count" value="4"' in body and "CHG-9</textarea>" in body
    assert "Name=web\r\nOwner=ops</textarea>" in body and "#!/bin/sh\necho hi</textarea>" in body


def test_the_type_picker_groups_types_by_family_with_vcpu_and_memory(scope, operator_client):
    body = operator_client.get(URL).content.decode()
    groups = re.findall(r'<optgroup label="([^"]+)">', body)
    assert groups == [
        "m4 — General purpose",
        "m5 — General purpose",
        "t3 — General purpose",
        "c5 — Compute optimized",
        "p3 — Accelerated computing",
    ]
    m5 = re.search(r'<optgroup label="m5 — General purpose">(.*?)</optgroup>', body, re.S).group(1)
    assert re.findall(r">([^<]+)</option>", m5) == ["m5.large — 2 vCPU, 8 GiB", "m5.xlarge — 4 vCPU, 16 GiB"]
    assert "m4.large — 2 vCPU, 8 GiB (previous generation)" in body
    assert selected(body, "p-instance_type") == ["t3.micro"]  # the default
    assert 'data-filter-options="id_p-instance_type"' in body  # the search box (shown by the script)


def test_the_default_type_is_the_smallest_current_one_without_t3_micro(scope):
    assert type_default() == "t3.micro"
    InstanceType.objects.filter(name="t3.micro").delete()
    assert type_default() == "t3.small"


def test_spot_fields_show_only_for_spot(scope, operator_client):
    spot_block = re.compile(r'<div class="spot-fields" data-show-when="p-purchase=spot"\s*(hidden)?>')
    on_demand = operator_client.get(URL).content.decode()
    assert spot_block.search(on_demand).group(1) == "hidden"
    assert 'name="p-spot_max_price"' in on_demand  # present for the script to show, validated only for spot
    spot = operator_client.get(URL, {"p-purchase": "spot"}).content.decode()
    assert spot_block.search(spot).group(1) is None


def test_a_refused_launch_names_the_field_and_keeps_every_value(scope, operator_client):
    posted = {
        "account": "123456789012",
        "region": EAST,
        "reason": "CHG-11",
        "submit": "1",
        "p-image_id": "ami-0a1b2c3d4e5f60718",
        "p-instance_type": "m5.xlarge",
        "p-count": "3",
        "p-purchase": "spot",
        "p-spot_max_price": "0.2",
        "p-spot_type": "one-time",
        "p-spot_interruption": "terminate",
        "p-tenancy": "default",
        "p-key_name": "east-ops",
        "p-security_groups": [scope["east_sg"]],
        "p-subnet_id": scope["east_subnet"],
        "p-tags": "Name=web",  # the tag policy also asks for Owner
        "p-iam_instance_profile": "web-role",
        "p-user_data": "#!/bin/sh",
    }
    response = operator_client.post(URL, posted)
    body = html.unescape(response.content.decode())
    assert response.status_code == 400 and not Action.objects.exists()
    row = re.search(
        r'<div class="form-row has-error">\s*<label for="id_p-tags">Tags</label>(.*?)</div>\s*</div>', body, re.S
    )
    assert "Missing required tag: Owner (the tag policy requires Name, Owner)." in row.group(1)
    for name in ("p-instance_type", "p-spot_type", "p-key_name", "p-subnet_id", "p-image_id"):
        assert selected(body, name) == [posted[name]], name
    assert selected(body, "p-security_groups") == [scope["east_sg"]]
    assert "ami-0a1b2c3d4e5f60718 (given by id)" in body  # an AMI outside the offered ones stays chosen
    for value in ('name="p-count" value="3"', 'name="p-spot_max_price" value="0.2"', "web-role", "CHG-11</textarea>"):
        assert value in body, value
    assert re.search(r'<div class="spot-fields" data-show-when="p-purchase=spot"\s*>', body)  # still shown
