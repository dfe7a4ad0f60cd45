"""The sandbox's EKS (moto with fleetui's extensions) through boto3: nodegroups on real ASGs and EC2 instances tagged
as EKS tags them (spot for SPOT nodegroups), a scaling update that goes InProgress -> Successful over the delay while
the ASG's capacity moves, AWS's validation errors, add-ons, health issues, faults by EKS action name, the demo."""

import time

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

from fleetui.sandbox.eks.seed import eks_seed
from tests.eks.conftest import ACCOUNT, REGION, nodegroup_create, subnets

DELAY = 0.6


@pytest.fixture
def eks(aws):
    requests.post(f"{aws}/fleetui-sandbox/eks", json={"delay": 0}, timeout=10).raise_for_status()
    client = boto3.client("eks", region_name=REGION, endpoint_url=aws)
    client.create_cluster(
        name="c1", version="1.31", roleArn=f"arn:aws:iam::{ACCOUNT}:role/r", resourcesVpcConfig={"subnetIds": []}
    )
    return client


def asg_of(aws, nodegroup):
    autoscaling = boto3.client("autoscaling", region_name=REGION, endpoint_url=aws)
    name = nodegroup["resources"]["autoScalingGroups"][0]["name"]
    return autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0]


def instances(aws, ids):
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=aws)
    reservations = ec2.describe_instances(InstanceIds=ids)["Reservations"]
    return [i for r in reservations for i in r["Instances"]]


def test_a_spot_nodegroup_runs_real_spot_instances_tagged_as_eks_tags_them(aws, eks):
    ng = nodegroup_create(eks, aws, "c1", "spot", "SPOT", ["m5.large", "m5a.large", "m6i.large"], (0, 3, 5))
    assert ng["status"] == "ACTIVE" and ng["capacityType"] == "SPOT"
    group = asg_of(aws, ng)
    assert group["AutoScalingGroupName"] == f"eks-spot-{ng['nodegroupArn'].rsplit('/', 1)[-1]}"
    assert group["DesiredCapacity"] == 3 and (group["MinSize"], group["MaxSize"]) == (0, 5)
    nodes = instances(aws, [i["InstanceId"] for i in group["Instances"]])
    assert len(nodes) == 3
    assert {n["InstanceType"] for n in nodes} == {"m5.large", "m5a.large", "m6i.large"}
    for node in nodes:
        tags = {t["Key"]: t["Value"] for t in node["Tags"]}
        assert node["InstanceLifecycle"] == "spot" and node["SpotInstanceRequestId"].startswith("sir-")
        assert tags["eks:cluster-name"] == "c1" and tags["eks:nodegroup-name"] == "spot"
        assert tags["kubernetes.io/cluster/c1"] == "owned"
        assert tags["aws:autoscaling:groupName"] == group["AutoScalingGroupName"]
    on_demand = nodegroup_create(eks, aws, "c1", "od", "ON_DEMAND", ["t3.large"], (1, 1, 2))
    [node] = instances(aws, [i["InstanceId"] for i in asg_of(aws, on_demand)["Instances"]])
    assert "InstanceLifecycle" not in node


