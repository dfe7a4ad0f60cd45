"""An operator moves i3 instances into a placement group: the page names the instance-store data the stop erases,
and nothing starts until ERASE <n> is typed. The action runs eagerly in the live server (the worker path is
test_action_flows.py's)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fleetui.actions.models import Action
from fleetui.ec2.catalog import instance_type_fields
from fleetui.ec2.models import InstanceType
from fleetui.inventory.models import Account
from fleetui.inventory.sync import sync_scope
from tests.browser.conftest import log_in
from tests.inventory.sync.fleet import launch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REGION = "us-east-1"


def test_a_move_of_i3_instances_waits_for_the_typed_erase_confirmation(page: Page, operator, aws, ec2):
    account = Account.objects.create(account_id="123456789012", name="prod")
    for raw in ec2.describe_instance_types(InstanceTypes=["i3.large", "m5.large"])["InstanceTypes"]:
        fields = instance_type_fields(raw)
        InstanceType.objects.create(**fields, last_seen=timezone.now())
    ec2.create_placement_group(GroupName="kafka-cluster", Strategy="cluster")
    i3 = launch(ec2, 2, "i3.large")
    m5 = launch(ec2, 1, "m5.large")
    for resource_type in ("instances", "placement_groups"):
        sync_scope(account=account, region=REGION, resource_type=resource_type)

    page.goto("/login/")
    log_in(page, "otto", "pw-otto")
    page.goto("/actions/new/ec2.move_placement/?" + "&".join(f"target={i}" for i in [*i3, *m5]))
    expect(page.locator("h1")).to_have_text("Move to a placement group")
    warning = page.locator("#erase-warning")
    expect(warning).to_contain_text("Instance-store data will be erased")
    expect(warning).to_contain_text("2 running instances")
    erase_list = page.locator("ul.erase-list li")
    expect(erase_list).to_have_count(2)
    for iid in i3:
        expect(erase_list.filter(has_text=iid)).to_contain_text("1 × 475 GB NVMe SSD")
    expect(page.locator(".form-row.confirm")).to_contain_text("Type ERASE 2 to confirm")

    page.select_option("#id_p-destination", "kafka-cluster")
    page.fill("#id_reason", "CHG-77 low latency")
    page.click("button[name=submit]")  # nothing typed
    expect(page.locator(".form-row.confirm .field-error")).to_contain_text("type ERASE 2 to confirm")
    expect(page.locator("#erase-warning")).to_be_visible()
    expect(page.locator("#id_reason")).to_have_value("CHG-77 low latency")
    assert not Action.objects.exists()
    assert {
        p["Placement"].get("GroupName", "") for r in ec2.describe_instances()["Reservations"] for p in r["Instances"]
    } == {""}

    page.fill("#id_confirm", "ERASE 2")
    page.click("button[name=submit]")
    page.wait_for_url(re.compile(r"/actions/\d+/$"))
    expect(page.locator("#action-status")).to_have_text("succeeded", timeout=30_000)
    action = Action.objects.get()
    assert action.kind == "ec2.move_placement" and action.result["moved"] == [*i3, *m5]
