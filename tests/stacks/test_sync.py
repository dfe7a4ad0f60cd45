"""The CloudFormation sync against the sandbox's demo (seeded once for the module): stacks with SAM, findings,
termination protection, parameters and outputs; the SAM stack's resources are the Lambda function and REST API moto's
own backends hold; resources link to the EC2 rows the inventory keeps, and EC2's pages say which stack owns them; an
unchanged re-sync writes nothing; a targeted re-sync by resource key; AccessDenied fails one scope."""

import re

import boto3
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fleetui.ec2.models import Instance, SecurityGroup
from fleetui.inventory.sync import sync_ids, sync_scope
from fleetui.sandbox.faults import fault_inject, faults_clear
from fleetui.stacks.models import Stack, StackEvent, StackResource
from fleetui.stacks.selectors import links_for, stack_detail

from .conftest import ACCOUNT, REGION, STACK_TYPES, sync_all

WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"stacks_\w+"', re.IGNORECASE)


def test_stacks_with_sam_findings_protection_parameters_and_outputs(synced):
    stacks = {s.name: s for s in Stack.objects.all()}
    assert set(stacks) == {"orders-sam", "web-frontend", "network-baseline", "billing-etl"}
    assert [name for name, s in stacks.items() if s.is_sam] == ["orders-sam"]
    assert stacks["orders-sam"].transforms == ["AWS::Serverless-2016-10-31"]
    assert [name for name, s in stacks.items() if s.is_finding] == ["billing-etl"]
    failed = stacks["billing-etl"]
    assert failed.status == "UPDATE_ROLLBACK_FAILED"
    assert failed.status_reason.startswith("The following resource(s) failed to update: [EtlSecurityGroup].")
    assert [name for name, s in stacks.items() if s.termination_protection] == ["network-baseline"]
    baseline = stacks["network-baseline"]
    assert baseline.parameters == [{"key": "Env", "value": "prod"}]
    [output] = baseline.outputs
    assert (output["key"], output["export"]) == ("InternalGroupId", "network-baseline-internal-sg")
    assert stacks["web-frontend"].drift_status == "NOT_CHECKED" and stacks["web-frontend"].tags == {"team": "platform"}
    etl = StackResource.objects.get(logical_id="EtlSecurityGroup")
    assert etl.status == "UPDATE_FAILED" and "dependent object" in etl.status_reason
    # Events: the newest of each stack, the failure among billing-etl's.
    assert StackEvent.objects.filter(stack_name="billing-etl", status="UPDATE_ROLLBACK_FAILED").exists()
    assert StackEvent.objects.filter(stack_name="orders-sam", logical_id="OrdersFunction").count() >= 2


def test_the_sam_stack_holds_the_function_and_api_moto_created(synced, seeded):
    resources = {r.logical_id: r for r in StackResource.objects.filter(stack_name="orders-sam")}
    assert {logical: r.resource_type for logical, r in resources.items()} == {
        "OrdersFunction": "AWS::Lambda::Function",
        "OrdersFunctionRole": "AWS::IAM::Role",
        "OrdersApi": "AWS::ApiGateway::RestApi",
        "OrdersApiprodStage": "AWS::ApiGateway::Stage",
        "OrdersFunctionListOrdersPermissionprod": "AWS::Lambda::Permission",
        "OrdersFunctionCreateOrderPermissionprod": "AWS::Lambda::Permission",
        **{k: "AWS::ApiGateway::Deployment" for k in resources if k.startswith("OrdersApiDeployment")},
    }
    keys = {"region_name": REGION, "endpoint_url": seeded}
    functions = {f["FunctionName"]: f for f in boto3.client("lambda", **keys).list_functions()["Functions"]}
    function = functions[resources["OrdersFunction"].physical_id]
    assert (function["Runtime"], function["MemorySize"], function["Timeout"]) == ("python3.12", 512, 30)
    assert function["Role"].endswith(f":role/{resources['OrdersFunctionRole'].physical_id}")
    apigateway = boto3.client("apigateway", **keys)
    api = apigateway.get_rest_api(restApiId=resources["OrdersApi"].physical_id)
    assert api["name"] == "orders-api"
    items = apigateway.get_resources(restApiId=api["id"])["items"]
    paths = {r["path"]: set(r.get("resourceMethods", {})) for r in items}
    assert paths["/orders"] == {"GET", "POST"}
    assert [s["stageName"] for s in apigateway.get_stages(restApiId=api["id"])["item"]] == ["prod"]


def test_resources_link_to_the_ec2_rows_and_ec2_pages_name_the_stack(synced, viewer_client):
    web = {r.logical_id: r for r in StackResource.objects.filter(stack_name="web-frontend").select_related("account")}
    instance = Instance.objects.get(instance_id=web["WebInstance"].physical_id)
    group = SecurityGroup.objects.get(group_id=web["WebSecurityGroup"].physical_id)
    links = links_for(web.values())
    [to_instance] = [link for key, link in links.items() if key[3] == instance.instance_id]
    assert (to_instance.label, to_instance.url) == (
        "web-frontend-1", reverse("ec2:instance_detail", args=[ACCOUNT, REGION, instance.instance_id]),
    )  # fmt: skip
    [to_group] = [link for key, link in links.items() if key[3] == group.group_id]
    assert to_group.url == reverse(
        "ec2:security_group_detail", args=[group.account.account_id, group.region, group.group_id]
    )
    # The stack page shows both links, and a type fleetui does not inventory as text.
    page = viewer_client.get(reverse("stacks:stack_detail", args=[ACCOUNT, REGION, "web-frontend"])).content.decode()
    assert f'href="{to_instance.url}">web-frontend-1</a>' in page
    orders = stack_detail(account_id=ACCOUNT, region=REGION, name="orders-sam")
    role = next(row for row in orders.resources if row.resource.logical_id == "OrdersFunctionRole")
    assert role.link is None
    # EC2's instance page says which stack owns it; the instance list filters by it.
    instance_page = viewer_client.get(reverse("ec2:instance_detail", args=[ACCOUNT, REGION, instance.instance_id]))
    assert "CloudFormation stack" in instance_page.content.decode()
    assert "web-frontend (WebInstance)" in instance_page.content.decode()
    owned = viewer_client.get(reverse("ec2:instance_list"), {"owner": "stacks"}).content.decode()
    assert instance.instance_id in owned


def test_an_unchanged_resync_writes_nothing_and_a_targeted_one_reads_its_stack(synced, account):
    with CaptureQueriesContext(connection) as queries:
        second = sync_all(account, types=STACK_TYPES)
    for name, run in second.items():
        assert (run.seen, run.added, run.changed, run.gone) == (synced[name].seen, 0, 0, 0), name
    assert [q["sql"][:80] for q in queries.captured_queries if WRITE.match(q["sql"])] == []
    etl = StackResource.objects.get(logical_id="EtlSecurityGroup")
    result = sync_ids(account=account, region=REGION, resource_type="stacks_resources", ids=[etl.resource_key])
    assert (result.seen, result.gone) == (1, 0)


def test_access_denied_fails_one_scope_and_keeps_the_rows(synced, account, seeded):
    fault_inject(endpoint=seeded, action="DescribeStacks", error="AccessDenied")
    try:
        run = sync_scope(account=account, region=REGION, resource_type="stacks_stacks")
    finally:
        faults_clear(endpoint=seeded)
    assert run.status == "failed" and "AccessDenied" in run.error
    assert Stack.objects.filter(gone_at__isnull=True).count() == 4
