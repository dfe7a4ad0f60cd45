"""Behaviour-preserving speed-ups for moto at benchmark scale (10,000 instances).

- RunInstances: moto launches each instance with two linear scans, `describe_images(filters={"image-id": id})`
  over ~1,300 preloaded AMIs and `get_instance(id)` over every instance ever launched (to attach the root
  volume), which made a large launch quadratic (10,000 instances took 139 s). An exact AMI id is now a dict
  lookup, and an instance is looked up newest reservation first (ids are unique; the one being launched sits in
  the newest reservation).
- Every EC2 response: each resource's tags came from `describe_tags(resource-id=<id>)`, a regex over every tag of
  every resource, so DescribeInstances was quadratic too (500 instances of 2,000: 3 s). A resource's own tags
  are now read from the tag store directly; moto's filter is an anchored exact match, so the result is the same.
- DescribeInstanceTypes: the catalog never changes, yet moto serialized all ~1,400 types (5.9 MB of XML) on every
  call, about as long as the client then takes to parse it. Every sync of the catalog, in every test and the demo,
  paid that. Each distinct request (its parameters: types, filters) is now serialized once per process and the
  same body answered after; a request moto refuses (an unknown type) is not cached, so it is refused again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.ec2.exceptions import InvalidInstanceIdError
from moto.ec2.models.amis import AmiBackend
from moto.ec2.models.core import TaggedEC2Resource
from moto.ec2.models.instances import InstanceBackend
from moto.ec2.responses.instances import InstanceResponse
from moto.ec2.utils import EC2_PREFIX_TO_RESOURCE, get_prefix

_WILDCARDS = set("*?[")


def _describe_images_wrap(original: Callable[..., list[Any]]) -> Callable[..., list[Any]]:
    def describe_images(
        self: Any,
        ami_ids: list[str] | None = None,
        filters: dict[str, Any] | None = None,
        exec_users: list[str] | None = None,
        owners: list[str] | None = None,
    ) -> list[Any]:
        image_id = (filters or {}).get("image-id")
        exact = isinstance(image_id, str) and not (_WILDCARDS & set(image_id))
        if exact and not ami_ids and not exec_users and not owners and len(filters or {}) == 1:
            image = self.amis.get(image_id)
            return [image] if image is not None else []
        return original(self, ami_ids=ami_ids, filters=filters, exec_users=exec_users, owners=owners)

    describe_images._fleetui_wrapped = True  # type: ignore[attr-defined]
    return describe_images


def _get_instance(self: Any, instance_id: str) -> Any:
    for reservation in reversed(self.reservations.values()):
        for instance in reservation.instances:
            if instance.id == instance_id:
                return instance
    raise InvalidInstanceIdError(instance_id)


def _get_tags(self: Any) -> list[dict[str, str]]:
    resource_id = getattr(self, "id", None)
    if not resource_id:
        return []
    if _WILDCARDS & set(resource_id):  # moto would treat these as patterns: keep its answer
        return self.ec2_backend.describe_tags(filters={"resource-id": [resource_id]})
    tags = self.ec2_backend.tags.get(resource_id) or {}
    resource_type = EC2_PREFIX_TO_RESOURCE.get(get_prefix(resource_id), "")
    return [
        {"resource_id": resource_id, "key": key, "value": value, "resource_type": resource_type}
        for key, value in tags.items()
    ]


def _describe_instance_types_wrap(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    bodies: dict[tuple, Any] = {}

    def describe_instance_types(self: Any) -> Any:
        key = tuple(sorted((name, repr(value)) for name, value in self.querystring.items() if name != "Action"))
        if key not in bodies:
            _status, _headers, bodies[key] = self.serialized(original(self))
        return bodies[key]  # a str body: moto answers it with status 200 and its usual headers

    describe_instance_types._fleetui_wrapped = True  # type: ignore[attr-defined]
    return describe_instance_types


def speedups_install() -> None:
    """Idempotent."""
    if not getattr(AmiBackend.describe_images, "_fleetui_wrapped", False):
        setattr(AmiBackend, "describe_images", _describe_images_wrap(AmiBackend.describe_images))  # noqa: B010
    setattr(InstanceBackend, "get_instance", _get_instance)  # noqa: B010
    setattr(TaggedEC2Resource, "get_tags", _get_tags)  # noqa: B010
    if not getattr(InstanceResponse.describe_instance_types, "_fleetui_wrapped", False):
        wrapped = _describe_instance_types_wrap(InstanceResponse.describe_instance_types)
        setattr(InstanceResponse, "describe_instance_types", wrapped)  # noqa: B010
