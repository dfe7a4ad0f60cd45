"""beanstalk.swap and beanstalk.terminate_environment against the sandbox (eager tasks: the real engine and AWS
calls, run in this process). The real-worker and crash cases are in test_beanstalk_worker.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from fleetui.actions import engine, services
from fleetui.actions.models import Action
from fleetui.actions.registry import ActionInvalid
from fleetui.beanstalk import swaps
from fleetui.beanstalk.models import Environment, EnvironmentEvent
from fleetui.inventory.sync import sync_scope

from .pair import REGION, Pair, pair_build, sandbox_health, wait_ready

pytestmark = pytest.mark.django_db(transaction=True)
PRODUCTION = f"shop.{REGION}.elasticbeanstalk.com"


@pytest.fixture
def pair(aws, account) -> Pair:
    return pair_build(aws, account)


def swap(user, account, pair: Pair, *, promote: str | None = None, partner: str | None = None, **params) -> Action:
    promote, partner = promote or pair.green, partner or pair.blue
    return services.action_request(
        user=user, kind="beanstalk.swap", account=account, region=REGION, targets=[promote],
        params={"partner": partner, **params}, reason="release 2",
    )  # fmt: skip


def test_swap_moves_the_production_url_and_records_before_and_after(operator, account, pair):
    action = swap(operator, account, pair)
    action.refresh_from_db()
    assert action.status == "succeeded", action.error
    assert pair.cnames() == {
        pair.green: f"shop.{REGION}.elasticbeanstalk.com",
        pair.blue: f"shop-green.{REGION}.elasticbeanstalk.com",
    }
    result = action.result
    assert result["before"] == {
        pair.green: f"shop-green.{REGION}.elasticbeanstalk.com",
        pair.blue: f"shop.{REGION}.elasticbeanstalk.com",
    }
    assert result["after"] == pair.cnames()
    assert (result["promoted"], result["standby"], result["application"]) == (pair.green, pair.blue, "shop")
    assert result["production_url"] == f"shop.{REGION}.elasticbeanstalk.com"
    log = " ".join(action.log.values_list("message", flat=True))
    assert "Completed swapping CNAMEs" in log  # the environments' events reach the step log
    assert "OK · Both Ready, neither updating" in log
    # The inventory shows the result when the action ends, and the old production is the standby.
    assert Environment.objects.get(environment_id=pair.green).cname == f"shop.{REGION}.elasticbeanstalk.com"
    assert swaps.standby_of(account=account, region=REGION, environment_id=pair.blue) is not None
    assert swaps.standby_of(account=account, region=REGION, environment_id=pair.green) is None
    assert EnvironmentEvent.objects.filter(
        environment_name="shop-green", message__startswith="Completed swapping"
    ).exists()


def test_swap_back_returns_production_to_the_standby(operator, account, pair):
    first = swap(operator, account, pair)
    back = swap(operator, account, pair, promote=pair.blue, partner=pair.green)
    back.refresh_from_db()
    assert back.status == "succeeded", back.error
    assert pair.cnames()[pair.blue] == f"shop.{REGION}.elasticbeanstalk.com"
    assert back.result["production_url"] == f"shop.{REGION}.elasticbeanstalk.com"
    assert swaps.standby_of(account=account, region=REGION, environment_id=pair.green).action == back
    assert swaps.standby_of(account=account, region=REGION, environment_id=pair.blue) is None
    assert list(swaps.swap_history(account=account, region=REGION, application="shop")) == [back, first]


def test_the_swap_back_button_prefills_the_reverse_swap(operator, account, pair, operator_client):
    action = swap(operator, account, pair)
    page = operator_client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert "Swap back" in page
    form = operator_client.get(
        reverse("actions:new", args=["beanstalk.swap"]),
        {"target": pair.blue, "account": account.account_id, "region": REGION, "p-partner": pair.green},
    ).content.decode()
    # The confirmation names exactly which URL moves where, checked live.
    assert (
        f"shop.{REGION}.elasticbeanstalk.com (the production URL, now on shop-green, version v2) moves to shop-blue"
        in form
    )
    assert "✓ pass" in form and "✗ refused" not in form


def test_a_double_post_is_one_swap_and_the_urls_end_swapped(operator, account, pair, operator_client):
    data = {
        "account": account.account_id, "region": REGION, "targets": pair.green, "p-partner": pair.blue,
        "reason": "release", "idempotency_key": "same-click", "submit": "1",
    }  # fmt: skip
    url = reverse("actions:new", args=["beanstalk.swap"])
    first, second = operator_client.post(url, data), operator_client.post(url, data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Action.objects.filter(kind="beanstalk.swap").count() == 1
    assert pair.cnames()[pair.green] == f"shop.{REGION}.elasticbeanstalk.com"  # swapped, not swapped back


def test_a_swap_while_an_environment_is_updating_is_refused_before_the_call(operator, account, pair):
    pair.eb.update_environment(EnvironmentId=pair.blue, VersionLabel="v3")
    before = pair.cnames()
    with pytest.raises(ActionInvalid) as refused:
        swap(operator, account, pair)
    assert "shop-blue is Updating" in str(refused.value) and "Wait until it is Ready" in str(refused.value)
    assert not Action.objects.filter(kind="beanstalk.swap").exists()
    assert pair.cnames() == before


def test_the_task_checks_again_just_before_the_call(operator, account, pair, monkeypatch):
    """The page's checks passed, but by the time the task runs the partner is Updating: refused, nothing called."""
    monkeypatch.setattr(services, "action_enqueue", lambda action: None)
    action = swap(operator, account, pair)
    pair.eb.update_environment(EnvironmentId=pair.blue, VersionLabel="v3")
    before = pair.cnames()
    engine.action_execute(action.pk, owner="test")
    action.refresh_from_db()
    assert action.status == "failed"
    assert "Refused before the swap; nothing was changed" in action.error and "shop-blue is Updating" in action.error
    assert pair.cnames() == before
    assert "called_at" not in action.result


