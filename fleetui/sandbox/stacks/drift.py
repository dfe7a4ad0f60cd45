"""Drift detection for the sandbox's CloudFormation: moto 5.2.5 has no DetectStackDrift. A detection takes
FLEETUI_SANDBOX_STACKS_DELAY (or `POST /fleetui-sandbox/stacks {"delay": s}`) seconds, DETECTION_IN_PROGRESS
meanwhile, and is worked out when it is next read after that: each resource is compared with what moto's backends
hold now, as CloudFormation compares a resource's actual configuration with its template:

- a resource whose physical resource is gone (a terminated instance, a deleted security group or function) is
  DELETED;
- a security group whose ingress rules (protocol, ports, CIDR) differ from its template's SecurityGroupIngress is
  MODIFIED (a rule added or removed outside CloudFormation);
- anything else is IN_SYNC.
The stack is DRIFTED when any resource is MODIFIED or DELETED, else IN_SYNC; its DriftInformation and each
resource's (ListStackResources) show the result from then on. State lives on moto's objects, so a reset forgets it.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import Stack
from moto.cloudformation.parsing import clean_json
from moto.core.utils import utcnow
from moto.moto_api._internal import mock_random

DELAY_ENV_VAR = "FLEETUI_SANDBOX_STACKS_DELAY"
LOCK = threading.RLock()
# The statuses AWS detects drift on (CloudFormation User Guide, "Detect drift on an entire CloudFormation stack").
DRIFT_STATUSES = ("CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "UPDATE_ROLLBACK_FAILED")


def default_delay() -> float:
    """Seconds a drift detection takes, from FLEETUI_SANDBOX_STACKS_DELAY (2.0)."""
    return float(os.environ.get(DELAY_ENV_VAR) or 2.0)


@dataclass
class StacksConfig:
    delay: float = field(default_factory=default_delay)


CONFIG = StacksConfig()


@dataclass
class Detection:
    detection_id: str
    stack: Stack
    started: datetime
    delay: float
    done: dict[str, Any] | None = None  # the finished result: {"status", "count", "at"}

    def describe(self) -> dict[str, Any]:
        """DescribeStackDriftDetectionStatus's answer, settling the detection once its delay has passed."""
        with LOCK:
            if self.done is None and utcnow() >= self.started + timedelta(seconds=self.delay):
                self.done = _detect(self.stack)
        answer: dict[str, Any] = {"StackId": self.stack.stack_id, "StackDriftDetectionId": self.detection_id}
        if self.done is None:
            return answer | {"DetectionStatus": "DETECTION_IN_PROGRESS", "Timestamp": self.started}
        return answer | {
            "DetectionStatus": "DETECTION_COMPLETE",
            "StackDriftStatus": self.done["status"],
            "DriftedStackResourceCount": self.done["count"],
            "Timestamp": self.done["at"],
        }


def detections(backend: Any) -> dict[str, Detection]:
    """The backend's detections by id (kept on moto's backend object, so a reset forgets them)."""
    if not hasattr(backend, "fleetui_detections"):
        backend.fleetui_detections = {}
    return backend.fleetui_detections  # type: ignore[no-any-return]


def detect_start(backend: Any, stack_name: str) -> str:
    """DetectStackDrift: ValidationError for a stack moto does not know or one in a status AWS does not check."""
    stack = next((s for s in backend.stacks.values() if stack_name in (s.name, s.stack_id)), None)
    if stack is None or stack.status == "DELETE_COMPLETE":
        raise ValidationError(stack_name, message=f"Stack with id {stack_name} does not exist")
    if stack.status not in DRIFT_STATUSES:
        raise ValidationError(
            stack_name,
            message=f"Drift detection is not supported for stacks in {stack.status} status. Supported statuses: "
            + ", ".join(DRIFT_STATUSES),
        )
    detection_id = str(mock_random.uuid4())
    detections(backend)[detection_id] = Detection(detection_id, stack, utcnow(), CONFIG.delay)
    return detection_id


def detect_status(backend: Any, detection_id: str) -> dict[str, Any]:
    detection = detections(backend).get(detection_id)
    if detection is None:
        raise ValidationError(detection_id, message=f"Stack drift detection with id {detection_id} does not exist")
    return detection.describe()


def _detect(stack: Stack) -> dict[str, Any]:
    """Compare each resource with moto's backends now; record the result on the stack and return its summary."""
    at = utcnow()
    resources: dict[str, str] = {}
    for logical_id, resource in list(stack.resource_map._parsed_resources.items()):
        if not hasattr(resource, "cf_resource_type"):
            continue  # parameters, pseudo parameters, mappings
        resources[logical_id] = _resource_drift(stack, logical_id, resource)
    drifted = sum(1 for status in resources.values() if status in ("MODIFIED", "DELETED"))
    status = "DRIFTED" if drifted else "IN_SYNC"
    stack.fleetui_drift = {"status": status, "at": at, "resources": resources}  # type: ignore[attr-defined]
    return {"status": status, "count": drifted, "at": at}


def _resource_drift(stack: Stack, logical_id: str, resource: Any) -> str:
    kind = resource.cf_resource_type
    if kind == "AWS::EC2::Instance":
        return "DELETED" if resource.state in ("terminated", "shutting-down") else "IN_SYNC"
    if kind == "AWS::EC2::SecurityGroup":
        backend = resource.ec2_backend
        group = backend.get_security_group_from_id(resource.id)
        if group is None:
            return "DELETED"
        template = stack.resource_map._resource_json_map.get(logical_id, {}).get("Properties") or {}
        expected = {_rule(rule) for rule in clean_json(template.get("SecurityGroupIngress") or [], stack.resource_map)}
        actual = {
            (str(r.ip_protocol), str(r.from_port), str(r.to_port), str(r.ip_range.get("CidrIp", "")))
            for r in group.ingress_rules
        }
        return "IN_SYNC" if expected == actual else "MODIFIED"
    if kind == "AWS::Lambda::Function":
        from moto.awslambda.models import lambda_backends

        functions = lambda_backends[stack.account_id][stack.region_name].list_functions()
        return "IN_SYNC" if any(f.function_name == resource.function_name for f in functions) else "DELETED"
    return "IN_SYNC"


def _rule(rule: dict[str, Any]) -> tuple[str, str, str, str]:
    return (
        str(rule.get("IpProtocol")),
        str(rule.get("FromPort")),
        str(rule.get("ToPort")),
        str(rule.get("CidrIp", "")),
    )


def stack_drift(stack: Stack) -> dict[str, Any]:
    """DescribeStacks' DriftInformation."""
    drift = getattr(stack, "fleetui_drift", None)
    if drift is None:
        return {"StackDriftStatus": "NOT_CHECKED"}
    return {"StackDriftStatus": drift["status"], "LastCheckTimestamp": drift["at"]}


def resource_drift(stack: Stack, logical_id: str) -> dict[str, Any]:
    """ListStackResources' DriftInformation of one resource."""
    drift = getattr(stack, "fleetui_drift", None)
    if drift is None or logical_id not in drift["resources"]:
        return {"StackResourceDriftStatus": "NOT_CHECKED"}
    return {"StackResourceDriftStatus": drift["resources"][logical_id], "LastCheckTimestamp": drift["at"]}
