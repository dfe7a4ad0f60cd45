"""The EC2 panel of the overview: every number on it against counts worked out here, independently, from the rows
of a small fleet; and the page's SQL query count, pinned, the same for a fleet twice as large.

The fleet covers each tile and chart: two accounts and regions, every state, families and categories, spot and
dedicated, gone rows (never counted), instances without a key pair or an Owner tag, public IPs on running and stopped
ones, instance store on running and stopped ones, instances that services own (a Batch tag, an EKS tag, one claimed
by both, an ECS container instance, an EMR node, a Beanstalk environment's instance, a stack's instance; gone
owners that own nothing), Elastic IPs, security groups, AMIs and Reserved Instances (unused and expiring).
"""

import datetime as dt
import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fleetui.beanstalk.models import Environment
from fleetui.ec2.models import Instance, ReservationUse, ReservedInstance
from fleetui.ec2.reservations import units_unused_store
from fleetui.ecs.models import ContainerInstance
from fleetui.emr.models import EmrInstance
from fleetui.inventory.models import Account
from fleetui.stacks.models import StackResource
from tests.conftest import rows_for_module
from tests.factories import (
    AccountFactory,
    ElasticIPFactory,
    ImageFactory,
    InstanceFactory,
    InstanceTypeFactory,
    SecurityGroupFactory,
    rollups_store,
)

# GET / as a viewer: session, user, role (3); the changes line (1); EC2: the fleet mix and the instance findings with
# their account names from the rollup, the Beanstalk and EKS owner lookups, the owners' union, Elastic IPs, security
# groups, AMIs, the reservations expiring and unused (8); the cost run-rate and spot/EBS totals from the rollup,
# with the account names they are shown by (3); ECS 2, EKS 2, EMR 2, Batch 2, Lambda 1, CloudFormation 1 (10); the
# freshness bar (1). Whatever the fleet's size.
OVERVIEW_QUERIES = 26

NOW = timezone.now()
SHAPES = [
    # (state, type, lifecycle, tenancy, region, key_name, tags, public_ip, instance store)
    ("running", "m5.large", "on-demand", "default", "us-east-1", "ops", {"Owner": "a"}, "54.0.0.1", False),
    ("running", "m5.xlarge", "spot", "default", "eu-west-1", "", {"Owner": "b"}, None, False),
    ("running", "i3.large", "on-demand", "dedicated", "us-east-1", "ops", {}, "54.0.0.2", True),
    ("stopped", "i3.large", "on-demand", "default", "eu-west-1", "ops", {"Owner": "c"}, "54.0.0.3", True),
    ("stopped", "c5.large", "spot", "host", "us-east-1", "", {"Env": "dev"}, None, False),
    ("pending", "r5.large", "on-demand", "default", "us-east-1", "ops", {"Owner": "d"}, None, False),
    ("terminated", "c5.large", "on-demand", "default", "eu-west-1", "ops", {"Owner": "e"}, None, False),
]


def _instance(account, shape: tuple, *, gone: bool = False, **more) -> Instance:
    state, kind, lifecycle, tenancy, region, key, tags, public_ip, store = shape
    return InstanceFactory(
        account=account, region=region, state=state, instance_type=InstanceTypeFactory(name=kind),
        lifecycle=lifecycle, tenancy=tenancy, key_name=key, tags={**tags, **more.pop("tags", {})},
        public_ip=public_ip, has_instance_store=store, gone_at=NOW if gone else None, **more,
    )  # fmt: skip


def _scope(instance: Instance) -> dict:
    return {"account": instance.account, "region": instance.region, "first_seen": NOW, "last_seen": NOW}


def instances_build(copies: int) -> list[Instance]:
    """`copies` x 5 instances of each shape, a fifth of them gone; returns the live ones."""
    prod = AccountFactory(account_id="111111111111", name="prod")
    dev = AccountFactory(account_id="222222222222", name="dev")
    made = [
        _instance(prod if n % 3 else dev, shape, gone=n % 5 == 4)
        for n in range(copies * 5)
        for shape in SHAPES
    ]  # fmt: skip
    return [i for i in made if i.gone_at is None]