def test_a_redelivery_after_the_call_does_not_swap_back(operator, account, pair, monkeypatch):
    """A delivery that died after SwapEnvironmentCNAMEs: the next one sees the exchange and only waits."""
    monkeypatch.setattr(services, "action_enqueue", lambda action: None)
    action = swap(operator, account, pair)
    before = pair.cnames()
    Action.objects.filter(pk=action.pk).update(result={"before": before})
    pair.eb.swap_environment_cnames(SourceEnvironmentId=pair.blue, DestinationEnvironmentId=pair.green)
    engine.action_execute(action.pk, owner="test")
    action.refresh_from_db()
    assert action.status == "succeeded", action.error
    assert pair.cnames() == {pair.green: before[pair.blue], pair.blue: before[pair.green]}
    assert any("already exchanged" in m for m in action.log.values_list("message", flat=True))


def test_production_cannot_be_swapped_onto_the_environment_that_holds_it(operator, account, pair):
    with pytest.raises(ActionInvalid) as refused:
        swap(operator, account, pair, promote=pair.blue, partner=pair.green)
    assert "shop-blue already serves the production URL" in str(refused.value)
    assert "press Swap URLs on the environment that should take it" in str(refused.value)


def test_a_swap_of_two_other_environments_leaves_production_and_makes_no_standby(operator, account, pair, aws):
    pair.eb.create_environment(
        ApplicationName="shop", EnvironmentName="shop-canary", CNAMEPrefix="shop-canary", VersionLabel="v3",
        SolutionStackName="64bit Amazon Linux 2023 v4.6.0 running Python 3.11",
    )  # fmt: skip
    canary = next(e for e in pair.eb.describe_environments()["Environments"] if e["EnvironmentName"] == "shop-canary")
    wait_ready(pair, canary["EnvironmentId"])
    sync_scope(account=account, region=REGION, resource_type="eb_environments")
    action = swap(operator, account, pair, promote=canary["EnvironmentId"], partner=pair.green)
    action.refresh_from_db()
    assert action.status == "succeeded", action.error
    assert (action.result["production_url"], action.result["standby"]) == ("", "")
    assert swaps.standby_of(account=account, region=REGION, environment_id=pair.green) is None
    rows = Environment.objects.filter(application_name="shop")
    assert swaps.production_url(account=account, region=REGION, application="shop", environments=rows) == PRODUCTION
    assert pair.cnames()[pair.blue] == PRODUCTION


def test_a_worker_environment_cannot_be_swapped(operator, account, pair):
    with pytest.raises(ActionInvalid) as refused:
        swap(operator, account, pair, promote=pair.worker, partner=pair.blue)
    assert "shop-worker is a Worker environment: it has no URL" in str(refused.value)


def test_a_viewer_cannot_swap(viewer, account, pair, client):
    with pytest.raises(PermissionDenied):
        swap(viewer, account, pair)
    client.force_login(viewer)
    url = reverse("actions:new", args=["beanstalk.swap"])
    data = {
        "account": account.account_id,
        "region": REGION,
        "targets": pair.green,
        "p-partner": pair.blue,
        "submit": "1",
    }
    assert client.post(url, {**data, "reason": "x"}).status_code == 403
    assert not Action.objects.exists()


def test_health_gate_yellow_needs_the_override_and_red_needs_an_admin(operator, admin_user, account, pair, aws):
    sandbox_health(aws, "shop-green", "Yellow", "Warning")
    with pytest.raises(ActionInvalid) as refused:
        swap(operator, account, pair)
    assert "Yellow/Warning" in str(refused.value) and "override" in str(refused.value)
    sandbox_health(aws, "shop-green", "Red", "Severe")
    with pytest.raises(ActionInvalid, match="only an admin can override"):
        swap(operator, account, pair, override="warning")
    with pytest.raises(PermissionDenied):
        swap(operator, account, pair, override="admin")
    action = swap(admin_user, account, pair, override="admin")
    action.refresh_from_db()
    assert action.status == "succeeded", action.error
    assert any("admin's override" in m for m in action.log.values_list("message", flat=True))


