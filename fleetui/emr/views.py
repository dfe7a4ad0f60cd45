"""EMR pages: four lists (ResourceListView: filters, sort, pages, htmx fragment, CSV), the cluster page (its groups
or fleets with running / requested counts, its steps, its instances linked to EC2, and the action buttons), plus
the home page's panel. Every page needs the viewer role (RoleRequiredMiddleware's default).
"""

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fleetui.actions.common import request_url
from fleetui.actions.registry import OPERATIONS
from fleetui.actions.views import ActionsOffered
from fleetui.core import fields
from fleetui.core.roles import has_role
from fleetui.core.views import ResourceListView

from . import selectors, tables
from . import serializers as s
from .models import EmrCluster, InstanceGroup

RESIZE = "emr.resize_group"
TERMINATE = "emr.terminate_cluster"


class EmrListView(ResourceListView):
    # The shared list page with the EMR tabs (Clusters, Instance groups, Steps, Instances) above it.
    template_name = "emr/resource_list.html"


class ClusterListView(ActionsOffered, EmrListView):
    title = "EMR clusters"
    intro = (
        "Active clusters and those that ended in the last 7 days. Click a cluster for its groups, steps and "
        "instances; a WAITING cluster with no step for over an hour is idle."
    )
    selector = staticmethod(selectors.cluster_list)
    table_class = tables.ClusterTable
    csv_columns = fields.csv_columns(s.CLUSTER_FIELDS)
    csv_filename = "emr-clusters.csv"
    more_filters = ("finding", "gone")
    action_target_type = "emr_clusters"


class InstanceGroupListView(ActionsOffered, EmrListView):
    title = "EMR instance groups"
    intro = "Each cluster's MASTER, CORE and TASK capacity: its market (spot with its bid), running against requested."
    selector = staticmethod(selectors.instance_group_list)
    table_class = tables.InstanceGroupTable
    csv_columns = fields.csv_columns(s.INSTANCE_GROUP_FIELDS)
    csv_filename = "emr-instance-groups.csv"
    action_target_type = "emr_instance_groups"


class StepListView(EmrListView):
    title = "EMR steps"
    intro = "The newest 50 steps of each cluster: the Spark, Hive and other jobs it ran or will run."
    selector = staticmethod(selectors.step_list)
    table_class = tables.StepTable
    csv_columns = fields.csv_columns(s.STEP_FIELDS)
    csv_filename = "emr-steps.csv"


class InstanceListView(EmrListView):
    title = "EMR instances"
    intro = "The clusters' instances that are not terminated, each linked to its EC2 instance."
    selector = staticmethod(selectors.instance_list)
    table_class = tables.InstanceTable
    csv_columns = fields.csv_columns(s.INSTANCE_FIELDS)
    csv_filename = "emr-instances.csv"


@dataclass
class GroupRow:
    group: InstanceGroup
    resize_url: str


def cluster_detail(request: HttpRequest, account_id: str, region: str, cluster_id: str) -> HttpResponse:
    """The cluster: its fields and findings, groups (with a resize button per CORE/TASK group), steps, instances,
    and the terminate button, each shown only to who may run that action."""
    try:
        detail = selectors.cluster_detail(account_id=account_id, region=region, cluster_id=cluster_id)
    except EmrCluster.DoesNotExist:
        raise Http404("No such EMR cluster in the inventory.") from None
    cluster = detail.cluster
    context = {
        "detail": detail,
        "cluster": cluster,
        "groups": [GroupRow(group, _resize_url(request, cluster, group)) for group in detail.groups],
        "terminate_url": _terminate_url(request, cluster),
    }
    return render(request, "emr/cluster_detail.html", context)


def _offered(request: HttpRequest, kind: str, cluster: EmrCluster) -> bool:
    """The kind is installed, the user may run it, and the cluster still runs."""
    op = OPERATIONS.get(kind)
    return op is not None and cluster.gone_at is None and cluster.is_active and has_role(request.user, op.role)


def _resize_url(request: HttpRequest, cluster: EmrCluster, group: InstanceGroup) -> str:
    """The request page of emr.resize_group for a CORE or TASK group (the form starts at its requested count)."""
    if not group.is_resizable or not _offered(request, RESIZE, cluster):
        return ""
    return request_url(
        RESIZE,
        account_id=cluster.account.account_id,
        region=cluster.region,
        targets=[group.instance_group_id],
        params={"instance_count": group.requested_count},
    )


def _terminate_url(request: HttpRequest, cluster: EmrCluster) -> str:
    if not _offered(request, TERMINATE, cluster):
        return ""
    return request_url(
        TERMINATE, account_id=cluster.account.account_id, region=cluster.region, targets=[cluster.cluster_id]
    )


def overview_context() -> dict[str, Any]:
    """The home page's EMR panel: the spot share of cluster instances and the two cluster findings."""
    return {"overview": selectors.emr_overview()}
