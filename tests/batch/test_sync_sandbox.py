"""The Batch sync against the sandbox (moto with fleetui's Batch), into PostgreSQL: environments (with their EC2
instances, which the EC2 sync stores), queues with AWS's job counts, the latest revision of each job definition,
jobs per queue; an unchanged re-sync writes nothing (the scheduler frozen); what went away is marked gone; targeted
re-syncs; AccessDenied on Batch fails only that scope; jobs that move between two syncs."""

import re
import time

import requests
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fleetui.batch.models import ComputeEnvironment, Job, JobDefinition, JobQueue
from fleetui.ec2.models import Instance
from fleetui.inventory.sync import TargetedResult, sync_ids, sync_scope

from .conftest import BATCH_TYPES, REGION, delay_set, job_move, sync, sync_all

WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"batch_\w+"', re.IGNORECASE)


def test_sync_stores_environments_queues_definitions_and_jobs(account, demo):
    runs = sync_all(account)
    assert [runs[name].added for name in BATCH_TYPES] == [4, 4, 3, 16]
    spot = ComputeEnvironment.objects.get(name="etl-spot")
    assert (spot.type, spot.resource_type, spot.state, spot.status) == ("MANAGED", "SPOT", "ENABLED", "VALID")
    assert (spot.min_vcpus, spot.desired_vcpus, spot.max_vcpus, spot.bid_percentage) == (0, 16, 256, 60)
    assert (spot.allocation_strategy, spot.instance_types) == (
        "SPOT_CAPACITY_OPTIMIZED", ["c5.2xlarge", "c5.xlarge", "m5.xlarge"],
    )  # fmt: skip
    assert "etl-spot_Batch_" in spot.ecs_cluster_arn and spot.tags == {"team": "data", "cost-center": "analytics"}
    fargate = ComputeEnvironment.objects.get(name="render-fargate")
    assert (fargate.resource_type, fargate.min_vcpus, fargate.desired_vcpus, fargate.max_vcpus) == (
        "FARGATE", None, None, 32,
    )  # fmt: skip
    assert ComputeEnvironment.objects.get(name="legacy-ondemand").state == "DISABLED"
    default = JobQueue.objects.get(name="default")
    assert default.priority == 10 and [e["name"] for e in default.compute_environment_order] == [
        "etl-spot", "etl-ondemand",
    ]  # fmt: skip
    assert default.compute_environment_order[0]["compute_environment_arn"] == spot.compute_environment_arn
    # Two free-running jobs stay SUBMITTED: the scheduler is frozen.
    assert default.job_counts == {
        "SUBMITTED": 3, "PENDING": 1, "RUNNABLE": 2, "STARTING": 0, "RUNNING": 0, "SUCCEEDED": 1, "FAILED": 0,
    }  # fmt: skip
    assert JobQueue.objects.get(name="legacy").state == "DISABLED"
    assert dict(JobDefinition.objects.values_list("name", "revision")) == {
        "nightly-etl": 3,
        "report-render": 1,
        "image-resize": 1,
    }  # fmt: skip  (old-export is deregistered)
    assert set(Job.objects.values_list("status", flat=True)) == {
        "SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED", "FAILED",
    }  # fmt: skip
    failed = Job.objects.get(name="etl-customers-0300")
    assert (failed.status, failed.job_queue_name, failed.job_definition_name) == (
        "FAILED",
        "high-priority",
        "nightly-etl",
    )
    assert failed.status_reason.startswith("OutOfMemoryError") and failed.started_at is None
    done = Job.objects.get(name="etl-orders-0300")
    assert done.started_at is not None and done.stopped_at >= done.started_at and done.exit_code == 0
    # The environments' instances are real EC2 instances tagged as Batch tags them: the EC2 sync stored them.
    assert Instance.objects.filter(tags__contains={"AWSBatchServiceTag": "etl-ondemand"}).count() == 2
    spot_nodes = Instance.objects.filter(tags__contains={"AWSBatchServiceTag": "etl-spot"})
    assert [(n.instance_type_id, n.lifecycle) for n in spot_nodes] == [("c5.2xlarge", "spot")] * 2


