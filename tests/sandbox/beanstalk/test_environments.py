"""The sandbox's Elastic Beanstalk through boto3: environments, versions, health, resources and configuration."""

from __future__ import annotations

import re
import time

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

DELAY = 1.0  # long enough that an immediate read still sees the transition, also on a loaded 2-core runner
STACK = "64bit Amazon Linux 2023 v4.6.0 running Python 3.11"
PLATFORM = "arn:aws:elasticbeanstalk:us-east-1::platform/Python 3.11 running on 64bit Amazon Linux 2023/4.6.0"


@pytest.fixture
def eb(aws: str):
    requests.post(f"{aws}/fleetui-sandbox/beanstalk", json={"delay": DELAY}, timeout=10).raise_for_status()
    return boto3.client("elasticbeanstalk", region_name="us-east-1", endpoint_url=aws)


def settle() -> None:
    time.sleep(DELAY + 0.1)


def app_with_versions(eb, name: str = "storefront", labels: tuple[str, ...] = ("v41", "v42")) -> None:
    eb.create_application(ApplicationName=name, Description=f"{name} app")
    for label in labels:
        eb.create_application_version(
            ApplicationName=name, VersionLabel=label, SourceBundle={"S3Bucket": "b", "S3Key": f"{label}.zip"}
        )


def web_env(eb, name: str, prefix: str | None, version: str = "v41", app: str = "storefront") -> dict:
    params = {"ApplicationName": app, "EnvironmentName": name, "VersionLabel": version, "SolutionStackName": STACK}
    if prefix:
        params["CNAMEPrefix"] = prefix
    return eb.create_environment(**params)


def worker_env(eb, name: str = "storefront-worker") -> dict:
    return eb.create_environment(
        ApplicationName="storefront",
        EnvironmentName=name,
        VersionLabel="v42",
        PlatformArn=PLATFORM,
        Tier={"Name": "Worker", "Type": "SQS/HTTP"},
    )


def assert_invalid(excinfo: pytest.ExceptionInfo, message: str, code: str = "InvalidParameterValue") -> None:
    error = excinfo.value.response["Error"]
    assert (error["Code"], error["Message"]) == (code, message)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_create_web_environment_has_real_id_cname_endpoint_and_settles_to_ready(eb, aws):
    app_with_versions(eb)
    env = web_env(eb, "storefront-blue", "storefront")
    assert re.fullmatch(r"e-[a-z0-9]{10}", env["EnvironmentId"])
    assert env["CNAME"] == "storefront.us-east-1.elasticbeanstalk.com"
    assert re.fullmatch(
        r"awseb-e-[a-z0-9]{10}-stack-AWSEBLoadBal-[A-Z0-9]{12}-\d{9}\.us-east-1\.elb\.amazonaws\.com",
        env["EndpointURL"],
    )
    assert (
        env["EnvironmentArn"]
        == "arn:aws:elasticbeanstalk:us-east-1:123456789012:environment/storefront/storefront-blue"
    )
    assert (env["SolutionStackName"], env["PlatformArn"], env["VersionLabel"]) == (STACK, PLATFORM, "v41")
    assert env["Tier"] == {"Name": "WebServer", "Type": "Standard", "Version": "1.0"}
    assert (env["Status"], env["Health"], env["HealthStatus"]) == ("Launching", "Grey", "Pending")
    # Lazy: still launching on an immediate read, Ready once the delay has passed.
    now = eb.describe_environments(EnvironmentNames=["storefront-blue"])["Environments"][0]
    assert now["Status"] == "Launching"
    settle()
    now = eb.describe_environments(EnvironmentNames=["storefront-blue"])["Environments"][0]
    assert (now["Status"], now["Health"], now["HealthStatus"]) == ("Ready", "Green", "Ok")
    assert now["AbortableOperationInProgress"] is False


def test_environment_ids_are_deterministic_under_moto_seed(eb, aws):
    ids = []
    for _ in range(2):
        requests.post(f"{aws}/moto-api/reset", timeout=10)
        requests.post(f"{aws}/moto-api/seed", params={"a": 7}, timeout=10)
        app_with_versions(eb)
        ids.append(web_env(eb, "storefront-blue", None)["EnvironmentId"])
    assert ids[0] == ids[1]


