"""The Columns menu as a person uses it, under the Content-Security-Policy: choose, reload and still see the choice,
another user unaffected, the CSV with every column, Reset to defaults; and a phone keeps only the key columns."""

import csv
import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import log_in
from tests.factories import AccountFactory, InstanceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADERS = "table.data thead th"


@pytest.fixture
def instances(db):
    prod = AccountFactory(account_id="123456789012", name="prod")
    for i in range(4):
        InstanceFactory(account=prod, region="us-east-1", name=f"web-{i}", state="running", tenancy="dedicated")


def signed_in(browser: Browser, live_server, username: str) -> Page:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.problems = []
    page.on("console", lambda m: page.problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto("/instances/")
    log_in(page, username, f"pw-{username}")
    expect(page.locator("h1")).to_have_text("Instances")
    return page


def test_choose_reload_other_user_csv_reset_and_phone(
    browser: Browser, live_server, instances, viewer, operator, tmp_path
):
    page = signed_in(browser, live_server, "vera")
    expect(page.locator(HEADERS, has_text="Launched")).to_have_count(1)
    expect(page.locator(HEADERS, has_text="Tenancy")).to_have_count(0)

    page.click("#columns-menu summary")
    menu = page.locator("#columns-menu form")
    expect(menu).to_be_visible()
    page.locator("h1").click()  # a click elsewhere closes it (fleetui.js)
    expect(menu).to_be_hidden()
    page.click("#columns-menu summary")
    menu.get_by_label("Tenancy").check()
    menu.get_by_label("Launched").uncheck()
    if target := os.environ.get("FLEETUI_FIT_SCREENSHOTS"):
        page.screenshot(path=str(Path(target) / "columns-menu-1440.png"))
    menu.get_by_role("button", name="Save").click()
    expect(page.locator(".msg.success")).to_contain_text("Columns saved")
    expect(page.locator(HEADERS, has_text="Tenancy")).to_have_count(1)
    expect(page.locator(HEADERS, has_text="Launched")).to_have_count(0)
    page.reload()
    expect(page.locator(HEADERS, has_text="Tenancy")).to_have_count(1)
    expect(page.locator("table.data tbody td", has_text="dedicated")).to_have_count(4)

    # Another user still sees the defaults.
    other = signed_in(browser, live_server, "otto")
    expect(other.locator(HEADERS, has_text="Launched")).to_have_count(1)
    expect(other.locator(HEADERS, has_text="Tenancy")).to_have_count(0)
    other.context.close()

    # The CSV keeps every column.
    with page.expect_download() as download:
        page.click("text=Export CSV")
    path = tmp_path / "instances.csv"
    download.value.save_as(path)
    with path.open() as handle:
        header = next(csv.reader(handle))
    assert {"launch_time", "tenancy", "public_ip", "family"} <= set(header)

    # A phone keeps the key columns only.
    page.set_viewport_size({"width": 390, "height": 844})
    visible = [text.strip() for text in page.locator(f"{HEADERS}:visible").all_inner_texts()]
    assert [text.rstrip("↕▲▼ ") for text in visible] == ["Instance", "Name", "State"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1440, "height": 900})

    page.click("#columns-menu summary")
    page.locator("#columns-menu form").get_by_role("button", name="Reset to defaults").click()
    expect(page.locator(HEADERS, has_text="Launched")).to_have_count(1)
    expect(page.locator(HEADERS, has_text="Tenancy")).to_have_count(0)
    assert page.problems == []