def test_a_scaling_update_moves_the_asg_over_the_delay(aws, eks):
    nodegroup_create(eks, aws, "c1", "ng", "ON_DEMAND", ["m5.large"], (1, 2, 10))
    requests.post(f"{aws}/fleetui-sandbox/eks", json={"delay": DELAY}, timeout=10).raise_for_status()
    update = eks.update_nodegroup_config(clusterName="c1", nodegroupName="ng", scalingConfig={"desiredSize": 6})[
        "update"
    ]
    assert (update["status"], update["type"]) == ("InProgress", "ConfigUpdate")
    assert update["params"] == [{"type": "DesiredSize", "value": "6"}]
    ng = eks.describe_nodegroup(clusterName="c1", nodegroupName="ng")["nodegroup"]
    assert ng["status"] == "UPDATING" and ng["scalingConfig"]["desiredSize"] == 6
    assert asg_of(aws, ng)["DesiredCapacity"] < 6
    with pytest.raises(ClientError) as busy:
        eks.update_nodegroup_config(clusterName="c1", nodegroupName="ng", scalingConfig={"desiredSize": 3})
    assert busy.value.response["Error"]["Code"] == "ResourceInUseException"
    described = eks.describe_update(name="c1", updateId=update["id"], nodegroupName="ng")["update"]
    assert described["status"] == "InProgress"
    time.sleep(DELAY + 0.1)
    assert eks.describe_update(name="c1", updateId=update["id"], nodegroupName="ng")["update"]["status"] == "Successful"
    ng = eks.describe_nodegroup(clusterName="c1", nodegroupName="ng")["nodegroup"]
    group = asg_of(aws, ng)
    assert ng["status"] == "ACTIVE" and group["DesiredCapacity"] == 6 and len(group["Instances"]) == 6
    assert eks.list_updates(name="c1", nodegroupName="ng")["updateIds"] == [update["id"]]


@pytest.mark.parametrize(
    ("scaling", "message"),
    [
        ({"minSize": 4, "desiredSize": 3}, "Minimum capacity 4 can't be greater than desired size 3"),
        ({"desiredSize": 11}, "desiredSize can't be greater than maxSize"),
        ({"minSize": 6, "desiredSize": 6, "maxSize": 5}, "desiredSize can't be greater than maxSize"),
    ],
)
def test_invalid_scaling_is_an_invalid_parameter_exception(aws, eks, scaling, message):
    nodegroup_create(eks, aws, "c1", "ng", "ON_DEMAND", ["m5.large"], (1, 2, 10))
    with pytest.raises(ClientError) as refused:
        eks.update_nodegroup_config(clusterName="c1", nodegroupName="ng", scalingConfig=scaling)
    error = refused.value.response["Error"]
    assert (error["Code"], error["Message"]) == ("InvalidParameterException", message)
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_missing_cluster_nodegroup_or_update_is_resource_not_found(aws, eks):
    for call in (
        lambda: eks.update_nodegroup_config(clusterName="c1", nodegroupName="x", scalingConfig={"desiredSize": 1}),
        lambda: eks.update_nodegroup_config(clusterName="nope", nodegroupName="x", scalingConfig={"desiredSize": 1}),
        lambda: eks.describe_update(name="c1", updateId="u-1", nodegroupName="x"),
        lambda: eks.describe_addon(clusterName="c1", addonName="coredns"),
    ):
        with pytest.raises(ClientError) as missing:
            call()
        assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
        assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_addons_with_versions_and_deleting_a_nodegroup_deletes_its_asg(aws, eks):
    for name in ("vpc-cni", "coredns", "kube-proxy"):
        eks.create_addon(clusterName="c1", addonName=name)
    eks.create_addon(clusterName="c1", addonName="aws-ebs-csi-driver", addonVersion="v1.36.0-eksbuild.1")
    assert eks.list_addons(clusterName="c1")["addons"] == ["aws-ebs-csi-driver", "coredns", "kube-proxy", "vpc-cni"]
    addon = eks.describe_addon(clusterName="c1", addonName="kube-proxy")["addon"]
    assert (addon["addonVersion"], addon["status"]) == ("v1.31.1-eksbuild.2", "ACTIVE")
    assert addon["addonArn"].startswith(f"arn:aws:eks:{REGION}:{ACCOUNT}:addon/c1/kube-proxy/")
    with pytest.raises(ClientError) as twice:
        eks.create_addon(clusterName="c1", addonName="coredns")
    assert twice.value.response["Error"]["Code"] == "ResourceInUseException"
    ng = nodegroup_create(eks, aws, "c1", "ng", "ON_DEMAND", ["m5.large"], (1, 2, 3))
    ids = [i["InstanceId"] for i in asg_of(aws, ng)["Instances"]]
    eks.delete_nodegroup(clusterName="c1", nodegroupName="ng")
    autoscaling = boto3.client("autoscaling", region_name=REGION, endpoint_url=aws)
    assert autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"] == []
    assert {i["State"]["Name"] for i in instances(aws, ids)} == {"terminated"}