def test_web_environment_launches_two_tagged_instances_and_worker_one(eb, aws):
    app_with_versions(eb)
    web = web_env(eb, "storefront-blue", "storefront")
    worker = worker_env(eb)
    ec2 = boto3.client("ec2", region_name="us-east-1", endpoint_url=aws)
    reservations = ec2.describe_instances()["Reservations"]
    by_env: dict[str, list[dict]] = {}
    for instance in [i for r in reservations for i in r["Instances"]]:
        tags = {tag["Key"]: tag["Value"] for tag in instance["Tags"]}
        by_env.setdefault(tags["elasticbeanstalk:environment-id"], []).append(tags)
        assert instance["State"]["Name"] == "running"
    assert len(by_env[web["EnvironmentId"]]) == 2
    assert len(by_env[worker["EnvironmentId"]]) == 1
    resources = eb.describe_environment_resources(EnvironmentId=web["EnvironmentId"])["EnvironmentResources"]
    tags = by_env[web["EnvironmentId"]][0]
    assert tags["Name"] == tags["elasticbeanstalk:environment-name"] == "storefront-blue"
    assert tags["aws:autoscaling:groupName"] == resources["AutoScalingGroups"][0]["Name"]


def test_cname_without_prefix_is_env_name_with_random_label(eb):
    app_with_versions(eb)
    env = web_env(eb, "storefront-blue", None)
    assert re.fullmatch(r"storefront-blue\.eba-[a-z0-9]{8}\.us-east-1\.elasticbeanstalk\.com", env["CNAME"])


def test_taken_cname_prefix_is_refused_in_the_region_and_free_elsewhere(eb, aws):
    app_with_versions(eb)
    web_env(eb, "storefront-blue", "storefront")
    with pytest.raises(ClientError) as excinfo:
        web_env(eb, "storefront-green", "storefront")
    assert_invalid(excinfo, "DNS name (storefront.us-east-1.elasticbeanstalk.com) is not available.")
    assert eb.check_dns_availability(CNAMEPrefix="storefront")["Available"] is False
    assert eb.check_dns_availability(CNAMEPrefix="storefront-next")["FullyQualifiedCNAME"] == (
        "storefront-next.us-east-1.elasticbeanstalk.com"
    )
    other = boto3.client("elasticbeanstalk", region_name="eu-west-1", endpoint_url=aws)
    app_with_versions(other)
    assert web_env(other, "storefront-blue", "storefront")["CNAME"] == "storefront.eu-west-1.elasticbeanstalk.com"


def test_create_environment_validation_errors(eb):
    app_with_versions(eb)
    with pytest.raises(ClientError) as excinfo:
        web_env(eb, "storefront-blue", "storefront", version="v9")
    assert_invalid(excinfo, "No Application Version named 'v9' found.")
    with pytest.raises(ClientError) as excinfo:
        web_env(eb, "nowhere-blue", "nowhere", app="nowhere")
    assert_invalid(excinfo, "No Application named 'nowhere' found.")
    web_env(eb, "storefront-blue", "storefront")
    with pytest.raises(ClientError) as excinfo:
        web_env(eb, "storefront-blue", "storefront-2")
    assert_invalid(excinfo, "Environment storefront-blue already exists.")
    assert len(eb.describe_environments()["Environments"]) == 1


def test_worker_keeps_its_tier_and_has_no_cname_or_endpoint(eb):
    app_with_versions(eb)
    env = worker_env(eb)
    assert env["Tier"] == {"Name": "Worker", "Type": "SQS/HTTP", "Version": "1.0"}
    assert "CNAME" not in env and "EndpointURL" not in env
    # Given only a platform ARN, the stack name is the one it stands for.
    assert (env["PlatformArn"], env["SolutionStackName"]) == (PLATFORM, STACK)
    resources = eb.describe_environment_resources(EnvironmentName="storefront-worker")["EnvironmentResources"]
    assert resources["LoadBalancers"] == [] and len(resources["Instances"]) == 1
    queue = resources["Queues"][0]
    assert queue["URL"] == f"https://sqs.us-east-1.amazonaws.com/123456789012/{queue['Name']}"


