"""(h)-(j) Containers: a sync of ECS services, tasks and EKS nodegroups against the raw describes it needs.

The sandbox is seeded with `services` ECS services running `tasks` tasks in all (Fargate, settled: the sandbox's
scheduler delay is 0 while seeding) over a few clusters, and `nodegroups` EKS nodegroups on real Auto Scaling groups.
(h) is the floor: the same List/Describe calls the sync's fetchers make, with boto3 and nothing else; (i) syncs every
ECS and EKS resource type into empty tables, in the registry's order; (j) is an unchanged re-sync's writes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import requests
from botocore.config import Config

from ..run import SYNC_RATIO_TARGET
from ..table import Row, median

NAME = "containers"
HELP = "h-j, a sync of 200 ECS services, 2,000 tasks and 50 EKS nodegroups against the raw describes"
APPS = ("ecs", "eks")
ECS_CLUSTERS = 4
EKS_CLUSTERS = 5
FAMILIES = 20
ROLE = "arn:aws:iam::123456789012:role/bench"

Log = Callable[[str], None]


def _client(service: str, endpoint: str, region: str) -> Any:
    config = Config(read_timeout=900, retries={"mode": "standard", "total_max_attempts": 1})
    return boto3.client(service, region_name=region, endpoint_url=endpoint, config=config)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _listed(client: Any, method: str, key: str, **params: Any) -> list[str]:
    return [item for page in client.get_paginator(method).paginate(**params) for item in page[key]]


def containers_seed(*, endpoint: str, region: str, services: int, tasks: int, nodegroups: int) -> dict[str, int]:
    """Seed the fleet, every service settled at its desired count and every nodegroup ACTIVE; returns the counts."""
    delays = {name: requests.get(f"{endpoint}/fleetui-sandbox/{name}", timeout=10).json() for name in APPS}
    for name in APPS:
        requests.post(f"{endpoint}/fleetui-sandbox/{name}", json={"delay": 0}, timeout=10).raise_for_status()
    try:
        ecs, eks, ec2 = (_client(name, endpoint, region) for name in ("ecs", "eks", "ec2"))
        subnets = [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]][:2]
        groups = [g["GroupId"] for g in ec2.describe_security_groups(GroupNames=["default"])["SecurityGroups"]]
        network = {"awsvpcConfiguration": {"subnets": subnets, "securityGroups": groups, "assignPublicIp": "DISABLED"}}
        definitions = [_definition(ecs, f"bench-app-{n:02d}") for n in range(FAMILIES)]
        clusters = [ecs.create_cluster(clusterName=f"bench-{n}")["cluster"]["clusterName"] for n in range(ECS_CLUSTERS)]
        per_service, extra = divmod(tasks, services)
        for n in range(services):
            ecs.create_service(
                cluster=clusters[n % ECS_CLUSTERS], serviceName=f"svc-{n:03d}",
                taskDefinition=definitions[n % FAMILIES], desiredCount=per_service + (n < extra),
                launchType="FARGATE", networkConfiguration=network,
            )  # fmt: skip
        for cluster in clusters:  # the scheduler starts the tasks when the services are read
            for arns in _chunks(_listed(ecs, "list_services", "serviceArns", cluster=cluster), 10):
                ecs.describe_services(cluster=cluster, services=arns)
        for n in range(EKS_CLUSTERS):
            eks.create_cluster(name=f"bench-k8s-{n}", roleArn=ROLE, resourcesVpcConfig={"subnetIds": subnets})
        for n in range(nodegroups):
            cluster, name = f"bench-k8s-{n % EKS_CLUSTERS}", f"ng-{n:02d}"
            eks.create_nodegroup(
                clusterName=cluster, nodegroupName=name, nodeRole=ROLE, subnets=subnets,
                capacityType="SPOT" if n % 2 else "ON_DEMAND", instanceTypes=["m5.large"],
                scalingConfig={"minSize": 1, "desiredSize": 1, "maxSize": 3},
            )  # fmt: skip
            eks.describe_nodegroup(clusterName=cluster, nodegroupName=name)  # settles its creation
    finally:
        for name, before in delays.items():
            requests.post(f"{endpoint}/fleetui-sandbox/{name}", json=before, timeout=10).raise_for_status()
    return {"services": services, "tasks": tasks, "nodegroups": nodegroups}


def _definition(ecs: Any, family: str) -> str:
    container = {"name": family, "image": f"registry.example.com/{family}:1", "essential": True}
    answer = ecs.register_task_definition(
        family=family, containerDefinitions=[container], requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc", cpu="256", memory="512",
    )  # fmt: skip
    return str(answer["taskDefinition"]["taskDefinitionArn"])


def raw_describes(*, endpoint: str, region: str) -> tuple[float, dict[str, int]]:
    """Every List/Describe call the sync makes, with fresh boto3 clients: (seconds, items described per kind)."""
    ecs, eks = _client("ecs", endpoint, region), _client("eks", endpoint, region)
    counts = dict.fromkeys(("clusters", "task_definitions", "container_instances", "services", "tasks"), 0)
    started = time.perf_counter()
    clusters = _listed(ecs, "list_clusters", "clusterArns")
    for arns in _chunks(clusters, 100):
        counts["clusters"] += len(
            ecs.describe_clusters(clusters=arns, include=["STATISTICS", "TAGS", "SETTINGS"])["clusters"]
        )
    for arn in _listed(ecs, "list_task_definitions", "taskDefinitionArns", status="ACTIVE"):
        ecs.describe_task_definition(taskDefinition=arn, include=["TAGS"])
        counts["task_definitions"] += 1
    children = (
        ("container_instances", "list_container_instances", "containerInstanceArns", "describe_container_instances",
         "containerInstances", 100),
        ("services", "list_services", "serviceArns", "describe_services", "services", 10),
        ("tasks", "list_tasks", "taskArns", "describe_tasks", "tasks", 100),
    )  # fmt: skip
    for kind, list_method, list_key, method, key, size in children:
        for cluster in clusters:
            for arns in _chunks(_listed(ecs, list_method, list_key, cluster=cluster), size):
                counts[kind] += len(getattr(ecs, method)(cluster=cluster, include=["TAGS"], **{key: arns})[key])
    counts.update(dict.fromkeys(("eks_clusters", "nodegroups", "fargate_profiles", "addons"), 0))
    names = _listed(eks, "list_clusters", "clusters")
    for name in names:
        eks.describe_cluster(name=name)
        counts["eks_clusters"] += 1
    kids = (
        ("nodegroups", "list_nodegroups", "nodegroups", "describe_nodegroup", "nodegroupName"),
        ("fargate_profiles", "list_fargate_profiles", "fargateProfileNames", "describe_fargate_profile",
         "fargateProfileName"),
        ("addons", "list_addons", "addons", "describe_addon", "addonName"),
    )  # fmt: skip
    for kind, list_method, list_key, method, param in kids:
        for name in names:
            for child in _listed(eks, list_method, list_key, clusterName=name):
                getattr(eks, method)(clusterName=name, **{param: child})
                counts[kind] += 1
    return time.perf_counter() - started, counts


def _types() -> list[str]:
    """The ECS and EKS resource types, in the order a sync runs them."""
    from fleetui.inventory.sync.registry import RESOURCE_TYPES, spec_get

    return [t for t in RESOURCE_TYPES if spec_get(t).model._meta.app_label in APPS]


def _tables_clear() -> None:
    from django.db import connection

    from fleetui.inventory.models import SyncRun
    from fleetui.inventory.sync.registry import spec_get

    models = [spec_get(t).model for t in _types()] + [SyncRun]
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE " + ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models) + " CASCADE"
        )


def containers_sync(*, account: Any, region: str) -> dict[str, Any]:
    """Sync every ECS and EKS type of the scope once; {type: its SyncRun}. Raises if one did not succeed."""
    from fleetui.inventory.models import SyncRun
    from fleetui.inventory.sync import sync_scope

    runs = {t: sync_scope(account=account, region=region, resource_type=t) for t in _types()}
    failed = {t: f"{run.status} {run.error}" for t, run in runs.items() if run.status != SyncRun.Status.SUCCEEDED}
    if failed:
        raise RuntimeError(f"The containers sync did not succeed: {failed}")
    return runs


def measure(
    *, endpoint: str, region: str, repeat: int, log: Log = lambda _: None,
    services: int = 200, tasks: int = 2000, nodegroups: int = 50,
) -> tuple[list[Row], list[str]]:  # fmt: skip
    from django.db import connection

    from ..sandbox import aws_env_use
    from ..sync import WriteCounter, account_default

    aws_env_use(endpoint)
    started = time.perf_counter()
    log(f"(h-j) seeding {services} ECS services, {tasks} tasks and {nodegroups} EKS nodegroups into {region}")
    containers_seed(endpoint=endpoint, region=region, services=services, tasks=tasks, nodegroups=nodegroups)
    raw = [f"(h-j) seeded in {time.perf_counter() - started:.1f} s"]
    account = account_default()
    fetch_s: list[float] = []
    sync_s: list[float] = []
    log(f"(h) raw describes and (i) full containers sync, alternating, x{repeat}")
    for attempt in range(repeat + 1):  # the first round warms botocore, the database and the sandbox: untimed
        seconds, counts = raw_describes(endpoint=endpoint, region=region)
        _tables_clear()
        began = time.perf_counter()
        runs = containers_sync(account=account, region=region)
        if attempt:
            fetch_s.append(seconds)
            fetch_s.sort()
            sync_s.append(time.perf_counter() - began)
    added = {t: run.added for t, run in runs.items()}
    if counts["services"] != services or counts["tasks"] != tasks or counts["nodegroups"] != nodegroups:
        raise RuntimeError(f"Seeded {services}/{tasks}/{nodegroups}, the raw describes found {counts}")
    if (added["ecs_services"], added["ecs_tasks"], added["eks_nodegroups"]) != (services, tasks, nodegroups):
        raise RuntimeError(f"Seeded {services}/{tasks}/{nodegroups}, the sync added {added}")
    log("(j) unchanged containers re-sync")
    counter = WriteCounter()
    began = time.perf_counter()
    with connection.execute_wrapper(counter):
        reruns = containers_sync(account=account, region=region)
    resync_s = time.perf_counter() - began
    changed = sum(run.added + run.changed + run.gone for run in reruns.values())
    ratio = median(sync_s) / median(fetch_s)
    size = f"{services} services, {tasks} tasks, {nodegroups} nodegroups"
    rows = [
        Row(f"h. containers: raw ECS+EKS describes, {size} (median of {repeat})", f"{median(fetch_s):.2f} s"),
        Row(f"i. containers: full sync of every ECS and EKS type (median of {repeat})", f"{median(sync_s):.2f} s"),
        Row("i/h. containers sync time / raw describes", f"{ratio:.2f}x", f"<= {SYNC_RATIO_TARGET}x",
            ratio <= SYNC_RATIO_TARGET),
        Row("j. containers unchanged re-sync: rows written (added+changed+gone)", f"{counter.total} ({changed})",
            "0 (0)", counter.total == 0 and changed == 0),
    ]  # fmt: skip
    raw += [
        f"(h) raw describes: {', '.join(f'{s:.3f}' for s in fetch_s)} s; described {counts}",
        f"(i) full sync: {', '.join(f'{s:.3f}' for s in sync_s)} s; added {added}",
        f"(j) unchanged re-sync in {resync_s:.3f} s: {counter.statements} write statements,"
        f" rows {dict(counter.rows) or '{}'}",
    ]
    return rows, raw
