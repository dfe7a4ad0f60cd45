"""The EMR sync against the sandbox (moto with fleetui's EMR extensions), into PostgreSQL: clusters, instance
groups (their instances are real EC2 instances the EC2 sync stores), steps and instances; an unchanged re-sync
writes nothing; a shrink marks instances gone; targeted re-syncs by group, step and cluster id; AccessDenied fails
one scope and keeps the data."""

import re

import requests
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fleetui.ec2.models import Instance
from fleetui.emr.models import EmrCluster, EmrInstance, InstanceGroup, Step
from fleetui.inventory.sync import TargetedResult, sync_ids, sync_scope

from .conftest import EMR_TYPES, REGION, groups_by_type, sync, sync_all

WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"emr_\w+"', re.IGNORECASE)


def test_sync_stores_clusters_groups_steps_and_instances_linked_to_ec2(account, emr, etl):
    runs = sync_all(account)
    assert [runs[name].added for name in EMR_TYPES] == [1, 3, 1, 6]
    cluster = EmrCluster.objects.get()
    assert (cluster.cluster_id, cluster.name, cluster.release_label, cluster.tags) == (
        etl, "etl-nightly", "emr-7.2.0", {"team": "data"},
    )  # fmt: skip
    assert cluster.state == "RUNNING" and cluster.state_change_message == "Running step"
    assert [a["name"] for a in cluster.applications] == ["Hive", "Spark"]
    assert (cluster.auto_terminate, cluster.idle_timeout, cluster.log_uri) == (False, 3600, "s3://logs/emr/")
    assert cluster.collection == "INSTANCE_GROUP" and cluster.master_public_dns.startswith("ec2-")
    task = InstanceGroup.objects.get(group_type="TASK")
    assert task.instance_group_id.startswith("ig-") and task.cluster_id == etl and task.cluster_name == "etl-nightly"
    assert (task.market, task.bid_price, task.instance_types) == ("SPOT", "0.10", ["m5.xlarge"])
    assert (task.requested_count, task.running_count, task.state, task.collection) == (3, 3, "RUNNING", "group")
    step = Step.objects.get()
    assert (step.name, step.state, step.action_on_failure, step.args) == (
        "job-0", "RUNNING", "CONTINUE", ["spark-submit", "s3://jobs/0.py"],
    )  # fmt: skip
    spot = EmrInstance.objects.filter(instance_group_id=task.instance_group_id)
    assert spot.count() == 3 and {i.market for i in spot} == {"SPOT"}
    assert all(i.instance_id.startswith("ci-") and i.state == "RUNNING" for i in spot)
    # Every EMR instance is a real EC2 instance, tagged as EMR tags it, spot for the TASK group.
    ec2 = {i.instance_id: i for i in Instance.objects.filter(instance_id__in=[i.ec2_instance_id for i in spot])}
    assert len(ec2) == 3 and {i.lifecycle for i in ec2.values()} == {"spot"}
    assert all(i.tags["aws:elasticmapreduce:job-flow-id"] == etl for i in ec2.values())
    assert {i.tags["aws:elasticmapreduce:instance-group-role"] for i in ec2.values()} == {"TASK"}


def test_an_unchanged_resync_writes_nothing(account, emr, etl):
    first = sync_all(account, types=EMR_TYPES)
    with CaptureQueriesContext(connection) as queries:
        second = sync_all(account, types=EMR_TYPES)
    for name, run in second.items():
        assert (run.seen, run.added, run.changed, run.gone) == (first[name].seen, 0, 0, 0), name
    assert [q["sql"][:80] for q in queries.captured_queries if WRITE.match(q["sql"])] == []


def test_a_shrink_marks_the_terminated_instances_gone_and_a_targeted_resync_reads_the_group(account, emr, etl):
    sync_all(account, types=EMR_TYPES)
    task = groups_by_type(emr, etl)["TASK"]
    emr.modify_instance_groups(InstanceGroups=[{"InstanceGroupId": task["Id"], "InstanceCount": 1}])
    result = sync_ids(account=account, region=REGION, resource_type="emr_instance_groups", ids=[task["Id"]])
    assert result == TargetedResult(seen=1, changed=1)
    row = InstanceGroup.objects.get(instance_group_id=task["Id"])
    assert (row.requested_count, row.running_count, row.state) == (1, 1, "RUNNING")
    assert InstanceGroup.objects.get(group_type="CORE").requested_count == 2  # untouched
    run = sync(account, "emr_instances")
    assert (run.seen, run.gone) == (4, 2)
    gone = EmrInstance.objects.filter(gone_at__isnull=False)
    assert {i.instance_group_id for i in gone} == {task["Id"]}
    # EC2 agrees: the two instances EMR let go are terminated there too.
    sync(account, "instances")
    ec2 = Instance.objects.filter(instance_id__in=[i.ec2_instance_id for i in gone])
    assert set(ec2.values_list("state", flat=True)) == {"terminated"}


def test_targeted_resync_of_a_step_and_a_cluster_and_an_unknown_id_is_gone(account, emr, etl):
    sync_all(account, types=EMR_TYPES)
    step = Step.objects.get()
    emr.terminate_job_flows(JobFlowIds=[etl])
    assert sync_ids(account=account, region=REGION, resource_type="emr_steps", ids=[step.step_id]).changed == 1
    assert Step.objects.get().state == "CANCELLED"
    assert sync_ids(account=account, region=REGION, resource_type="emr_clusters", ids=[etl]).changed == 1
    cluster = EmrCluster.objects.get()
    assert (cluster.state, cluster.state_change_code) == ("TERMINATED", "USER_REQUEST")
    assert cluster.ended_at is not None
    missing = sync_ids(account=account, region=REGION, resource_type="emr_clusters", ids=["j-NOSUCHCLUSTER"])
    assert missing == TargetedResult()


def test_access_denied_to_emr_fails_only_that_scope_and_keeps_the_data(aws, account, emr, etl):
    sync_all(account, types=EMR_TYPES)
    fault = {"action": "ListInstanceGroups", "error": "AccessDeniedException", "status": 400, "count": 1}
    requests.post(f"{aws}/fleetui-sandbox/faults", json=fault, timeout=10).raise_for_status()
    denied = sync_scope(account=account, region=REGION, resource_type="emr_instance_groups")
    assert denied.status == "failed" and "AccessDeniedException" in denied.error
    assert InstanceGroup.objects.filter(gone_at__isnull=True).count() == 3  # kept
    assert sync(account, "emr_steps").seen == 1  # the other types of the scope still sync
    assert sync(account, "emr_instance_groups").seen == 3  # and the next run of the same scope does
