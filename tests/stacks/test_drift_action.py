# ruff: noqa: F811  (the fixtures imported from test_worker_crash are parameters here, as pytest wants)
"""stacks.detect_drift: end to end with a real worker (DetectStackDrift, DETECTION_IN_PROGRESS then COMPLETE in the
step log, the stack and its resources re-synced DRIFTED / MODIFIED), a stack that vanished after it was synced (the
action fails and says so), and the refusals, which record nothing: a viewer, an unknown stack, a status AWS does not
check."""

from __future__ import annotations

import json

import boto3
import pytest
import requests

from fleetui.actions.models import Action
from fleetui.stacks.models import Stack, StackResource
from tests.actions.test_worker_crash import (  # noqa: F401  fixtures
    broker,
    messages,
    request_action,
    wait_for,
    workers,
)

from .conftest import REGION, sync_all

KIND = "stacks.detect_drift"
API = "/api/v1/actions/"
TEMPLATE = {
    "Resources": {
        "AppSecurityGroup": {
            "Type": "AWS::EC2::SecurityGroup",
            "Properties": {
                "GroupDescription": "app",
                "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}],
            },
        }
    }
}


def app_stack(endpoint: str, account, *, drifted: bool) -> str:
    """A stack with one security group (SSH opened by hand when `drifted`), synced; returns its id."""
    cfn = boto3.client("cloudformation", region_name=REGION, endpoint_url=endpoint)
    stack_id = cfn.create_stack(StackName="app", TemplateBody=json.dumps(TEMPLATE))["StackId"]
    if drifted:
        group = cfn.describe_stack_resource(StackName="app", LogicalResourceId="AppSecurityGroup")
        boto3.client("ec2", region_name=REGION, endpoint_url=endpoint).authorize_security_group_ingress(
            GroupId=group["StackResourceDetail"]["PhysicalResourceId"],
            IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
        )
    sync_all(account, types=("stacks_stacks", "stacks_resources"))
    return str(stack_id)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_drift_detection_with_a_real_worker(aws, account, operator, workers, request_action):
    requests.post(f"{aws}/fleetui-sandbox/stacks", json={"delay": 1.0}, timeout=10).raise_for_status()
    stack_id = app_stack(aws, account, drifted=True)
    worker = workers()
    action = request_action(KIND, [stack_id])

    wait_for(lambda: Action.objects.get(pk=action.pk).is_done, "the action to finish", worker)
    action.refresh_from_db()

    log = messages(action)
    assert action.status == "succeeded", (action.error, log, worker.tail())
    assert action.task_id in worker.log.read_text()  # the worker ran it
    assert "app: DETECTION_IN_PROGRESS." in log and "app: DETECTION_COMPLETE." in log, log
    assert "app is DRIFTED: 1 resource(s) drifted." in log, log
    assert (action.result["drift_status"], action.result["drifted_resources"]) == ("DRIFTED", 1)
    stack = Stack.objects.get(stack_id=stack_id)
    assert stack.drift_status == "DRIFTED" and stack.drift_checked_at is not None
    assert StackResource.objects.get(logical_id="AppSecurityGroup").drift_status == "MODIFIED"


@pytest.mark.django_db
def test_a_stack_that_vanished_fails_the_action_and_says_so(
    aws, account, operator_client, django_capture_on_commit_callbacks
):
    stack_id = app_stack(aws, account, drifted=False)
    boto3.client("cloudformation", region_name=REGION, endpoint_url=aws).delete_stack(StackName="app")
    with django_capture_on_commit_callbacks(execute=True):  # the eager task runs when the request commits
        answer = operator_client.post(API, {"kind": KIND, "targets": [stack_id], "reason": "audit"}, "application/json")
    assert answer.status_code == 201, answer.content
    action = Action.objects.get(pk=answer.json()["id"])
    assert action.status == "failed"
    assert "CloudFormation no longer knows the stack" in action.error and "Nothing was started." in action.error
    assert Stack.objects.get(stack_id=stack_id).gone_at is not None  # the re-sync saw it gone


@pytest.mark.django_db
def test_refusals_record_nothing(aws, account, viewer_client, operator_client):
    stack_id = app_stack(aws, account, drifted=False)
    body = {"kind": KIND, "targets": [stack_id], "reason": "audit"}
    assert viewer_client.post(API, body, "application/json").status_code == 403
    scope = {"account": account.account_id, "region": REGION}
    unknown = operator_client.post(API, body | scope | {"targets": [stack_id + "x"]}, "application/json")
    assert unknown.status_code == 400 and "Not in the inventory" in unknown.content.decode()
    Stack.objects.filter(stack_id=stack_id).update(status="ROLLBACK_COMPLETE")
    rolled_back = operator_client.post(API, body, "application/json")
    assert rolled_back.status_code == 400
    assert "is ROLLBACK_COMPLETE in the inventory" in rolled_back.content.decode()
    assert "UPDATE_ROLLBACK_FAILED" in rolled_back.content.decode()  # the statuses AWS checks are named
    assert not Action.objects.exists()
