"""factory_boy factories for the inventory models, shared by every test area.

Rows look like what a sync writes: ids in AWS's format, tags as a {Key: Value} dict, family and
category filled from the instance type, and `search_text` built the way the sync builds it
(lower-cased id, name, IPs, tags and security-group ids).
"""

import datetime as dt
import hashlib

import factory
from django.utils import timezone

from fleetui.ec2.cost_store import rollup_store
from fleetui.ec2.models import (
    ElasticIP,
    Image,
    Instance,
    InstanceType,
    KeyPair,
    NetworkInterface,
    PlacementGroup,
    SecurityGroup,
    Volume,
)
from fleetui.inventory.models import Account, SyncRun

CATEGORY_BY_PREFIX = {
    "t": "general_purpose",
    "m": "general_purpose",
    "a": "general_purpose",
    "c": "compute_optimized",
    "r": "memory_optimized",
    "x": "memory_optimized",
    "p": "accelerated_computing",
    "g": "accelerated_computing",
    "i": "storage_optimized",
    "d": "storage_optimized",
    "h": "storage_optimized",
}


def _hex(n: int, width: int = 17) -> str:
    """A deterministic, AWS-looking hex id part for sequence number n."""
    return hashlib.sha256(str(n).encode()).hexdigest()[:width]


def instance_search_text(instance: Instance) -> str:
    """What the `q` filter searches: id, name, IPs, tags and security-group ids, lower-cased."""
    parts = [instance.instance_id, instance.name, instance.private_ip or "", instance.public_ip or ""]
    parts += [f"{k}={v}" for k, v in (instance.tags or {}).items()]
    parts += [sg.get("id", "") for sg in instance.security_groups or []]
    return " ".join(p for p in parts if p).lower()


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account
        django_get_or_create = ("account_id",)

    account_id = factory.Sequence(lambda n: f"{123456789012 + n:012d}")
    name = factory.Sequence(lambda n: f"account-{n}")
    role_arn = ""


class InstanceTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstanceType
        django_get_or_create = ("name",)

    name = "m5.large"
    family = factory.LazyAttribute(lambda o: o.name.split(".")[0])
    category = factory.LazyAttribute(lambda o: CATEGORY_BY_PREFIX.get(o.family[0], "general_purpose"))
    vcpus = 2
    memory_mib = 8192
    network_performance = "Up to 10 Gigabit"
    architectures = factory.LazyFunction(lambda: ["x86_64"])
    last_seen = factory.LazyFunction(timezone.now)


class ResourceFactory(factory.django.DjangoModelFactory):
    account = factory.SubFactory(AccountFactory, account_id="123456789012", name="prod")
    region = "us-east-1"
    tags = factory.LazyFunction(dict)
    first_seen = factory.LazyFunction(timezone.now)
    last_seen = factory.LazyFunction(timezone.now)


class InstanceFactory(ResourceFactory):
    class Meta:
        model = Instance

    class Params:
        owner = "alice"
        env = "prod"

    instance_id = factory.Sequence(lambda n: f"i-{_hex(n + 1)}")
    name = factory.Sequence(lambda n: f"web-{n:03d}")
    state = "running"
    availability_zone = factory.LazyAttribute(lambda o: f"{o.region}a")
    instance_type = factory.SubFactory(InstanceTypeFactory)
    family = factory.LazyAttribute(lambda o: o.instance_type.family)
    category = factory.LazyAttribute(lambda o: o.instance_type.category)
    lifecycle = "on-demand"
    tenancy = "default"
    key_name = "ops-key"
    image_id = "ami-0abc1234def567890"
    platform = "Linux/UNIX"
    architecture = "x86_64"
    launch_time = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=3))
    private_ip = factory.Sequence(lambda n: f"10.0.{n // 250 % 250}.{n % 250 + 4}")
    public_ip = None
    vpc_id = "vpc-0a1b2c3d"
    subnet_id = "subnet-0a1b2c3d"
    security_groups = factory.LazyFunction(lambda: [{"id": "sg-0default0000000", "name": "default"}])
    eni_count = 1
    tags = factory.LazyAttribute(
        lambda o: {k: v for k, v in {"Name": o.name, "Owner": o.owner, "Env": o.env}.items() if v}
    )
    search_text = factory.LazyAttribute(lambda o: instance_search_text(o))


def rollups_store() -> None:
    """Rebuild every scope's overview rollups, as each scope's instance sync does after it writes: for rows these
    factories wrote directly."""
    for account_pk, region in Instance.objects.values_list("account", "region").distinct().order_by():
        rollup_store(account=Account.objects.get(pk=account_pk), region=region)


