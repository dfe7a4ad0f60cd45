"""An operator swaps a Beanstalk application's production URL from blue to green in the browser, on a real worker.

The sandbox keeps both environments Updating for a couple of seconds after the call, so the action page really
shows the swap in progress before htmx polling brings it to 100%. Fails (never skips) without Redis.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from fleetui.actions.models import Action
from fleetui.inventory.models import Account
from tests.beanstalk.operations.pair import REGION, pair_build
from tests.browser.conftest import log_in
from tests.browser.test_action_flows import worker  # noqa: F401  the real worker fixture

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
PRODUCTION = f"shop.{REGION}.elasticbeanstalk.com"


def card(page: Page, name: str):
    return page.locator(f"section.env-card[data-environment='{name}']")


def test_an_operator_swaps_blue_green_and_finds_the_audit_row(page: Page, operator, aws, worker):  # noqa: F811
    account = Account.objects.create(account_id="123456789012", name="prod")
    pair = pair_build(aws, account, delay=2.0)
    page.goto(f"/beanstalk/{account.account_id}/{REGION}/shop/")
    page.wait_for_url(lambda url: "/login/" in url)
    log_in(page, "otto", "pw-otto")

    # Blue holds the production URL on v1; green waits on v2.
    expect(page.locator("#production")).to_contain_text(PRODUCTION)
    expect(card(page, "shop-blue")).to_have_attribute("data-production", "true")
    expect(card(page, "shop-blue")).to_contain_text("v1")
    expect(card(page, "shop-green")).to_have_attribute("data-production", "false")
    card(page, "shop-green").locator("a.swap").click()

    # The confirmation: the checklist, read live, and exactly which URL moves where.
    expect(page.locator("h1")).to_have_text("Swap environment URLs (blue/green)")
    expect(page.locator(".checklist li")).to_have_count(7)
    expect(page.locator(".checklist .badge", has_text="pass")).to_have_count(7)
    expect(page.locator(".moves")).to_contain_text(
        f"{PRODUCTION} (the production URL, now on shop-blue, version v1) moves to shop-green, version v2."
    )
    page.fill("#id_reason", "CHG-7 release v2")
    if target := os.environ.get("FLEETUI_SCREENSHOT_DIR"):
        page.screenshot(path=str(Path(target) / "swap.png"), full_page=True)
    page.click("button[name=submit]")

    page.wait_for_url(re.compile(r"/actions/\d+/$"))
    action = Action.objects.get(kind="beanstalk.swap")
    assert page.locator("#action-progress").inner_text() != "100%"  # rendered while the swap was in progress
    expect(page.locator("#action-progress")).to_have_text("100%", timeout=60_000)
    expect(page.locator("#action-status")).to_have_text("succeeded")
    expect(page.locator(".steplog")).to_contain_text("Completed swapping CNAMEs")
    assert action.task_id in worker.read_text()  # the worker ran it, not the live server's thread
    assert pair.cnames()[pair.green] == PRODUCTION

    # Green now serves the production URL; blue is the standby, and can be swapped back.
    page.goto(f"/beanstalk/{account.account_id}/{REGION}/shop/")
    expect(card(page, "shop-green")).to_have_attribute("data-production", "true")
    expect(page.locator("#production")).to_contain_text("shop-green")
    expect(card(page, "shop-blue")).to_contain_text("standby")
    expect(card(page, "shop-blue").locator("a.swap")).to_have_text("Swap back")
    expect(page.locator("#swap-history")).to_contain_text("otto")

    page.goto("/activity/")
    row = page.locator("table.data tbody tr:not(.empty)").filter(has_text="CHG-7 release v2")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Swap environment URLs (blue/green)")
    expect(row).to_contain_text(f"{PRODUCTION} now on shop-green")
    expect(row).to_contain_text("succeeded")
