"""EKS transforms on API-shaped payloads: every field, normalised (sorted where AWS order means nothing, "" not
None), an unchanged item giving identical fields, and a child's cluster ARN from its parent key or its own ARN."""

import copy
import datetime as dt

from fleetui.aws.eks import arn_path, cluster_arn_for
from fleetui.aws.query import PARENT_KEY
from fleetui.eks import transforms

CLUSTER_ARN = "arn:aws:eks:us-east-1:123456789012:cluster/platform-prod"
NODEGROUP = {
    "nodegroupName": "batch-spot",
    "nodegroupArn": "arn:aws:eks:us-east-1:123456789012:nodegroup/platform-prod/batch-spot/0a1b2c3d-uuid",
    "clusterName": "platform-prod",
    "version": "1.31",
    "releaseVersion": "1.31.0-20250116",
    "createdAt": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    "modifiedAt": "2026-01-02T00:00:00Z",
    "status": "DEGRADED",
    "capacityType": "SPOT",
    "scalingConfig": {"minSize": 0, "maxSize": 10, "desiredSize": 4},
    "instanceTypes": ["m6i.large", "m5.large"],
    "subnets": ["subnet-b", "subnet-a"],
    "amiType": "AL2023_x86_64_STANDARD",
    "nodeRole": "arn:aws:iam::123456789012:role/eks-node-role",
    "labels": {"workload": "batch"},
    "resources": {"autoScalingGroups": [{"name": "eks-batch-spot-0a1b2c3d-uuid"}]},
    "health": {
        "issues": [
            {"code": "NodeCreationFailure", "message": "b", "resourceIds": ["i-2", "i-1"]},
            {"code": "AsgInstanceLaunchFailures", "message": "a"},
        ]
    },
    "tags": {"team": "platform"},
}


def test_nodegroup_fields():
    fields = transforms.nodegroup_fields(NODEGROUP)
    assert fields["cluster_arn"] == CLUSTER_ARN  # from its own ARN when no parent key is given
    assert (fields["capacity_type"], fields["status"]) == ("SPOT", "DEGRADED")
    assert fields["instance_types"] == ["m6i.large", "m5.large"]  # launch priority: AWS's order kept
    assert (fields["min_size"], fields["desired_size"], fields["max_size"]) == (0, 4, 10)
    assert fields["autoscaling_groups"] == ["eks-batch-spot-0a1b2c3d-uuid"]
    assert fields["subnets"] == ["subnet-a", "subnet-b"]
    assert [i["code"] for i in fields["health_issues"]] == ["AsgInstanceLaunchFailures", "NodeCreationFailure"]
    assert fields["health_issues"][1]["resourceIds"] == ["i-1", "i-2"]
    assert fields["health_issues"][0]["resourceIds"] == []
    assert fields["modified_at"] == dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    assert transforms.nodegroup_fields(copy.deepcopy(NODEGROUP)) == fields


def test_nodegroup_defaults_and_parent_key():
    bare = {"nodegroupName": "n", "nodegroupArn": NODEGROUP["nodegroupArn"], "clusterName": "platform-prod",
            PARENT_KEY: "arn:aws:eks:us-east-1:123456789012:cluster/parent"}  # fmt: skip
    fields = transforms.nodegroup_fields(bare)
    assert fields["cluster_arn"] == "arn:aws:eks:us-east-1:123456789012:cluster/parent"
    assert (fields["capacity_type"], fields["ami_type"], fields["health_issues"], fields["tags"]) == (
        "ON_DEMAND", "", [], {},
    )  # fmt: skip
    assert fields["created_at"] is None and fields["min_size"] == 0


def test_cluster_fargate_and_addon_fields():
    cluster = transforms.cluster_fields({
        "name": "platform-prod", "arn": CLUSTER_ARN, "version": "1.31", "platformVersion": "eks.12",
        "status": "ACTIVE", "endpoint": "https://abc.gr7.us-east-1.eks.amazonaws.com",
        "resourcesVpcConfig": {"vpcId": "vpc-1", "subnetIds": ["subnet-b", "subnet-a"]},
        "createdAt": "2026-01-01T00:00:00Z", "tags": {"team": "platform"},
    })  # fmt: skip
    assert (cluster["platform_version"], cluster["vpc_id"], cluster["subnet_ids"]) == (
        "eks.12", "vpc-1", ["subnet-a", "subnet-b"],
    )  # fmt: skip
    assert cluster["role_arn"] == "" and cluster["health_issues"] == []
    profile = transforms.fargate_profile_fields({
        "fargateProfileName": "serverless", "clusterName": "platform-prod", "status": "ACTIVE",
        "fargateProfileArn": "arn:aws:eks:us-east-1:123456789012:fargateprofile/platform-prod/serverless/u",
        "selectors": [{"namespace": "jobs"}, {"namespace": "kube-system", "labels": {"k8s-app": "kube-dns"}}],
    })  # fmt: skip
    assert profile["selectors"] == [
        {"namespace": "jobs", "labels": {}}, {"namespace": "kube-system", "labels": {"k8s-app": "kube-dns"}},
    ]  # fmt: skip
    assert profile["cluster_arn"] == CLUSTER_ARN
    addon = transforms.addon_fields({
        "addonName": "coredns", "clusterName": "platform-prod", "status": "ACTIVE", "addonVersion": "v1.11.3",
        "addonArn": "arn:aws:eks:us-east-1:123456789012:addon/platform-prod/coredns/u", "health": {"issues": []},
    })  # fmt: skip
    assert (addon["addon_version"], addon["service_account_role_arn"], addon["cluster_arn"]) == (
        "v1.11.3", "", CLUSTER_ARN,
    )  # fmt: skip


def test_arn_helpers():
    assert arn_path(NODEGROUP["nodegroupArn"]) == ["platform-prod", "batch-spot", "0a1b2c3d-uuid"]
    assert arn_path(CLUSTER_ARN) == ["platform-prod"]
    assert cluster_arn_for(arn=NODEGROUP["nodegroupArn"], cluster="platform-prod") == CLUSTER_ARN
