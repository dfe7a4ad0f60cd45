"""Reads of the ECS inventory for the pages, the CSV exports, the API and the home page's panel.

Each `<thing>_list(*, filters)` returns `(filterset, queryset)` like the other services' selectors. The detail
selectors and the overview cost a fixed number of queries whatever the number of services, tasks or instances.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from fleetui.core.menu import Owner
from fleetui.core.selectors import Selector, with_account
from fleetui.ec2.links import Instance, instances_by_id
from fleetui.inventory.sync.values import when

from .filters import (
    ClusterFilterSet,
    ContainerInstanceFilterSet,
    ServiceFilterSet,
    TaskDefinitionFilterSet,
    TaskFilterSet,
)
from .models import Cluster, ContainerInstance, Service, Task, TaskDefinition


def _tasks() -> QuerySet[Task]:
    """Tasks, each annotated with `ec2_instance_id`: the EC2 instance behind its container instance, if any."""
    hosts = ContainerInstance.objects.filter(
        account=OuterRef("account"),
        region=OuterRef("region"),
        container_instance_arn=OuterRef("container_instance_arn"),
    )
    return Task.objects.select_related("account").annotate(
        ec2_instance_id=Subquery(hosts.values("ec2_instance_id")[:1])
    )


cluster_list = Selector(ClusterFilterSet, with_account(Cluster))
service_list = Selector(ServiceFilterSet, with_account(Service))
task_list = Selector(TaskFilterSet, _tasks)
task_definition_list = Selector(TaskDefinitionFilterSet, with_account(TaskDefinition))
container_instance_list = Selector(ContainerInstanceFilterSet, with_account(ContainerInstance))


# --- Detail pages -------------------------------------------------------------------------------------------------


@dataclass
class ClusterDetail:
    cluster: Cluster
    services: list[Service]
    container_instances: list[tuple[ContainerInstance, Instance | None]]
    tasks_by_capacity: dict[str, int]
    console_url: str


def cluster_detail(*, account_id: str, region: str, cluster_name: str) -> ClusterDetail:
    """One cluster with its services, its container instances (linked to the EC2 inventory) and its running tasks
    counted by capacity. Raises Cluster.DoesNotExist when no such cluster was ever synced (gone ones are shown)."""
    cluster = Cluster.objects.select_related("account").get(
        account__account_id=account_id, region=region, cluster_name=cluster_name
    )
    scope: dict[str, Any] = {"account": cluster.account, "region": region, "cluster_arn": cluster.cluster_arn}
    services = list(Service.objects.filter(**scope, gone_at__isnull=True).select_related("account"))
    hosts = list(ContainerInstance.objects.filter(**scope, gone_at__isnull=True).select_related("account"))
    by_id = instances_by_id(account=cluster.account, region=region, ids=[host.ec2_instance_id for host in hosts])
    return ClusterDetail(
        cluster=cluster,
        services=services,
        container_instances=[(host, by_id.get(host.ec2_instance_id)) for host in hosts],
        tasks_by_capacity=running_by_capacity(Task.objects.filter(**scope)),
        console_url=f"https://{region}.console.aws.amazon.com/ecs/v2/clusters/{cluster_name}?region={region}",
    )


def running_by_capacity(tasks: QuerySet[Task]) -> dict[str, int]:
    """{"FARGATE": n, "FARGATE_SPOT": n, "EC2": n, "EXTERNAL": n}: live RUNNING tasks by where they run."""
    counts = tasks.filter(gone_at__isnull=True, last_status="RUNNING").aggregate(
        FARGATE=Count("pk", filter=Q(launch_type="FARGATE") & ~Q(capacity_provider_name="FARGATE_SPOT")),
        FARGATE_SPOT=Count("pk", filter=Q(capacity_provider_name="FARGATE_SPOT")),
        EC2=Count("pk", filter=Q(launch_type="EC2")),
        EXTERNAL=Count("pk", filter=Q(launch_type="EXTERNAL")),
    )
    return {name: int(value or 0) for name, value in counts.items()}


@dataclass
class ServiceDetail:
    service: Service
    cluster: Cluster | None
    task_definition: TaskDefinition | None
    tasks: list[Task]
    console_url: str
    # The service's deployments and events with `created` as a datetime (stored as ISO text in the JSON) and each
    # deployment's task definition as "family:revision" under `task_definition_label`.
    deployments: list[dict[str, Any]]
    events: list[dict[str, Any]]


def _dated(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**item, "created": when(item.get("createdAt"))} for item in items]


def service_detail(*, account_id: str, region: str, cluster_name: str, service_name: str) -> ServiceDetail:
    """One service with its cluster, task definition and live tasks. Raises Service.DoesNotExist when no such
    service was ever synced in that cluster."""
    service = Service.objects.select_related("account").get(
        account__account_id=account_id, region=region, cluster_name=cluster_name, service_name=service_name
    )
    scope: dict[str, Any] = {"account": service.account, "region": region}
    tasks = _tasks().filter(
        **scope, cluster_arn=service.cluster_arn, group=f"service:{service_name}", gone_at__isnull=True
    )
    return ServiceDetail(
        service=service,
        cluster=Cluster.objects.filter(**scope, cluster_arn=service.cluster_arn).first(),
        task_definition=TaskDefinition.objects.filter(**scope, task_definition_arn=service.task_definition).first(),
        tasks=list(tasks.order_by("-started_at", "task_arn")),
        console_url=(
            f"https://{region}.console.aws.amazon.com/ecs/v2/clusters/{cluster_name}/services/{service_name}"
            f"?region={region}"
        ),
        deployments=[
            {**d, "task_definition_label": d.get("taskDefinition", "").rsplit("/", 1)[-1]}
            for d in _dated(service.deployments)
        ],
        events=_dated(service.events),
    )


# --- The home page's panel ------------------------------------------------------------------------------------------


def containers_overview() -> dict[str, Any]:
    """Running tasks by capacity (Fargate, Fargate Spot, EC2) with their shares, and the services with findings."""
    by_capacity = running_by_capacity(Task.objects.all())
    total = sum(by_capacity.values())
    shares = [
        {"value": name, "count": count, "percent": round(100 * count / total, 1) if total else 0}
        for name, count in by_capacity.items()
        if count or name != "EXTERNAL"
    ]
    live = Service.objects.filter(gone_at__isnull=True)
    findings = live.aggregate(
        services=Count("pk"),
        below_desired=Count("pk", filter=Q(running_count__lt=F("desired_count"))),
        failed_rollouts=Count("pk", filter=Q(rollout_state="FAILED")),
    )
    return {"running_tasks": total, "shares": shares, **findings}


# --- What ECS tells other services' pages ---------------------------------------------------------------------------


def instance_owners(*, account: Any, region: str, ids: list[str]) -> dict[str, list[Owner]]:
    """{EC2 instance id: the live container instances it is} (an EC2 instance page's "Belongs to")."""
    found: dict[str, list[Owner]] = {}
    hosts = ContainerInstance.objects.filter(
        account=account, region=region, ec2_instance_id__in=ids, gone_at__isnull=True
    ).select_related("account")
    for host in hosts.order_by("cluster_name"):
        url = reverse("ecs:cluster_detail", args=[host.account.account_id, region, host.cluster_name])
        found.setdefault(host.ec2_instance_id, []).append(
            Owner("ECS container instance of cluster", host.cluster_name, url)
        )
    return found


def instances_owned() -> Q:
    """The EC2 instances that are live container instances of a cluster."""
    hosts = ContainerInstance.objects.filter(
        account=OuterRef("account"), region=OuterRef("region"), ec2_instance_id=OuterRef("instance_id"),
        gone_at__isnull=True,
    )  # fmt: skip
    return Q(Exists(hosts))
