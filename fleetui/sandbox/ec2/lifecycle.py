"""Instance state changes as EC2 answers them; moto 5.2.5 accepts any change from any state.

moto moves an instance to its final state at once (running, stopped, terminated) and so does the sandbox; what
this module adds is EC2's rules about which state a call may start from. A call naming several instances is
checked whole before any instance changes, so a refused call changes nothing.

- StartInstances: stopped -> pending; running/pending is a no-op answered with the current state;
  stopping, shutting-down, terminated -> IncorrectInstanceState.
- StopInstances: running -> stopping; stopped/stopping is a no-op answered with the current state;
  pending -> IncorrectInstanceState (never reached running); shutting-down, terminated -> IncorrectInstanceState;
  DisableApiStop on a running instance -> OperationNotPermitted, and nothing is stopped; an instance whose root
  device is instance store, or a spot instance from a one-time request -> UnsupportedOperation (EC2 can only
  reboot or terminate those), and nothing is stopped.
- RebootInstances: running reboots; terminated is ignored (API reference); any other state ->
  IncorrectInstanceState (our reading: EC2 reboots only a running instance).
- TerminateInstances: terminated is a no-op (TerminateInstances is idempotent); DisableApiTermination on any
  other named instance -> OperationNotPermitted, and nothing is terminated.
- ModifyInstanceAttribute: instanceType, userData, kernel, ramdisk, ebsOptimized, enaSupport, sriovNetSupport
  need a stopped instance (IncorrectInstanceState); an unknown instance type -> InvalidInstanceAttributeValue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.core.responses import ActionResult, EmptyResult
from moto.ec2.exceptions import EC2ClientError, InvalidParameterCombination, OperationNotPermitted4
from moto.ec2.models.instance_types import INSTANCE_TYPES

STATE_CODES = {"pending": 0, "running": 16, "shutting-down": 32, "terminated": 48, "stopping": 64, "stopped": 80}
# ModifyInstanceAttribute attributes EC2 changes only on a stopped instance (query names of the `X.Value` form).
STOPPED_ONLY_ATTRIBUTES = (
    "InstanceType",
    "UserData",
    "Kernel",
    "Ramdisk",
    "EbsOptimized",
    "EnaSupport",
    "SriovNetSupport",
)


def _state(name: str) -> dict[str, Any]:
    return {"Code": STATE_CODES[name], "Name": name}


def _incorrect_state(message: str) -> EC2ClientError:
    return EC2ClientError("IncorrectInstanceState", message)


def _instances(response: Any) -> list[Any]:
    ids = response._get_param("InstanceIds", [])
    if not ids:
        raise InvalidParameterCombination("No instances specified")
    response.error_on_dryrun()
    return list(response.ec2_backend.get_multi_instances_by_id(ids))  # InvalidInstanceID.NotFound


def _change(instance: Any, previous: str, current: str) -> dict[str, Any]:
    return {"InstanceId": instance.id, "CurrentState": _state(current), "PreviousState": _state(previous)}


class LifecycleResponses:
    """Methods installed on moto's InstanceResponse by `extensions.install()`; `self` is an InstanceResponse."""

    def start_instances(self: Any) -> ActionResult:
        instances = _instances(self)
        for instance in instances:
            if instance.state not in ("stopped", "running", "pending"):
                raise _incorrect_state(f"The instance '{instance.id}' is not in a state from which it can be started.")
        changes = []
        for instance in instances:
            if instance.state == "stopped":
                self.ec2_backend.start_instances([instance.id])
                changes.append(_change(instance, "stopped", "pending"))
            else:
                changes.append(_change(instance, instance.state, instance.state))
        return ActionResult({"StartingInstances": changes})

    def stop_instances(self: Any) -> ActionResult:
        instances = _instances(self)
        for instance in instances:
            if instance.state == "pending":
                raise _incorrect_state(
                    f"Instance '{instance.id}' cannot be stopped as it has never reached the 'running' state."
                )
            if instance.state not in ("running", "stopped", "stopping"):
                raise _incorrect_state(f"This instance '{instance.id}' is not in a state from which it can be stopped.")
            if instance.state == "running" and instance.disable_api_stop is True:
                raise EC2ClientError(
                    "OperationNotPermitted",
                    f"The instance '{instance.id}' may not be stopped. Modify its 'disableApiStop' instance "
                    "attribute and try again.",
                )
            _stoppable_check(self.ec2_backend, instance)
        running = [instance.id for instance in instances if instance.state == "running"]
        if running:
            self.ec2_backend.stop_instances(running)
        changes = [
            _change(i, "running", "stopping") if i.id in running else _change(i, i.state, i.state) for i in instances
        ]
        return ActionResult({"StoppingInstances": changes})

    def reboot_instances(self: Any) -> EmptyResult:
        instances = _instances(self)
        for instance in instances:
            if instance.state not in ("running", "terminated"):
                raise _incorrect_state(f"The instance '{instance.id}' is not in a state from which it can be rebooted.")
        running = [instance.id for instance in instances if instance.state == "running"]
        if running:
            self.ec2_backend.reboot_instances(running)
        return EmptyResult()

    def terminate_instances(self: Any) -> ActionResult:
        instances = _instances(self)
        live = [instance for instance in instances if instance.state != "terminated"]
        for instance in live:
            if instance.disable_api_termination is True:
                raise OperationNotPermitted4(instance.id)
        previous = {instance.id: instance.state for instance in live}
        if live:
            ids = [instance.id for instance in live]
            self.ec2_backend.terminate_instances(ids)
            _notify_terminated(self, ids)
        changes = [
            _change(i, previous[i.id], "shutting-down") if i.id in previous else _change(i, "terminated", "terminated")
            for i in instances
        ]
        return ActionResult({"TerminatingInstances": changes})