def test_health_issues_make_a_nodegroup_degraded_until_cleared(aws, eks):
    ng = nodegroup_create(eks, aws, "c1", "ng", "SPOT", ["m5.large"], (0, 1, 2))
    target = {"account_id": ACCOUNT, "region": REGION, "cluster": "c1", "nodegroup": "ng"}
    issue = {"code": "AsgInstanceLaunchFailures", "message": "Could not launch Spot Instances."}
    answer = requests.post(f"{aws}/fleetui-sandbox/eks/health", json={**target, "issues": [issue]}, timeout=10)
    assert answer.status_code == 200 and answer.json()["status"] == "DEGRADED"
    described = eks.describe_nodegroup(clusterName="c1", nodegroupName="ng")["nodegroup"]
    assert described["status"] == "DEGRADED"
    assert described["health"]["issues"] == [
        {**issue, "resourceIds": [ng["resources"]["autoScalingGroups"][0]["name"]]}
    ]
    bad = requests.post(f"{aws}/fleetui-sandbox/eks/health", json={**target, "issues": [{"code": "Nope"}]}, timeout=10)
    assert bad.status_code == 400 and "code one of" in bad.json()["error"]
    missing = requests.post(f"{aws}/fleetui-sandbox/eks/health", json={**target, "nodegroup": "x"}, timeout=10)
    assert missing.status_code == 400
    requests.post(f"{aws}/fleetui-sandbox/eks/health", json={**target, "issues": []}, timeout=10).raise_for_status()
    assert eks.describe_nodegroup(clusterName="c1", nodegroupName="ng")["nodegroup"]["status"] == "ACTIVE"


def test_faults_name_eks_actions_and_reset_restores_the_delay(aws, eks):
    fault = {"action": "DescribeNodegroup", "error": "AccessDeniedException", "status": 403, "count": 1}
    requests.post(f"{aws}/fleetui-sandbox/faults", json=fault, timeout=10).raise_for_status()
    assert eks.list_clusters()["clusters"] == ["c1"]  # another action is not affected
    with pytest.raises(ClientError) as denied:
        eks.describe_nodegroup(clusterName="c1", nodegroupName="x")
    assert denied.value.response["Error"]["Code"] == "AccessDeniedException"
    requests.post(f"{aws}/fleetui-sandbox/eks", json={"delay": 9}, timeout=10).raise_for_status()
    requests.post(f"{aws}/moto-api/reset", timeout=30).raise_for_status()
    assert requests.get(f"{aws}/fleetui-sandbox/eks", timeout=10).json() == {"delay": 3.0}
    assert requests.post(f"{aws}/fleetui-sandbox/eks", json={"delay": -1}, timeout=10).status_code == 400


def test_the_demo_seed(aws):
    counts = eks_seed(endpoint=aws, regions=["us-east-1", "eu-west-1"])
    assert counts == {"clusters": 2, "nodegroups": 3, "fargate_profiles": 1, "addons": 6, "instances": 9}
    eks = boto3.client("eks", region_name=REGION, endpoint_url=aws)
    spot = eks.describe_nodegroup(clusterName="platform-prod", nodegroupName="batch-spot")["nodegroup"]
    assert (spot["capacityType"], spot["status"]) == ("SPOT", "DEGRADED")
    assert eks.describe_cluster(name="platform-prod")["cluster"]["version"] == "1.31"
    eu = boto3.client("eks", region_name="eu-west-1", endpoint_url=aws)
    assert eu.list_clusters()["clusters"] == ["analytics-eu"]
    assert subnets(aws)  # the default VPC's subnets the nodegroups use
    assert requests.get(f"{aws}/fleetui-sandbox/eks", timeout=10).json() == {"delay": 3.0}  # restored