def fleet_build(copies: int) -> None:
    live = instances_build(copies)
    prod, dev = Account.objects.get(account_id="111111111111"), Account.objects.get(account_id="222222222222")
    _instance(prod, SHAPES[0], tags={"AWSBatchServiceTag": "etl"})
    _instance(prod, SHAPES[1], tags={"eks:nodegroup-name": "workers"})
    _instance(dev, SHAPES[2], tags={"AWSBatchServiceTag": "etl", "eks:nodegroup-name": "both"})
    _instance(dev, SHAPES[0], tags={"AWSBatchServiceTag": "gone"}, gone=True)  # gone: counts nowhere
    host, node, web, stacked = live[0], live[1], live[2], live[3]
    ContainerInstance.objects.create(
        container_instance_arn=f"arn:ci/{host.instance_id}", cluster_arn="arn:c", cluster_name="c",
        ec2_instance_id=host.instance_id, **_scope(host),
    )  # fmt: skip
    ContainerInstance.objects.create(  # a container instance that is gone owns nothing
        container_instance_arn="arn:ci/old", cluster_arn="arn:c", cluster_name="c", ec2_instance_id=node.instance_id,
        gone_at=NOW, **_scope(node),
    )  # fmt: skip
    EmrInstance.objects.create(
        instance_id="ci-1", cluster_id="j-1", cluster_name="etl", instance_group_id="ig-1", state="RUNNING",
        ec2_instance_id=node.instance_id, market="SPOT", **_scope(node),
    )  # fmt: skip
    EmrInstance.objects.create(  # the right id in another region is someone else's instance
        instance_id="ci-2", cluster_id="j-1", cluster_name="etl", instance_group_id="ig-1", state="RUNNING",
        ec2_instance_id=web.instance_id, **{**_scope(web), "region": "ap-southeast-2"},
    )  # fmt: skip
    Environment.objects.create(
        environment_id="e-1", environment_name="web-blue", application_name="web", tier="WebServer", status="Ready",
        resources={"instances": [web.instance_id, host.instance_id]}, **_scope(web),
    )  # fmt: skip
    StackResource.objects.create(
        resource_key="stack#Box", stack_id="arn:stack", stack_name="box", logical_id="Box",
        physical_id=stacked.instance_id, resource_type="AWS::EC2::Instance", status="CREATE_COMPLETE",
        **_scope(stacked),
    )  # fmt: skip
    for n in range(2):  # one of each kind
        ElasticIPFactory(association_id="" if n % 2 else f"eipassoc-{n}")
        ElasticIPFactory(association_id="", gone_at=NOW)
        SecurityGroupFactory(severity="critical" if n % 2 == 0 else "warning")
        ImageFactory(creation_date=NOW - dt.timedelta(days=200 if n % 2 else 10))
    _reservations(prod, covered=[i for i in live if i.instance_type_id == "m5.large" and i.state == "running"])
    rollups_store()


def _reservations(account: Account, covered: list[Instance]) -> None:
    def bought(n: int, kind: str, count: int, days_left: int, state: str = "active") -> ReservedInstance:
        return ReservedInstance.objects.create(
            account=account, region="us-east-1", reserved_instances_id=f"ri-{n}", instance_type=kind,
            family=kind.split(".")[0], scope="Region", instance_count=count, product_description="Linux/UNIX",
            instance_tenancy="default", end=NOW + dt.timedelta(days=days_left), state=state, first_seen=NOW,
            last_seen=NOW,
        )  # fmt: skip

    full = bought(1, "m5.large", len(covered), 400)  # every unit used
    for instance in covered:
        ReservationUse.objects.create(instance=instance, reservation=full, units=4.0, share=1.0)
    half = bought(2, "m5.large", 2, 20)  # 8 units bought, 4 used: unused; expiring within 30 (and 60) days
    ReservationUse.objects.create(instance=covered[0], reservation=half, units=4.0, share=1.0)
    bought(3, "c5.large", 1, 45)  # nothing uses it: unused; expiring within 60 days
    bought(4, "c5.large", 1, -3)  # ended: neither unused nor expiring
    bought(5, "r5.large", 1, 10, state="retired")
    units_unused_store(account=account, region="us-east-1")  # as coverage_store does once it wrote the uses


