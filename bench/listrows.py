"""(d) Realistic inventory rows for the instances list: 2 accounts x 3 regions, varied everything.

Deterministic (seeded), written with bulk_create in batches, then VACUUM ANALYZEd so the planner sees the
real distribution and visibility map, as after autovacuum on a production database.
"""

import ipaddress
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from fleetui.ec2.models import Instance, InstanceType
from fleetui.inventory.models import Account

ACCOUNTS = [("111111111111", "bench-prod"), ("222222222222", "bench-dev")]
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"]
# family -> (category, sizes as (name suffix, vcpus, memory MiB, gpus)).
SIZES = [("large", 2, 8192, 0), ("xlarge", 4, 16384, 0), ("2xlarge", 8, 32768, 0), ("4xlarge", 16, 65536, 0)]
FAMILIES = {
    "t3": "general_purpose",
    "m5": "general_purpose",
    "c5": "compute_optimized",
    "r5": "memory_optimized",
    "x1": "memory_optimized",
    "i3": "storage_optimized",
    "d2": "storage_optimized",
    "p3": "accelerated_computing",
    "g4dn": "accelerated_computing",
}
# Weights make the mix lopsided, like real fleets: mostly t3/m5/c5 running on demand.
FAMILY_WEIGHTS = [25, 30, 15, 12, 2, 5, 2, 4, 5]
STATES = (["running", "stopped", "terminated", "pending", "stopping"], [70, 20, 8, 1, 1])
TENANCIES = (["default", "dedicated", "host"], [90, 7, 3])
OWNERS = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"]
ENVS = ["prod", "staging", "dev", "test"]
EPOCH = datetime(2023, 1, 1, tzinfo=UTC)


def catalog_ensure() -> list[str]:
    """Create the instance-type catalog rows the generated fleet uses; returns the type names."""
    now = timezone.now()
    rows = [
        InstanceType(
            name=f"{family}.{suffix}",
            family=family,
            category=category,
            vcpus=vcpus,
            memory_mib=memory * (2 if category == "memory_optimized" else 1),
            gpus=1 if category == "accelerated_computing" else gpus,
            last_seen=now,
        )
        for family, category in FAMILIES.items()
        for suffix, vcpus, memory, gpus in SIZES
    ]
    InstanceType.objects.bulk_create(rows, ignore_conflicts=True)
    return [row.name for row in rows]


def accounts_ensure() -> list[Account]:
    return [Account.objects.get_or_create(account_id=aid, defaults={"name": name})[0] for aid, name in ACCOUNTS]


def _hexid(rng: random.Random, prefix: str, length: int = 17) -> str:
    return f"{prefix}-{rng.getrandbits(length * 4):0{length}x}"


def _instance(rng: random.Random, number: int, accounts: list[Account], now: datetime) -> Instance:
    """One realistic instance row; about 2% are gone (swept), 10% have no Owner tag, 15% no key pair."""
    family = rng.choices(list(FAMILIES), FAMILY_WEIGHTS)[0]
    region = REGIONS[number % len(REGIONS)]
    state = rng.choices(*STATES)[0]
    spot = rng.random() < 0.15
    name = f"{rng.choice(['web', 'api', 'batch', 'db', 'cache', 'etl', 'ml'])}-{number:06d}"
    tags = {"Name": name, "Env": rng.choice(ENVS)}
    if rng.random() > 0.1:
        tags["Owner"] = rng.choice(OWNERS)
    private_ip = str(ipaddress.IPv4Address(0x0A000000 + number))
    public_ip = str(ipaddress.IPv4Address(0x36000000 + number)) if state == "running" and rng.random() < 0.4 else None
    instance_id = _hexid(rng, "i")
    groups = [
        {"id": f"sg-{rng.randrange(200):017x}", "name": f"sg-{rng.randrange(200)}"} for _ in range(rng.randint(1, 3))
    ]
    pg = rng.choice(["", "", "", "", "", "", "hpc-cluster", "spread-web", "part-kafka"])
    launch = EPOCH + timedelta(seconds=rng.randrange(3 * 365 * 86400))
    search = " ".join([instance_id, name, private_ip, public_ip or "", *(f"{k}={v}" for k, v in tags.items())])
    return Instance(
        account=accounts[number % len(accounts)],
        region=region,
        availability_zone=region + "abc"[rng.randrange(3)],
        instance_id=instance_id,
        name=name,
        state=state,
        instance_type_id=f"{family}.{rng.choice(SIZES)[0]}",
        family=family,
        category=FAMILIES[family],
        lifecycle="spot" if spot else "on-demand",
        spot_request_id=_hexid(rng, "sir", 8) if spot else "",
        tenancy=rng.choices(*TENANCIES)[0],
        placement_group=pg,
        partition_number=rng.randint(1, 7) if pg == "part-kafka" else None,
        key_name="" if rng.random() < 0.15 else f"key-{rng.choice(OWNERS)}",
        image_id=f"ami-{rng.randrange(60):017x}",
        platform="windows" if rng.random() < 0.05 else "",
        architecture="x86_64",
        launch_time=launch,
        private_ip=private_ip,
        public_ip=public_ip,
        vpc_id=f"vpc-{number % 6:017x}",
        subnet_id=f"subnet-{number % 36:017x}",
        security_groups=groups,
        eni_count=rng.randint(1, 3),
        volume_ids=[_hexid(rng, "vol") for _ in range(rng.randint(1, 2))],
        tags=tags,
        search_text=search.lower(),
        first_seen=launch,
        last_seen=now,
        gone_at=now if rng.random() < 0.02 else None,
    )


def _batches(count: int, batch: int, accounts: list[Account]) -> Iterator[list[Instance]]:
    rng = random.Random(20261129)
    now = timezone.now()
    for start in range(0, count, batch):
        yield [_instance(rng, n, accounts, now) for n in range(start, min(count, start + batch))]


def list_rows_generate(*, count: int, batch: int = 5000) -> int:
    """Replace every Instance row with `count` generated ones, then ANALYZE. Returns the visible (not gone) count."""
    catalog_ensure()
    accounts = accounts_ensure()
    with transaction.atomic():
        Instance.objects.all().delete()
        for rows in _batches(count, batch, accounts):
            Instance.objects.bulk_create(rows, batch_size=batch)
    # VACUUM also sets the visibility map, as autovacuum does after a bulk insert (PostgreSQL 13+), so
    # index-only scans work; inside a transaction (a test) only ANALYZE is possible.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for model in (Instance, InstanceType):
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
    return Instance.objects.filter(gone_at__isnull=True).count()
