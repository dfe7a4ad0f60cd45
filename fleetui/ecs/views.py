"""ECS pages: five lists (ResourceListView: filters, sort, pages, htmx fragment, CSV), the cluster and service
pages, and the home page's containers panel. Services and tasks are the rows ECS actions take
(`action_target_type`); the service page links to each action kind the user may run on it."""

from typing import Any, ClassVar

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fleetui.actions.views import ActionsOffered
from fleetui.core import fields
from fleetui.core.views import ResourceListView

from . import selectors, tables
from . import serializers as s
from .models import Cluster, Service


class EcsListView(ResourceListView):
    # The shared list page with the ECS tabs above it.
    template_name = "ecs/resource_list.html"
    more_filters: ClassVar[tuple[str, ...]] = ("gone", "tag")


class ClusterListView(EcsListView):
    title = "ECS clusters"
    intro = "Counts are ECS's own at the last sync; click a count for its list. * marks the default strategy."
    selector = staticmethod(selectors.cluster_list)
    table_class = tables.ClusterTable
    csv_columns = fields.csv_columns(s.CLUSTER_FIELDS)
    csv_filename = "ecs-clusters.csv"


class ServiceListView(ActionsOffered, EcsListView):
    title = "ECS services"
    intro = "A service below its desired count or with a failed rollout carries a red finding."
    selector = staticmethod(selectors.service_list)
    table_class = tables.ServiceTable
    csv_columns = fields.csv_columns(s.SERVICE_FIELDS)
    csv_filename = "ecs-services.csv"
    action_target_type = "ecs_services"
    more_filters = ("status", "gone", "tag")


class TaskListView(ActionsOffered, EcsListView):
    title = "ECS tasks"
    intro = "Tasks ECS wants running; a task asked to stop shows where it is going (→ STOPPED)."
    selector = staticmethod(selectors.task_list)
    table_class = tables.TaskTable
    csv_columns = fields.csv_columns(s.TASK_FIELDS)
    csv_filename = "ecs-tasks.csv"
    action_target_type = "ecs_tasks"
    more_filters = ("desired_status", "container_instance", "gone", "tag")


class TaskDefinitionListView(EcsListView):
    title = "ECS task definitions"
    intro = "The newest ACTIVE revisions of each family, with task-level CPU and memory and their images."
    selector = staticmethod(selectors.task_definition_list)
    table_class = tables.TaskDefinitionTable
    csv_columns = fields.csv_columns(s.TASK_DEFINITION_FIELDS)
    csv_filename = "ecs-task-definitions.csv"


class ContainerInstanceListView(EcsListView):
    title = "ECS container instances"
    intro = "The EC2 instances that run EC2-launch-type tasks, with the CPU and memory they have left."
    selector = staticmethod(selectors.container_instance_list)
    table_class = tables.ContainerInstanceTable
    csv_columns = fields.csv_columns(s.CONTAINER_INSTANCE_FIELDS)
    csv_filename = "ecs-container-instances.csv"


def cluster_detail(request: HttpRequest, account_id: str, region: str, cluster_name: str) -> HttpResponse:
    """The cluster: capacity providers and strategy, counts, services, container instances (linked to EC2)."""
    try:
        detail = selectors.cluster_detail(account_id=account_id, region=region, cluster_name=cluster_name)
    except Cluster.DoesNotExist:
        raise Http404("No such ECS cluster in the inventory.") from None
    return render(request, "ecs/cluster_detail.html", {"detail": detail, "cluster": detail.cluster})


def service_detail(
    request: HttpRequest, account_id: str, region: str, cluster_name: str, service_name: str
) -> HttpResponse:
    """The service: counts and findings, deployments, events, tasks, and the actions the user may run on it."""
    try:
        detail = selectors.service_detail(
            account_id=account_id, region=region, cluster_name=cluster_name, service_name=service_name
        )
    except Service.DoesNotExist:
        raise Http404("No such ECS service in the inventory.") from None
    return render(request, "ecs/service_detail.html", {"detail": detail, "service": detail.service})


def overview_context() -> dict[str, Any]:
    """The home page's containers panel: running tasks by capacity, services with findings."""
    return {"overview": selectors.containers_overview()}
