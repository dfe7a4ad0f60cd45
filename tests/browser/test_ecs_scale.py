"""An operator scales an ECS service from its page in the browser, on a real worker, and finds the audit row.

The sandbox moves the service's running count toward the new desired count over a few seconds (one task per share
of its delay), so the action page really shows the scale in progress before htmx polling brings it to 100%. Fails
(never skips) without Redis.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from fleetui.actions.models import Action
from fleetui.inventory.models import Account
from tests.browser.conftest import log_in
from tests.browser.test_action_flows import worker  # noqa: F401  the real worker fixture
from tests.ecs.operations.fleet import REGION, service_build

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_an_operator_scales_a_service_and_finds_the_audit_row(page: Page, operator, aws, worker):  # noqa: F811
    account = Account.objects.create(account_id="123456789012", name="prod")
    web = service_build(aws, account, desired=1, delay=4.0)  # 1 -> 4 tasks: one more every 4/3 s
    service_page = f"/ecs/{account.account_id}/{REGION}/prod/services/web/"
    page.goto(service_page)
    page.wait_for_url(lambda url: "/login/" in url)
    log_in(page, "otto", "pw-otto")

    expect(page.locator("h1")).to_contain_text("web")
    expect(page.locator(".counts")).to_have_text("1 / 1")
    page.click("a[data-kind='ecs.scale_service']")

    # The request page says what the service runs now, from the inventory.
    expect(page.locator("h1")).to_have_text("Scale an ECS service")
    expect(page.locator("#scale-service")).to_have_text("web")
    expect(page.locator("#scale-desired")).to_have_text("1")
    page.fill("#id_p-desired_count", "4")
    page.fill("#id_reason", "CHG-11 Black Friday")
    if target := os.environ.get("FLEETUI_SCREENSHOT_DIR"):
        page.screenshot(path=str(Path(target) / "ecs-scale.png"), full_page=True)
    page.click("button[name=submit]")

    page.wait_for_url(re.compile(r"/actions/\d+/$"))
    action = Action.objects.get(kind="ecs.scale_service")
    assert page.locator("#action-progress").inner_text() != "100%"  # rendered while the tasks were starting
    expect(page.locator("#action-progress")).to_have_text("100%", timeout=60_000)
    expect(page.locator("#action-status")).to_have_text("succeeded")
    expect(page.locator(".steplog")).to_contain_text("Setting the desired count of web from 1 to 4")
    expect(page.locator(".steplog")).to_contain_text("web runs 4 of 4 task(s).")
    assert action.task_id in worker.read_text()  # the worker ran it, not the live server's thread
    assert web.counts() == (4, 4)

    # The service's page shows running == desired: the action re-synced it before it ended.
    page.goto(service_page)
    expect(page.locator(".counts")).to_have_text("4 / 4")
    expect(page.locator("section.tasks tr[data-task] .badge", has_text="RUNNING")).to_have_count(4)

    page.goto("/activity/")
    row = page.locator("table.data tbody tr:not(.empty)").filter(has_text="CHG-11 Black Friday")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Scale an ECS service")
    expect(row).to_contain_text("succeeded")
