"""The sandbox's Elastic Beanstalk operations through boto3: update, terminate, swap, events, the control
endpoints (delay, health override, reset) and the demo seed."""

from __future__ import annotations

from datetime import timedelta

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

from fleetui.sandbox.beanstalk.seed import beanstalk_seed
from fleetui.sandbox.beanstalk.state import default_delay
from tests.sandbox.beanstalk.test_environments import (
    DELAY,
    app_with_versions,
    assert_invalid,
    settle,
    web_env,
    worker_env,
)


@pytest.fixture
def eb(aws: str):
    requests.post(f"{aws}/fleetui-sandbox/beanstalk", json={"delay": DELAY}, timeout=10).raise_for_status()
    return boto3.client("elasticbeanstalk", region_name="us-east-1", endpoint_url=aws)


@pytest.fixture
def blue_green(eb):
    """storefront with blue (v41, the production CNAME), green (v42) and a worker, all Ready."""
    app_with_versions(eb)
    envs = {
        "blue": web_env(eb, "storefront-blue", "storefront", version="v41"),
        "green": web_env(eb, "storefront-green", "storefront-green", version="v42"),
        "worker": worker_env(eb),
    }
    settle()
    return envs


def describe(eb, name: str) -> dict:
    [env] = eb.describe_environments(EnvironmentNames=[name], IncludeDeleted=False)["Environments"]
    return env


def messages(eb, **filters) -> list[str]:
    return [event["Message"] for event in eb.describe_events(**filters)["Events"]]


def not_ready(name: str) -> str:
    return f"Environment named {name} is in an invalid state for this operation. Must be Ready."


def test_update_deploys_the_version_at_the_end_and_settles(eb, blue_green):
    updated = eb.update_environment(EnvironmentName="storefront-blue", VersionLabel="v42", Description="now v42")
    assert (updated["Status"], updated["Health"], updated["HealthStatus"]) == ("Updating", "Grey", "Info")
    assert updated["VersionLabel"] == "v41" and updated["Description"] == "now v42"
    assert describe(eb, "storefront-blue")["Status"] == "Updating"
    with pytest.raises(ClientError) as excinfo:
        eb.update_environment(EnvironmentId=updated["EnvironmentId"], VersionLabel="v41")
    assert_invalid(excinfo, not_ready("storefront-blue"))
    settle()
    env = describe(eb, "storefront-blue")
    assert (env["Status"], env["Health"], env["HealthStatus"], env["VersionLabel"]) == ("Ready", "Green", "Ok", "v42")
    assert messages(eb, EnvironmentName="storefront-blue")[:5] == [
        "Environment update completed successfully.",
        "Environment health has transitioned from Info to Ok.",
        "New application version was deployed to running EC2 instances.",
        "Deploying new version to instance(s).",
        "Environment update is starting.",
    ]


def test_update_option_settings_show_in_configuration(eb, blue_green):
    setting = {"Namespace": "aws:autoscaling:asg", "OptionName": "MaxSize", "Value": "8"}
    eb.update_environment(EnvironmentId=blue_green["green"]["EnvironmentId"], OptionSettings=[setting])
    [config] = eb.describe_configuration_settings(ApplicationName="storefront", EnvironmentName="storefront-green")[
        "ConfigurationSettings"
    ]
    assert setting in config["OptionSettings"]
    assert config["DateUpdated"] > config["DateCreated"]


def test_update_errors(eb, blue_green):
    with pytest.raises(ClientError) as excinfo:
        eb.update_environment(EnvironmentName="storefront-blue", VersionLabel="v9")
    assert_invalid(excinfo, "No Application Version named 'v9' found.")
    with pytest.raises(ClientError) as excinfo:
        eb.update_environment(EnvironmentName="storefront-nope", VersionLabel="v42")
    assert_invalid(excinfo, "No Environment found for EnvironmentName = 'storefront-nope'.")
    assert describe(eb, "storefront-blue")["Status"] == "Ready"  # a refused update changes nothing
    web_env(eb, "storefront-canary", "storefront-canary")
    with pytest.raises(ClientError) as excinfo:
        eb.update_environment(EnvironmentName="storefront-canary", VersionLabel="v42")
    assert_invalid(excinfo, not_ready("storefront-canary"))


