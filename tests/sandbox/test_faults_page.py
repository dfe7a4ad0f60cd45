"""The sandbox's fault page: an admin switches faults on and off in the browser, against the real sandbox server."""

import importlib
import re

import pytest
from botocore.exceptions import ClientError
from django.test import Client, modify_settings
from django.urls import reverse

import fleetui.urls
from fleetui.aws import client_get
from fleetui.sandbox.faults import fault_inject, faults_list

PAGE = "/sandbox/faults/"
ICE = "InsufficientInstanceCapacity"
ICE_FORM = {"action": "StartInstances", "error": ICE, "count": "2", "http_400": "on"}


@pytest.fixture
def stopped_instance(ec2) -> str:
    image = sorted(
        i["ImageId"]
        for i in ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": ["amzn2-*"]}])["Images"]
    )[0]
    instance_id = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    ec2.stop_instances(InstanceIds=[instance_id])
    return instance_id


def _start_error(ec2, instance_id: str) -> ClientError:
    with pytest.raises(ClientError) as excinfo:
        ec2.start_instances(InstanceIds=[instance_id])
    return excinfo.value


def test_the_url_is_the_sandbox_namespace():
    assert reverse("sandbox:faults") == PAGE


def test_admin_injects_capacity_errors_on_the_next_two_starts(aws, admin_client_, stopped_instance):
    """The demo's capacity-error path: ICE on the next 2 StartInstances reaches the caller, then starts succeed."""
    assert "No faults" in admin_client_.get(PAGE).content.decode()

    response = admin_client_.post(PAGE, ICE_FORM, follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    page = response.content.decode()
    assert "Fault set. StartInstances: InsufficientInstanceCapacity on the next 2 calls." in page
    assert re.search(
        r'<tr class="fault" data-action="StartInstances">.*?badge bad">InsufficientInstanceCapacity'
        r'.*?<td class="num">400</td>\s*<td class="num">2</td>',
        page,
        re.S,
    )
    [stored] = faults_list(endpoint=aws)
    assert (stored["action"], stored["error"], stored["count"], stored["status"]) == ("StartInstances", ICE, 2, 400)

    ec2 = client_get("ec2", region="us-east-1")  # fleetui's own client: standard retries, 8 attempts
    for _ in range(2):
        error = _start_error(ec2, stopped_instance)
        assert error.response["Error"]["Code"] == ICE
        assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert error.response["ResponseMetadata"]["RetryAttempts"] == 0
    started = ec2.start_instances(InstanceIds=[stopped_instance])["StartingInstances"][0]
    assert started["CurrentState"]["Name"] in {"pending", "running"}
    assert faults_list(endpoint=aws) == []  # used up


def test_without_http_400_botocore_retries_absorb_the_capacity_error(aws, admin_client_, stopped_instance):
    """Why the checkbox exists: real EC2's 500 is retried, so 2 injected errors never reach fleetui's caller."""
    assert admin_client_.post(PAGE, {**ICE_FORM, "http_400": ""}).status_code == 302
    assert '<td class="num">500</td>' in admin_client_.get(PAGE).content.decode()

    ec2 = client_get("ec2", region="us-east-1")
    response = ec2.start_instances(InstanceIds=[stopped_instance])
    assert response["ResponseMetadata"]["RetryAttempts"] == 2
    assert faults_list(endpoint=aws) == []


def test_throttling_at_a_rate_and_latency_only(aws, admin_client_):
    throttle = {"action": "DescribeInstances", "error": "RequestLimitExceeded", "rate": "0.5"}
    assert admin_client_.post(PAGE, throttle).status_code == 302
    assert admin_client_.post(PAGE, {"action": "RunInstances", "latency_ms": "250"}).status_code == 302
    faults = {f["action"]: f for f in faults_list(endpoint=aws)}
    assert faults["DescribeInstances"]["rate"] == 0.5 and faults["DescribeInstances"]["count"] is None
    assert faults["RunInstances"]["error"] is None and faults["RunInstances"]["latency_ms"] == 250
    page = admin_client_.get(PAGE).content.decode()
    assert "none (latency only)" in page and "RequestLimitExceeded" in page


def test_remove_all(aws, admin_client_):
    fault_inject(endpoint=aws, action="StartInstances", error=ICE, count=2)
    fault_inject(endpoint=aws, action="DescribeInstances", latency_ms=10)
    assert admin_client_.get(PAGE).content.decode().count('<tr class="fault"') == 2

    response = admin_client_.post(reverse("sandbox:faults_remove_all"), follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert faults_list(endpoint=aws) == []
    page = response.content.decode()
    assert "Removed every fault" in page and "No faults" in page
    assert admin_client_.get(reverse("sandbox:faults_remove_all")).status_code == 405


def test_a_spec_the_sandbox_refuses_shows_its_reason(aws, admin_client_):
    """Neither an error nor a latency: the form lets it through, the sandbox answers 400, the page shows why."""
    response = admin_client_.post(PAGE, {"action": "DescribeInstances", "error": "", "latency_ms": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The sandbox refused this fault: a fault needs &#x27;error&#x27; and/or &#x27;latency_ms&#x27;" in page
    assert 'value="DescribeInstances"' in page  # the admin's input is kept
    assert faults_list(endpoint=aws) == []


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"action": "DescribeInstances", "error": "InternalError", "rate": "2"}, "less than or equal to 1"),
        ({"action": "StartInstances", "error": ICE, "count": "0"}, "greater than or equal to 1"),
        ({"action": "Start Instances", "error": ICE}, "An API name such as StartInstances"),
        ({"action": "DescribeInstances", "error": "RequestLimitExceeded", "http_400": "on"}, "Only for Insufficient"),
    ],
)
def test_invalid_input_is_refused_in_the_form(aws, admin_client_, data, reason):
    response = admin_client_.post(PAGE, data)
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert faults_list(endpoint=aws) == []


