"""An operator launches 3 spot instances into a placement group from the browser and follows it to the audit row.

The action runs on a real Celery worker on Redis (not eagerly in the live server's thread), so the page really
waits for it: the progress bar starts below 100% and htmx polling brings it to 100%. DescribeInstances is slowed
down in the sandbox so the wait step lasts long enough to be seen. Fails (never skips) without Redis.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from playwright.sync_api import Page, expect

from fleetui.actions import services
from fleetui.actions.models import Action
from fleetui.ec2.models import Instance
from fleetui.ec2.operations import launch  # noqa: F401  registers ec2.launch
from fleetui.inventory.models import Account
from fleetui.inventory.sync import sync_scope
from fleetui.sandbox.faults import fault_inject
from tests.browser.conftest import log_in
from tests.redis_dbs import BROWSER, redis_url, task_sender

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

TYPE_SEARCH = "[data-filter-options='id_p-instance_type']"
REGION = "us-east-1"
BROKER = redis_url(BROWSER)  # this module's own Redis db (tests/redis_dbs.py)
LAUNCH_MODULE = "fleetui.ec2.operations.launch"
ROWS = "table.data tbody tr:not(.empty)"


@pytest.fixture
def worker(aws, tmp_path, monkeypatch) -> Iterator[Path]:
    """A real `celery worker` on Redis against the test database and the sandbox; the live server's requests
    send their action there (as `action_enqueue` does in production) instead of running it eagerly."""
    broker = redis.Redis.from_url(BROKER)
    broker.ping()  # no Redis: the test fails here
    broker.flushdb()
    # Not the current app: shared tasks would follow it, and later tests' actions would go to Redis, not run eagerly.
    sender = task_sender("browser-test-sender", BROKER)
    monkeypatch.setattr(
        services, "action_enqueue", lambda action: sender.send_task("actions.run", [action.pk], task_id=action.task_id)
    )
    env = {
        **os.environ,  # the sandbox's AWS_ENDPOINT_URL and keys
        "CELERY_BROKER_URL": BROKER,
        "DJANGO_SETTINGS_MODULE": "fleetui.settings.worker_test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
        "FLEETUI_REGIONS": REGION,
        "FLEETUI_ACTION_POLL_INTERVAL": "0.3",
    }
    command = [sys.executable, "-m", "celery", "-A", "fleetui", "worker", "--pool=solo", "--loglevel=INFO"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--include", LAUNCH_MODULE]
    command += ["-n", f"browser-{uuid.uuid4().hex[:8]}@%h"]
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            command, env=env, cwd=settings.BASE_DIR, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    yield log
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)
    sender.close()
    broker.flushdb()


@pytest.fixture
def launch_scope(aws, ec2) -> dict[str, str]:
    """The account, the synced type catalog, a placement group made with boto3 and one instance already running an
    Amazon AMI (so the form offers that AMI, as one the fleet runs); returns the AMI and the group."""
    account = Account.objects.create(account_id="123456789012", name="prod")
    ec2.create_placement_group(GroupName="batch-cluster", Strategy="cluster")
    images = ec2.describe_images(Owners=["amazon"])["Images"]
    ami = next(i["ImageId"] for i in images if i.get("Architecture") == "x86_64" and i["State"] == "available")
    ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.micro")
    for resource_type in ("instance_types", "placement_groups", "instances"):
        sync_scope(account=account, region=REGION, resource_type=resource_type)
    return {"ami": ami, "group": "batch-cluster"}


def test_an_operator_launches_spot_instances_into_a_group_and_finds_the_audit_row(
    page: Page, operator, aws, ec2, launch_scope, worker
):
    page.goto("/instances/")
    page.wait_for_url(lambda url: "/login/" in url)
    log_in(page, "otto", "pw-otto")
    expect(page.locator("h1")).to_have_text("Instances")
    page.click("a.btn >> text=Launch instances")
    expect(page.locator("h1")).to_have_text("Launch instances")

    # Where to launch is the form's first choice: the fields below offer that scope's AMIs, groups and key pairs.
    expect(page.locator("#id_account option:checked")).to_have_text("prod (123456789012)")
    expect(page.locator("#id_region option:checked")).to_have_text(REGION)
    page.select_option("#id_p-image_id", launch_scope["ami"])
    expect(page.locator("#id_p-instance_type optgroup[label='m5 — General purpose']")).to_have_count(1)
    page.fill(TYPE_SEARCH, "m5.large")
    page.select_option("#id_p-instance_type", "m5.large")
    page.fill("#id_p-count", "3")
    page.select_option("#id_p-purchase", "spot")
    page.select_option("#id_p-placement_group", launch_scope["group"])
    expect(page.locator("#id_p-placement_group option:checked")).to_have_text("batch-cluster (cluster)")
    page.fill("#id_p-tags", "Name=load-test\nOwner=otto")
    page.fill("#id_reason", "CHG-42 load test")
    if target := os.environ.get("FLEETUI_SCREENSHOT_DIR"):  # the README's picture of the form
        page.screenshot(path=str(Path(target) / "screenshot-launch.png"), full_page=True)
    # Each DescribeInstances of the wait step takes a while, so the page sees the action before it ends.
    fault_inject(endpoint=aws, action="DescribeInstances", latency_ms=1500)
    page.click("button[name=submit]")

    page.wait_for_url(re.compile(r"/actions/\d+/$"))
    action = Action.objects.get(kind="ec2.launch")
    assert page.locator("#action-progress").inner_text() != "100%"  # rendered before the worker finished
    expect(page.locator("#action-progress")).to_have_text("100%", timeout=90_000)
    expect(page.locator("#action-status")).to_have_text("succeeded")
    action.refresh_from_db()
    ids = action.result["instance_ids"]
    assert len(ids) == 3 and action.status == "succeeded", worker.read_text()[-3000:]
    assert action.task_id in worker.read_text()  # the worker ran it, not the live server's thread
    for iid in ids:
        expect(page.locator(f"#progress table.data >> text={iid}")).to_be_visible()

    # The re-sync before the action ended: the list filtered by the group shows the three spot instances.
    page.goto(f"/instances/?placement_group={launch_scope['group']}")
    expect(page.locator(ROWS)).to_have_count(3)
    for iid in ids:
        expect(page.locator(f"{ROWS} >> text={iid}")).to_be_visible()
    assert set(Instance.objects.filter(instance_id__in=ids).values_list("lifecycle", flat=True)) == {"spot"}

    page.goto("/activity/")
    row = page.locator(ROWS).filter(has_text="CHG-42 load test")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Launch instances")
    expect(row).to_contain_text("otto")
    expect(row).to_contain_text("succeeded")