def test_application_versions_create_describe_page_delete(eb):
    app_with_versions(eb, labels=("v40", "v41", "v42"))
    versions = eb.describe_application_versions(ApplicationName="storefront")["ApplicationVersions"]
    assert [v["VersionLabel"] for v in versions] == ["v42", "v41", "v40"]
    assert versions[0]["ApplicationVersionArn"] == (
        "arn:aws:elasticbeanstalk:us-east-1:123456789012:applicationversion/storefront/v42"
    )
    assert versions[0]["SourceBundle"] == {"S3Bucket": "b", "S3Key": "v42.zip"}
    first = eb.describe_application_versions(ApplicationName="storefront", MaxRecords=2)
    second = eb.describe_application_versions(ApplicationName="storefront", MaxRecords=2, NextToken=first["NextToken"])
    assert [v["VersionLabel"] for v in first["ApplicationVersions"] + second["ApplicationVersions"]] == [
        "v42",
        "v41",
        "v40",
    ]
    assert "NextToken" not in second
    only = eb.describe_application_versions(ApplicationName="storefront", VersionLabels=["v41"])["ApplicationVersions"]
    assert [v["VersionLabel"] for v in only] == ["v41"]
    eb.delete_application_version(ApplicationName="storefront", VersionLabel="v40")
    app = eb.describe_applications(ApplicationNames=["storefront"])["Applications"][0]
    assert app["Versions"] == ["v42", "v41"]
    assert app["Description"] == "storefront app" and app["DateUpdated"] >= app["DateCreated"]


def test_application_version_errors(eb):
    app_with_versions(eb)
    with pytest.raises(ClientError) as excinfo:
        eb.create_application_version(ApplicationName="storefront", VersionLabel="v42")
    assert_invalid(excinfo, "Application Version v42 already exists.")
    with pytest.raises(ClientError) as excinfo:
        eb.create_application_version(ApplicationName="nowhere", VersionLabel="v1")
    assert_invalid(excinfo, "No Application named 'nowhere' found.")
    with pytest.raises(ClientError) as excinfo:
        eb.delete_application_version(ApplicationName="storefront", VersionLabel="v9")
    assert_invalid(excinfo, "No Application Version named 'v9' found.")
    web_env(eb, "storefront-blue", "storefront", version="v41")
    with pytest.raises(ClientError) as excinfo:
        eb.delete_application_version(ApplicationName="storefront", VersionLabel="v41")
    assert_invalid(
        excinfo,
        "Unable to delete application version v41 because it is being used by environment(s): storefront-blue.",
    )
    created = eb.create_application_version(ApplicationName="auto", VersionLabel="1", AutoCreateApplication=True)
    assert created["ApplicationVersion"]["ApplicationName"] == "auto"


def test_describe_environments_filters_and_pages(eb):
    app_with_versions(eb)
    app_with_versions(eb, name="billing-api", labels=("2024.12.0",))
    blue = web_env(eb, "storefront-blue", "storefront", version="v41")
    web_env(eb, "storefront-green", "storefront-green", version="v42")
    worker_env(eb)
    web_env(eb, "billing-blue", "billing-api", version="2024.12.0", app="billing-api")

    def names(**kwargs) -> list[str]:
        return [env["EnvironmentName"] for env in eb.describe_environments(**kwargs)["Environments"]]

    assert names(ApplicationName="billing-api") == ["billing-blue"]
    assert names(EnvironmentIds=[blue["EnvironmentId"]]) == ["storefront-blue"]
    assert names(EnvironmentNames=["storefront-green", "billing-blue"]) == ["storefront-green", "billing-blue"]
    assert names(ApplicationName="storefront", VersionLabel="v42") == ["storefront-green", "storefront-worker"]
    pages = list(eb.get_paginator("describe_environments").paginate(PaginationConfig={"PageSize": 3}))
    assert [len(page["Environments"]) for page in pages] == [3, 1]
    assert [env["EnvironmentName"] for page in pages for env in page["Environments"]] == [
        "storefront-blue",
        "storefront-green",
        "storefront-worker",
        "billing-blue",
    ]


