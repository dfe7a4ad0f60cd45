"""Below 900 px the menu folds behind a ☰ button that opens it as one column reaching every page; at 1,440 px the
bar shows its dropdowns and no button. Nothing scrolls the page sideways either way."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_phone_menu_opens_reaches_a_page_and_closes(page: Page, viewer):
    page.goto("/login/")
    log_in(page, "vera", "pw-vera")
    expect(page.locator(".menu-toggle")).to_be_hidden()
    expect(page.locator("#mainnav summary", has_text="Data and serverless")).to_be_visible()

    page.set_viewport_size({"width": 390, "height": 844})
    toggle = page.locator(".menu-toggle")
    expect(toggle).to_be_visible()
    expect(page.locator("#mainnav")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#mainnav a", has_text="Overview")).to_be_visible()
    page.locator("#mainnav summary", has_text="Audit").click()
    expect(page.locator("#mainnav a", has_text="Sync runs")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if target := os.environ.get("FLEETUI_SCREENSHOT_DIR"):
        page.screenshot(path=str(Path(target) / "phone-menu-390.png"))
    page.keyboard.press("Escape")
    expect(page.locator("#mainnav")).to_be_hidden()

    toggle.click()
    page.locator("#mainnav summary", has_text="Data and serverless").click()
    page.locator("#mainnav a", has_text="Lambda").click()
    page.wait_for_url("**/lambda/")
    expect(page.locator("#mainnav")).to_be_hidden()  # a new page starts with the menu folded