def test_swap_over_the_api(operator, account, pair, client):
    client.force_login(operator)
    body = {
        "kind": "beanstalk.swap", "account": account.account_id, "region": REGION, "targets": [pair.green],
        "params": {"partner": pair.blue}, "reason": "api release",
    }  # fmt: skip
    answer = client.post("/api/v1/actions/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert answer.status_code == 201, answer.content
    again = client.post("/api/v1/actions/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert again.json()["id"] == answer.json()["id"]
    done = client.get(f"/api/v1/actions/{answer.json()['id']}/").json()
    assert done["status"] == "succeeded" and done["result"]["production_url"] == f"shop.{REGION}.elasticbeanstalk.com"
    assert pair.cnames()[pair.green] == f"shop.{REGION}.elasticbeanstalk.com"


def test_a_route53_alias_to_a_load_balancer_is_warned_about(operator, account, pair, aws):
    import boto3

    lb = pair.eb.describe_environments(EnvironmentIds=[pair.blue])["Environments"][0]["EndpointURL"]
    r53 = boto3.client("route53", region_name=REGION, endpoint_url=aws)
    zone = r53.create_hosted_zone(Name="example.com.", CallerReference="t")["HostedZone"]["Id"]
    record = {
        "Name": "shop.example.com.",
        "Type": "A",
        "AliasTarget": {"HostedZoneId": "Z35SXDOTRQ7X7K", "DNSName": f"dualstack.{lb}.", "EvaluateTargetHealth": False},
    }
    r53.change_resource_record_sets(
        HostedZoneId=zone, ChangeBatch={"Changes": [{"Action": "CREATE", "ResourceRecordSet": record}]}
    )
    action = swap(operator, account, pair)
    action.refresh_from_db()
    assert action.status == "succeeded"
    assert action.result["warnings"] and "shop.example.com" in action.result["warnings"][0]
    assert "will NOT move with the swap" in action.result["warnings"][0]


def terminate(user, account, environment_id: str) -> Action:
    return services.action_request(
        user=user, kind="beanstalk.terminate_environment", account=account, region=REGION,
        targets=[environment_id], reason="cleanup",
    )  # fmt: skip


def test_terminating_the_standby_inside_the_grace_period_is_refused(operator, admin_user, account, pair, settings):
    swap(operator, account, pair)
    with pytest.raises(ActionInvalid) as refused:
        terminate(admin_user, account, pair.blue)
    assert "is the standby of swap" in str(refused.value) and "DNS" in str(refused.value)
    with pytest.raises(ActionInvalid, match="serves the production URL"):
        terminate(admin_user, account, pair.green)
    with pytest.raises(PermissionDenied):
        terminate(operator, account, pair.blue)
    # Once the grace period has passed, the old environment may go.
    Action.objects.filter(kind="beanstalk.swap").update(
        finished_at=Action.objects.get().finished_at - timedelta(hours=2)
    )
    action = terminate(admin_user, account, pair.blue)
    action.refresh_from_db()
    assert action.status == "succeeded", action.error
    assert (
        pair.status(pair.blue) == "Terminated"
        or not pair.eb.describe_environments(EnvironmentIds=[pair.blue], IncludeDeleted=False)["Environments"]
    )
    assert Environment.objects.get(environment_id=pair.blue).gone_at is not None


def test_the_task_refuses_to_terminate_a_standby_too(operator, admin_user, account, pair, monkeypatch):
    """Requested when its grace period was over; another swap made it the standby again before the task ran: the
    task checks again and refuses."""
    from django.utils import timezone

    def swapped(at) -> None:
        Action.objects.create(
            kind="beanstalk.swap", account=account, region=REGION, targets=[pair.green], requested_by=operator,
            params={"partner": pair.blue, "application": "shop"}, status="succeeded", finished_at=at,
            result={"promoted": pair.green, "standby": pair.blue, "production_url": PRODUCTION},
        )  # fmt: skip

    pair.eb.swap_environment_cnames(SourceEnvironmentId=pair.blue, DestinationEnvironmentId=pair.green)
    wait_ready(pair, pair.blue, pair.green)
    sync_scope(account=account, region=REGION, resource_type="eb_environments")
    swapped(timezone.now() - timedelta(hours=2))
    monkeypatch.setattr(services, "action_enqueue", lambda action: None)
    action = terminate(admin_user, account, pair.blue)
    swapped(timezone.now())
    engine.action_execute(action.pk, owner="test")
    action.refresh_from_db()
    assert action.status == "failed" and "is the standby of swap" in action.error
    assert pair.status(pair.blue) == "Ready"


def test_a_swap_refused_because_aws_cannot_be_read_says_so(operator, account, pair, aws):
    from fleetui.sandbox.faults import fault_inject

    fault_inject(endpoint=aws, action="DescribeEnvironments", error="AccessDenied", status=403)
    with pytest.raises(ActionInvalid, match="AWS could not be read to check the swap"):
        swap(operator, account, pair)
    assert not Action.objects.exists()
