"""The EKS sync against the sandbox (moto with fleetui's EKS extensions), into PostgreSQL: clusters, nodegroups
(with their real ASGs, whose instances the EC2 sync stores), Fargate profiles and add-ons; an unchanged re-sync
writes nothing; a deleted nodegroup is marked gone; targeted re-syncs by ARN; AccessDenied fails one scope."""

import re

import requests
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fleetui.ec2.models import Instance
from fleetui.eks.models import Addon, EksCluster, FargateProfile, Nodegroup
from fleetui.inventory.sync import TargetedResult, sync_ids, sync_scope

from .conftest import EKS_TYPES, REGION, sync, sync_all

WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"eks_\w+"', re.IGNORECASE)


def test_sync_stores_clusters_nodegroups_profiles_and_addons(account, platform):
    runs = sync_all(account)
    assert [runs[name].added for name in EKS_TYPES] == [1, 2, 1, 3]
    cluster = EksCluster.objects.get()
    assert (cluster.cluster_name, cluster.version, cluster.status, cluster.tags) == (
        "platform-prod", "1.31", "ACTIVE", {"team": "platform"},
    )  # fmt: skip
    assert cluster.cluster_arn == platform["cluster"]["arn"] and cluster.endpoint.startswith("https://")
    spot = Nodegroup.objects.get(nodegroup_name="batch-spot")
    assert spot.nodegroup_arn == platform["spot"]["nodegroupArn"]
    assert spot.cluster_arn == cluster.cluster_arn
    assert (spot.capacity_type, spot.instance_types, spot.status) == ("SPOT", ["m5.large", "m5a.large"], "ACTIVE")
    assert (spot.min_size, spot.desired_size, spot.max_size) == (0, 2, 4)
    assert spot.autoscaling_groups == [f"eks-batch-spot-{spot.nodegroup_arn.rsplit('/', 1)[-1]}"]
    profile = FargateProfile.objects.get()
    assert profile.selectors == [
        {"namespace": "jobs", "labels": {}},
        {"namespace": "kube-system", "labels": {"k8s-app": "kube-dns"}},
    ]
    assert dict(Addon.objects.values_list("addon_name", "addon_version")) == {
        "coredns": "v1.11.3-eksbuild.2", "kube-proxy": "v1.31.1-eksbuild.2", "vpc-cni": "v1.19.0-eksbuild.1",
    }  # fmt: skip
    # The nodegroups' ASGs run real EC2 instances, tagged as EKS tags them: the EC2 sync stored them.
    nodes = Instance.objects.filter(tags__contains={"eks:nodegroup-name": "batch-spot"})
    assert nodes.count() == 2
    assert all(node.tags["aws:autoscaling:groupName"] == spot.autoscaling_groups[0] for node in nodes)
    assert all(node.tags["kubernetes.io/cluster/platform-prod"] == "owned" for node in nodes)
    assert Instance.objects.filter(tags__contains={"eks:nodegroup-name": "general"}).count() == 3


def test_an_unchanged_resync_writes_nothing(account, platform):
    first = sync_all(account, types=EKS_TYPES)
    with CaptureQueriesContext(connection) as queries:
        second = sync_all(account, types=EKS_TYPES)
    for name, run in second.items():
        assert (run.seen, run.added, run.changed, run.gone) == (first[name].seen, 0, 0, 0), name
    assert [q["sql"][:80] for q in queries.captured_queries if WRITE.match(q["sql"])] == []


def test_a_deleted_nodegroup_and_addon_are_marked_gone(eks, account, platform):
    sync_all(account, types=EKS_TYPES)
    eks.delete_nodegroup(clusterName="platform-prod", nodegroupName="batch-spot")
    eks.delete_addon(clusterName="platform-prod", addonName="coredns")
    run = sync(account, "eks_nodegroups")
    assert (run.seen, run.gone) == (1, 1)
    assert Nodegroup.objects.get(nodegroup_name="batch-spot").gone_at == run.started_at
    assert sync(account, "eks_addons").gone == 1
    assert Addon.objects.get(addon_name="coredns").gone_at is not None


def test_targeted_resync_by_nodegroup_arn_after_scaling(eks, aws, account, platform):
    sync_all(account, types=EKS_TYPES)
    arn = platform["general"]["nodegroupArn"]
    requests.post(f"{aws}/fleetui-sandbox/eks", json={"delay": 0}, timeout=10).raise_for_status()
    eks.update_nodegroup_config(clusterName="platform-prod", nodegroupName="general", scalingConfig={"desiredSize": 5})
    result = sync_ids(account=account, region=REGION, resource_type="eks_nodegroups", ids=[arn])
    assert result == TargetedResult(seen=1, changed=1)
    assert Nodegroup.objects.get(nodegroup_arn=arn).desired_size == 5
    assert Nodegroup.objects.get(nodegroup_name="batch-spot").desired_size == 2  # untouched
    eks.delete_nodegroup(clusterName="platform-prod", nodegroupName="general")
    assert sync_ids(account=account, region=REGION, resource_type="eks_nodegroups", ids=[arn]) == TargetedResult(gone=1)
    cluster = platform["cluster"]["arn"]
    assert sync_ids(account=account, region=REGION, resource_type="eks_clusters", ids=[cluster]).seen == 1


def test_access_denied_to_eks_fails_only_that_scope(aws, account, platform):
    fault = {"action": "ListNodegroups", "error": "AccessDeniedException", "status": 403, "count": 1}
    sync(account, "eks_clusters")
    requests.post(f"{aws}/fleetui-sandbox/faults", json=fault, timeout=10).raise_for_status()
    denied = sync_scope(account=account, region=REGION, resource_type="eks_nodegroups")
    assert denied.status == "failed" and "AccessDeniedException" in denied.error
    assert sync(account, "eks_addons").seen == 3  # the other types of the scope still sync
    assert not Nodegroup.objects.exists()
    assert sync(account, "eks_nodegroups").added == 2  # and the next run of the same scope does
