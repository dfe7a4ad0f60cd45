"""The sandbox's Batch (moto with fleetui's extensions) through boto3: no Docker; jobs moving through their statuses
over the delay, waiting on dependencies and on capacity; CancelJob and TerminateJob as AWS answers them; compute
environments CREATING/UPDATING -> VALID with EC2 instances following the desired vCPUs; AWS's validation errors;
the control paths and the demo."""

import time

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

from fleetui.sandbox.batch.seed import batch_seed
from tests.batch.conftest import ACCOUNT, REGION, delay_set, job_move

STEP = 0.2


def statuses(batch, ids):
    return [job["status"] for job in sorted(batch.describe_jobs(jobs=ids)["jobs"], key=lambda j: ids.index(j["jobId"]))]


def instances(aws, name):
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=aws)
    found = ec2.describe_instances(
        Filters=[{"Name": "tag:AWSBatchServiceTag", "Values": [name]},
                 {"Name": "instance-state-name", "Values": ["pending", "running"]}]
    )["Reservations"]  # fmt: skip
    return [i for r in found for i in r["Instances"]]


@pytest.fixture
def demo(aws):
    delay_set(aws, 1000)
    batch_seed(endpoint=aws, regions=[REGION])
    delay_set(aws, STEP)
    return boto3.client("batch", region_name=REGION, endpoint_url=aws)


def test_moto_docker_switch_is_off_and_a_job_runs_through_every_status(aws, demo):
    config = requests.get(f"{aws}/moto-api/config", timeout=10).json()
    assert config["batch"] == {"use_docker": False}
    job = demo.submit_job(jobName="walk", jobQueue="high-priority", jobDefinition="nightly-etl")["jobId"]
    seen = []
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and (not seen or seen[-1] not in ("SUCCEEDED", "FAILED")):
        status = statuses(demo, [job])[0]
        if not seen or seen[-1] != status:
            seen.append(status)
        time.sleep(0.05)
    assert seen == ["SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED"]
    [done] = demo.describe_jobs(jobs=[job])["jobs"]
    assert done["startedAt"] <= done["stoppedAt"] and done["attempts"][0]["container"]["exitCode"] == 0
    newest = demo.list_jobs(jobQueue="high-priority", jobStatus="SUCCEEDED")["jobSummaryList"]
    assert newest[0]["jobId"] == job  # newest first, as AWS lists them


def test_jobs_wait_for_dependencies_and_for_an_enabled_environment(aws, demo):
    first = demo.submit_job(jobName="first", jobQueue="default", jobDefinition="nightly-etl")["jobId"]
    job_move(aws, first, "RUNNING")
    second = demo.submit_job(
        jobName="second", jobQueue="default", jobDefinition="nightly-etl", dependsOn=[{"jobId": first}]
    )["jobId"]
    demo.update_compute_environment(computeEnvironment="legacy-ondemand", state="DISABLED")
    demo.update_job_queue(jobQueue="legacy", state="ENABLED")
    stuck = demo.submit_job(jobName="stuck", jobQueue="legacy", jobDefinition="image-resize")["jobId"]
    time.sleep(STEP * 6)
    assert statuses(demo, [second, stuck]) == ["PENDING", "RUNNABLE"]
    job_move(aws, first, "FAILED", reason="boom")
    time.sleep(STEP * 2)
    [failed] = demo.describe_jobs(jobs=[second])["jobs"]
    assert (failed["status"], failed["statusReason"]) == ("FAILED", "Dependent Job failed")
    demo.update_compute_environment(computeEnvironment="legacy-ondemand", state="ENABLED")
    time.sleep(STEP * 5)
    assert statuses(demo, [stuck]) == ["SUCCEEDED"]


def test_cancel_and_terminate_as_aws_answers_them(aws, demo):
    waiting = demo.submit_job(jobName="waiting", jobQueue="default", jobDefinition="nightly-etl")["jobId"]
    running = demo.submit_job(jobName="running", jobQueue="default", jobDefinition="nightly-etl")["jobId"]
    job_move(aws, waiting, "RUNNABLE")
    job_move(aws, running, "RUNNING")
    demo.cancel_job(jobId=waiting, reason="not needed")
    demo.cancel_job(jobId=running, reason="not needed")  # CancelJob leaves a RUNNING job alone
    assert statuses(demo, [waiting, running]) == ["FAILED", "RUNNING"]
    demo.terminate_job(jobId=running, reason="operator stop")
    [stopped] = demo.describe_jobs(jobs=[running])["jobs"]
    assert (stopped["status"], stopped["statusReason"]) == ("FAILED", "operator stop")
    with pytest.raises(ClientError) as error:
        demo.cancel_job(jobId=waiting, reason="")
    assert error.value.response["Error"]["Code"] == "ClientException"