def test_environment_health_all_and_selected_attributes(eb, aws):
    app_with_versions(eb)
    env = web_env(eb, "storefront-blue", "storefront")
    launching = eb.describe_environment_health(EnvironmentName="storefront-blue", AttributeNames=["All"])
    assert (launching["Status"], launching["Color"], launching["HealthStatus"]) == ("Launching", "Grey", "Pending")
    assert launching["InstancesHealth"]["Pending"] == 2
    settle()
    health = eb.describe_environment_health(EnvironmentId=env["EnvironmentId"], AttributeNames=["All"])
    assert health["EnvironmentName"] == "storefront-blue"
    assert (health["Status"], health["Color"], health["HealthStatus"], health["Causes"]) == ("Ready", "Green", "Ok", [])
    assert health["InstancesHealth"]["Ok"] == 2 and "RefreshedAt" in health
    some = eb.describe_environment_health(EnvironmentName="storefront-blue", AttributeNames=["Color", "Status"])
    assert {key for key in some if key != "ResponseMetadata"} == {"EnvironmentName", "Color", "Status"}
    with pytest.raises(ClientError) as excinfo:
        eb.describe_environment_health(EnvironmentName="storefront-nope")
    assert_invalid(excinfo, "No Environment found for EnvironmentName = 'storefront-nope'.")
    with pytest.raises(ClientError) as excinfo:
        eb.describe_environment_resources(EnvironmentId="e-0000000000")
    assert_invalid(excinfo, "No Environment found for EnvironmentId = 'e-0000000000'.")
    with pytest.raises(ClientError) as excinfo:
        eb.describe_environment_resources()
    assert_invalid(excinfo, "Either EnvironmentName or EnvironmentId must be specified.", code="MissingParameter")


def test_web_resources_name_the_load_balancer_the_endpoint_points_at(eb):
    app_with_versions(eb)
    env = web_env(eb, "storefront-blue", "storefront")
    resources = eb.describe_environment_resources(EnvironmentName="storefront-blue")["EnvironmentResources"]
    assert resources["EnvironmentName"] == "storefront-blue"
    assert env["EndpointURL"].startswith(resources["LoadBalancers"][0]["Name"] + "-")
    assert len(resources["Instances"]) == 2 and resources["Queues"] == []
    assert resources["LaunchTemplates"][0]["Id"].startswith("lt-")
    assert resources["LaunchConfigurations"] == [] and resources["Triggers"] == []


def test_configuration_settings_keep_given_options_over_defaults(eb):
    app_with_versions(eb)
    eb.create_environment(
        ApplicationName="storefront",
        EnvironmentName="storefront-blue",
        VersionLabel="v41",
        SolutionStackName=STACK,
        Description="blue side",
        OptionSettings=[
            {"Namespace": "aws:autoscaling:asg", "OptionName": "MinSize", "Value": "2"},
            {"Namespace": "aws:elasticbeanstalk:application:environment", "OptionName": "DB_HOST", "Value": "db"},
        ],
    )
    [config] = eb.describe_configuration_settings(ApplicationName="storefront", EnvironmentName="storefront-blue")[
        "ConfigurationSettings"
    ]
    assert (config["SolutionStackName"], config["PlatformArn"], config["DeploymentStatus"]) == (
        STACK,
        PLATFORM,
        "deployed",
    )
    assert (config["ApplicationName"], config["EnvironmentName"], config["Description"]) == (
        "storefront",
        "storefront-blue",
        "blue side",
    )
    options = {(s["Namespace"], s["OptionName"]): s["Value"] for s in config["OptionSettings"]}
    assert options[("aws:autoscaling:asg", "MinSize")] == "2"
    assert options[("aws:autoscaling:asg", "MaxSize")] == "4"
    assert options[("aws:elasticbeanstalk:application:environment", "DB_HOST")] == "db"
    assert ("aws:ec2:instances", "InstanceTypes") in options
    with pytest.raises(ClientError) as excinfo:
        eb.describe_configuration_settings(ApplicationName="storefront", EnvironmentName="storefront-x")
    assert_invalid(excinfo, "No Environment found for EnvironmentName = 'storefront-x'.")


def test_instance_type_option_sets_the_launched_instances_type(eb, aws):
    app_with_versions(eb)
    eb.create_environment(
        ApplicationName="storefront",
        EnvironmentName="storefront-blue",
        VersionLabel="v41",
        SolutionStackName=STACK,
        OptionSettings=[
            {"Namespace": "aws:ec2:instances", "OptionName": "InstanceTypes", "Value": "m5.large,m5.xlarge"}
        ],
    )
    ec2 = boto3.client("ec2", region_name="us-east-1", endpoint_url=aws)
    types = {i["InstanceType"] for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]}
    assert types == {"m5.large"}


def test_environment_tags_are_kept_and_listed(eb):
    app_with_versions(eb)
    env = eb.create_environment(
        ApplicationName="storefront",
        EnvironmentName="storefront-blue",
        VersionLabel="v41",
        SolutionStackName=STACK,
        Tags=[{"Key": "team", "Value": "shop"}],
    )
    tags = eb.list_tags_for_resource(ResourceArn=env["EnvironmentArn"])["ResourceTags"]
    assert tags == [{"Key": "team", "Value": "shop"}]
