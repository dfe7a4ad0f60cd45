"""EKS's resource types for the sync engine (fleetui.inventory.sync collects `SYNCS`): clusters first, then what
is read per cluster (their fetchers get the clusters' ARNs as `parents`)."""

from fleetui.aws import eks
from fleetui.inventory.sync import ResourceSync

from . import transforms
from .models import Addon, EksCluster, FargateProfile, Nodegroup

SYNCS = {
    "eks_clusters": ResourceSync(eks.cluster_pages, transforms.cluster_fields, EksCluster, EksCluster.KEY),
    "eks_nodegroups": ResourceSync(
        eks.nodegroup_pages, transforms.nodegroup_fields, Nodegroup, Nodegroup.KEY, parent="eks_clusters"
    ),
    "eks_fargate_profiles": ResourceSync(
        eks.fargate_profile_pages,
        transforms.fargate_profile_fields,
        FargateProfile,
        FargateProfile.KEY,
        parent="eks_clusters",
    ),
    "eks_addons": ResourceSync(eks.addon_pages, transforms.addon_fields, Addon, Addon.KEY, parent="eks_clusters"),
}