def test_swap_exchanges_cnames_at_once_and_both_update_then_ready(eb, blue_green):
    eb.swap_environment_cnames(SourceEnvironmentName="storefront-blue", DestinationEnvironmentName="storefront-green")
    blue, green = describe(eb, "storefront-blue"), describe(eb, "storefront-green")
    assert blue["CNAME"] == "storefront-green.us-east-1.elasticbeanstalk.com"
    assert green["CNAME"] == "storefront.us-east-1.elasticbeanstalk.com"
    assert (blue["Status"], green["Status"]) == ("Updating", "Updating")
    # Endpoints (load balancers) do not move: only the CNAMEs do.
    assert blue["EndpointURL"] == blue_green["blue"]["EndpointURL"]
    with pytest.raises(ClientError) as excinfo:
        eb.swap_environment_cnames(
            SourceEnvironmentName="storefront-blue", DestinationEnvironmentName="storefront-green"
        )
    assert_invalid(excinfo, not_ready("storefront-blue"))
    settle()
    assert {describe(eb, name)["Status"] for name in ("storefront-blue", "storefront-green")} == {"Ready"}
    done = "Completed swapping CNAMEs for environments 'storefront-blue' and 'storefront-green'."
    assert done in messages(eb, EnvironmentName="storefront-green")
    # A toggle: swapping again (by id) puts the production CNAME back on blue.
    eb.swap_environment_cnames(
        SourceEnvironmentId=blue_green["green"]["EnvironmentId"],
        DestinationEnvironmentId=blue_green["blue"]["EnvironmentId"],
    )
    assert describe(eb, "storefront-blue")["CNAME"] == "storefront.us-east-1.elasticbeanstalk.com"


def test_swap_validation(eb, blue_green):
    cases = [
        (
            {"SourceEnvironmentId": "e-0000000000", "DestinationEnvironmentName": "storefront-green"},
            "No Environment found for EnvironmentId = 'e-0000000000'.",
        ),
        (
            {"SourceEnvironmentName": "storefront-blue", "DestinationEnvironmentName": "storefront-nope"},
            "No Environment found for EnvironmentName = 'storefront-nope'.",
        ),
        (
            {"SourceEnvironmentName": "storefront-blue", "DestinationEnvironmentName": "storefront-worker"},
            "Environment storefront-worker is a Worker tier environment; it has no CNAME to swap.",
        ),
        (
            {
                "SourceEnvironmentName": "storefront-blue",
                "DestinationEnvironmentId": blue_green["blue"]["EnvironmentId"],
            },
            "Source and destination environments must be different.",
        ),
    ]
    for params, message in cases:
        with pytest.raises(ClientError) as excinfo:
            eb.swap_environment_cnames(**params)
        assert_invalid(excinfo, message)
    with pytest.raises(ClientError) as excinfo:
        eb.swap_environment_cnames(DestinationEnvironmentName="storefront-green")
    assert_invalid(
        excinfo, "Either SourceEnvironmentName or SourceEnvironmentId must be specified.", "MissingParameter"
    )
    eb.update_environment(EnvironmentName="storefront-green", VersionLabel="v41")
    with pytest.raises(ClientError) as excinfo:
        eb.swap_environment_cnames(
            SourceEnvironmentName="storefront-blue", DestinationEnvironmentName="storefront-green"
        )
    assert_invalid(excinfo, not_ready("storefront-green"))
    blue = describe(eb, "storefront-blue")
    assert (blue["CNAME"], blue["Status"]) == ("storefront.us-east-1.elasticbeanstalk.com", "Ready")


def test_terminate_releases_cname_and_instances_and_stays_listed(eb, aws, blue_green):
    blue = blue_green["blue"]
    terminating = eb.terminate_environment(EnvironmentName="storefront-blue")
    assert terminating["Status"] == "Terminating"
    with pytest.raises(ClientError) as excinfo:
        eb.terminate_environment(EnvironmentId=blue["EnvironmentId"])
    assert_invalid(excinfo, not_ready("storefront-blue"))
    settle()
    [gone] = eb.describe_environments(EnvironmentIds=[blue["EnvironmentId"]])["Environments"]
    assert (gone["Status"], gone["Health"]) == ("Terminated", "Grey") and "CNAME" not in gone
    assert "storefront-blue" not in [
        e["EnvironmentName"] for e in eb.describe_environments(IncludeDeleted=False)["Environments"]
    ]
    ec2 = boto3.client("ec2", region_name="us-east-1", endpoint_url=aws)
    states = {
        i["State"]["Name"]
        for r in ec2.describe_instances(
            Filters=[{"Name": "tag:elasticbeanstalk:environment-id", "Values": [blue["EnvironmentId"]]}]
        )["Reservations"]
        for i in r["Instances"]
    }
    assert states == {"terminated"}
    assert messages(eb, EnvironmentId=blue["EnvironmentId"])[:2] == [
        "terminateEnvironment completed successfully.",
        "terminateEnvironment is starting.",
    ]
    # The CNAME and the name are free again.
    again = web_env(eb, "storefront-blue", "storefront")
    assert again["CNAME"] == "storefront.us-east-1.elasticbeanstalk.com"
    assert again["EnvironmentId"] != blue["EnvironmentId"]
    fresh = messages(eb, EnvironmentId=again["EnvironmentId"])  # the old env's events share the name, not the id
    assert fresh[-1] == "createEnvironment is starting." and not any("terminate" in m for m in fresh)
    assert len(eb.describe_environments(EnvironmentNames=["storefront-blue"])["Environments"]) == 2