def test_a_post_without_the_csrf_token_is_refused(aws, admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    assert client.post(PAGE, ICE_FORM).status_code == 403
    fault_inject(endpoint=aws, action="DescribeInstances", latency_ms=10)
    assert client.post(reverse("sandbox:faults_remove_all")).status_code == 403
    assert [f["action"] for f in faults_list(endpoint=aws)] == ["DescribeInstances"]

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(PAGE).content.decode()).group(1)
    assert client.post(PAGE, {**ICE_FORM, "csrfmiddlewaretoken": token}).status_code == 302
    assert sorted(f["action"] for f in faults_list(endpoint=aws)) == ["DescribeInstances", "StartInstances"]


def test_without_aws_endpoint_url_the_page_says_the_sandbox_is_not_configured(admin_client_, monkeypatch):
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    page = admin_client_.get(PAGE)
    assert page.status_code == 200
    assert "The sandbox is not configured" in page.content.decode()
    assert admin_client_.post(PAGE, ICE_FORM).status_code == 503
    removed = admin_client_.post(reverse("sandbox:faults_remove_all"), follow=True)
    assert "The sandbox is not configured" in removed.content.decode()


def test_an_endpoint_that_does_not_answer_is_reported_not_raised(admin_client_, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # the discard port: nothing listens
    page = admin_client_.get(PAGE)
    assert page.status_code == 200
    assert "The fault API at http://127.0.0.1:9 did not answer" in page.content.decode()
    assert admin_client_.post(PAGE, ICE_FORM).status_code == 502


@pytest.mark.django_db
def test_the_nav_links_the_page_for_admins_only(client, viewer, operator, admin_user):
    link = f'href="{PAGE}"'
    for user in (viewer, operator):
        client.force_login(user)
        assert link not in client.get(reverse("inventory:overview")).content.decode()
    client.force_login(admin_user)
    assert link in client.get(reverse("inventory:overview")).content.decode()
    with modify_settings(INSTALLED_APPS={"remove": ["fleetui.sandbox"]}):
        assert link not in client.get(reverse("inventory:overview")).content.decode()


def test_the_urls_exist_only_with_the_sandbox_app():
    def namespaces() -> set[str | None]:
        return {getattr(entry, "namespace", None) for entry in fleetui.urls.urlpatterns}

    assert "sandbox" in namespaces()
    try:
        with modify_settings(INSTALLED_APPS={"remove": ["fleetui.sandbox"]}):
            importlib.reload(fleetui.urls)
            assert "sandbox" not in namespaces()
    finally:
        importlib.reload(fleetui.urls)
    assert "sandbox" in namespaces()
