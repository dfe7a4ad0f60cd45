"""The EMR inventory in the read-only REST API (/api/v1/emr/...), read through the pages' selectors.

Same rules as fleetui.core.api (InventoryViewSet): token or session, any role; GET only (405 otherwise); an invalid
filter is a 400 naming the field.
"""

from fleetui.core.api import InventoryViewSet

from . import selectors
from . import serializers as s


class ClusterViewSet(InventoryViewSet):
    """EMR clusters (active, and those ended in the last 7 days). Filters: `account`, `region`, `cluster` (name),
    `state`, `release`, `finding` (idle, no_auto_termination; repeat for either), `q`, `gone`."""

    selector = selectors.cluster_list
    serializer_class = s.EmrClusterSerializer
    ordering_fields = ["name", "region", "state", "release_label", "created_at", "last_activity"]
    ordering = ["name", "id"]


class InstanceGroupViewSet(InventoryViewSet):
    """Instance groups, and instance fleets (`collection` "fleet"). Filters: `account`, `region`, `cluster`,
    `cluster_id`, `group_type` (MASTER, CORE, TASK), `market` (ON_DEMAND, SPOT), `state`, `q`, `gone`."""

    selector = selectors.instance_group_list
    serializer_class = s.EmrInstanceGroupSerializer
    ordering_fields = ["cluster_name", "name", "region", "group_type", "market", "running_count", "state"]
    ordering = ["cluster_name", "group_type", "id"]


class StepViewSet(InventoryViewSet):
    """Steps, the newest 50 of each cluster. Filters: `account`, `region`, `cluster`, `cluster_id`, `state`, `q`."""

    selector = selectors.step_list
    serializer_class = s.EmrStepSerializer
    ordering_fields = ["cluster_name", "name", "state", "created_at", "started_at", "ended_at"]
    ordering = ["cluster_name", "-created_at", "id"]


class InstanceViewSet(InventoryViewSet):
    """Cluster instances not terminated, each with its EC2 instance id. Filters: `account`, `region`, `cluster`,
    `cluster_id`, `group`, `market`, `state`, `q`."""

    selector = selectors.instance_list
    serializer_class = s.EmrInstanceSerializer
    ordering_fields = ["cluster_name", "instance_group_id", "instance_type", "state", "ready_at"]
    ordering = ["cluster_name", "instance_group_id", "id"]


ROUTES = [
    ("emr/clusters", ClusterViewSet, "emrcluster"),
    ("emr/instance-groups", InstanceGroupViewSet, "emrinstancegroup"),
    ("emr/steps", StepViewSet, "emrstep"),
    ("emr/instances", InstanceViewSet, "emrinstance"),
]
