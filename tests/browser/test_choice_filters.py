"""A choice filter is a dropdown of the inventory's values: pick a state on the instance list at 1,440 px and at
390 px, the list narrows, the URL keeps the comma-separated format, and nothing scrolls the page sideways."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in
from tests.factories import AccountFactory, InstanceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)])
def test_pick_states_from_the_select_on_the_instance_list(page: Page, viewer, size):
    account = AccountFactory(account_id="123456789012", name="prod")
    for n, state in enumerate(["running", "running", "stopped", "pending"]):
        InstanceFactory(account=account, name=f"{state}-{n}", state=state)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto("/login/?next=/instances/")
    log_in(page, "vera", "pw-vera")
    page.wait_for_url("**/instances/")

    menu = page.locator("details.choice-menu:has(input[name=state])")
    menu.locator("summary").click()
    expect(menu.locator("input[name=state]")).to_have_count(3)  # the states the inventory holds, no others
    assert no_sideways_scroll(page)
    menu.get_by_label("stopped").check()
    page.wait_for_url(re.compile(r"/instances/\?(.*&)?state=stopped(&|$)"))
    expect(page.locator("#results tbody tr")).to_have_count(1)
    menu.get_by_label("pending").check()
    # One comma-separated parameter, as bookmarks and the API hold it.
    page.wait_for_url(re.compile(r"/instances/\?(.*&)?state=pending(%2C|,)stopped(&|$)"))
    expect(page.locator("#results tbody tr")).to_have_count(2)
    expect(menu.locator("summary")).to_have_text("pending, stopped")
    if target := os.environ.get("FLEETUI_SCREENSHOT_DIR"):
        page.screenshot(path=str(Path(target) / f"choice-filter-{size[0]}.png"))
    page.keyboard.press("Escape")
    expect(menu.locator(".choice-panel")).to_be_hidden()
    assert no_sideways_scroll(page)

    page.reload()  # the bookmark: the same rows, the same boxes checked
    expect(page.locator("#results tbody tr")).to_have_count(2)
    expect(page.locator("details.choice-menu summary", has_text="pending, stopped")).to_be_visible()