def test_terminate_without_resources_keeps_instances(eb, aws, blue_green):
    eb.terminate_environment(EnvironmentName="storefront-worker", TerminateResources=False)
    settle()
    assert describe_any(eb, "storefront-worker")["Status"] == "Terminated"
    ec2 = boto3.client("ec2", region_name="us-east-1", endpoint_url=aws)
    worker_id = blue_green["worker"]["EnvironmentId"]
    filters = [{"Name": "tag:elasticbeanstalk:environment-id", "Values": [worker_id]}]
    instances = [i for r in ec2.describe_instances(Filters=filters)["Reservations"] for i in r["Instances"]]
    assert [i["State"]["Name"] for i in instances] == ["running"]


def describe_any(eb, name: str) -> dict:
    return eb.describe_environments(EnvironmentNames=[name])["Environments"][-1]


def test_events_newest_first_with_filters_and_paging(eb, blue_green):
    eb.update_environment(EnvironmentName="storefront-green", VersionLabel="v41")
    settle()
    events = eb.describe_events()["Events"]
    dates = [event["EventDate"] for event in events]
    assert dates == sorted(dates, reverse=True)
    assert events[-1]["Message"] == "createEnvironment is starting."
    first = events[0]
    assert set(first) >= {"EventDate", "Message", "ApplicationName", "EnvironmentName", "RequestId", "Severity"}
    assert messages(eb, EnvironmentName="storefront-worker")[0] == "createEnvironment completed successfully."
    assert "Environment health has transitioned from Pending to Ok." in messages(eb, EnvironmentName="storefront-blue")
    on_v41 = eb.describe_events(VersionLabel="v41")["Events"]
    assert {e["EnvironmentName"] for e in on_v41} == {"storefront-blue", "storefront-green"}
    assert "New application version was deployed to running EC2 instances." in [
        e["Message"] for e in on_v41 if e["EnvironmentName"] == "storefront-green"
    ]
    assert eb.describe_events(ApplicationName="other")["Events"] == []
    assert eb.describe_events(Severity="WARN")["Events"] == []
    later = eb.describe_events(StartTime=first["EventDate"])["Events"]
    assert later and all(event["EventDate"] >= first["EventDate"] for event in later)
    assert eb.describe_events(EndTime=events[-1]["EventDate"] - timedelta(seconds=1))["Events"] == []
    by_request = eb.describe_events(RequestId=first["RequestId"])["Events"]
    assert "Environment update is starting." in [e["Message"] for e in by_request]
    pages = list(eb.get_paginator("describe_events").paginate(PaginationConfig={"PageSize": 4}))
    assert [e["Message"] for page in pages for e in page["Events"]] == [e["Message"] for e in events]
    assert len(pages) == -(-len(events) // 4)


def test_default_delay_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("FLEETUI_SANDBOX_EB_DELAY", raising=False)
    assert default_delay() == 3.0
    monkeypatch.setenv("FLEETUI_SANDBOX_EB_DELAY", "0.5")
    assert default_delay() == 0.5


def test_delay_control_endpoint_and_reset(eb, aws):
    assert requests.get(f"{aws}/fleetui-sandbox/beanstalk", timeout=10).json() == {"delay": DELAY}
    bad = requests.post(f"{aws}/fleetui-sandbox/beanstalk", json={"delay": -1}, timeout=10)
    assert bad.status_code == 400 and "delay" in bad.json()["error"]
    assert requests.post(f"{aws}/fleetui-sandbox/beanstalk", json={"delay": 0}, timeout=10).json() == {"delay": 0}
    app_with_versions(eb)
    web_env(eb, "storefront-blue", "storefront")
    assert describe(eb, "storefront-blue")["Status"] == "Ready"  # no delay: ready at the next read
    requests.post(f"{aws}/moto-api/reset", timeout=10)
    assert requests.get(f"{aws}/fleetui-sandbox/beanstalk", timeout=10).json() == {"delay": default_delay()}
    assert eb.describe_environments()["Environments"] == []


def test_health_override_is_sticky_until_set_again(eb, aws, blue_green):
    override = {
        "account_id": "123456789012",
        "region": "us-east-1",
        "environment": "storefront-green",
        "health": "Yellow",
        "health_status": "Warning",
    }
    answer = requests.post(f"{aws}/fleetui-sandbox/beanstalk/health", json=override, timeout=10).json()
    assert answer == {
        "environment": "storefront-green",
        "environment_id": blue_green["green"]["EnvironmentId"],
        "health": "Yellow",
        "health_status": "Warning",
    }
    green = describe(eb, "storefront-green")
    assert (green["Health"], green["HealthStatus"]) == ("Yellow", "Warning")
    health = eb.describe_environment_health(EnvironmentName="storefront-green", AttributeNames=["All"])
    assert health["Color"] == "Yellow" and health["Causes"] == ["Impaired services on 1 out of 2 instances."]
    assert (health["InstancesHealth"]["Warning"], health["InstancesHealth"]["Ok"]) == (1, 1)
    warn = eb.describe_events(Severity="WARN")["Events"]
    assert [e["Message"] for e in warn] == ["Environment health has transitioned from Ok to Warning."]
    eb.update_environment(EnvironmentName="storefront-green", VersionLabel="v41")
    settle()
    assert describe(eb, "storefront-green")["Health"] == "Yellow"  # survives the update
    by_id = {**override, "environment": blue_green["green"]["EnvironmentId"], "health": "Green", "health_status": "Ok"}
    requests.post(f"{aws}/fleetui-sandbox/beanstalk/health", json=by_id, timeout=10).raise_for_status()
    assert describe(eb, "storefront-green")["Health"] == "Green"
    missing = requests.post(
        f"{aws}/fleetui-sandbox/beanstalk/health", json={**override, "environment": "x-nope"}, timeout=10
    )
    assert missing.status_code == 400 and "x-nope" in missing.json()["error"]


def test_demo_seed_builds_the_contract_names(aws):
    requests.post(f"{aws}/fleetui-sandbox/beanstalk", json={"delay": 5}, timeout=10)
    counts = beanstalk_seed(endpoint=aws)
    assert counts == {"applications": 2, "versions": 4, "environments": 5, "instances": 9, "dns_records": 2}
    assert requests.get(f"{aws}/fleetui-sandbox/beanstalk", timeout=10).json() == {"delay": 5}  # restored
    us = boto3.client("elasticbeanstalk", region_name="us-east-1", endpoint_url=aws)
    eu = boto3.client("elasticbeanstalk", region_name="eu-west-1", endpoint_url=aws)
    envs = {e["EnvironmentName"]: e for c in (us, eu) for e in c.describe_environments()["Environments"]}
    assert {
        name: (e["VersionLabel"], e.get("CNAME"), e["Status"], e["Health"], e["HealthStatus"])
        for name, e in envs.items()
    } == {
        "storefront-blue": ("v41", "storefront.us-east-1.elasticbeanstalk.com", "Ready", "Green", "Ok"),
        "storefront-green": ("v42", "storefront-green.us-east-1.elasticbeanstalk.com", "Ready", "Green", "Ok"),
        "storefront-worker": ("v42", None, "Ready", "Green", "Ok"),
        "billing-blue": ("2024.11.1", "billing-api.eu-west-1.elasticbeanstalk.com", "Ready", "Green", "Ok"),
        "billing-green": (
            "2024.12.0",
            "billing-api-green.eu-west-1.elasticbeanstalk.com",
            "Ready",
            "Yellow",
            "Warning",
        ),
    }
    assert envs["storefront-worker"]["Tier"]["Name"] == "Worker"
    versions = us.describe_application_versions(ApplicationName="storefront")["ApplicationVersions"]
    assert [v["VersionLabel"] for v in versions] == ["v42", "v41"]
    assert eu.describe_applications()["Applications"][0]["Versions"] == ["2024.12.0", "2024.11.1"]
    route53 = boto3.client("route53", region_name="us-east-1", endpoint_url=aws)
    [zone] = route53.list_hosted_zones()["HostedZones"]
    assert zone["Name"] == "example.com."
    records = {
        r["Name"]: r["AliasTarget"]
        for r in route53.list_resource_record_sets(HostedZoneId=zone["Id"])["ResourceRecordSets"]
        if "AliasTarget" in r
    }
    assert records["www.example.com."]["DNSName"].rstrip(".") == "storefront.us-east-1.elasticbeanstalk.com"
    assert records["billing.example.com."]["DNSName"].rstrip(".") == envs["billing-blue"]["EndpointURL"]
    assert records["billing.example.com."]["HostedZoneId"] == "Z32O12XQLNTSW2"  # eu-west-1 load balancers
    assert records["www.example.com."]["HostedZoneId"] == "Z117KPS5GTRQ2G"  # us-east-1 Elastic Beanstalk
