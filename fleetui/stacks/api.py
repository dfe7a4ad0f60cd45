"""The CloudFormation inventory in the read-only REST API (/api/v1/stacks/...), read through the pages' selectors.

Same rules as fleetui.core.api (InventoryViewSet): token or session, any role; GET only (405 otherwise); an invalid
filter is a 400 naming the field.
"""

from fleetui.core.api import InventoryViewSet

from . import selectors
from . import serializers as s


class StackViewSet(InventoryViewSet):
    """Stacks (not deleted). Filters: `account`, `region`, `stack` (name), `status`, `finding` (failed or rolled
    back: true/false), `sam`, `drift` (DRIFTED, IN_SYNC, UNKNOWN, NOT_CHECKED), `protected`, `q`, `gone`."""

    selector = selectors.stack_list
    serializer_class = s.CloudFormationStackSerializer
    ordering_fields = ["name", "region", "status", "created_at", "updated_at", "drift_status"]
    ordering = ["name", "id"]


class StackResourceViewSet(InventoryViewSet):
    """Stack resources. Filters: `account`, `region`, `stack`, `stack_id`, `type` (AWS::EC2::Instance, ...),
    `status`, `drift` (MODIFIED, DELETED, IN_SYNC, NOT_CHECKED), `physical_id`, `in_inventory`, `q`, `gone`."""

    selector = selectors.resource_list
    serializer_class = s.CloudFormationStackResourceSerializer
    ordering_fields = ["stack_name", "logical_id", "resource_type", "status", "drift_status", "updated_at"]
    ordering = ["stack_name", "logical_id", "id"]


class StackEventViewSet(InventoryViewSet):
    """Stack events, the newest 100 of each stack. Filters: `account`, `region`, `stack`, `stack_id`, `status`,
    `q`."""

    selector = selectors.event_list
    serializer_class = s.CloudFormationStackEventSerializer
    ordering_fields = ["stack_name", "timestamp", "status"]
    ordering = ["stack_name", "-timestamp", "id"]


ROUTES = [
    ("stacks/stacks", StackViewSet, "cfnstack"),
    ("stacks/resources", StackResourceViewSet, "cfnstackresource"),
    ("stacks/events", StackEventViewSet, "cfnstackevent"),
]
