"""An operator raises a Lambda function's memory from its page in the browser, on a real worker, and sees the new
value on the page and the audit row.

The sandbox keeps the update InProgress for a second (FLEETUI_SANDBOX_LAMBDA_DELAY's control), so the action really
waits on LastUpdateStatus before htmx polling brings it to 100%. Fails (never skips) without Redis.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from fleetui.actions.models import Action
from fleetui.inventory.models import Account
from fleetui.inventory.sync import sync_scope
from fleetui.sandbox.lambda_.seed import lambda_seed
from tests.browser.conftest import log_in
from tests.browser.test_action_flows import worker  # noqa: F401  the real worker fixture
from tests.lambda_.conftest import REGION, delay_set

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_an_operator_raises_a_functions_memory_and_finds_the_audit_row(page: Page, operator, aws, worker):  # noqa: F811
    account = Account.objects.create(account_id="123456789012", name="prod")
    delay_set(aws, 0)
    lambda_seed(endpoint=aws, regions=[REGION])
    assert sync_scope(account=account, region=REGION, resource_type="lambda_functions").status == "succeeded"
    delay_set(aws, 1.0)
    function_page = f"/lambda/{account.account_id}/{REGION}/orders-api/"
    page.goto(function_page)
    page.wait_for_url(lambda url: "/login/" in url)
    log_in(page, "otto", "pw-otto")

    expect(page.locator("h1")).to_contain_text("orders-api")
    expect(page.locator("#function-memory")).to_have_text("512 MB")
    page.click("a[data-kind='lambda.update_config']")

    expect(page.locator("#config-function")).to_have_text("orders-api")
    expect(page.locator("#config-memory")).to_have_text("512 MB")
    page.fill("#id_p-memory_mb", "2048")
    page.fill("#id_reason", "CHG-31 image batch grew")
    page.click("button[name=submit]")

    page.wait_for_url(re.compile(r"/actions/\d+/$"))
    expect(page.locator("#action-progress")).to_have_text("100%", timeout=60_000)
    expect(page.locator("#action-status")).to_have_text("succeeded")
    expect(page.locator(".steplog")).to_contain_text("orders-api: LastUpdateStatus InProgress.")
    expect(page.locator(".steplog")).to_contain_text("orders-api now has memory 2,048 MB")
    action = Action.objects.get(kind="lambda.update_config")
    assert action.task_id in worker.read_text()  # the worker ran it, not the live server's thread

    page.goto(function_page)  # the action re-synced the function before it ended
    expect(page.locator("#function-memory")).to_have_text("2,048 MB")
    for width, height in ((1440, 900), (390, 844)):  # the page and the list scroll inside their tables, never sideways
        page.set_viewport_size({"width": width, "height": height})
        for url in (function_page, "/lambda/"):
            page.goto(url)
            if target := os.environ.get("FLEETUI_SCREENSHOT_DIR"):
                page.screenshot(path=str(Path(target) / f"lambda-{width}-{url.count('/')}.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (url, width)
    page.set_viewport_size({"width": 1440, "height": 900})

    page.goto("/activity/")
    row = page.locator("table.data tbody tr:not(.empty)").filter(has_text="CHG-31 image batch grew")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Change a Lambda function's memory or timeout")
    expect(row).to_contain_text("succeeded")
