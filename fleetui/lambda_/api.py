"""The Lambda inventory in the read-only REST API (/api/v1/lambda/...), read through the pages' selectors.

Same rules as fleetui.core.api (InventoryViewSet): token or session, any role; GET only (405 otherwise); an invalid
filter is a 400 naming the field.
"""

from fleetui.core.api import InventoryViewSet

from . import selectors
from . import serializers as s


class FunctionViewSet(InventoryViewSet):
    """Lambda functions with their versions, aliases and reserved concurrency. Filters: `account`, `region`,
    `runtime`, `architecture` (x86_64, arm64), `vpc` (true/false), `finding` (near_timeout, near_memory,
    deprecated_runtime, unreferenced; repeat for any), `q`, `gone`."""

    selector = selectors.function_list
    serializer_class = s.LambdaFunctionSerializer
    ordering_fields = ["function_name", "region", "runtime", "memory_mb", "timeout_s", "last_modified"]
    ordering = ["function_name", "id"]


class EventSourceMappingViewSet(InventoryViewSet):
    """Event source mappings: the queue, stream or table that invokes each function. Filters: `account`,
    `region`, `function` (name), `source_type` (sqs, kinesis, dynamodb, ...), `state`, `q`, `gone`."""

    selector = selectors.event_source_mapping_list
    serializer_class = s.LambdaEventSourceMappingSerializer
    ordering_fields = ["function_name", "source_name", "state", "last_modified"]
    ordering = ["function_name", "source_name", "id"]


ROUTES = [
    ("lambda/functions", FunctionViewSet, "lambdafunction"),
    ("lambda/event-source-mappings", EventSourceMappingViewSet, "lambdaeventsourcemapping"),
]
