"""The launch form in the browser (issue 15 §6): reached from Instances and marked there, the type picker's search
with vCPU and memory, spot fields toggled by the purchase option, and a region change that redraws the choices
(htmx) keeping what was typed; no sideways scroll at 1,440×900 or 390×844. The inventory rows come from factories;
the sandbox answers only the form's DescribeSubnets."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from fleetui.ec2.operations import launch  # noqa: F401  registers ec2.launch
from tests.browser.conftest import log_in
from tests.factories import AccountFactory, InstanceTypeFactory, KeyPairFactory, SecurityGroupFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPE_SEARCH = "[data-filter-options='id_p-instance_type']"
TYPES = [("t3.micro", 2, 1024), ("t3.large", 2, 8192), ("m5.large", 2, 8192), ("m5.xlarge", 4, 16384)]
TYPES += [("m5.2xlarge", 8, 32768), ("c5.xlarge", 4, 8192), ("r5.large", 2, 16384), ("p3.2xlarge", 8, 62464)]


@pytest.fixture
def launch_inventory(aws) -> None:
    account = AccountFactory(account_id="123456789012", name="prod")
    for name, vcpus, memory in TYPES:
        InstanceTypeFactory(name=name, vcpus=vcpus, memory_mib=memory)
    for region, prefix in (("us-east-1", "east"), ("eu-west-1", "west")):
        KeyPairFactory(account=account, region=region, key_name=f"{prefix}-ops")
        SecurityGroupFactory(account=account, region=region, group_name=f"{prefix}-web")


def visible_types(page: Page) -> list[str]:
    return page.eval_on_selector_all("#id_p-instance_type option", "os => os.filter(o => !o.hidden).map(o => o.value)")


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_launch_form_under_instances_with_type_search_spot_toggle_and_region_change(
    page: Page, operator, launch_inventory
):
    page.goto("/instances/")
    log_in(page, "otto", "pw-otto")
    page.click("a.btn >> text=Launch instances")
    expect(page.locator("nav.crumbs")).to_have_text("Instances \u203a Launch")
    expect(page.locator("#mainnav a[aria-current=page]")).to_have_text("Instances")
    expect(page.locator("#mainnav details.navgroup.current summary")).to_have_text("Compute")
    expect(page.locator("button[data-refresh-button]")).to_have_count(0)  # htmx redraws; no button needed

    # The type picker: grouped by family, each type with vCPU and memory; typing narrows it.
    expect(page.locator("#id_p-instance_type option:checked")).to_have_text("t3.micro — 2 vCPU, 1 GiB")
    expect(page.locator("#id_p-instance_type optgroup[label='m5 — General purpose'] option")).to_have_text(
        ["m5.large — 2 vCPU, 8 GiB", "m5.xlarge — 4 vCPU, 16 GiB", "m5.2xlarge — 8 vCPU, 32 GiB"]
    )
    page.fill(TYPE_SEARCH, "m5 16 GiB")
    assert visible_types(page) == ["m5.xlarge"]
    expect(page.locator("#id_p-instance_type")).to_have_value("m5.xlarge")  # the only match is the one chosen
    expect(page.locator("[data-filter-count='id_p-instance_type']")).to_have_text("1 of 8 match")
    page.fill(TYPE_SEARCH, "compute")  # the family's category counts too
    assert visible_types(page) == ["c5.xlarge"]
    page.fill(TYPE_SEARCH, "")
    assert len(visible_types(page)) == len(TYPES)
    page.select_option("#id_p-instance_type", "c5.xlarge")
    expect(page.locator("#launch-summary")).to_contain_text("c5.xlarge — 4 vCPU, 8 GiB")

    # An AMI no option holds (another owner's) is given by pasting its id in the AMI search box.
    page.fill("[data-filter-options='id_p-image_id']", "ami-0123456789abcdef0")
    expect(page.locator("#id_p-image_id")).to_have_value("ami-0123456789abcdef0")

    # Spot fields only for spot; the host only for tenancy host.
    spot = page.locator(".spot-fields")
    expect(spot).to_be_hidden()
    page.select_option("#id_p-purchase", "spot")
    expect(page.locator("#id_p-spot_max_price")).to_be_visible()
    page.select_option("#id_p-purchase", "on-demand")
    expect(spot).to_be_hidden()
    expect(page.locator("#id_p-host_id")).to_be_hidden()
    page.select_option("#id_p-tenancy", "host")
    expect(page.locator("#id_p-host_id")).to_be_visible()
    page.select_option("#id_p-tenancy", "default")

    # Another region: its key pairs and groups replace the first region's, what was entered stays.
    expect(page.locator("#id_p-key_name option")).to_have_text(["None: no SSH key", "east-ops"])
    page.fill("#id_p-count", "5")
    page.fill("#id_p-tags", "Name=web\nOwner=otto")
    page.select_option("#id_region", "eu-west-1")
    expect(page.locator("#id_p-key_name option")).to_have_text(["None: no SSH key", "west-ops"])
    expect(page.locator("#id_p-security_groups option")).to_contain_text(["west-web"])
    expect(page.locator("#id_p-count")).to_have_value("5")
    expect(page.locator("#id_p-tags")).to_have_value("Name=web\nOwner=otto")
    expect(page.locator("#id_p-instance_type")).to_have_value("c5.xlarge")
    expect(page.locator("#id_p-image_id")).to_have_value("ami-0123456789abcdef0")
    expect(page.locator("#launch-summary")).to_contain_text("prod · eu-west-1")
    expect(page.locator("button[data-refresh-button]")).to_have_count(0)  # the redrawn form is set up too
    expect(page.locator("#launch-summary")).to_contain_text("5 × c5.xlarge — 4 vCPU, 8 GiB")

    shots = os.environ.get("FLEETUI_SCREENSHOT_DIR")
    for width, height in ((1440, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        assert no_sideways_scroll(page), f"sideways scroll at {width}px"
        if shots:
            page.screenshot(path=str(Path(shots) / f"launch-form-{width}.png"), full_page=True)


def test_without_javascript_update_choices_redraws_the_form_for_spot_and_another_region(
    browser, live_server, operator, launch_inventory
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/login/?next=/actions/new/ec2.launch/")
    log_in(page, "otto", "pw-otto")
    expect(page.locator(".spot-fields")).to_be_hidden()
    expect(page.locator("[data-filter-options]").first).to_be_hidden()  # the search boxes need the script
    page.select_option("#id_p-purchase", "spot")
    page.select_option("#id_region", "eu-west-1")
    page.fill("#id_p-count", "2")
    page.click("button[data-refresh-button]")  # a plain post without "submit": drawn again, nothing recorded
    expect(page.locator("#id_p-spot_max_price")).to_be_visible()
    expect(page.locator("#id_p-key_name option")).to_have_text(["None: no SSH key", "west-ops"])
    expect(page.locator("#id_p-count")).to_have_value("2")
    context.close()
