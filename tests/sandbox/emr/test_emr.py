"""The sandbox's EMR (moto with fleetui's extensions) through boto3: a cluster's states over the delay with EMR's
state-change reasons, groups on real EC2 instances tagged as EMR tags them (spot for a SPOT group), a resize that
moves the running count one instance per share of the delay (RESIZING -> RUNNING) with EC2 agreeing, EMR's
validation errors, termination, the auto-termination policy, the control path and the demo."""

import time

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

from fleetui.sandbox.emr.seed import emr_seed
from tests.emr.conftest import REGION, cluster_run, groups_by_type, step_running

DELAY = 0.6


def ec2_states(aws, ids):
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=aws)
    reservations = ec2.describe_instances(InstanceIds=ids)["Reservations"]
    return {i["InstanceId"]: i for r in reservations for i in r["Instances"]}


def delay(aws, seconds):
    requests.post(f"{aws}/fleetui-sandbox/emr", json={"delay": seconds}, timeout=10).raise_for_status()


def test_a_cluster_starts_bootstraps_and_waits_over_the_delay(aws, emr):
    delay(aws, DELAY)
    cluster_id = cluster_run(emr)
    status = emr.describe_cluster(ClusterId=cluster_id)["Cluster"]["Status"]
    assert status["State"] == "STARTING" and "ReadyDateTime" not in status["Timeline"]
    time.sleep(DELAY * 0.6)
    assert emr.describe_cluster(ClusterId=cluster_id)["Cluster"]["Status"]["State"] == "BOOTSTRAPPING"
    time.sleep(DELAY * 0.5)
    cluster = emr.describe_cluster(ClusterId=cluster_id)["Cluster"]
    assert cluster["Status"]["State"] == "WAITING"
    assert cluster["Status"]["StateChangeReason"]["Message"] == "Cluster ready to run steps."
    assert cluster["InstanceCollectionType"] == "INSTANCE_GROUP"
    policy = emr.get_auto_termination_policy(ClusterId=cluster_id)["AutoTerminationPolicy"]
    assert policy == {"IdleTimeout": 3600}
    emr.remove_auto_termination_policy(ClusterId=cluster_id)
    assert "AutoTerminationPolicy" not in emr.get_auto_termination_policy(ClusterId=cluster_id)


def test_groups_run_real_ec2_instances_tagged_as_emr_tags_them(aws, emr):
    cluster_id = cluster_run(emr)
    groups = groups_by_type(emr, cluster_id)
    assert all(g["Id"].startswith("ig-") for g in groups.values())
    instances = emr.list_instances(ClusterId=cluster_id)["Instances"]
    assert len(instances) == 6 and all(i["Id"].startswith("ci-") for i in instances)
    ec2 = ec2_states(aws, [i["Ec2InstanceId"] for i in instances])
    for instance in instances:
        real = ec2[instance["Ec2InstanceId"]]
        tags = {t["Key"]: t["Value"] for t in real["Tags"]}
        role = next(t for t, g in groups.items() if g["Id"] == instance["InstanceGroupId"])
        assert tags["aws:elasticmapreduce:job-flow-id"] == cluster_id
        assert tags["aws:elasticmapreduce:instance-group-role"] == role and tags["team"] == "data"
        assert real["State"]["Name"] == "running" and real["InstanceType"] == "m5.xlarge"
        assert (real.get("InstanceLifecycle") == "spot") == (role == "TASK")
        if role == "TASK":
            assert real["SpotInstanceRequestId"].startswith("sir-")


