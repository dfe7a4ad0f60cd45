"""A behaviour-preserving speed-up of moto 5.2.5 that keeps the benchmark's floor about AWS, not about moto.

moto answers each resource's tags (`TaggedEC2Resource.get_tags`, used for every instance, ENI, volume
... that DescribeInstances serialises) with `describe_tags(filters={"resource-id": [id]})`, which scans
every tag of every resource in the region. DescribeInstances over N instances is therefore O(N^2):
10,000 instances took about 124 s on a 2-core machine, so the "floor" measured moto's scan, and any
sync looked as fast as the raw fetch. The same answer is a dict lookup.
"""

from __future__ import annotations

from typing import Any

from moto.ec2.models.core import TaggedEC2Resource
from moto.ec2.utils import EC2_PREFIX_TO_RESOURCE, get_prefix


def _get_tags(self: Any) -> list[dict[str, str]]:
    if not self.id:
        return []
    # .get: the backend's tags is a defaultdict, and a lookup must not add an entry.
    tags = self.ec2_backend.tags.get(self.id) or {}
    resource_type = EC2_PREFIX_TO_RESOURCE.get(get_prefix(self.id), "")
    return [{"resource_id": self.id, "key": k, "value": v, "resource_type": resource_type} for k, v in tags.items()]


def tag_lookup_install() -> bool:
    """Install the dict lookup unless fleetui's sandbox already replaced get_tags. Returns whether it installed."""
    if getattr(TaggedEC2Resource.get_tags, "__module__", "").startswith("moto."):
        setattr(TaggedEC2Resource, "get_tags", _get_tags)  # noqa: B010 - patching a foreign class on purpose
        return True
    return False