def _stoppable_check(backend: Any, instance: Any) -> None:
    """EC2's UnsupportedOperation for the instances it cannot stop (messages as EC2 words them)."""
    if instance.root_device_type == "instance-store":
        raise EC2ClientError(
            "UnsupportedOperation",
            f"The instance '{instance.id}' does not have an 'ebs' root device type and cannot be stopped.",
        )
    request = backend.spot_instance_requests.get(getattr(instance, "spot_instance_request_id", None) or "")
    if request is not None and request.type == "one-time":
        raise EC2ClientError(
            "UnsupportedOperation",
            f"You can't stop the Spot Instance '{instance.id}' because it is associated with a one-time Spot "
            "Instance request. You can only stop Spot Instances associated with persistent Spot Instance requests.",
        )


def _notify_terminated(response: Any, ids: list[str]) -> None:
    """What moto's own TerminateInstances does after terminating: tell Auto Scaling and ELBv2."""
    from moto.autoscaling import autoscaling_backends
    from moto.elbv2 import elbv2_backends

    autoscaling_backends[response.current_account][response.region].notify_terminate_instances(ids)
    elbv2_backends[response.current_account][response.region].notify_terminate_instances(ids)


def _stopped_only_attribute(response: Any) -> tuple[str, Any] | None:
    """(attribute, new value) when the request changes an attribute EC2 changes only on a stopped instance."""
    for name in STOPPED_ONLY_ATTRIBUTES:
        value = response._get_param(f"{name}.Value")
        if value is not None:
            return name, value
    attribute = response._get_param("Attribute")
    if attribute and attribute[0].upper() + attribute[1:] in STOPPED_ONLY_ATTRIBUTES:
        return attribute[0].upper() + attribute[1:], response._get_param("Value")
    return None


def modify_instance_attribute_wrap(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Wrap InstanceResponse.modify_instance_attribute with EC2's state and instance-type checks."""

    def modify_instance_attribute(self: Any) -> Any:
        change = _stopped_only_attribute(self)
        if change is not None:
            instance = self.ec2_backend.get_instance(self._get_param("InstanceId"))
            name, value = change
            if name == "InstanceType" and value not in INSTANCE_TYPES:
                raise EC2ClientError("InvalidInstanceAttributeValue", f"The instanceType '{value}' is invalid.")
            if instance.state != "stopped":
                raise _incorrect_state(f"The instance '{instance.id}' is not in the 'stopped' state.")
        return original(self)

    modify_instance_attribute.__wrapped__ = original  # type: ignore[attr-defined]
    modify_instance_attribute._fleetui_wrapped = True  # type: ignore[attr-defined]
    return modify_instance_attribute
