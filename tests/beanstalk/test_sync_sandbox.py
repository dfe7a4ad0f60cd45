"""The Beanstalk sync against the sandbox (moto with fleetui's Beanstalk extensions), into PostgreSQL: real ids,
CNAMEs, tiers, versions, resources (real EC2 instances the EC2 sync also stores) and events; an unchanged re-sync
writes nothing; a terminated environment is marked gone; targeted re-syncs by key; AccessDenied fails one scope."""

import re
import time

import boto3
import pytest
import requests
from botocore.exceptions import ClientError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fleetui.aws import client_get
from fleetui.aws.beanstalk import environment_events
from fleetui.beanstalk import selectors
from fleetui.beanstalk.models import ApplicationVersion, BeanstalkApplication, Environment, EnvironmentEvent
from fleetui.ec2.models import Instance
from fleetui.inventory.sync import TargetedResult, account_ref, sync_ids, sync_scope

REGION = "us-east-1"
DELAY = 0.2
STACK = "64bit Amazon Linux 2023 v4.6.0 running Python 3.11"
EB_TYPES = ["eb_applications", "eb_versions", "eb_environments", "eb_events"]
WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"beanstalk_\w+"', re.IGNORECASE)


@pytest.fixture
def eb(aws):
    requests.post(f"{aws}/fleetui-sandbox/beanstalk", json={"delay": DELAY}, timeout=10).raise_for_status()
    return boto3.client("elasticbeanstalk", region_name=REGION, endpoint_url=aws)


def settle() -> None:
    """Let the sandbox's environments finish launching, updating or terminating."""
    time.sleep(DELAY + 0.1)


def sync(account, resource_type):
    run = sync_scope(account=account, region=REGION, resource_type=resource_type)
    assert run.status == "succeeded", run.error
    return run


@pytest.fixture
def storefront(eb):
    """The demo's storefront: versions v41 and v42, blue (the production prefix), green and a worker."""
    eb.create_application(ApplicationName="storefront", Description="The shop")
    for label in ("v41", "v42"):
        eb.create_application_version(
            ApplicationName="storefront", VersionLabel=label, SourceBundle={"S3Bucket": "b", "S3Key": f"{label}.zip"}
        )
    common = {"ApplicationName": "storefront", "SolutionStackName": STACK}
    worker = {"Name": "Worker", "Type": "SQS/HTTP"}
    envs = {
        "blue": eb.create_environment(EnvironmentName="storefront-blue", CNAMEPrefix="storefront",
                                      VersionLabel="v41", **common),
        "green": eb.create_environment(EnvironmentName="storefront-green", CNAMEPrefix="storefront-green",
                                       VersionLabel="v42", **common),
        "worker": eb.create_environment(EnvironmentName="storefront-worker", VersionLabel="v42", Tier=worker, **common),
    }  # fmt: skip
    settle()
    return {name: env["EnvironmentId"] for name, env in envs.items()}


def test_sync_stores_what_the_api_returns_and_links_the_instances(account, storefront):
    runs = {name: sync(account, name) for name in EB_TYPES}
    assert (runs["eb_applications"].added, runs["eb_versions"].added, runs["eb_environments"].added) == (1, 2, 3)
    assert runs["eb_events"].added >= 3  # at least one launch event per environment
    app = BeanstalkApplication.objects.get(account=account, region=REGION)
    assert (app.application_name, app.description, app.version_labels) == ("storefront", "The shop", ["v41", "v42"])
    assert sorted(ApplicationVersion.objects.values_list("version_label", "source_bundle")) == [
        ("v41", "s3://b/v41.zip"),
        ("v42", "s3://b/v42.zip"),
    ]
    blue = Environment.objects.get(environment_id=storefront["blue"])
    assert re.fullmatch(r"e-[a-z0-9]{10}", blue.environment_id)
    assert (blue.cname, blue.tier, blue.status, blue.health, blue.version_label) == (
        "storefront.us-east-1.elasticbeanstalk.com",
        "WebServer",
        "Ready",
        "Green",
        "v41",
    )
    assert blue.endpoint_url.endswith(".us-east-1.elb.amazonaws.com") and blue.resources["load_balancers"]
    worker = Environment.objects.get(environment_id=storefront["worker"])
    assert (worker.tier, worker.cname, worker.endpoint_url) == ("Worker", "", "")
    assert worker.resources["queues"] and worker.resources["load_balancers"] == []
    assert set(EnvironmentEvent.objects.values_list("environment_name", flat=True)) >= {
        "storefront-blue",
        "storefront-green",
        "storefront-worker",
    }
    # The environments' instances are real EC2 instances: after the EC2 sync the page links every one of them.
    sync(account, "instances")
    detail = selectors.environment_detail(
        account_id=account.account_id, region=REGION, environment_id=blue.environment_id
    )
    assert detail.instances and all(row is not None and row.state == "running" for _, row in detail.instances)
    tagged = Instance.objects.filter(tags__contains={"elasticbeanstalk:environment-id": blue.environment_id})
    assert sorted(tagged.values_list("instance_id", flat=True)) == blue.instance_ids


