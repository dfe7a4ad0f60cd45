"""The AWS Batch inventory in the read-only REST API (/api/v1/batch/...), read through the pages' selectors.

Same rules as fleetui.core.api (InventoryViewSet): token or session, any role; GET only (405 otherwise); an invalid
filter is a 400 naming the field.
"""

from fleetui.core.api import InventoryViewSet

from . import selectors
from . import serializers as s


class ComputeEnvironmentViewSet(InventoryViewSet):
    """Compute environments. Filters: `account`, `region`, `type` (MANAGED, UNMANAGED), `resource_type` (EC2, SPOT,
    FARGATE, FARGATE_SPOT), `state`, `status` (comma-separated lists), `queue` (used by that queue), `finding`,
    `q`, `gone`."""

    selector = selectors.compute_environment_list
    serializer_class = s.ComputeEnvironmentSerializer
    ordering_fields = ["name", "region", "state", "status", "resource_type", "desired_vcpus", "max_vcpus"]
    ordering = ["name", "id"]


class JobQueueViewSet(InventoryViewSet):
    """Job queues with their job counts by status. Filters: `account`, `region`, `state`, `status`,
    `compute_environment`, `q`, `gone`."""

    selector = selectors.job_queue_list
    serializer_class = s.JobQueueSerializer
    ordering_fields = ["name", "region", "priority", "state", "status"]
    ordering = ["-priority", "name", "id"]


class JobDefinitionViewSet(InventoryViewSet):
    """The latest ACTIVE revision of each job definition. Filters: `account`, `region`, `type`, `platform`, `q`."""

    selector = selectors.job_definition_list
    serializer_class = s.JobDefinitionSerializer
    ordering_fields = ["name", "region", "revision", "type"]
    ordering = ["name", "id"]


class JobViewSet(InventoryViewSet):
    """Jobs (the latest 100 of each queue and status). Filters: `account`, `region`, `queue`, `status` (SUBMITTED,
    PENDING, RUNNABLE, STARTING, RUNNING, SUCCEEDED, FAILED; comma-separated), `active`, `definition`, `q`, `gone`."""

    selector = selectors.job_list
    serializer_class = s.BatchJobSerializer
    ordering_fields = ["name", "region", "status", "job_queue_name", "created_at", "started_at", "stopped_at"]
    ordering = ["-created_at", "id"]


ROUTES = [
    ("batch/compute-environments", ComputeEnvironmentViewSet, "batchcomputeenvironment"),
    ("batch/job-queues", JobQueueViewSet, "batchjobqueue"),
    ("batch/job-definitions", JobDefinitionViewSet, "batchjobdefinition"),
    ("batch/jobs", JobViewSet, "batchjob"),
]
