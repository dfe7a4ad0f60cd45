"""The sandbox's ECS: moto's quirks fixed (DescribeTasks stable, RunTask on Fargate without container memory,
DescribeCapacityProviders without names), running counts converging on desired step by step, deployments that
roll out or fail, service events, and the control paths."""

import time

import boto3
import pytest
import requests

from fleetui.sandbox.ecs.seed import ecs_seed
from fleetui.sandbox.ecs.state import default_delay

DELAY = 0.6


@pytest.fixture
def ecs(aws):
    requests.post(f"{aws}/fleetui-sandbox/ecs", json={"delay": DELAY}, timeout=10).raise_for_status()
    return boto3.client("ecs", region_name="us-east-1", endpoint_url=aws)


@pytest.fixture
def fargate_service(ecs, aws):
    ec2 = boto3.client("ec2", region_name="us-east-1", endpoint_url=aws)
    subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    ecs.create_cluster(clusterName="c1", capacityProviders=["FARGATE", "FARGATE_SPOT"])
    ecs.register_task_definition(
        family="web", requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256", memory="512",
        containerDefinitions=[{"name": "web", "image": "nginx"}],  # no container memory: the task's counts
    )  # fmt: skip
    network = {"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": []}}
    ecs.create_service(cluster="c1", serviceName="web", taskDefinition="web", desiredCount=2, launchType="FARGATE",
                       networkConfiguration=network)  # fmt: skip
    return network


def describe(ecs, name="web"):
    return ecs.describe_services(cluster="c1", services=[name])["services"][0]


def test_running_count_climbs_one_step_per_share_of_the_delay(ecs, fargate_service):
    first = describe(ecs)
    assert (first["runningCount"], first["pendingCount"], first["deployments"][0]["rolloutState"]) == (
        0,
        2,
        "IN_PROGRESS",
    )
    time.sleep(DELAY / 2 + 0.05)
    assert describe(ecs)["runningCount"] == 1
    time.sleep(DELAY / 2 + 0.05)
    settled = describe(ecs)
    assert (settled["runningCount"], settled["pendingCount"]) == (2, 0)
    assert settled["deployments"][0]["rolloutState"] == "COMPLETED"
    messages = [event["message"] for event in settled["events"]]
    assert messages[0] == "(service web) has reached a steady state."
    assert any(m.startswith("(service web) has started 2 tasks: (task ") for m in messages)
    tasks = ecs.list_tasks(cluster="c1", serviceName="web")["taskArns"]
    assert len(tasks) == 2
    described = ecs.describe_tasks(cluster="c1", tasks=tasks)["tasks"]
    # moto advanced a task one lifecycle step per DescribeTasks; here it stays RUNNING however often it is read.
    for _ in range(5):
        described = ecs.describe_tasks(cluster="c1", tasks=tasks)["tasks"]
    assert {task["lastStatus"] for task in described} == {"RUNNING"}
    assert {task["memory"] for task in described} == {"512"} and all(t["startedAt"] for t in described)


def test_scale_in_stops_tasks_and_a_stopped_task_is_replaced(ecs, fargate_service):
    time.sleep(DELAY + 0.1)
    ecs.update_service(cluster="c1", service="web", desiredCount=1)
    assert describe(ecs)["runningCount"] == 2  # still running until it stops
    time.sleep(DELAY + 0.1)
    assert describe(ecs)["runningCount"] == 1
    [task] = ecs.list_tasks(cluster="c1", serviceName="web")["taskArns"]
    ecs.stop_task(cluster="c1", task=task, reason="test")
    assert ecs.describe_tasks(cluster="c1", tasks=[task])["tasks"][0]["desiredStatus"] == "STOPPED"
    time.sleep(DELAY + 0.1)
    replaced = ecs.list_tasks(cluster="c1", serviceName="web")["taskArns"]
    assert len(replaced) == 1 and replaced != [task] and describe(ecs)["runningCount"] == 1
    assert ecs.describe_tasks(cluster="c1", tasks=[task])["tasks"][0]["lastStatus"] == "STOPPED"


def test_force_new_deployment_rolls_out(ecs, fargate_service):
    time.sleep(DELAY + 0.1)
    ecs.update_service(cluster="c1", service="web", forceNewDeployment=True)
    rolling = describe(ecs)["deployments"]
    assert [(d["status"], d["rolloutState"]) for d in rolling] == [("PRIMARY", "IN_PROGRESS"), ("ACTIVE", "COMPLETED")]
    time.sleep(DELAY + 0.1)
    done = describe(ecs)
    assert [(d["status"], d["rolloutState"]) for d in done["deployments"]] == [("PRIMARY", "COMPLETED")]
    assert done["deployments"][0]["id"] == rolling[0]["id"] and done["runningCount"] == 2
    assert any("deployment completed." in event["message"] for event in done["events"])


def test_fail_rollout_control_and_crashloop_images(ecs, fargate_service, aws):
    time.sleep(DELAY + 0.1)
    arn = describe(ecs)["serviceArn"]
    marked = requests.post(f"{aws}/fleetui-sandbox/ecs/fail-rollout", json={"service_arn": arn}, timeout=10)
    assert marked.json()["fails"] == "next"
    ecs.update_service(cluster="c1", service="web", forceNewDeployment=True)
    time.sleep(DELAY + 0.1)
    failed = describe(ecs)
    assert failed["deployments"][0]["rolloutState"] == "FAILED" and failed["runningCount"] == 2  # the old tasks
    assert "failed: tasks failed to start." in failed["deployments"][0]["rolloutStateReason"]
    bad = requests.post(f"{aws}/fleetui-sandbox/ecs/fail-rollout", json={"service_arn": "nope"}, timeout=10)
    assert bad.status_code == 400


def test_ec2_tasks_that_fit_nowhere_stay_below_desired(ecs, aws):
    endpoint_seed = ecs_seed(endpoint=aws)
    assert endpoint_seed["container_instances"] == 3
    stuck = ecs.describe_services(cluster="shop-prod", services=["reports-generator"])["services"][0]
    assert (stuck["desiredCount"], stuck["runningCount"]) == (2, 0)
    assert "was unable to place a task" in stuck["events"][0]["message"]
    assert stuck["deployments"][0]["rolloutState"] == "IN_PROGRESS"


def test_capacity_providers_without_names_and_the_delay_control(ecs, aws):
    names = [p["name"] for p in ecs.describe_capacity_providers()["capacityProviders"]]
    assert names == ["FARGATE", "FARGATE_SPOT"]
    assert requests.get(f"{aws}/fleetui-sandbox/ecs", timeout=10).json() == {"delay": DELAY}
    assert requests.post(f"{aws}/fleetui-sandbox/ecs", json={"delay": -1}, timeout=10).status_code == 400
    requests.post(f"{aws}/moto-api/reset", timeout=10)
    assert requests.get(f"{aws}/fleetui-sandbox/ecs", timeout=10).json()["delay"] == default_delay()