def test_an_update_scales_the_instances_over_the_delay(aws, demo):
    assert len(instances(aws, "etl-ondemand")) == 2  # 8 vCPUs: two c5.xlarge
    demo.update_compute_environment(computeEnvironment="etl-ondemand", computeResources={"desiredvCpus": 24})
    [env] = demo.describe_compute_environments(computeEnvironments=["etl-ondemand"])["computeEnvironments"]
    assert (env["status"], env["computeResources"]["desiredvCpus"]) == ("UPDATING", 24)
    time.sleep(STEP + 0.1)
    [env] = demo.describe_compute_environments(computeEnvironments=["etl-ondemand"])["computeEnvironments"]
    assert env["status"] == "VALID"
    assert [i["InstanceType"] for i in instances(aws, "etl-ondemand")] == ["c5.xlarge"] * 6
    # Lowering maxvCpus below the desired vCPUs pulls them down, and the instances follow.
    demo.update_compute_environment(computeEnvironment="etl-ondemand", computeResources={"maxvCpus": 8})
    time.sleep(STEP + 0.1)
    [env] = demo.describe_compute_environments(computeEnvironments=["etl-ondemand"])["computeEnvironments"]
    assert (env["status"], env["computeResources"]["desiredvCpus"]) == ("VALID", 8)
    assert len(instances(aws, "etl-ondemand")) == 2
    spot = instances(aws, "etl-spot")
    assert spot and all(i["InstanceLifecycle"] == "spot" for i in spot)


@pytest.mark.parametrize(
    ("name", "change", "message"),
    [
        ("etl-spot", {"desiredvCpus": 4}, "Manually scaling down compute environment is not supported"),
        ("etl-spot", {"minvCpus": 300}, "must be greater than or equal to minvCpus"),
        ("etl-spot", {"desiredvCpus": 300}, "must be between minvCpus (0) and maxvCpus (256)"),
        ("render-fargate", {"desiredvCpus": 4}, "not applicable to a FARGATE compute environment"),
        ("nope", {"maxvCpus": 4}, "Compute environment nope does not exist"),
    ],
)
def test_update_validation_errors(demo, name, change, message):
    with pytest.raises(ClientError) as error:
        demo.update_compute_environment(computeEnvironment=name, computeResources=change)
    assert error.value.response["Error"]["Code"] == "ClientException"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert message in error.value.response["Error"]["Message"]


def test_an_update_in_progress_refuses_another_and_the_control_paths_check_input(aws, demo):
    delay_set(aws, 1000)
    demo.update_compute_environment(computeEnvironment="etl-spot", computeResources={"desiredvCpus": 32})
    with pytest.raises(ClientError) as error:
        demo.update_compute_environment(computeEnvironment="etl-spot", state="DISABLED")
    assert "while its status is UPDATING" in error.value.response["Error"]["Message"]
    assert requests.get(f"{aws}/fleetui-sandbox/batch", timeout=10).json() == {"delay": 1000.0}
    assert requests.post(f"{aws}/fleetui-sandbox/batch", json={"delay": -1}, timeout=10).status_code == 400
    body = {"account_id": ACCOUNT, "region": REGION, "job_id": "nope", "status": "RUNNING"}
    assert requests.post(f"{aws}/fleetui-sandbox/batch/jobs", json=body, timeout=10).status_code == 400


def test_the_demo_has_every_job_status_and_environment_kind(aws, demo):
    envs = {e["computeEnvironmentName"]: e for e in demo.describe_compute_environments()["computeEnvironments"]}
    kinds = {name: env["computeResources"]["type"] for name, env in envs.items()}
    assert kinds == {"etl-ondemand": "EC2", "etl-spot": "SPOT", "render-fargate": "FARGATE", "legacy-ondemand": "EC2"}
    assert envs["etl-spot"]["computeResources"]["allocationStrategy"] == "SPOT_CAPACITY_OPTIMIZED"
    found = set()
    for queue in ("high-priority", "default", "render", "legacy"):
        for status in ("SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED", "FAILED"):
            if demo.list_jobs(jobQueue=queue, jobStatus=status)["jobSummaryList"]:
                found.add(status)
    assert found == {"SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED", "FAILED"}
    definitions = demo.describe_job_definitions(jobDefinitionName="nightly-etl")["jobDefinitions"]
    assert sorted(d["revision"] for d in definitions) == [1, 2, 3]
