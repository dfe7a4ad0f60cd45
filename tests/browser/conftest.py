"""Playwright on Debian's chromium against pytest-django's live server.

Playwright's sync API runs an event loop in this thread, and Django refuses database access from a
thread with a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set; here the test thread and the live
server share the test database on purpose. It is set only while a browser test runs: left in the
environment it would leak into other tests' subprocesses (`check --deploy` rejects it).
"""

import datetime as dt
import hashlib
import os
import random
from collections.abc import Iterator

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, sync_playwright

from fleetui.aws import clients_clear
from fleetui.ec2.models import Instance
from fleetui.inventory.sync import sync_scope
from tests.factories import (
    AccountFactory,
    ElasticIPFactory,
    ImageFactory,
    InstanceFactory,
    InstanceTypeFactory,
    KeyPairFactory,
    PlacementGroupFactory,
    SecurityGroupFactory,
    SyncRunFactory,
    VolumeFactory,
)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="package", autouse=True)
def allow_db_beside_playwright() -> Iterator[None]:
    """Set for this package's tests (and their database teardown), removed before the next package."""
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if saved is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


@pytest.fixture(scope="package")
def browser(allow_db_beside_playwright: None) -> Iterator[Browser]:
    """Chromium for this package only: Playwright's loop must stop before other tests use the database."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1440, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def log_in(page: Page, username: str, password: str) -> None:
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


# (type, vCPU, memory MiB, GPUs) in the shape of DescribeInstanceTypes
TYPES = [
    ("t3.medium", 2, 4096, 0), ("t3.large", 2, 8192, 0), ("m5.large", 2, 8192, 0), ("m5.2xlarge", 8, 32768, 0),
    ("c5.xlarge", 4, 8192, 0), ("c5.4xlarge", 16, 32768, 0), ("r5.large", 2, 16384, 0), ("r5.2xlarge", 8, 65536, 0),
    ("x1.16xlarge", 64, 999424, 0), ("i3.xlarge", 4, 31232, 0), ("d2.xlarge", 4, 31232, 0), ("p3.2xlarge", 8, 62464, 1),
    ("g4dn.xlarge", 4, 16384, 1),
]  # fmt: skip
# AWS's published instance storage of the i3.xlarge and d2.xlarge.
INSTANCE_STORE = {
    "i3": [{"count": 1, "size_gb": 950, "type": "ssd", "nvme": True}],
    "d2": [{"count": 3, "size_gb": 2000, "type": "hdd", "nvme": False}],
}
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"]
SERVICES = ["web", "api", "batch", "etl", "cache", "search", "train", "db"]


def demo_fleet(size: int = 240, *, priced: bool = False) -> None:
    """A realistic, deterministic fleet: two accounts, three regions, every family, spot, findings; some db servers
    run Windows with SQL Server. `priced`: its spot and on-demand list prices synced from the sandbox (the
    `moto_server` fixture must be running), which stores every instance's cost as a sync does."""
    rng = random.Random(7)
    now = timezone.now()
    accounts = [
        AccountFactory(account_id="123456789012", name="prod"),
        AccountFactory(account_id="210987654321", name="staging"),
    ]
    accounts[1].role_arn = "arn:aws:iam::210987654321:role/fleetui-readonly"
    accounts[1].save()
    types = [
        InstanceTypeFactory(name=n, vcpus=v, memory_mib=m, gpus=g, gpu_memory_mib=16384 * g) for n, v, m, g in TYPES
    ]
    sql_servers = []
    for i in range(size):
        account, region = accounts[i % 2], REGIONS[i % 3]
        kind = types[rng.randrange(len(types))]
        service = SERVICES[i % len(SERVICES)]
        state = rng.choices(["running", "stopped", "terminated", "pending"], [80, 14, 5, 1])[0]
        instance = InstanceFactory(
            account=account,
            region=region,
            availability_zone=f"{region}{'abc'[rng.randrange(3)]}",
            name=f"{service}-{region.split('-')[1]}-{i:03d}",
            instance_type=kind,
            state=state,
            lifecycle="spot" if rng.random() < 0.22 else "on-demand",
            tenancy=rng.choices(["default", "dedicated", "host"], [90, 7, 3])[0],
            placement_group=rng.choice(["", "", "", "hpc-cluster", "spread-web", "kafka-partition"]),
            key_name="" if rng.random() < 0.08 else rng.choice(["ops-2024", "deploy", "break-glass"]),
            owner="" if rng.random() < 0.1 else rng.choice(["alice", "bob", "platform", "data"]),
            env=rng.choice(["prod", "staging", "dev"]),
            public_ip=f"54.{i % 200}.{i % 7}.{i % 250 + 1}"
            if service in ("web", "api") and state == "running"
            else None,
            launch_time=now - dt.timedelta(hours=rng.randrange(1, 24 * 400)),
        )
        if service == "db" and i % 3 == 0 and instance.lifecycle == "on-demand":
            sql_servers.append(instance.pk)
        if state != "terminated":  # a root volume each, which a stopped instance still pays for
            VolumeFactory(account=account, region=region, availability_zone=instance.availability_zone,
                          instance_id=instance.instance_id, size_gib=(8, 20, 50, 100)[i % 4])  # fmt: skip
    Instance.objects.filter(pk__in=sql_servers).update(platform="Windows with SQL Server Standard")
    for family, disks in INSTANCE_STORE.items():  # as the sync reads them from the catalog
        Instance.objects.filter(family=family).update(has_instance_store=True, instance_store_volumes=disks)
    for host in Instance.objects.filter(tenancy="host"):  # one host per account, region and family, as EC2 has it
        key = f"{host.account_id}|{host.region}|{host.family}".encode()
        Instance.objects.filter(pk=host.pk).update(host_id=f"h-0{hashlib.sha256(key).hexdigest()[:16]}")
    for account in accounts:
        for region in REGIONS:
            for name, strategy in [
                ("hpc-cluster", "cluster"),
                ("spread-web", "spread"),
                ("kafka-partition", "partition"),
            ]:
                PlacementGroupFactory(account=account, region=region, group_name=name, strategy=strategy)
            for key in ["ops-2024", "deploy", "break-glass", "legacy-2019"]:
                KeyPairFactory(account=account, region=region, key_name=key)
            ElasticIPFactory(account=account, region=region)
            ElasticIPFactory(account=account, region=region, association_id="eipassoc-0a1", instance_id="i-0attached")
            ImageFactory(account=account, region=region, creation_date=now - dt.timedelta(days=400))
            ImageFactory(account=account, region=region)
            SecurityGroupFactory(
                account=account, region=region, group_id=f"sg-open{region[:2]}{account.pk}", world_open=True
            )
            SecurityGroupFactory(account=account, region=region, group_id="sg-0default0000000", group_name="default")
            for resource in ["instances", "instance_types", "placement_groups", "key_pairs", "elastic_ips", "images"]:
                SyncRunFactory(account=account, region=region, resource_type=resource, seen=rng.randrange(5, 90),
                               finished_at=now - dt.timedelta(seconds=rng.randrange(30, 140)))  # fmt: skip
            clients_clear()  # no session cached from before a sandbox reset
            for resource in ["spot_prices", "list_prices"] if priced else []:
                run = sync_scope(account=account, region=region, resource_type=resource)
                assert run.status == "succeeded", run.error