def test_an_unchanged_resync_writes_nothing(account, storefront):
    first = {name: sync(account, name) for name in EB_TYPES}
    with CaptureQueriesContext(connection) as queries:
        second = {name: sync(account, name) for name in EB_TYPES}
    for name, run in second.items():
        assert (run.seen, run.added, run.changed, run.gone) == (first[name].seen, 0, 0, 0), name
    assert [q["sql"][:80] for q in queries.captured_queries if WRITE.match(q["sql"])] == []


def test_a_deploy_changes_only_that_environment_and_adds_its_events(eb, account, storefront):
    for name in EB_TYPES:
        sync(account, name)
    eb.update_environment(EnvironmentId=storefront["green"], VersionLabel="v41")
    settle()
    run = sync(account, "eb_environments")
    assert (run.seen, run.added, run.changed, run.gone) == (3, 0, 1, 0)
    assert Environment.objects.get(environment_id=storefront["green"]).version_label == "v41"
    assert sync(account, "eb_events").added >= 1
    messages = EnvironmentEvent.objects.filter(environment_name="storefront-green").values_list("message", flat=True)
    assert "Environment update is starting." in messages


def test_events_of_the_same_second_keep_the_order_they_happened_in(eb, account, storefront):
    """A swap writes "Swapping CNAMEs" and "Completed swapping CNAMEs" with one timestamp; AWS lists them newest
    first. The environment's page (newest first) shows the completion above the start, and an action's step log
    (oldest first, fleetui.aws.beanstalk.environment_events) the start before the completion."""
    sync(account, "eb_environments")
    sync(account, "eb_events")
    since = eb.describe_events(MaxRecords=1)["Events"][0]["EventDate"]
    eb.swap_environment_cnames(SourceEnvironmentId=storefront["blue"], DestinationEnvironmentId=storefront["green"])
    sync(account, "eb_events")
    blue = Environment.objects.get(environment_id=storefront["blue"])
    page = selectors.environment_detail(
        account_id=account.account_id, region=REGION, environment_id=blue.environment_id
    ).events
    messages = [event.message.split(" CNAMEs")[0] for event in page]
    assert messages[:2] == ["Completed swapping", "Swapping"]
    assert page[0].event_date == page[1].event_date
    log = environment_events(
        account=account_ref(account), region=REGION, environment_id=storefront["blue"], since=since
    )
    assert [event["Message"].split(" CNAMEs")[0] for event in log][-2:] == ["Swapping", "Completed swapping"]


def test_a_terminated_environment_is_marked_gone(eb, account, storefront):
    sync(account, "eb_environments")
    eb.terminate_environment(EnvironmentId=storefront["green"])
    settle()
    run = sync(account, "eb_environments")
    assert (run.seen, run.gone) == (2, 1)
    green = Environment.objects.get(environment_id=storefront["green"])
    assert green.gone_at == run.started_at
    assert Environment.objects.filter(gone_at__isnull=True).count() == 2


def test_targeted_resync_by_name_arn_and_environment_id(eb, account, storefront):
    app = sync_ids(account=account, region=REGION, resource_type="eb_applications", ids=["storefront", "nope"])
    assert app == TargetedResult(seen=1, added=1)
    arn = "arn:aws:elasticbeanstalk:us-east-1:123456789012:applicationversion/storefront/v42"
    assert sync_ids(account=account, region=REGION, resource_type="eb_versions", ids=[arn]).added == 1
    assert list(ApplicationVersion.objects.values_list("version_label", flat=True)) == ["v42"]
    result = sync_ids(account=account, region=REGION, resource_type="eb_environments", ids=[storefront["green"]])
    assert result == TargetedResult(seen=1, added=1)
    # After a terminate, the targeted re-sync an action runs marks the environment gone.
    eb.terminate_environment(EnvironmentId=storefront["green"])
    settle()
    gone = sync_ids(account=account, region=REGION, resource_type="eb_environments", ids=[storefront["green"]])
    assert gone == TargetedResult(gone=1)
    assert Environment.objects.get(environment_id=storefront["green"]).gone_at is not None


def test_access_denied_to_beanstalk_fails_only_that_scope(eb, account, second_account, storefront):
    second = client_get("elasticbeanstalk", account=account_ref(second_account), region=REGION)

    def refuse(**kwargs):
        raise ClientError(
            {"Error": {"Code": "AccessDenied", "Message": "User is not authorized to perform: DescribeEnvironments"}},
            "DescribeEnvironments",
        )

    second.meta.events.register("before-call.elastic-beanstalk.DescribeEnvironments", refuse)
    denied = sync_scope(account=second_account, region=REGION, resource_type="eb_environments")
    assert denied.status == "failed" and "AccessDenied" in denied.error
    assert sync(second_account, "eb_applications").status == "succeeded"  # other types of the account still sync
    assert sync(account, "eb_environments").seen == 3  # and so does the other account
    assert not Environment.objects.filter(account=second_account).exists()
