"""Inventory history as a person sees it: an instance's timeline after fleetui changed its type, then the change
feed filtered to what was changed outside fleetui."""

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from fleetui.actions.models import Action
from fleetui.inventory.models import Account
from fleetui.inventory.sync import sync_scope
from tests.browser.conftest import log_in
from tests.factories import InstanceTypeFactory
from tests.inventory.sync.fleet import launch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REGION = "us-east-1"


def test_an_instance_timeline_after_a_type_change_then_the_feed_outside_fleetui(page: Page, ec2, operator):
    account = Account.objects.create(account_id="123456789012", name="prod")
    tags = [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "api-1"}]}]
    resized, stopped = launch(ec2, 2, "m5.large", TagSpecifications=tags)
    for name in ("m5.large", "m5.xlarge"):  # the catalog's rows the type change checks (a sync reads ~1,400)
        InstanceTypeFactory(name=name)
    sync_scope(account=account, region=REGION, resource_type="instances")
    client = Client()
    client.force_login(operator)
    response = client.post(
        "/api/v1/actions/",
        {"kind": "ec2.change_type", "targets": [resized], "params": {"instance_type": "m5.xlarge"},
         "reason": "CHG-9 more memory", "region": REGION},
        content_type="application/json",
    )  # fmt: skip
    action = Action.objects.get(pk=response.json()["id"])
    assert action.status == "succeeded", action.error
    ec2.stop_instances(InstanceIds=[stopped])  # by hand, as in the console
    sync_scope(account=account, region=REGION, resource_type="instances")

    page.goto(f"/instances/{account.account_id}/{REGION}/{resized}/")
    log_in(page, "otto", "pw-otto")
    timeline = page.locator("#history")
    change = timeline.locator("tr[data-kind=changed]").filter(has_text="instance_type")
    expect(change).to_contain_text("instance_type: m5.large → m5.xlarge")  # the field's name, not its column
    expect(change).to_contain_text("by otto")
    expect(change).to_contain_text("CHG-9 more memory")
    change.get_by_role("link", name=f"#{action.pk} Change instance type").click()
    expect(page).to_have_url(f"{page.url.split('/actions/')[0]}/actions/{action.pk}/")

    page.goto("/changes/")
    page.get_by_role("link", name="Outside fleetui").click()
    rows = page.locator("table.changes tbody tr")
    expect(rows.filter(has_text=stopped).filter(has_text="running → stopped")).to_have_count(1)
    expect(rows.filter(has_text="by otto")).to_have_count(0)
    assert "actor=outside" in page.url
