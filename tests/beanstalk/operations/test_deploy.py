"""beanstalk.deploy, create_environment and clone_environment against the sandbox (eager tasks)."""

from __future__ import annotations

import pytest

from fleetui.actions import services
from fleetui.actions.models import Action
from fleetui.actions.registry import ActionInvalid
from fleetui.beanstalk.models import Environment

from .pair import REGION, Pair, pair_build

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pair(aws, account) -> Pair:
    return pair_build(aws, account)


def request(user, account, kind: str, targets=(), **params) -> Action:
    action = services.action_request(
        user=user, kind=kind, account=account, region=REGION, targets=list(targets), params=params, reason="test"
    )
    action.refresh_from_db()
    return action


def test_deploy_updates_the_version_and_logs_the_events(operator, account, pair):
    action = request(operator, account, "beanstalk.deploy", [pair.green], version_label="v3")
    assert action.status == "succeeded", action.error
    env = pair.eb.describe_environments(EnvironmentIds=[pair.green])["Environments"][0]
    assert (env["VersionLabel"], env["Status"]) == ("v3", "Ready")
    assert action.result["from_version"] == "v2" and action.result["to_version"] == "v3"
    log = " ".join(action.log.values_list("message", flat=True))
    assert "shop-green: Environment update is starting." in log
    assert "Environment update completed successfully." in log
    assert Environment.objects.get(environment_id=pair.green).version_label == "v3"  # re-synced before the end


def test_deploying_the_running_version_again_changes_nothing(operator, account, pair):
    action = request(operator, account, "beanstalk.deploy", [pair.green], version_label="v2")
    assert action.status == "succeeded" and action.result["outcome"] == "already on v2"
    events = pair.eb.describe_events(EnvironmentId=pair.green)["Events"]
    assert not any("update is starting" in event["Message"] for event in events)


def test_deploy_refuses_an_unknown_version_and_an_updating_environment(operator, account, pair):
    with pytest.raises(ActionInvalid) as refused:
        request(operator, account, "beanstalk.deploy", [pair.green], version_label="v9")
    assert "shop has no version 'v9'" in str(refused.value)
    Environment.objects.filter(environment_id=pair.green).update(status="Updating")
    with pytest.raises(ActionInvalid, match="shop-green is Updating"):
        request(operator, account, "beanstalk.deploy", [pair.green], version_label="v3")


def test_deploy_and_swap_on_one_environment_exclude_each_other(operator, account, pair, monkeypatch):
    monkeypatch.setattr(services, "action_enqueue", lambda action: None)
    request(operator, account, "beanstalk.deploy", [pair.green], version_label="v3")
    with pytest.raises(ActionInvalid) as refused:
        request(operator, account, "beanstalk.swap", [pair.green], partner=pair.blue)
    assert "busy: action #" in str(refused.value) and "beanstalk.deploy" in str(refused.value)


def test_create_a_worker_and_a_web_environment(operator, account, pair):
    web = request(
        operator, account, "beanstalk.create_environment", application="shop", environment_name="shop-canary",
        tier="WebServer", version_label="v3", solution_stack="64bit Amazon Linux 2023 v4.6.0 running Python 3.11",
        cname_prefix="shop-canary",
    )  # fmt: skip
    assert web.status == "succeeded", web.error
    assert web.result["cname"] == f"shop-canary.{REGION}.elasticbeanstalk.com"
    row = Environment.objects.get(environment_id=web.result["environment_id"])
    assert (row.tier, row.status, row.version_label) == ("WebServer", "Ready", "v3")
    worker = request(
        operator, account, "beanstalk.create_environment", application="shop", environment_name="shop-jobs",
        tier="Worker", version_label="v3", solution_stack="64bit Amazon Linux 2023 v4.6.0 running Python 3.11",
    )  # fmt: skip
    assert worker.status == "succeeded", worker.error
    created = pair.eb.describe_environments(EnvironmentIds=[worker.result["environment_id"]])["Environments"][0]
    assert created["Tier"]["Name"] == "Worker" and not created.get("CNAME")


def test_create_refuses_bad_and_taken_names(operator, account, pair):
    base = {"application": "shop", "tier": "Worker", "version_label": "v3", "solution_stack": "x"}
    with pytest.raises(ActionInvalid) as refused:
        request(operator, account, "beanstalk.create_environment", environment_name="-bad", **base)
    assert "4-40 letters" in str(refused.value)
    with pytest.raises(ActionInvalid, match="already exists"):
        request(operator, account, "beanstalk.create_environment", environment_name="shop-blue", **base)
    with pytest.raises(ActionInvalid, match="no URL"):
        request(
            operator, account, "beanstalk.create_environment", environment_name="shop-x", cname_prefix="shopx", **base
        )


def test_clone_makes_the_green_side_from_the_blue_one(operator, account, pair):
    action = request(
        operator, account, "beanstalk.clone_environment", [pair.blue], environment_name="shop-next",
        cname_prefix="shop-next", version_label="v3",
    )  # fmt: skip
    assert action.status == "succeeded", action.error
    clone = pair.eb.describe_environments(EnvironmentIds=[action.result["environment_id"]])["Environments"][0]
    source = pair.eb.describe_environments(EnvironmentIds=[pair.blue])["Environments"][0]
    assert clone["SolutionStackName"] == source["SolutionStackName"] and clone["Tier"]["Name"] == "WebServer"
    assert clone["VersionLabel"] == "v3" and clone["CNAME"] == f"shop-next.{REGION}.elasticbeanstalk.com"


def test_the_application_page_offers_new_environment_and_deploy_by_role(operator_client, viewer, account, pair, client):
    page = operator_client.get(f"/beanstalk/{account.account_id}/{REGION}/shop/").content.decode()
    assert "New environment" in page and ">Deploy<" in page and ">Swap URLs<" in page
    form = operator_client.get(
        "/actions/new/beanstalk.create_environment/",
        {"account": account.account_id, "region": REGION, "p-application": "shop"},
    ).content.decode()
    assert '<option value="shop" selected>' in form
    deploy = operator_client.get(
        "/actions/new/beanstalk.deploy/", {"account": account.account_id, "region": REGION, "target": pair.green}
    ).content.decode()
    assert "runs <strong>v2</strong>" in deploy and "<code>v3</code>" in deploy  # what runs now, and the choices
    client.force_login(viewer)
    page = client.get(f"/beanstalk/{account.account_id}/{REGION}/shop/").content.decode()
    assert "New environment" not in page and ">Deploy<" not in page and ">Swap URLs<" not in page
