"""EKS pages: four lists (ResourceListView: filters, sort, pages, htmx fragment, CSV), the cluster page (its
nodegroups, Fargate profiles and add-ons) and the nodegroup page (scaling, health issues, ASGs and its nodes in the
EC2 inventory), plus the home page's panel. Every page needs the viewer role (RoleRequiredMiddleware's default).
"""

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
from .models import EksCluster, Nodegroup

SCALE = "eks.scale_nodegroup"


class EksListView(ResourceListView):
    # The shared list page with the EKS tabs (Clusters, Nodegroups, Fargate profiles, Add-ons) above it.
    template_name = "eks/resource_list.html"


class ClusterListView(EksListView):
    title = "EKS clusters"
    intro = "Click a cluster for its nodegroups, Fargate profiles and add-ons; click a count for that list."
    selector = staticmethod(selectors.cluster_list)
    table_class = tables.ClusterTable
    csv_columns = fields.csv_columns(s.CLUSTER_FIELDS)
    csv_filename = "eks-clusters.csv"


class NodegroupListView(ActionsOffered, EksListView):
    title = "EKS nodegroups"
    intro = "Managed nodegroups: each runs its nodes in an Auto Scaling group (SPOT or ON_DEMAND capacity)."
    selector = staticmethod(selectors.nodegroup_list)
    table_class = tables.NodegroupTable
    csv_columns = fields.csv_columns(s.NODEGROUP_FIELDS)
    csv_filename = "eks-nodegroups.csv"
    more_filters = ("finding", "gone")
    action_target_type = "eks_nodegroups"


class FargateProfileListView(EksListView):
    title = "EKS Fargate profiles"
    intro = "Pods whose namespace and labels match a profile's selectors run on Fargate, not on nodes."
    selector = staticmethod(selectors.fargate_profile_list)
    table_class = tables.FargateProfileTable
    csv_columns = fields.csv_columns(s.FARGATE_PROFILE_FIELDS)
    csv_filename = "eks-fargate-profiles.csv"


class AddonListView(EksListView):
    title = "EKS add-ons"
    intro = "The cluster add-ons EKS manages (vpc-cni, coredns, kube-proxy, ...) and their versions."
    selector = staticmethod(selectors.addon_list)
    table_class = tables.AddonTable
    csv_columns = fields.csv_columns(s.ADDON_FIELDS)
    csv_filename = "eks-addons.csv"
    first_filter = "cluster"


def cluster_detail(request: HttpRequest, account_id: str, region: str, cluster: str) -> HttpResponse:
    """The cluster: its fields, nodegroups, Fargate profiles (with selectors) and add-ons (with versions)."""
    try:
        detail = selectors.cluster_detail(account_id=account_id, region=region, cluster=cluster)
    except EksCluster.DoesNotExist:
        raise Http404("No such EKS cluster in the inventory.") from None
    return render(request, "eks/cluster_detail.html", {"detail": detail, "cluster": detail.cluster})


def nodegroup_detail(request: HttpRequest, account_id: str, region: str, cluster: str, nodegroup: str) -> HttpResponse:
    """The nodegroup: scaling, health issues, its ASGs and its nodes, and the scale button for who may scale."""
    try:
        detail = selectors.nodegroup_detail(account_id=account_id, region=region, cluster=cluster, nodegroup=nodegroup)
    except Nodegroup.DoesNotExist:
        raise Http404("No such EKS nodegroup in the inventory.") from None
    ng = detail.nodegroup
    context = {"detail": detail, "ng": ng, "scale_url": _scale_url(request, ng)}
    return render(request, "eks/nodegroup_detail.html", context)


def _scale_url(request: HttpRequest, ng: Nodegroup) -> str:
    """The request page of eks.scale_nodegroup for this nodegroup, or "" when the kind is not installed, the
    user may not run it, or the nodegroup is gone."""
    op = OPERATIONS.get(SCALE)
    if op is None or ng.gone_at is not None or not has_role(request.user, op.role):
        return ""
    sizes = {"min_size": ng.min_size, "desired_size": ng.desired_size, "max_size": ng.max_size}  # the form starts there
    return request_url(
        SCALE, account_id=ng.account.account_id, region=ng.region, targets=[ng.nodegroup_arn], params=sizes
    )


def overview_context() -> dict[str, Any]:
    """The home page's EKS panel: the spot share of nodegroup capacity and the nodegroup findings."""
    return {"overview": selectors.eks_overview()}
