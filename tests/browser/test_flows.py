"""What a person clicks through: log in, filter the instance list, open an instance, export CSV."""

import csv
import os
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from fleetui.ec2.models import Instance
from tests.browser.conftest import demo_fleet, log_in
from tests.factories import InstanceFactory, InstanceTypeFactory, SecurityGroupFactory, SyncRunFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = "table.data tbody tr:not(.empty)"


@pytest.fixture
def small_fleet(db):
    c5 = InstanceTypeFactory(name="c5.xlarge", vcpus=4, memory_mib=8192)
    for i in range(9):
        InstanceFactory(name=f"web-{i}", state="running")
    for i in range(3):
        InstanceFactory(name=f"batch-{i}", state="stopped", instance_type=c5, lifecycle="spot")
    SecurityGroupFactory(group_id="sg-0default0000000", group_name="default", world_open=True)
    SyncRunFactory()


def test_log_in_filter_open_and_export(page: Page, viewer, small_fleet, tmp_path):
    page.goto("/instances/")
    page.wait_for_url(lambda url: "/login/" in url)
    log_in(page, "vera", "pw-vera")
    expect(page.locator("h1")).to_have_text("Instances")
    expect(page.locator(".userbox .role")).to_have_text("viewer")
    expect(page.locator(ROWS)).to_have_count(12)
    expect(page.locator("#freshness")).to_have_attribute("data-state", "fresh")

    # Type into the filter form: htmx swaps the results and pushes the filter into the URL.
    state = page.locator("details.choice-menu:has(input[name=state])")  # the states the inventory holds
    state.locator("summary").click()
    state.get_by_label("stopped").check()
    page.wait_for_url(lambda url: parse_qs(urlparse(url).query).get("state") == ["stopped"])
    expect(page.locator(ROWS)).to_have_count(3)
    assert "account=" not in page.url  # empty filters are left out of the URL
    page.fill("form.filters input[name=q]", "batch-1")
    expect(page.locator(ROWS)).to_have_count(1)
    page.wait_for_url(lambda url: parse_qs(urlparse(url).query).get("q") == ["batch-1"])

    # The URL holds the whole state: reloading it shows the same rows.
    page.reload()
    expect(page.locator(ROWS)).to_have_count(1)
    expect(page.locator("form.filters input[name=state][value=stopped]")).to_be_checked()

    # An invalid value shows the form's message instead of rows; fixing it brings them back.
    page.fill("form.filters input[name=tag]", "novalue")
    expect(page.locator("#filter-errors")).to_contain_text("Key=Value")
    expect(page.locator(ROWS)).to_have_count(0)
    page.fill("form.filters input[name=tag]", "Env=prod")
    expect(page.locator(ROWS)).to_have_count(1)
    page.select_option("form.filters select[name=lifecycle]", "spot")
    page.wait_for_url(lambda url: "lifecycle=spot" in url)
    expect(page.locator(ROWS)).to_have_count(1)

    # Open the instance: every attribute, its security group with the world-open rule, the console link.
    page.fill("form.filters input[name=q]", "")
    expect(page.locator(ROWS)).to_have_count(3)
    first = page.locator(f"{ROWS} td:first-child a").first
    instance_id = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_contain_text("batch-")
    expect(page.locator(".sev-critical").first).to_be_visible()
    expect(page.locator("#console-link")).to_have_attribute(
        "href", re.compile(f"#InstanceDetails:instanceId={instance_id}$")
    )

    # Back to the filtered list and export it.
    page.go_back()
    expect(page.locator(ROWS)).to_have_count(3)
    with page.expect_download() as download_info:
        page.click("text=Export CSV")
    target = tmp_path / "instances.csv"
    download_info.value.save_as(target)
    rows = list(csv.reader(target.open()))
    assert rows[0][:5] == ["account_id", "region", "instance_id", "name", "state"]
    assert len(rows) == 1 + 3
    assert {r[4] for r in rows[1:]} == {"stopped"} and instance_id in {r[2] for r in rows[1:]}


def test_sorting_keeps_the_filters(page: Page, viewer, small_fleet):
    page.goto("/login/?next=/instances/%3Fstate%3Drunning")
    log_in(page, "vera", "pw-vera")
    expect(page.locator(ROWS)).to_have_count(9)
    page.click("th a.sort >> text=Name")
    page.wait_for_url(lambda url: "sort=name" in url)
    page.click("th a.sort >> text=Name")
    page.wait_for_url(lambda url: "sort=-name" in url)
    expect(page.locator(f"{ROWS} td:nth-child(2)").first).to_have_text("web-8")
    expect(page.locator(ROWS)).to_have_count(9)
    # A filter change after sorting keeps the sort (the form's hidden field follows the URL).
    page.fill("form.filters input[name=q]", "web")
    page.wait_for_url(lambda url: "q=web" in url and "sort=-name" in url)


def test_a_user_without_a_role_sees_the_403_page(page: Page, no_role_user):
    page.goto("/login/")
    log_in(page, "nora", "pw-nora")
    expect(page.locator("h1")).to_have_text("You can't open this page")
    expect(page.locator("body")).to_contain_text("no role")


def test_screenshots_of_the_overview_and_the_instance_list(page: Page, viewer, tmp_path, moto_server):
    """Screenshots with a realistic fleet, priced as a sync prices it; FLEETUI_SCREENSHOT_DIR=docs keeps them (the
    README shows them)."""
    demo_fleet(priced=True)
    page.goto("/login/")
    log_in(page, "vera", "pw-vera")
    expect(page.locator(".tile").first).to_be_visible()
    running = Instance.objects.filter(state="running")
    assert not running.filter(cost_per_hour__isnull=True).exists()  # every running instance priced: no "unknown"
    tile = "[data-finding={}] .n".format
    assert (
        page.locator(tile("run_rate")).inner_text() not in ("$0", "")
        and page.locator(tile("cost_unknown")).inner_text() == "0"
    )
    assert (
        page.locator(tile("stopped_ebs")).inner_text() != "$0"
        and page.locator(tile("spot_savings")).inner_text() != "$0"
    )
    holding = running.filter(has_instance_store=True).count()
    assert holding and page.locator(tile("instance_store")).inner_text() == str(holding)  # the rollup, as synced
    shots = {"screenshot.png": "/", "screenshot-instances.png": "/instances/?sort=-launch_time"}
    for name, url in shots.items():
        page.goto(url)
        page.screenshot(path=str(tmp_path / name), full_page=False)
        assert (tmp_path / name).stat().st_size > 20_000
    if target := os.environ.get("FLEETUI_SCREENSHOT_DIR"):
        for name in shots:
            shutil.copy(tmp_path / name, Path(target) / name)
