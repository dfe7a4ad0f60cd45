"""AWS Batch's resource types for the sync engine (fleetui.inventory.sync collects `SYNCS`): environments, queues
and job definitions, then jobs, read per queue (their fetcher gets the queues' ARNs as `parents`)."""

from fleetui.aws import batch
from fleetui.inventory.sync import ResourceSync

from . import transforms
from .models import ComputeEnvironment, Job, JobDefinition, JobQueue

SYNCS = {
    "batch_compute_environments": ResourceSync(
        batch.compute_environment_pages,
        transforms.compute_environment_fields,
        ComputeEnvironment,
        ComputeEnvironment.KEY,
    ),
    "batch_job_queues": ResourceSync(batch.job_queue_pages, transforms.job_queue_fields, JobQueue, JobQueue.KEY),
    "batch_job_definitions": ResourceSync(
        batch.job_definition_pages, transforms.job_definition_fields, JobDefinition, JobDefinition.KEY
    ),
    "batch_jobs": ResourceSync(batch.job_pages, transforms.job_fields, Job, Job.KEY, parent="batch_job_queues"),
}
