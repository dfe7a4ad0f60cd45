"""emr.resize_group against the sandbox, with eager tasks: growing and emptying a task group, the refusals on the
page and in the API (no Action row), the typed confirmation of a core shrink, a cluster that ended behind fleetui's
back, a count already set (no second ModifyInstanceGroups) and the time-out."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape

from fleetui.actions.models import Action
from fleetui.ec2.models import Instance
from fleetui.emr.models import EmrInstance, InstanceGroup
from fleetui.sandbox.faults import fault_inject, faults_list

from .cluster import REGION, Built, cluster_build, emr_sync, sandbox_delay

pytestmark = pytest.mark.django_db(transaction=True)
KIND = "emr.resize_group"
API = "/api/v1/actions/"
PAGE = f"/actions/new/{KIND}/"


@pytest.fixture
def built(aws, account) -> Built:
    return cluster_build(aws, account)


def api_resize(client: Client, group_id: str, count: Any, **extra: Any) -> Any:
    body = {"kind": KIND, "targets": [group_id], "reason": "nightly backlog", "params": {"instance_count": count}}
    return client.post(API, body | extra, content_type="application/json")


def page_resize(client: Client, account, group_id: str, count: Any, **extra: Any) -> Any:
    data = {
        "account": account.account_id, "region": REGION, "targets": group_id, "reason": "nightly backlog",
        "p-instance_count": count, "submit": "1", **extra,
    }  # fmt: skip
    return client.post(PAGE, data)


def finished(answer: Any) -> Action:
    assert answer.status_code == 201, answer.content
    return Action.objects.get(pk=answer.json()["id"])


def log_of(action: Action) -> list[str]:
    return list(action.log.order_by("pk").values_list("message", flat=True))


def count_modify_calls(endpoint: str) -> None:
    """From now on the sandbox counts the ModifyInstanceGroups calls it answers (a fault that only adds 1 ms)."""
    fault_inject(endpoint=endpoint, action="ModifyInstanceGroups", latency_ms=1)


def modify_calls(endpoint: str) -> int:
    return next((f["triggered"] for f in faults_list(endpoint=endpoint) if f["action"] == "ModifyInstanceGroups"), 0)


def test_a_task_group_grows_and_the_inventory_follows(aws, operator_client, built):
    task = built.group_id("TASK")
    before = built.ec2_ids("TASK")
    count_modify_calls(aws)
    action = finished(api_resize(operator_client, task, 4))

    assert action.status == "succeeded", (action.error, log_of(action))
    assert (action.progress, modify_calls(aws)) == (100, 1)
    assert built.counts("TASK") == (4, 4)
    after = built.ec2_ids("TASK")
    assert len(before) == 2 and len(after) == 4 and set(before) < set(after)
    assert (action.result["requested_before"], action.result["running"], action.result["state"]) == (2, 4, "RUNNING")
    row = InstanceGroup.objects.get(instance_group_id=task)  # re-synced before the action ended
    assert (row.requested_count, row.running_count, row.state) == (4, 4, "RUNNING")
    assert EmrInstance.objects.filter(instance_group_id=task, gone_at__isnull=True, state="RUNNING").count() == 4
    assert Instance.objects.filter(instance_id__in=after, gone_at__isnull=True, state="running").count() == 4
    log = log_of(action)
    assert "Resizing TASK group spot-tasks (" + task + ") from 2 to 4 instance(s)" in log, log
    assert any(re.search(r": RESIZING, [23] of 4 running\.$", m) for m in log), log  # the group's state as it moved
    assert f"TASK group spot-tasks ({task}) is RUNNING with 4 of 4 instance(s) running." in log, log


def test_a_task_group_emptied_from_the_page_terminates_its_instances(operator_client, account, built):
    task = built.group_id("TASK")
    before = built.ec2_ids("TASK")
    answer = page_resize(operator_client, account, task, 0)
    assert answer.status_code == 302  # a task group holds no HDFS: nothing to confirm
    action = Action.objects.get()

    assert action.status == "succeeded", action.error
    assert built.counts("TASK") == (0, 0) and built.ec2_ids("TASK") == []
    assert set(Instance.objects.filter(instance_id__in=before).values_list("state", flat=True)) <= {
        "shutting-down",
        "terminated",
    }
    assert InstanceGroup.objects.get(instance_group_id=task).running_count == 0


BAD_COUNTS = [
    ("TASK", -1, "The instance count cannot be negative: 0 empties a task group."),
    ("TASK", "two", "The instance count is a whole number of instances."),
    ("TASK", 2001, "2001 is above the 2000 instances an EMR instance group may have"),
    ("CORE", 0, "A core group keeps at least 1 instance"),
]


def test_bad_counts_are_refused_in_the_api_and_on_the_page_with_the_reason(aws, operator_client, account, built):
    """One cluster for every case (each is refused before anything is written or called)."""
    count_modify_calls(aws)
    for group_type, count, reason in BAD_COUNTS:
        group = built.group_id(group_type)
        answer = api_resize(operator_client, group, count)
        assert answer.status_code == 400, (count, answer.content)
        assert any(reason in message for message in answer.json()["instance_count"]), answer.json()
        page = page_resize(operator_client, account, group, count)
        assert page.status_code == 400, count
        assert escape(reason) in page.content.decode(), count
    assert not Action.objects.exists()
    assert modify_calls(aws) == 0 and built.counts("TASK")[0] == built.counts("CORE")[0] == 2


def test_the_instance_limit_follows_the_setting_for_a_raised_quota(operator_client, built, settings):
    settings.FLEETUI_EMR_MAX_INSTANCES = 3
    answer = api_resize(operator_client, built.group_id("TASK"), 4)
    assert answer.status_code == 400 and "above the 3 instances" in answer.json()["instance_count"][0]
    assert not Action.objects.exists()


def test_the_master_group_is_refused_with_the_reason(operator_client, account, built):
    master = built.group_id("MASTER")
    answer = api_resize(operator_client, master, 2)
    assert answer.status_code == 400
    [message] = answer.json()["targets"]
    assert f"{master} is the primary (MASTER) group of etl-nightly: EMR cannot resize it" in message
    page = page_resize(operator_client, account, master, 2)
    assert page.status_code == 400 and "EMR cannot resize it" in page.content.decode()
    assert not Action.objects.exists() and built.counts("MASTER") == (1, 1)


def test_a_group_of_a_terminated_cluster_is_refused_with_its_state(aws, operator_client, built, account):
    sandbox_delay(aws, 0)
    built.emr.terminate_job_flows(JobFlowIds=[built.cluster_id])
    built.wait_state("TERMINATED")
    emr_sync(account)
    answer = api_resize(operator_client, built.group_id("TASK"), 3)
    assert answer.status_code == 400
    [message] = answer.json()["targets"]
    assert f"The cluster etl-nightly ({built.cluster_id}) is TERMINATED" in message
    assert "EMR resizes the groups of a RUNNING or WAITING cluster only" in message
    assert not Action.objects.exists()


def test_a_cluster_terminated_behind_fleetuis_back_fails_the_action_with_awss_reason(aws, operator_client, built):
    sandbox_delay(aws, 0)
    built.emr.terminate_job_flows(JobFlowIds=[built.cluster_id])  # the inventory still says WAITING
    built.wait_state("TERMINATED")
    count_modify_calls(aws)
    task = built.group_id("TASK")
    action = finished(api_resize(operator_client, task, 3))

    assert action.status == "failed"
    assert action.error == (
        f"The cluster etl-nightly ({built.cluster_id}) is TERMINATED: Terminated by user request [USER_REQUEST]. "
        "This action had not changed the group."
    )
    assert modify_calls(aws) == 0
    assert InstanceGroup.objects.get(instance_group_id=task).state == "TERMINATED"  # the re-sync saw it end


def test_a_core_shrink_shows_the_hdfs_notice_and_needs_the_typed_phrase(aws, operator_client, account, built):
    core = built.group_id("CORE")
    form = operator_client.get(f"{PAGE}?target={core}&account={account.account_id}&region={REGION}&p-instance_count=1")
    page = form.content.decode()
    assert 'id="resize-hdfs" class="alert warn"' in page
    assert "Shrinking this group from 2 to 1" in page and "re-replicates their HDFS data" in page

    phrase = "SHRINK etl-nightly CORE TO 1"
    refused = api_resize(operator_client, core, 1)
    assert refused.status_code == 400
    [message] = refused.json()["confirm"]
    assert phrase in message and "decommissions 1 HDFS DataNode(s)" in message and "re-replicated" in message
    assert api_resize(operator_client, core, 1, confirm="SHRINK etl-nightly CORE TO 0").status_code == 400
    wrong = page_resize(operator_client, account, core, 1, confirm="yes")
    assert wrong.status_code == 400 and f"Type <strong>{phrase}</strong> to confirm" in wrong.content.decode()
    assert not Action.objects.exists() and built.counts("CORE") == (2, 2)

    action = finished(api_resize(operator_client, core, 1, confirm=phrase))
    assert action.status == "succeeded", action.error
    assert built.counts("CORE") == (1, 1)
    assert InstanceGroup.objects.get(instance_group_id=core).running_count == 1


def test_a_core_growth_needs_no_confirmation(operator_client, account, built):
    core = built.group_id("CORE")
    page = operator_client.get(f"{PAGE}?target={core}&account={account.account_id}&region={REGION}").content.decode()
    assert 'id="resize-hdfs" class="muted"' in page and "A shrink of this group" in page
    answer = page_resize(operator_client, account, core, 3)
    assert answer.status_code == 302
    assert Action.objects.get().status == "succeeded" and built.counts("CORE") == (3, 3)


def test_a_viewer_may_not_resize(viewer_client, account, built):
    task = built.group_id("TASK")
    assert api_resize(viewer_client, task, 3).status_code == 403
    assert page_resize(viewer_client, account, task, 3).status_code == 403
    assert not Action.objects.exists()


def test_a_count_already_set_calls_nothing_and_waits_for_the_running_count(aws, operator_client, built):
    """What a redelivery finds when the delivery before it died after ModifyInstanceGroups."""
    sandbox_delay(aws, 1.0)
    task = built.group_id("TASK")
    built.emr.modify_instance_groups(
        ClusterId=built.cluster_id, InstanceGroups=[{"InstanceGroupId": task, "InstanceCount": 3}]
    )
    count_modify_calls(aws)
    action = finished(api_resize(operator_client, task, 3))

    assert action.status == "succeeded", action.error
    assert modify_calls(aws) == 0 and built.counts("TASK") == (3, 3)
    log = log_of(action)
    assert (
        f"The requested count of TASK group spot-tasks ({task}) is 3 already: ModifyInstanceGroups is not called again."
        in log
    )
    assert InstanceGroup.objects.get(instance_group_id=task).running_count == 3


def test_a_resize_slower_than_the_timeout_fails_and_says_it_goes_on(aws, operator_client, built, settings):
    settings.FLEETUI_EMR_RESIZE_TIMEOUT = 1
    sandbox_delay(aws, 8)
    action = finished(api_resize(operator_client, built.group_id("TASK"), 6))

    assert action.status == "failed"
    assert "of 6 instance(s) (RESIZING) after 1 s (FLEETUI_EMR_RESIZE_TIMEOUT)" in action.error
    assert "The requested count is set and EMR goes on" in action.error
    assert built.counts("TASK")[0] == 6


def test_the_request_page_names_the_group_and_its_cluster(operator_client, account, built):
    task = built.group_id("TASK")
    page = unescape(
        operator_client.get(f"{PAGE}?target={task}&account={account.account_id}&region={REGION}").content.decode()
    )
    assert '<strong id="resize-group">spot-tasks</strong>' in page
    assert '<strong id="resize-cluster">etl-nightly</strong>' in page
    assert '<strong id="resize-requested">2</strong>' in page and "Task nodes hold no HDFS data" in page
