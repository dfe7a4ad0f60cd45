"""CloudFormation's resource types for the sync engine (fleetui.inventory.sync collects `SYNCS`): stacks first, then
what is read per stack (their fetchers get the live stacks' ids as `parents`)."""

from fleetui.aws import cloudformation as cfn
from fleetui.inventory.sync import ResourceSync

from . import transforms
from .models import Stack, StackEvent, StackResource

STACKS, RESOURCES, EVENTS = "stacks_stacks", "stacks_resources", "stacks_events"

SYNCS = {
    STACKS: ResourceSync(cfn.stack_pages, transforms.stack_fields, Stack, Stack.KEY),
    RESOURCES: ResourceSync(
        cfn.resource_pages, transforms.resource_fields, StackResource, StackResource.KEY, parent=STACKS
    ),
    EVENTS: ResourceSync(cfn.event_pages, transforms.event_fields, StackEvent, StackEvent.KEY, parent=STACKS),
}
