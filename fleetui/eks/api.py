"""The EKS inventory in the read-only REST API (/api/v1/eks/...), read through the pages' selectors.

Same rules as fleetui.core.api (InventoryViewSet): token or session, any role; GET only (405 otherwise); an invalid
filter is a 400 naming the field.
"""

from fleetui.core.api import InventoryViewSet

from . import selectors
from . import serializers as s


class ClusterViewSet(InventoryViewSet):
    """EKS clusters. Filters: `account`, `region`, `cluster`, `version`, `status`, `q`, `gone`."""

    selector = selectors.cluster_list
    serializer_class = s.EksClusterSerializer
    ordering_fields = ["cluster_name", "region", "version", "status", "created_at"]
    ordering = ["cluster_name", "id"]


class NodegroupViewSet(InventoryViewSet):
    """Managed nodegroups. Filters: `account`, `region`, `cluster`, `capacity_type` (ON_DEMAND, SPOT,
    CAPACITY_BLOCK; repeat for several), `status`, `has_health_issues`, `finding`, `q`, `gone`."""

    selector = selectors.nodegroup_list
    serializer_class = s.NodegroupSerializer
    ordering_fields = ["cluster_name", "nodegroup_name", "region", "status", "capacity_type", "desired_size"]
    ordering = ["cluster_name", "nodegroup_name", "id"]


class FargateProfileViewSet(InventoryViewSet):
    """Fargate profiles with their selectors. Filters: `account`, `region`, `cluster`, `status`, `namespace`, `q`."""

    selector = selectors.fargate_profile_list
    serializer_class = s.FargateProfileSerializer
    ordering_fields = ["cluster_name", "fargate_profile_name", "region", "status", "created_at"]
    ordering = ["cluster_name", "fargate_profile_name", "id"]


class AddonViewSet(InventoryViewSet):
    """Cluster add-ons with their versions. Filters: `account`, `region`, `cluster`, `addon`, `status`,
    `has_health_issues`."""

    selector = selectors.addon_list
    serializer_class = s.AddonSerializer
    ordering_fields = ["cluster_name", "addon_name", "region", "status", "addon_version"]
    ordering = ["cluster_name", "addon_name", "id"]


ROUTES = [
    ("eks/clusters", ClusterViewSet, "ekscluster"),
    ("eks/nodegroups", NodegroupViewSet, "eksnodegroup"),
    ("eks/fargate-profiles", FargateProfileViewSet, "eksfargateprofile"),
    ("eks/addons", AddonViewSet, "eksaddon"),
]