def test_an_unchanged_resync_writes_nothing(account, demo):
    first = sync_all(account, types=BATCH_TYPES)
    with CaptureQueriesContext(connection) as queries:
        second = sync_all(account, types=BATCH_TYPES)
    for name, run in second.items():
        assert (run.seen, run.added, run.changed, run.gone) == (first[name].seen, 0, 0, 0), name
    assert [q["sql"][:80] for q in queries.captured_queries if WRITE.match(q["sql"])] == []


def test_a_deleted_queue_its_jobs_and_a_deregistered_revision_are_marked_gone(batch, account, demo):
    sync_all(account, types=BATCH_TYPES)
    batch.update_job_queue(jobQueue="render", state="DISABLED")
    batch.delete_job_queue(jobQueue="render")
    batch.deregister_job_definition(jobDefinition="nightly-etl:3")
    run = sync(account, "batch_job_queues")
    assert (run.seen, run.gone) == (3, 1)
    assert JobQueue.objects.get(name="render").gone_at == run.started_at
    jobs = sync(account, "batch_jobs")
    assert jobs.gone == 3 and not Job.objects.filter(job_queue_name="render", gone_at__isnull=True).exists()
    definitions = sync(account, "batch_job_definitions")
    assert (definitions.added, definitions.gone) == (1, 1)
    assert JobDefinition.objects.get(name="nightly-etl", gone_at__isnull=True).revision == 2


def test_targeted_resyncs_by_job_id_and_environment_arn(aws, batch, account, demo):
    sync_all(account, types=BATCH_TYPES)
    job = Job.objects.get(name="backfill-2024-01")
    job_move(aws, job.job_id, "RUNNING")
    result = sync_ids(account=account, region=REGION, resource_type="batch_jobs", ids=[job.job_id])
    assert result == TargetedResult(seen=1, changed=1)
    job.refresh_from_db()
    assert job.status == "RUNNING" and job.started_at is not None
    assert Job.objects.get(name="backfill-2024-02").status == "RUNNABLE"  # untouched
    delay_set(aws, 0)
    batch.update_compute_environment(computeEnvironment="etl-ondemand", computeResources={"desiredvCpus": 16})
    env = ComputeEnvironment.objects.get(name="etl-ondemand")
    arn = env.compute_environment_arn
    result = sync_ids(account=account, region=REGION, resource_type="batch_compute_environments", ids=[arn])
    assert result == TargetedResult(seen=1, changed=1)
    env.refresh_from_db()
    assert (env.desired_vcpus, env.status) == (16, "VALID")
    assert sync_ids(account=account, region=REGION, resource_type="batch_jobs", ids=["no-such-job"]) == TargetedResult()


def test_access_denied_to_batch_fails_only_that_scope(aws, account, demo):
    fault = {"action": "DescribeJobs", "error": "AccessDeniedException", "status": 403, "count": 1}
    sync(account, "batch_job_queues")
    requests.post(f"{aws}/fleetui-sandbox/faults", json=fault, timeout=10).raise_for_status()
    denied = sync_scope(account=account, region=REGION, resource_type="batch_jobs")
    assert denied.status == "failed" and "AccessDeniedException" in denied.error
    assert sync(account, "batch_compute_environments").seen == 4  # the other types of the scope still sync
    assert not Job.objects.exists()
    assert sync(account, "batch_jobs").added == 16  # and the next run of the same scope does


def test_jobs_move_between_two_syncs(aws, batch, account, demo):
    sync(account, "batch_job_queues")
    delay_set(aws, 0.2)
    batch.submit_job(jobName="quick", jobQueue="high-priority", jobDefinition="nightly-etl")
    sync(account, "batch_job_queues")
    assert JobQueue.objects.get(name="high-priority").count("SUBMITTED") == 1
    time.sleep(1.2)  # five steps of 0.2 s: SUBMITTED -> ... -> RUNNING -> SUCCEEDED
    run = sync(account, "batch_job_queues")
    queue = JobQueue.objects.get(name="high-priority")
    assert run.changed == 1 and (queue.count("SUBMITTED"), queue.count("SUCCEEDED")) == (0, 2)
    sync(account, "batch_jobs")
    assert Job.objects.get(name="quick").status == "SUCCEEDED"
