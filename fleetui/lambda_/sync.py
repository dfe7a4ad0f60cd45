"""Lambda's resource types for the sync engine (fleetui.inventory.sync collects `SYNCS`): functions (with their
versions, aliases and reserved concurrency, read per function), then event source mappings."""

from fleetui.aws import lambda_ as aws
from fleetui.inventory.sync import ResourceSync

from . import transforms
from .models import EventSourceMapping, Function

SYNCS = {
    "lambda_functions": ResourceSync(aws.function_pages, transforms.function_fields, Function, Function.KEY),
    "lambda_event_source_mappings": ResourceSync(
        aws.event_source_mapping_pages,
        transforms.event_source_mapping_fields,
        EventSourceMapping,
        EventSourceMapping.KEY,
    ),
}
