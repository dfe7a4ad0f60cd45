"""What stopping instances costs, and which stops AWS refuses: shared by ec2.stop and the stop -> change -> start kinds
(ec2.move_placement, ec2.change_type, and their Retry and Roll back, which are new actions of the same kinds).

- Instance store is erased when an instance stops. Before a kind that stops instances is recorded, the request page
  lists the running targets that hold instance-store data (`form_notice`) and the requester types `ERASE <n>`
  (`confirmation`; the API's `confirm`). A stopped instance has nothing left to lose, and one whose root device is
  instance store is refused anyway (below), so neither counts. Counted from the inventory, like the blast radius.
- AWS refuses to stop (UnsupportedOperation) an instance whose root device is instance store, and a spot instance
  whose request is one-time. `stop_refusals` reads both right before the stop call (DescribeInstances'
  RootDeviceType and SpotInstanceRequestId, then DescribeSpotInstanceRequests' Type): live, because the request
  type is not in DescribeInstances and a persistent request can be cancelled. The kinds report each refused
  instance in the result and go ahead with the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from fleetui.actions.registry import Confirmation, Operation
from fleetui.aws import ec2_instances as aws
from fleetui.ec2.models import Instance

if TYPE_CHECKING:
    from fleetui.inventory.models import Account

RUNNING = ("running", "pending")
ROOT_REFUSAL = (
    "failed: refused before the call: its root device is instance store, which AWS cannot stop "
    "(UnsupportedOperation); reboot or terminate it instead"
)
SPOT_REFUSAL = (
    "failed: refused before the call: a spot instance from a one-time request cannot be stopped "
    "(UnsupportedOperation); terminate it, or launch it from a persistent request"
)


def stop_refusals(*, account: Any, region: str, described: Mapping[str, dict[str, Any]]) -> dict[str, str]:
    """{instance id: outcome text} for the described instances AWS would refuse to stop."""
    refused: dict[str, str] = {}
    spot: dict[str, str] = {}
    for iid, raw in described.items():
        if raw.get("RootDeviceType") == "instance-store":
            refused[iid] = ROOT_REFUSAL
        elif raw.get("InstanceLifecycle") == "spot" and raw.get("SpotInstanceRequestId"):
            spot[iid] = raw["SpotInstanceRequestId"]
    if spot:
        types = aws.spot_request_types(account=account, region=region, request_ids=list(spot.values()))
        refused.update({iid: SPOT_REFUSAL for iid, request in spot.items() if types.get(request) == "one-time"})
    return refused


def _rows(account: Account, region: str, targets: list[str]) -> list[Instance]:
    rows = Instance.objects.filter(account=account, region=region, gone_at__isnull=True, instance_id__in=targets)
    return list(rows.order_by("instance_id"))


def erased_instances(rows: list[Instance]) -> list[Instance]:
    """The running instances whose instance-store data a stop erases (not those AWS refuses to stop)."""
    return [r for r in rows if r.state in RUNNING and r.has_instance_store and r.root_device_type != "instance-store"]


class StopsInstances(Operation):
    """Mixed into every kind that stops instances: the erase warning and its typed confirmation."""

    def confirmation(
        self, *, account: Account, region: str, targets: list[str], params: dict[str, Any]
    ) -> Confirmation | None:
        erased = erased_instances(_rows(account, region, targets))
        if not erased:
            return super().confirmation(account=account, region=region, targets=targets, params=params)
        count = len(erased)
        return Confirmation(
            f"ERASE {count}",
            f"{self.label} stops {count} running instance{'s' if count != 1 else ''} whose instance-store data will "
            "be erased",
        )

    def form_notice(
        self, *, account: Account | None, region: str, targets: list[str], params: dict[str, Any]
    ) -> dict[str, Any] | None:
        if account is None or not targets:
            return None
        rows = _rows(account, region, targets)
        running = [r for r in rows if r.state in RUNNING]
        notice = {
            "template": "ec2/_stop_notice.html",
            "erased": erased_instances(rows),
            "store_root": [r for r in running if r.root_device_type == "instance-store"],
            "spot": [r for r in running if r.lifecycle == "spot" and r.root_device_type != "instance-store"],
        }
        return notice if any(notice[key] for key in ("erased", "store_root", "spot")) else None