def test_a_resize_moves_the_running_count_over_the_delay_and_ec2_agrees(aws, emr):
    cluster_id = cluster_run(emr)
    task = groups_by_type(emr, cluster_id)["TASK"]
    delay(aws, DELAY)
    emr.modify_instance_groups(InstanceGroups=[{"InstanceGroupId": task["Id"], "InstanceCount": 7}])
    seen = []
    deadline = time.monotonic() + DELAY * 4
    while time.monotonic() < deadline:
        group = groups_by_type(emr, cluster_id)["TASK"]
        seen.append((group["RunningInstanceCount"], group["Status"]["State"]))
        if group["Status"]["State"] == "RUNNING":
            break
        time.sleep(DELAY / 8)
    assert seen[0] == (3, "RESIZING") and seen[-1] == (7, "RUNNING")
    counts = [count for count, _ in seen]
    assert counts == sorted(counts) and len(set(counts)) > 2  # one step at a time, never back
    assert groups_by_type(emr, cluster_id)["TASK"]["RequestedInstanceCount"] == 7
    # Shrink: instances terminated in EC2 too, and ListInstances' live ones are EC2's running ones.
    delay(aws, 0)
    emr.modify_instance_groups(InstanceGroups=[{"InstanceGroupId": task["Id"], "InstanceCount": 2}])
    every = emr.list_instances(ClusterId=cluster_id, InstanceGroupId=task["Id"])["Instances"]
    live = emr.list_instances(ClusterId=cluster_id, InstanceGroupId=task["Id"], InstanceStates=["RUNNING"])
    assert len(every) == 7 and len(live["Instances"]) == 2
    ec2 = ec2_states(aws, [i["Ec2InstanceId"] for i in every])
    running = {i for i, real in ec2.items() if real["State"]["Name"] == "running"}
    assert running == {i["Ec2InstanceId"] for i in live["Instances"]}


def test_emr_validation_errors(aws, emr):
    cluster_id = cluster_run(emr)
    groups = groups_by_type(emr, cluster_id)

    def refused(instance_group_id, count):
        with pytest.raises(ClientError) as error:
            emr.modify_instance_groups(InstanceGroups=[{"InstanceGroupId": instance_group_id, "InstanceCount": count}])
        return error.value.response["Error"]

    assert refused(groups["MASTER"]["Id"], 2)["Code"] == "ValidationException"
    assert refused(groups["CORE"]["Id"], -1)["Code"] == "ValidationException"
    unknown = refused("ig-NOSUCHGROUP", 2)
    assert unknown["Code"] == "InvalidRequestException" and "ig-NOSUCHGROUP" in unknown["Message"]
    emr.set_termination_protection(JobFlowIds=[cluster_id], TerminationProtected=True)
    with pytest.raises(ClientError) as error:
        emr.terminate_job_flows(JobFlowIds=[cluster_id])
    assert "termination protected" in error.value.response["Error"]["Message"]
    emr.set_termination_protection(JobFlowIds=[cluster_id], TerminationProtected=False)
    emr.terminate_job_flows(JobFlowIds=[cluster_id])
    ended = refused(groups["CORE"]["Id"], 3)
    assert ended["Code"] == "ValidationException" and "terminated" in ended["Message"]
    with pytest.raises(ClientError) as error:
        emr.describe_cluster(ClusterId="j-NOSUCHCLUSTER")
    assert error.value.response["Error"]["Code"] == "InvalidRequestException"


def test_termination_takes_the_delay_and_ends_instances_and_steps(aws, emr):
    cluster_id = cluster_run(emr)
    step_id = step_running(aws, emr, cluster_id)
    assert emr.describe_cluster(ClusterId=cluster_id)["Cluster"]["Status"]["State"] == "RUNNING"
    delay(aws, DELAY)
    emr.terminate_job_flows(JobFlowIds=[cluster_id])
    status = emr.describe_cluster(ClusterId=cluster_id)["Cluster"]["Status"]
    assert status["State"] == "TERMINATING"
    assert status["StateChangeReason"] == {"Code": "USER_REQUEST", "Message": "Terminated by user request"}
    time.sleep(DELAY * 1.2)
    assert emr.describe_cluster(ClusterId=cluster_id)["Cluster"]["Status"]["State"] == "TERMINATED"
    assert emr.describe_step(ClusterId=cluster_id, StepId=step_id)["Step"]["Status"]["State"] == "CANCELLED"
    groups = groups_by_type(emr, cluster_id)
    assert {(g["Status"]["State"], g["RunningInstanceCount"]) for g in groups.values()} == {("TERMINATED", 0)}
    instances = emr.list_instances(ClusterId=cluster_id)["Instances"]
    assert {ec["State"]["Name"] for ec in ec2_states(aws, [i["Ec2InstanceId"] for i in instances]).values()} == {
        "terminated"
    }


