"""emr.terminate_cluster against the sandbox, with eager tasks: the termination itself and its re-sync, the typed
name, admin only, termination protection refused with how to lift it (at request time, and when it was turned on
after the request), and a cluster that ended behind fleetui's back."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from fleetui.actions.models import Action
from fleetui.ec2.models import Instance
from fleetui.emr.models import EmrCluster, EmrInstance, InstanceGroup

from .cluster import REGION, Built, cluster_build, emr_sync, sandbox_delay

pytestmark = pytest.mark.django_db(transaction=True)
KIND = "emr.terminate_cluster"
API = "/api/v1/actions/"
PAGE = f"/actions/new/{KIND}/"
LIFT = "--no-termination-protected"


@pytest.fixture
def built(aws, account) -> Built:
    return cluster_build(aws, account)


def api_terminate(client: Client, built: Built, **extra: Any) -> Any:
    body = {"kind": KIND, "targets": [built.cluster_id], "reason": "CHG-7 retire the nightly ETL", **extra}
    return client.post(API, body, content_type="application/json")


def finished(answer: Any) -> Action:
    assert answer.status_code == 201, answer.content
    return Action.objects.get(pk=answer.json()["id"])


def log_of(action: Action) -> list[str]:
    return list(action.log.order_by("pk").values_list("message", flat=True))


def test_an_admin_terminates_a_cluster_and_the_inventory_follows(admin_client_, built):
    ec2_ids = built.ec2_ids("CORE") + built.ec2_ids("TASK") + built.ec2_ids("MASTER")
    action = finished(api_terminate(admin_client_, built, confirm="etl-nightly"))

    assert action.status == "succeeded", (action.error, log_of(action))
    assert built.state() == "TERMINATED"
    row = EmrCluster.objects.get(cluster_id=built.cluster_id)  # re-synced before the action ended
    assert (row.state, row.state_change_message) == ("TERMINATED", "Terminated by user request")
    assert set(InstanceGroup.objects.filter(cluster_id=built.cluster_id).values_list("state", flat=True)) == {
        "TERMINATED"
    }
    nodes = EmrInstance.objects.filter(cluster_id=built.cluster_id)
    assert nodes.count() == 5 and not nodes.filter(gone_at__isnull=True).exists()  # EMR lists live nodes only
    assert len(ec2_ids) == 5
    assert set(Instance.objects.filter(instance_id__in=ec2_ids).values_list("state", flat=True)) <= {
        "shutting-down",
        "terminated",
    }
    log = log_of(action)
    assert f"Terminating etl-nightly ({built.cluster_id}) (WAITING)" in log, log
    assert f"etl-nightly ({built.cluster_id}): TERMINATING (Terminated by user request [USER_REQUEST])." in log, log
    assert log[-2] == f"etl-nightly ({built.cluster_id}) is TERMINATED: Terminated by user request [USER_REQUEST].", log


def test_the_cluster_name_must_be_typed(admin_client_, built):
    refused = api_terminate(admin_client_, built)
    assert refused.status_code == 400
    [message] = refused.json()["confirm"]
    assert "type etl-nightly to confirm" in message and "ends its 5 running instance(s)" in message
    assert "HDFS data is lost for good" in message
    assert api_terminate(admin_client_, built, confirm="etl").status_code == 400
    page = admin_client_.post(
        PAGE,
        {
            "account": "123456789012", "region": REGION, "targets": built.cluster_id, "reason": "x", "confirm": "yes",
            "submit": "1",
        },
    )  # fmt: skip
    assert page.status_code == 400 and "Type <strong>etl-nightly</strong> to confirm" in page.content.decode()
    assert not Action.objects.exists() and built.state() == "WAITING"


def test_only_an_admin_may_terminate(operator_client, viewer_client, built):
    for client in (operator_client, viewer_client):
        assert api_terminate(client, built, confirm="etl-nightly").status_code == 403
    assert operator_client.get(f"{PAGE}?target={built.cluster_id}").status_code == 403
    assert not Action.objects.exists() and built.state() == "WAITING"


def test_termination_protection_is_refused_with_how_to_lift_it(aws, account, admin_client_):
    built = cluster_build(aws, account, protected=True)
    answer = api_terminate(admin_client_, built, confirm="etl-nightly")
    assert answer.status_code == 400
    [message] = answer.json()["targets"]
    assert f"etl-nightly ({built.cluster_id}) has termination protection on: EMR refuses to terminate it." in message
    assert f"aws emr modify-cluster-attributes --cluster-id {built.cluster_id} {LIFT}" in message
    assert "SetTerminationProtection with TerminationProtected false" in message and "EMR console" in message
    page = admin_client_.post(
        PAGE,
        {
            "account": account.account_id, "region": REGION, "targets": built.cluster_id, "reason": "x",
            "confirm": "etl-nightly", "submit": "1",
        },
    )  # fmt: skip
    assert page.status_code == 400 and LIFT in page.content.decode()
    assert not Action.objects.exists() and built.state() == "WAITING"


def test_protection_turned_on_after_the_sync_fails_the_action_before_any_call(admin_client_, built):
    built.emr.set_termination_protection(JobFlowIds=[built.cluster_id], TerminationProtected=True)
    action = finished(api_terminate(admin_client_, built, confirm="etl-nightly"))

    assert action.status == "failed"
    assert "has termination protection on now (DescribeCluster), so EMR would refuse" in action.error
    assert LIFT in action.error and action.error.endswith("This action had not changed the cluster.")
    assert built.state() == "WAITING"
    assert EmrCluster.objects.get(cluster_id=built.cluster_id).termination_protected  # re-synced


def test_a_cluster_that_ended_behind_fleetuis_back_fails_with_awss_reason(aws, admin_client_, built):
    sandbox_delay(aws, 0)
    built.emr.terminate_job_flows(JobFlowIds=[built.cluster_id])
    built.wait_state("TERMINATED")
    action = finished(api_terminate(admin_client_, built, confirm="etl-nightly"))

    assert action.status == "failed"
    assert action.error == (
        f"The cluster etl-nightly ({built.cluster_id}) is TERMINATED: Terminated by user request [USER_REQUEST]. "
        "This action had not changed the cluster."
    )
    assert EmrCluster.objects.get(cluster_id=built.cluster_id).state == "TERMINATED"


def test_a_terminated_cluster_is_refused_at_request_time(aws, account, admin_client_, built):
    sandbox_delay(aws, 0)
    built.emr.terminate_job_flows(JobFlowIds=[built.cluster_id])
    built.wait_state("TERMINATED")
    emr_sync(account)
    answer = api_terminate(admin_client_, built, confirm="etl-nightly")
    assert answer.status_code == 400
    assert "is TERMINATED already in the inventory" in answer.json()["targets"][0]
    assert not Action.objects.exists()
