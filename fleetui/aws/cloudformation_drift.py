"""CloudFormation calls for the drift action: start a stack's drift detection and read how it goes.

- DetectStackDrift starts a detection of the whole stack and answers at once with its StackDriftDetectionId. AWS
  refuses a stack it does not know, and one whose status it cannot check (for example *_IN_PROGRESS), with
  ValidationError: the first is AwsNotFound here (the message says "does not exist"), the other AwsInvalidRequest
  with AWS's message.
- DescribeStackDriftDetectionStatus reads one detection: DetectionStatus (DETECTION_IN_PROGRESS, DETECTION_COMPLETE,
  DETECTION_FAILED, with DetectionStatusReason), StackDriftStatus (DRIFTED, IN_SYNC, UNKNOWN, NOT_CHECKED) and
  DriftedStackResourceCount.
Throttling and endpoint errors are AwsThrottled / AwsUnavailable, as everywhere.
"""

from __future__ import annotations

from typing import Any

from .clients import AccountRef, client_get
from .errors import AwsInvalidRequest, AwsNotFound, aws_errors

DONE = frozenset({"DETECTION_COMPLETE", "DETECTION_FAILED"})


def _cfn(account: AccountRef, region: str) -> Any:
    return client_get("cloudformation", account=account, region=region)


def drift_detect(*, account: AccountRef, region: str, stack_id: str) -> str:
    """DetectStackDrift of the whole stack; returns the detection's id."""
    try:
        with aws_errors("DetectStackDrift"):
            answer = _cfn(account, region).detect_stack_drift(StackName=stack_id)
    except AwsInvalidRequest as error:
        if "does not exist" in error.message:
            raise AwsNotFound(error.message, code=error.code, operation=error.operation) from error
        raise
    return str(answer["StackDriftDetectionId"])


def drift_status(*, account: AccountRef, region: str, detection_id: str) -> dict[str, Any]:
    """DescribeStackDriftDetectionStatus of one detection (see the module docstring for its fields)."""
    with aws_errors("DescribeStackDriftDetectionStatus"):
        return dict(_cfn(account, region).describe_stack_drift_detection_status(StackDriftDetectionId=detection_id))
