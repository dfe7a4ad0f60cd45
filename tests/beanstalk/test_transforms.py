"""The Beanstalk transforms on canned payloads: every model field, normalised the way the database gives it back."""

import copy
import datetime as dt

from fleetui.beanstalk.models import ApplicationVersion, BeanstalkApplication, Environment, EnvironmentEvent
from fleetui.beanstalk.transforms import (
    application_fields,
    environment_fields,
    event_fields,
    event_key,
    resources_of,
    version_fields,
)
from fleetui.inventory.sync.load import BOOKKEEPING

from .payloads import APPLICATION, EVENT, VERSION, WEB_ENVIRONMENT, WORKER_ENVIRONMENT

UTC = dt.UTC


def synced_fields(model) -> set[str]:
    """What the loader writes: every concrete column except the bookkeeping and the scope."""
    names = {field.attname for field in model._meta.concrete_fields}
    return names - BOOKKEEPING - {"account_id", "region"}


def test_application_fields_cover_the_model_and_sort_the_labels():
    fields = application_fields(APPLICATION)
    assert set(fields) == synced_fields(BeanstalkApplication)
    assert fields == {
        "application_name": "storefront",
        "arn": "arn:aws:elasticbeanstalk:us-east-1:123456789012:application/storefront",
        "description": "The shop",
        "version_labels": ["v41", "v42"],
        "date_created": dt.datetime(2026, 11, 1, 9, 0, tzinfo=UTC),
        "date_updated": dt.datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
        "tags": {},
    }


def test_application_with_only_a_name():
    fields = application_fields({"ApplicationName": "bare"})
    assert (fields["arn"], fields["description"], fields["version_labels"], fields["date_created"]) == (
        "",
        "",
        [],
        None,
    )


def test_version_fields_name_the_source_bundle_as_an_s3_url():
    fields = version_fields(VERSION)
    assert set(fields) == synced_fields(ApplicationVersion)
    assert fields["arn"].endswith(":applicationversion/storefront/v42")
    assert (fields["application_name"], fields["version_label"], fields["status"]) == ("storefront", "v42", "PROCESSED")
    assert fields["source_bundle"] == "s3://elasticbeanstalk-us-east-1-123456789012/storefront/v42.zip"
    assert fields["date_created"] == dt.datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    bare = version_fields({k: v for k, v in VERSION.items() if k not in ("SourceBundle", "Description", "Status")})
    assert (bare["source_bundle"], bare["description"], bare["status"]) == ("", "", "")


def test_web_environment_fields():
    fields = environment_fields(WEB_ENVIRONMENT)
    assert set(fields) == synced_fields(Environment)
    assert {k: v for k, v in fields.items() if k != "resources"} == {
        "environment_id": "e-abc123defg",
        "environment_name": "storefront-blue",
        "application_name": "storefront",
        "arn": "arn:aws:elasticbeanstalk:us-east-1:123456789012:environment/storefront/storefront-blue",
        "tier": "WebServer",
        "tier_type": "Standard",
        "status": "Ready",
        "health": "Green",
        "health_status": "Ok",
        "cname": "storefront.us-east-1.elasticbeanstalk.com",
        "endpoint_url": WEB_ENVIRONMENT["EndpointURL"],
        "solution_stack": "64bit Amazon Linux 2023 v4.3.0 running Python 3.11",
        "platform_arn": WEB_ENVIRONMENT["PlatformArn"],
        "version_label": "v41",
        "description": "blue",
        # ISO strings (canned) and boto3 datetimes both become aware UTC datetimes.
        "date_created": dt.datetime(2026, 11, 1, 9, 5, tzinfo=UTC),
        "date_updated": dt.datetime(2026, 11, 20, 10, 0, 0, 123000, tzinfo=UTC),
        "tags": {},
    }
    assert fields["resources"] == {
        "auto_scaling_groups": ["awseb-e-abc123defg-stack-AWSEBAutoScalingGroup-XYZ"],
        "instances": ["i-0aaaaaaaaaaaaaaa1", "i-0bbbbbbbbbbbbbbb2"],  # sorted, whatever order AWS gave
        "load_balancers": ["awseb-e-a-AWSEBLoa-1A2B3C4D5E6F"],
        "launch_configurations": [],
        "launch_templates": ["lt-0123456789abcdef0"],
        "triggers": [],
        "queues": [],
    }


def test_worker_environment_has_no_url_and_keeps_its_queues():
    fields = environment_fields(WORKER_ENVIRONMENT)
    assert (fields["tier"], fields["tier_type"], fields["cname"], fields["endpoint_url"]) == (
        "Worker",
        "SQS/HTTP",
        "",
        "",
    )
    assert fields["health_status"] == ""  # basic health reports no HealthStatus
    assert fields["resources"]["queues"] == [
        {"name": "DeadLetterQueue", "url": "https://sqs.us-east-1.amazonaws.com/123456789012/awseb-dlq"},
        {"name": "WorkerQueue", "url": "https://sqs.us-east-1.amazonaws.com/123456789012/awseb-e-worker0001-q"},
    ]
    assert fields["resources"]["triggers"] == ["awseb-e-worker0001-stack-AWSEBCloudwatchAlarmHigh"]
    assert fields["resources"]["launch_configurations"] == []  # a member AWS left out is an empty list


def test_resources_of_a_terminated_environment_stay_empty():
    assert resources_of({}) == {} and resources_of(None) == {}
    raw = {k: v for k, v in WEB_ENVIRONMENT.items() if k != "Resources"}
    assert environment_fields(raw)["resources"] == {}


def test_reordered_resources_give_the_same_fields():
    shuffled = copy.deepcopy(WORKER_ENVIRONMENT)
    shuffled["Resources"]["Queues"].reverse()
    assert environment_fields(shuffled) == environment_fields(WORKER_ENVIRONMENT)


def test_event_fields_and_a_stable_key():
    fields = event_fields(EVENT)
    assert set(fields) == synced_fields(EnvironmentEvent)
    assert fields["event_date"] == dt.datetime(2026, 11, 20, 10, 0, 5, 250000, tzinfo=UTC)
    assert (fields["application_name"], fields["environment_name"], fields["severity"]) == (
        "storefront",
        "storefront-blue",
        "INFO",
    )
    assert fields["message"] == "Environment update completed successfully."
    assert fields["request_id"] == "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"
    key = fields["event_key"]
    assert len(key) == 64 and int(key, 16) >= 0  # a hex digest that fits the column
    # The same event as an ISO string (another reader, another run) has the same key.
    assert event_key({**EVENT, "EventDate": "2026-11-20T10:00:05.250Z"}) == key


def test_event_key_changes_with_each_part_that_names_the_event():
    key = event_key(EVENT)
    for name, other in [
        ("EventDate", dt.datetime(2026, 11, 20, 10, 0, 6, tzinfo=UTC)),
        ("ApplicationName", "billing-api"),
        ("EnvironmentName", "storefront-green"),
        ("RequestId", "another-request"),
        ("Message", "Environment health has transitioned from Ok to Warning."),
    ]:
        assert event_key({**EVENT, name: other}) != key, name
    # Not part of the event's name: the severity or version label of the same event.
    assert event_key({**EVENT, "Severity": "WARN"}) == key


def test_event_without_environment_or_request():
    fields = event_fields({"EventDate": EVENT["EventDate"], "ApplicationName": "storefront", "Message": "created"})
    assert (fields["environment_name"], fields["request_id"], fields["version_label"], fields["severity"]) == (
        "",
        "",
        "",
        "",
    )
