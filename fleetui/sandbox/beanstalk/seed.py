"""The Beanstalk part of the demo (BEANSTALK.md, "Demo names"), through plain boto3 calls against the sandbox.

Account 123456789012 (the fake keys' account): `storefront` in us-east-1 (blue on v41 holding the production
CNAME, green on v42, a worker on v42) and `billing-api` in eu-west-1 (blue on 2024.11.1, green on 2024.12.0 with
health Yellow/Warning), plus Route 53 zone example.com. with `www` aliased to storefront's CNAME (moves with a
swap) and `billing` aliased to billing-blue's load balancer (does not: fleetui must warn).
"""

from __future__ import annotations

from typing import Any

import boto3
import requests

from ..seed import DemoSeed
from .extensions import CONTROL_PATH, HEALTH_PATH

ACCOUNT = "123456789012"
_KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
STACK = "64bit Amazon Linux 2023 v4.6.0 running Python 3.11"
# Route 53 alias targets need the hosted zone of the target: Beanstalk's per region, and the ELB's per region
# (AWS General Reference; Z35SXDOTRQ7X7K is us-east-1's load-balancer zone, not Beanstalk's).
EB_ZONES = {"us-east-1": "Z117KPS5GTRQ2G", "eu-west-1": "Z2NYPWQ7DFZAZH"}
ELB_ZONES = {"us-east-1": "Z35SXDOTRQ7X7K", "eu-west-1": "Z32O12XQLNTSW2"}
WORKER = {"Name": "Worker", "Type": "SQS/HTTP"}
# (region, application, versions oldest first, [(env name, CNAME prefix or None for a worker, version)])
DEMO_APPS: list[tuple[str, str, list[str], list[tuple[str, str | None, str]]]] = [
    (
        "us-east-1",
        "storefront",
        ["v41", "v42"],
        [
            ("storefront-blue", "storefront", "v41"),
            ("storefront-green", "storefront-green", "v42"),
            ("storefront-worker", None, "v42"),
        ],
    ),
    (
        "eu-west-1",
        "billing-api",
        ["2024.11.1", "2024.12.0"],
        [("billing-blue", "billing-api", "2024.11.1"), ("billing-green", "billing-api-green", "2024.12.0")],
    ),
]
UNHEALTHY = {"region": "eu-west-1", "environment": "billing-green", "health": "Yellow", "health_status": "Warning"}


def beanstalk_seed(*, endpoint: str) -> dict[str, Any]:
    """Seed the Beanstalk demo into the running sandbox (no reset) and leave every environment Ready: the delay is
    0 while seeding, then restored. Returns counts (applications, versions, environments, instances, records)."""
    before = requests.get(endpoint + CONTROL_PATH, timeout=10).json()
    requests.post(endpoint + CONTROL_PATH, json={"delay": 0}, timeout=10).raise_for_status()
    try:
        envs: dict[str, dict[str, Any]] = {}
        counts = {"applications": 0, "versions": 0, "environments": 0, "instances": 0}
        for region, app, versions, environments in DEMO_APPS:
            eb = boto3.client("elasticbeanstalk", region_name=region, endpoint_url=endpoint, **_KEYS)
            _app_seed(eb, app, versions)
            for name, prefix, version in environments:
                envs[name] = _env_seed(eb, app, name, prefix, version)
            counts["applications"] += 1
            counts["versions"] += len(versions)
            counts["environments"] += len(environments)
            counts["instances"] += sum(1 if prefix is None else 2 for _, prefix, _ in environments)
        health = {"account_id": ACCOUNT, **UNHEALTHY}
        requests.post(endpoint + HEALTH_PATH, json=health, timeout=10).raise_for_status()
        counts["dns_records"] = _route53_seed(endpoint, envs)
    finally:
        requests.post(endpoint + CONTROL_PATH, json={"delay": before["delay"]}, timeout=10).raise_for_status()
    return counts


def seed(demo: DemoSeed) -> None:
    """The service hook: the Beanstalk demo (the same whatever the demo's regions), counted under "beanstalk"; its
    environments' instances are running EC2 instances of the fleet too."""
    counts = beanstalk_seed(endpoint=demo.endpoint)
    demo.summary["beanstalk"] = counts
    demo.instances_add(running=counts["instances"])


def describe(summary: dict[str, Any]) -> str:
    """The service hook: Beanstalk's phrase of the seed line."""
    counts = summary["beanstalk"]
    return f"{counts['environments']} Beanstalk environments of {counts['applications']} applications"


def _app_seed(eb: Any, app: str, versions: list[str]) -> None:
    eb.create_application(ApplicationName=app, Description=f"{app} (fleetui demo)")
    for label in versions:
        eb.create_application_version(
            ApplicationName=app,
            VersionLabel=label,
            Description=f"{app} {label}",
            SourceBundle={"S3Bucket": f"elasticbeanstalk-artifacts-{ACCOUNT}", "S3Key": f"{app}/{label}.zip"},
            Process=True,
        )


def _env_seed(eb: Any, app: str, name: str, prefix: str | None, version: str) -> dict[str, Any]:
    params: dict[str, Any] = {
        "ApplicationName": app,
        "EnvironmentName": name,
        "VersionLabel": version,
        "SolutionStackName": STACK,
        "OptionSettings": [
            {"Namespace": "aws:autoscaling:asg", "OptionName": "MinSize", "Value": "1" if prefix is None else "2"}
        ],
    }
    if prefix is None:
        params["Tier"] = WORKER
    else:
        params["CNAMEPrefix"] = prefix
    eb.create_environment(**params)
    # The delay is 0, so this read completes the launch: the env is Ready from here on.
    [env] = eb.describe_environments(ApplicationName=app, EnvironmentNames=[name], IncludeDeleted=False)["Environments"]
    return env


def _route53_seed(endpoint: str, envs: dict[str, dict[str, Any]]) -> int:
    route53 = boto3.client("route53", region_name="us-east-1", endpoint_url=endpoint, **_KEYS)
    zone = route53.create_hosted_zone(Name="example.com.", CallerReference="fleetui-demo-example-com")["HostedZone"]
    records = [
        ("www.example.com.", envs["storefront-blue"]["CNAME"], EB_ZONES["us-east-1"]),
        ("billing.example.com.", envs["billing-blue"]["EndpointURL"], ELB_ZONES["eu-west-1"]),
    ]
    changes = [
        {
            "Action": "CREATE",
            "ResourceRecordSet": {
                "Name": name,
                "Type": "A",
                "AliasTarget": {"HostedZoneId": zone_id, "DNSName": target, "EvaluateTargetHealth": False},
            },
        }
        for name, target, zone_id in records
    ]
    route53.change_resource_record_sets(HostedZoneId=zone["Id"], ChangeBatch={"Changes": changes})
    return len(records)