class PlacementGroupFactory(ResourceFactory):
    class Meta:
        model = PlacementGroup

    group_name = factory.Sequence(lambda n: f"pg-{n}")
    group_id = factory.Sequence(lambda n: f"pg-{_hex(n + 7)}")
    strategy = "cluster"
    state = "available"


class KeyPairFactory(ResourceFactory):
    class Meta:
        model = KeyPair

    key_name = factory.Sequence(lambda n: f"key-{n}")
    key_pair_id = factory.Sequence(lambda n: f"key-{_hex(n + 11)}")
    key_type = "ed25519"
    fingerprint = factory.Sequence(lambda n: f"SHA256:{_hex(n + 3, 32)}")
    create_time = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=200))


class ElasticIPFactory(ResourceFactory):
    class Meta:
        model = ElasticIP

    allocation_id = factory.Sequence(lambda n: f"eipalloc-{_hex(n + 13)}")
    public_ip = factory.Sequence(lambda n: f"54.20.{n // 250 % 250}.{n % 250 + 1}")
    domain = "vpc"
    association_id = ""
    instance_id = ""


class ImageFactory(ResourceFactory):
    class Meta:
        model = Image

    image_id = factory.Sequence(lambda n: f"ami-{_hex(n + 17)}")
    name = factory.Sequence(lambda n: f"golden-image-{n}")
    state = "available"
    owner_id = factory.LazyAttribute(lambda o: o.account.account_id)
    architecture = "x86_64"
    root_device_type = "ebs"
    virtualization_type = "hvm"
    creation_date = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30))


class SecurityGroupFactory(ResourceFactory):
    class Meta:
        model = SecurityGroup

    class Params:
        world_open = factory.Trait(
            ingress_rules=factory.LazyFunction(
                lambda: [
                    {
                        "protocol": "tcp",
                        "from_port": 22,
                        "to_port": 22,
                        "sources": ["0.0.0.0/0"],
                        "world_open": True,
                        "severity": "critical",
                    }
                ]
            ),
            severity="critical",
        )

    group_id = factory.Sequence(lambda n: f"sg-{_hex(n + 19)}")
    group_name = factory.Sequence(lambda n: f"sg-name-{n}")
    description = "managed by fleetui tests"
    vpc_id = "vpc-0a1b2c3d"
    ingress_rules = factory.LazyFunction(
        lambda: [
            {
                "protocol": "tcp",
                "from_port": 443,
                "to_port": 443,
                "sources": ["10.0.0.0/8"],
                "world_open": False,
                "severity": "",
            }
        ]
    )
    egress_rules = factory.LazyFunction(
        lambda: [{"protocol": "-1", "from_port": None, "to_port": None, "sources": ["0.0.0.0/0"], "world_open": True}]
    )
    severity = ""


class NetworkInterfaceFactory(ResourceFactory):
    class Meta:
        model = NetworkInterface

    network_interface_id = factory.Sequence(lambda n: f"eni-{_hex(n + 23)}")
    status = "in-use"
    interface_type = "interface"
    availability_zone = "us-east-1a"
    vpc_id = "vpc-0a1b2c3d"
    subnet_id = "subnet-0a1b2c3d"
    private_ip = factory.Sequence(lambda n: f"10.1.{n // 250 % 250}.{n % 250 + 4}")
    mac_address = "0e:00:00:00:00:01"
    device_index = 0


class VolumeFactory(ResourceFactory):
    class Meta:
        model = Volume

    volume_id = factory.Sequence(lambda n: f"vol-{_hex(n + 29)}")
    size_gib = 20
    volume_type = "gp3"
    iops = 3000
    state = "in-use"
    availability_zone = "us-east-1a"
    device = "/dev/xvda"
    create_time = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=3))


class SyncRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SyncRun
        skip_postgeneration_save = True  # the started_at hook writes its own UPDATE

    account = factory.SubFactory(AccountFactory, account_id="123456789012", name="prod")
    region = "us-east-1"
    resource_type = "instances"
    status = SyncRun.Status.SUCCEEDED
    finished_at = factory.LazyFunction(timezone.now)
    seen = 10
    added = 0
    changed = 0
    gone = 0

    @factory.post_generation
    def started_at(self, create: bool, extracted: dt.datetime | None, **kwargs) -> None:
        # started_at is auto_now_add, so a chosen value is written after the insert.
        if extracted is not None:
            self.started_at = extracted
            if create:
                SyncRun.objects.filter(pk=self.pk).update(started_at=extracted)
