"""An operator resizes an EMR cluster's TASK group from the cluster's page in the browser, on a real worker, watches
the running count follow, and finds the audit row.

The sandbox moves the group's running count toward the new requested count over a few seconds (one instance per
share of its EMR delay), so the action page really shows the resize in progress before htmx polling brings it to
100%. Fails (never skips) without Redis.
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
from tests.emr.operations.cluster import REGION, cluster_build

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_an_operator_resizes_a_task_group_and_finds_the_audit_row(page: Page, operator, aws, worker):  # noqa: F811
    account = Account.objects.create(account_id="123456789012", name="prod")
    built = cluster_build(aws, account, delay=4.0)  # 2 -> 5 task instances: one more every 4/3 s
    task = built.group_id("TASK")
    cluster_page = CLUSTER_PAGE.format(account=account.account_id, region=REGION, cluster=built.cluster_id)
    page.goto(cluster_page)
    page.wait_for_url(lambda url: "/login/" in url)
    log_in(page, "otto", "pw-otto")

    expect(page.locator("h1")).to_contain_text("etl-nightly")
    expect(page.locator(f"tr[data-group='{task}'] td.num")).to_have_text("2 / 2")
    page.click(f"a[data-kind='emr.resize_group'][href*='{task}']")

    # The request page says what the group runs now, from the inventory.
    expect(page.locator("h1")).to_have_text("Resize an EMR instance group")
    expect(page.locator("#resize-group")).to_have_text("spot-tasks")
    expect(page.locator("#resize-cluster")).to_have_text("etl-nightly")
    expect(page.locator("#resize-requested")).to_have_text("2")
    page.fill("#id_p-instance_count", "5")
    page.fill("#id_reason", "CHG-12 month-end backlog")
    if target := os.environ.get("FLEETUI_SCREENSHOT_DIR"):
        page.screenshot(path=str(Path(target) / "emr-resize.png"), full_page=True)
    page.click("button[name=submit]")

    page.wait_for_url(re.compile(r"/actions/\d+/$"))
    action = Action.objects.get(kind="emr.resize_group")
    assert page.locator("#action-progress").inner_text() != "100%"  # rendered while the instances were starting
    expect(page.locator(".steplog")).to_contain_text("RESIZING", timeout=30_000)  # the running count following
    expect(page.locator("#action-progress")).to_have_text("100%", timeout=60_000)
    expect(page.locator("#action-status")).to_have_text("succeeded")
    expect(page.locator(".steplog")).to_contain_text(f"Resizing TASK group spot-tasks ({task}) from 2 to 5 instance(s)")
    expect(page.locator(".steplog")).to_contain_text("is RUNNING with 5 of 5 instance(s) running.")
    assert action.task_id in worker.read_text()  # the worker ran it, not the live server's thread
    assert built.counts("TASK") == (5, 5)

    # The cluster's page shows the new counts: the action re-synced the group before it ended.
    page.goto(cluster_page)
    expect(page.locator(f"tr[data-group='{task}'] td.num")).to_have_text("5 / 5")

    page.goto("/activity/")
    row = page.locator("table.data tbody tr:not(.empty)").filter(has_text="CHG-12 month-end backlog")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Resize an EMR instance group")
    expect(row).to_contain_text("succeeded")


CLUSTER_PAGE = "/emr/{account}/{region}/{cluster}/"
