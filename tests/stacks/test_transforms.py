"""The CloudFormation transforms on canned API payloads: every field, SAM from the declared transforms, a resource's
and an event's stack from their parent key, and an unchanged item giving identical fields."""

from datetime import UTC, datetime

from fleetui.aws.cloudformation import TRANSFORMS_KEY
from fleetui.aws.query import PARENT_KEY
from fleetui.stacks import transforms
from fleetui.stacks.models import is_finding

STACK_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/orders-sam/0f1e2d3c-4b5a-6978-8877-665544332211"
WHEN = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)

STACK = {
    "StackId": STACK_ID,
    "StackName": "orders-sam",
    "Description": "Orders API",
    "Parameters": [{"ParameterKey": "Stage", "ParameterValue": "prod"}, {"ParameterKey": "Env", "ParameterValue": "p"}],
    "CreationTime": WHEN,
    "LastUpdatedTime": "2026-11-03T10:00:00Z",
    "StackStatus": "UPDATE_ROLLBACK_FAILED",
    "StackStatusReason": "The following resource(s) failed to update: [OrdersFunction].",
    "Outputs": [{"OutputKey": "Url", "OutputValue": "https://x", "Description": "the URL", "ExportName": "orders-url"}],
    "Tags": [{"Key": "team", "Value": "orders"}],
    "EnableTerminationProtection": True,
    "DriftInformation": {"StackDriftStatus": "DRIFTED", "LastCheckTimestamp": WHEN},
    TRANSFORMS_KEY: ["AWS::Serverless-2016-10-31"],
}


def test_a_stack_with_every_field_and_the_sam_mark():
    fields = transforms.stack_fields(STACK)
    assert fields["stack_id"] == STACK_ID and fields["name"] == "orders-sam"
    assert (fields["status"], fields["status_reason"]) == (STACK["StackStatus"], STACK["StackStatusReason"])
    assert (fields["created_at"], fields["updated_at"]) == (WHEN, datetime(2026, 11, 3, 10, tzinfo=UTC))
    assert fields["termination_protection"] is True and fields["is_sam"] is True
    assert (fields["drift_status"], fields["drift_checked_at"]) == ("DRIFTED", WHEN)
    assert fields["parameters"] == [{"key": "Env", "value": "p"}, {"key": "Stage", "value": "prod"}]
    assert fields["outputs"] == [{"key": "Url", "value": "https://x", "description": "the URL", "export": "orders-url"}]
    assert fields["tags"] == {"team": "orders"} and fields["transforms"] == ["AWS::Serverless-2016-10-31"]
    assert transforms.stack_fields(dict(STACK)) == fields  # an unchanged item gives identical fields
    plain = transforms.stack_fields({"StackId": STACK_ID, "StackName": "x", "StackStatus": "CREATE_COMPLETE"})
    assert (plain["is_sam"], plain["drift_status"], plain["updated_at"], plain["parameters"]) == (False, "", None, [])


def test_resources_and_events_take_their_stack_from_the_parent_key():
    resource = transforms.resource_fields(
        {
            "LogicalResourceId": "OrdersFunction",
            "PhysicalResourceId": "orders-sam-OrdersFunction-ABC",
            "ResourceType": "AWS::Lambda::Function",
            "ResourceStatus": "UPDATE_FAILED",
            "ResourceStatusReason": "Resource handler returned message",
            "LastUpdatedTimestamp": WHEN,
            "DriftInformation": {"StackResourceDriftStatus": "MODIFIED", "LastCheckTimestamp": WHEN},
            PARENT_KEY: STACK_ID,
        }
    )
    assert resource["resource_key"] == f"{STACK_ID}#OrdersFunction"
    assert (resource["stack_id"], resource["stack_name"], resource["logical_id"]) == (
        STACK_ID, "orders-sam", "OrdersFunction",
    )  # fmt: skip
    assert (resource["physical_id"], resource["resource_type"], resource["drift_status"]) == (
        "orders-sam-OrdersFunction-ABC", "AWS::Lambda::Function", "MODIFIED",
    )  # fmt: skip
    event = transforms.event_fields(
        {
            "EventId": "e-1",
            "LogicalResourceId": "orders-sam",
            "ResourceType": "AWS::CloudFormation::Stack",
            "ResourceStatus": "CREATE_COMPLETE",
            "Timestamp": WHEN,
            PARENT_KEY: STACK_ID,
        }
    )
    assert (event["event_id"], event["stack_name"], event["status"], event["timestamp"]) == (
        "e-1", "orders-sam", "CREATE_COMPLETE", WHEN,
    )  # fmt: skip


def test_failed_and_rolled_back_states_are_findings():
    findings = ["CREATE_FAILED", "ROLLBACK_COMPLETE", "ROLLBACK_IN_PROGRESS", "UPDATE_ROLLBACK_FAILED",
                "UPDATE_ROLLBACK_COMPLETE", "DELETE_FAILED", "IMPORT_ROLLBACK_COMPLETE"]  # fmt: skip
    assert all(is_finding(status) for status in findings)
    assert not any(is_finding(s) for s in ["CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_IN_PROGRESS"])
