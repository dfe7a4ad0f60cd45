"""DescribeInstances paged by instance, as EC2 does; moto pages by reservation (see DOMAIN.md).

With moto's paging, `MaxResults=1000` over 20 reservations of 500 instances returns all 10,000 instances in one
response. Here `MaxResults` (5..1000) counts instances, a reservation may be split across pages, and without
`MaxResults` every match is returned, like the unpaginated API. `NextToken` is opaque (the last instance id sent).
Error codes: InvalidParameterCombination (InstanceIds with MaxResults), InvalidParameterValue (MaxResults out of
range, unknown NextToken), InvalidInstanceID.NotFound (from moto).
"""

from __future__ import annotations

import copy
from typing import Any

from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError, InvalidParameterCombination


def _pairs(reservations: list[Any]) -> list[tuple[Any, Any]]:
    return [(reservation, instance) for reservation in reservations for instance in reservation.instances]


def _regroup(pairs: list[tuple[Any, Any]]) -> list[Any]:
    """Consecutive instances of one reservation become one (copied) reservation holding just them."""
    page: list[Any] = []
    for reservation, instance in pairs:
        if not page or page[-1].id != reservation.id:
            part = copy.copy(reservation)
            part.instances = []
            page.append(part)
        page[-1].instances.append(instance)
    return page


def _start(pairs: list[tuple[Any, Any]], token: str | None) -> int:
    if not token:
        return 0
    for index, (_reservation, instance) in enumerate(pairs):
        if instance.id == token:
            return index + 1
    raise EC2ClientError("InvalidParameterValue", f"The NextToken '{token}' is invalid.")


def describe_instances(self: Any) -> ActionResult:
    """Replaces InstanceResponse.describe_instances; `self` is moto's EC2 response."""
    self.error_on_dryrun()
    instance_ids = self._get_param("InstanceIds", [])
    max_results = self._get_int_param("MaxResults")
    if instance_ids and max_results is not None:
        raise InvalidParameterCombination("The parameter instancesSet cannot be used with the parameter maxResults")
    if max_results is not None and not 5 <= max_results <= 1000:
        raise EC2ClientError(
            "InvalidParameterValue",
            f"Value ( {max_results} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.",
        )
    filters = self._filters_from_querystring()
    backend = self.ec2_backend
    if instance_ids:
        reservations = backend.get_reservations_by_instance_ids(instance_ids, filters=filters)
    else:
        reservations = backend.describe_instances(filters=filters)
    pairs = _pairs(reservations)
    start = _start(pairs, self._get_param("NextToken"))
    end = len(pairs) if max_results is None else start + max_results
    page = pairs[start:end]
    next_token = page[-1][1].id if end < len(pairs) and page else None
    return ActionResult({"Reservations": _regroup(page), "NextToken": next_token})
