"""EC2's control path on the sandbox server (answered through middleware.py), used by the demo seed only:

`POST /fleetui-sandbox/backdate` `{"account_id", "region", "images": {id: iso8601}, "instances": {id: iso8601}}`
sets AMI CreationDate / instance LaunchTime, and `"reserved_instances": {id: iso8601}` a reservation's Start
(its End follows from the term), which no AWS API can set.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from moto.core.exceptions import ServiceException
from moto.ec2.models import ec2_backends

from ..middleware import CONTROL_PREFIX, ControlHandler
from .reservations import reservation_backdate

BACKDATE_PATH = CONTROL_PREFIX + "backdate"


def _parse_when(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)


def backdate_apply(data: dict[str, Any]) -> dict[str, int]:
    """Set AMI CreationDate and instance LaunchTime directly on moto's backend (moto stores naive UTC)."""
    backend = ec2_backends[data["account_id"]][data["region"]]
    try:
        for image_id, when in (data.get("images") or {}).items():
            backend.amis[image_id].creation_date = _parse_when(when)
        for instance_id, when in (data.get("instances") or {}).items():
            backend.get_instance(instance_id).launch_time = _parse_when(when)
        for reservation_id, when in (data.get("reserved_instances") or {}).items():
            reservation_backdate(backend, reservation_id, datetime.fromisoformat(when.replace("Z", "+00:00")))
    except ServiceException as exc:  # InvalidInstanceID.NotFound
        raise ValueError(str(exc)) from exc
    return {name: len(data.get(name) or {}) for name in ("images", "instances", "reserved_instances")}


def control(path: str, method: str) -> ControlHandler | None:
    """The service hook: the backdate endpoint's handler (any method, as before), None for any other path."""
    return backdate_apply if path == BACKDATE_PATH else None