def test_steps_run_in_turn_and_an_auto_terminating_cluster_ends_after_them(aws, emr):
    delay(aws, 0.3)
    cluster_id = emr.run_job_flow(
        Name="once",
        ReleaseLabel="emr-7.2.0",
        Instances={"InstanceGroups": [{"InstanceRole": "MASTER", "InstanceType": "m5.large", "InstanceCount": 1}]},
        Steps=[{"Name": n, "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["true"]}} for n in ("a", "b")],
        JobFlowRole="r",
        ServiceRole="s",
    )["JobFlowId"]
    assert {s["Status"]["State"] for s in emr.list_steps(ClusterId=cluster_id)["Steps"]} == {"PENDING"}
    time.sleep(0.45)
    states = {s["Name"]: s["Status"]["State"] for s in emr.list_steps(ClusterId=cluster_id)["Steps"]}
    assert states == {"a": "RUNNING", "b": "PENDING"}
    time.sleep(1.0)
    cluster = emr.describe_cluster(ClusterId=cluster_id)["Cluster"]
    assert cluster["Status"]["State"] == "TERMINATED" and cluster["AutoTerminate"] is True
    assert cluster["Status"]["StateChangeReason"] == {"Code": "ALL_STEPS_COMPLETED", "Message": "Steps completed"}


def test_control_path_validates_and_reset_restores_the_default(aws):
    assert requests.get(f"{aws}/fleetui-sandbox/emr", timeout=10).json() == {"delay": 3.0}
    assert requests.post(f"{aws}/fleetui-sandbox/emr", json={"delay": -1}, timeout=10).status_code == 400
    assert requests.post(f"{aws}/fleetui-sandbox/emr", json={"speed": 1}, timeout=10).status_code == 400
    delay(aws, 0.2)
    requests.post(f"{aws}/moto-api/reset", timeout=10).raise_for_status()
    assert requests.get(f"{aws}/fleetui-sandbox/emr", timeout=10).json() == {"delay": 3.0}


def test_the_demo_has_an_idle_cluster_and_steps_in_several_states(aws):
    counts = emr_seed(endpoint=aws, regions=["us-east-1", "eu-west-1"])
    assert counts == {"clusters": 3, "groups": 8, "steps": 5, "instances": 16}
    assert requests.get(f"{aws}/fleetui-sandbox/emr", timeout=10).json() == {"delay": 3.0}  # restored
    eu = boto3.client("emr", region_name="eu-west-1", endpoint_url=aws)
    [presto] = eu.list_clusters()["Clusters"]
    assert (presto["Name"], presto["Status"]["State"]) == ("presto-adhoc", "WAITING")
    [step] = eu.list_steps(ClusterId=presto["Id"])["Steps"]
    assert step["Status"]["State"] == "COMPLETED"
    assert time.time() - step["Status"]["Timeline"]["EndDateTime"].timestamp() > 4 * 3600
    us = boto3.client("emr", region_name="us-east-1", endpoint_url=aws)
    etl = next(c for c in us.list_clusters()["Clusters"] if c["Name"] == "etl-nightly")
    states = sorted(s["Status"]["State"] for s in us.list_steps(ClusterId=etl["Id"])["Steps"])
    assert states == ["COMPLETED", "FAILED", "PENDING", "RUNNING"] and etl["Status"]["State"] == "RUNNING"
