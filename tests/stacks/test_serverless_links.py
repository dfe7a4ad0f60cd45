"""Lambda, API Gateway and CloudFormation together, as the demo seeds them (one seeded, synced sandbox for the
module; the tests only read): the SAM stack's function and API are in the Lambda and API Gateway inventories and
link back to the stack; a stage that calls a deleted function is a finding; an API's function is linked, and a
function an API or a stack refers to is not "unreferenced"."""

import csv
import io
import re

import pytest
import requests
from django.urls import reverse

from fleetui.apigateway.models import RestApi, Stage
from fleetui.aws import clients_clear
from fleetui.inventory.models import Account
from fleetui.inventory.sync import sync_scope
from fleetui.lambda_.models import Function
from fleetui.sandbox.lambda_.seed import lambda_seed
from fleetui.sandbox.stacks.seed import stacks_seed
from fleetui.stacks.models import StackResource
from tests.apigateway.conftest import TYPES as APIGATEWAY_TYPES
from tests.apigateway.conftest import demo_seed as apigateway_demo_seed
from tests.lambda_.conftest import LAMBDA_TYPES

from .conftest import ACCOUNT, REGION, STACK_TYPES, sandbox_reset


@pytest.fixture(scope="module")
def fleet(moto_server, django_db_setup, django_db_blocker):
    sandbox_reset(moto_server)
    lambda_seed(endpoint=moto_server, regions=[REGION])
    apigateway_demo_seed(moto_server)
    stacks_seed(endpoint=moto_server, regions=[REGION])
    with django_db_blocker.unblock():
        owner = Account.objects.create(account_id=ACCOUNT, name="default")
        for resource_type in ("instances", "security_groups", *LAMBDA_TYPES, *APIGATEWAY_TYPES, *STACK_TYPES):
            run = sync_scope(account=owner, region=REGION, resource_type=resource_type)
            assert run.status == "succeeded", (resource_type, run.error)
        sam = {r.resource_type: r.physical_id for r in StackResource.objects.filter(stack_name="orders-sam")}
    yield {"owner": owner, "sam": sam}
    with django_db_blocker.unblock():
        owner.delete()
    requests.post(f"{moto_server}/moto-api/reset", timeout=30)
    clients_clear()


def page(client, url, **query) -> str:
    answer = client.get(url, query)
    assert answer.status_code == 200
    return answer.content.decode()


def test_the_sam_stacks_function_and_api_are_in_the_inventory_and_link_back(viewer_client, fleet):
    function = Function.objects.get(function_name=fleet["sam"]["AWS::Lambda::Function"], gone_at=None)
    api = RestApi.objects.get(api_id=fleet["sam"]["AWS::ApiGateway::RestApi"], gone_at=None)
    stack_url = reverse("stacks:stack_detail", args=[ACCOUNT, REGION, "orders-sam"])
    for row in (function, api):
        html = page(viewer_client, row.get_absolute_url())
        owners = re.search(r'<p class="owners">.*?</p>', html, re.S).group(0)
        assert "CloudFormation stack" in owners and f'<a href="{stack_url}">orders-sam (' in owners
    stack = page(viewer_client, stack_url)
    assert f'href="{function.get_absolute_url()}"' in stack and f'href="{api.get_absolute_url()}"' in stack


def test_a_stage_calling_a_deleted_function_is_a_finding_and_live_functions_are_linked(viewer_client, fleet):
    def stages(**query) -> set[tuple[str, str]]:
        answer = viewer_client.get(reverse("apigateway:stage_list"), {**query, "export": "csv"})
        return {
            (r["api_name"], r["stage_name"])
            for r in csv.DictReader(io.StringIO(b"".join(answer.streaming_content).decode()))
        }

    # storefront-api's /legacy calls checkout-v1, which does not exist; its two stages serve it.
    assert stages(missing_function="true") == {("storefront-api", "prod"), ("storefront-api", "staging")}
    assert not stages(missing_function="false") & stages(missing_function="true")
    prod = Stage.objects.get(api_name="storefront-api", stage_name="prod")
    html = page(viewer_client, prod.get_absolute_url())
    alert = re.search(r'<div class="alert error" role="alert" id="missing-functions">.*?</div>', html, re.S).group(0)
    assert "<strong>checkout-v1</strong>" in alert and "orders-api" not in alert
    orders = Function.objects.get(function_name="orders-api")
    assert f'<a href="{orders.get_absolute_url()}">orders-api</a>' in html
    assert html.count('data-finding="missing-function"') == 1


def test_a_function_an_api_or_a_stack_calls_is_referenced(viewer_client, fleet):
    orders = Function.objects.get(function_name="orders-api")
    owners = re.search(r'<p class="owners">.*?</p>', page(viewer_client, orders.get_absolute_url()), re.S).group(0)
    assert "API Gateway" in owners and "storefront-api" in owners
    answer = viewer_client.get(reverse("lambda_:function_list"), {"finding": "unreferenced", "export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(answer.streaming_content).decode())))
    listed = {row["function_name"] for row in rows}
    referenced = {"orders-api", "payments-webhook", "queue-worker", fleet["sam"]["AWS::Lambda::Function"]}
    everything = set(Function.objects.filter(gone_at=None).values_list("function_name", flat=True))
    assert referenced <= everything
    assert listed == everything - referenced and listed