def expected_numbers() -> dict:
    """What the panel must say, from the rows, counted here in Python."""
    live = [i for i in Instance.objects.select_related("account") if i.gone_at is None]
    by = {
        "account": Counter(i.account.account_id for i in live),
        "region": Counter(i.region for i in live),
        "state": Counter(i.state for i in live),
        "family": Counter(i.family for i in live),
        "category": Counter(i.category for i in live),
        "lifecycle": Counter(i.lifecycle for i in live),
        "tenancy": Counter(i.tenancy for i in live),
    }
    ecs = {c.ec2_instance_id for c in ContainerInstance.objects.filter(gone_at=None)}
    emr = {(e.region, e.ec2_instance_id) for e in EmrInstance.objects.filter(gone_at=None)}
    beanstalk = {i for env in Environment.objects.filter(gone_at=None) for i in env.resources["instances"]}
    stacks = {r.physical_id for r in StackResource.objects.filter(gone_at=None)}
    owned = {
        "batch": {i.pk for i in live if "AWSBatchServiceTag" in i.tags},
        "eks": {i.pk for i in live if "eks:nodegroup-name" in i.tags},
        "ecs": {i.pk for i in live if i.instance_id in ecs},
        "emr": {i.pk for i in live if (i.region, i.instance_id) in emr},
        "beanstalk": {i.pk for i in live if i.instance_id in beanstalk},
        "stacks": {i.pk for i in live if i.instance_id in stacks},
    }
    owners = {key: len(pks) for key, pks in owned.items()}
    owners["none"] = len(live) - len(set().union(*owned.values()))
    active = ReservedInstance.objects.filter(state="active", end__gt=timezone.now())
    findings = {
        "no_key_pair": sum(i.key_name == "" for i in live),
        "missing_owner": sum("Owner" not in i.tags for i in live),
        "public_ip": sum(i.public_ip is not None and i.state == "running" for i in live),
        "stopped": sum(i.state == "stopped" for i in live),
        "instance_store": sum(i.has_instance_store and i.state == "running" for i in live),
        "unattached_eips": sum(e.association_id == "" and e.gone_at is None for e in _all("ElasticIP")),
        "critical_sgs": sum(s.severity == "critical" for s in _all("SecurityGroup")),
        "old_images": sum(i.creation_date < timezone.now() - dt.timedelta(days=180) for i in _all("Image")),
        "unused_reservations": sum(
            sum(u.units for u in r.uses.all()) < r.instance_count * 4.0 for r in active
        ),  # every reservation here is of a large size: 4 units an instance
        "reservations_expiring_30": sum(r.end <= timezone.now() + dt.timedelta(days=30) for r in active),
        "reservations_expiring_60": sum(r.end <= timezone.now() + dt.timedelta(days=60) for r in active),
    }
    return {"total": len(live), "by": by, "owners": owners, "findings": findings}


def _all(model: str) -> list:
    from django.apps import apps

    return list(apps.get_model("ec2", model).objects.filter(gone_at=None))


def _n(text: str) -> int:
    return int(text.replace(",", ""))


def shown_numbers(html: str) -> dict:
    """The same numbers, read off the rendered page."""
    total = re.search(r"<strong>([\d,]+)</strong> instances</a> the last sync saw", html)
    assert total, html[:2000]
    charts = html.split('<h2 class="section">Fleet mix</h2>', 1)[1].split('<section class="chart owners"', 1)[0]
    by: dict[str, Counter] = {}
    for param, value, n in re.findall(
        r'<a class="bar-row" href="/instances/\?(\w+)=([^"]*)".*?<span class="n">([\d,]+)</span>', charts, re.S
    ):
        by.setdefault(param, Counter())[value.replace("%3A", ":")] = _n(n)
    owners = {key: _n(n) for key, n in re.findall(r'data-owner="(\w+)">.*?<span class="n">([\d,]+)</span>', html, re.S)}
    findings = {
        key: _n(n) for key, n in re.findall(r'data-finding="(\w+)">\s*<span class="n">([\d,]+)</span>', html, re.S)
    }
    return {"total": _n(total.group(1)), "by": by, "owners": owners, "findings": findings}


@pytest.fixture(scope="module")
def fleet_for_module(django_db_setup, django_db_blocker):
    with rows_for_module(django_db_blocker):
        with django_db_blocker.unblock():
            fleet_build(copies=1)
        yield


@pytest.fixture
def fleet(fleet_for_module, db):
    return None


def test_every_number_on_the_ec2_panel_matches_the_rows(fleet, viewer_client):
    expected = expected_numbers()
    # The fleet exercises every tile and owner: nothing below is a zero that would pass by accident.
    assert all(expected["findings"].values()) and all(expected["owners"].values()), expected
    assert expected["owners"]["batch"] == 2 and expected["owners"]["eks"] == 2 and expected["owners"]["emr"] == 1

    page = viewer_client.get(reverse("inventory:overview"))

    assert page.status_code == 200
    shown = shown_numbers(page.content.decode())
    shown["findings"] = {key: shown["findings"].get(key) for key in expected["findings"]}  # the other panels' aside
    assert shown == expected


def test_the_overview_costs_a_fixed_number_of_queries(fleet, viewer_client):
    viewer_client.get(reverse("inventory:overview"))  # warm: the session's first read, the menu
    with CaptureQueriesContext(connection) as small:
        assert viewer_client.get(reverse("inventory:overview")).status_code == 200
    instances_build(copies=2)
    rollups_store()
    with CaptureQueriesContext(connection) as larger:
        assert viewer_client.get(reverse("inventory:overview")).status_code == 200

    assert len(small.captured_queries) == OVERVIEW_QUERIES, "\n".join(q["sql"][:150] for q in small.captured_queries)
    assert len(larger.captured_queries) == OVERVIEW_QUERIES
