"""AWS Batch pages: four lists (ResourceListView: filters, sort, pages, htmx fragment, CSV), the compute environment
page (vCPUs, instance types, allocation strategy, the queues that use it and its EC2 instances) and the job queue
page (its environments in order, job counts by status, the latest jobs), plus the home page's panel. Every page
needs the viewer role (RoleRequiredMiddleware's default).
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fleetui.actions.common import request_url
from fleetui.actions.registry import OPERATIONS
from fleetui.actions.views import ActionsOffered
from fleetui.core import fields
from fleetui.core.roles import has_role
from fleetui.core.views import ResourceListView

from . import selectors, tables
from . import serializers as s
from .models import ComputeEnvironment, JobQueue

UPDATE = "batch.update_compute_environment"


class BatchListView(ResourceListView):
    # The shared list page with the Batch tabs (Compute environments, Job queues, Job definitions, Jobs) above it.
    template_name = "batch/resource_list.html"


class ComputeEnvironmentListView(ActionsOffered, BatchListView):
    title = "Batch compute environments"
    intro = "Where Batch runs jobs: EC2 On-Demand, Spot or Fargate capacity, scaled between min and max vCPUs."
    selector = staticmethod(selectors.compute_environment_list)
    table_class = tables.ComputeEnvironmentTable
    csv_columns = fields.csv_columns(s.COMPUTE_ENVIRONMENT_FIELDS)
    csv_filename = "batch-compute-environments.csv"
    more_filters = ("finding", "gone")
    action_target_type = "batch_compute_environments"


class JobQueueListView(BatchListView):
    title = "Batch job queues"
    intro = "Jobs wait in a queue until a compute environment in its order has room; higher priority goes first."
    selector = staticmethod(selectors.job_queue_list)
    table_class = tables.JobQueueTable
    csv_columns = fields.csv_columns(s.JOB_QUEUE_FIELDS)
    csv_filename = "batch-job-queues.csv"


class JobDefinitionListView(BatchListView):
    title = "Batch job definitions"
    intro = "The latest active revision of each job definition: the image, vCPUs and memory a job asks for."
    selector = staticmethod(selectors.job_definition_list)
    table_class = tables.JobDefinitionTable
    csv_columns = fields.csv_columns(s.JOB_DEFINITION_FIELDS)
    csv_filename = "batch-job-definitions.csv"


class JobListView(ActionsOffered, BatchListView):
    title = "Batch jobs"
    intro = "The latest 100 jobs of each queue and status. A job stuck in RUNNABLE has no capacity to start on."
    selector = staticmethod(selectors.job_list)
    table_class = tables.JobTable
    csv_columns = fields.csv_columns(s.JOB_FIELDS)
    csv_filename = "batch-jobs.csv"
    more_filters = ("active", "definition", "gone")
    first_filter = "queue"
    action_target_type = "batch_jobs"


def compute_environment_detail(request: HttpRequest, account_id: str, region: str, name: str) -> HttpResponse:
    """The compute environment: vCPUs, instance types, allocation strategy, its queues and its EC2 instances, and
    the update button for who may update it."""
    try:
        detail = selectors.compute_environment_detail(account_id=account_id, region=region, name=name)
    except ComputeEnvironment.DoesNotExist:
        raise Http404("No such Batch compute environment in the inventory.") from None
    env = detail.environment
    context = {"detail": detail, "env": env, "update_url": _update_url(request, env)}
    return render(request, "batch/compute_environment_detail.html", context)


def _update_url(request: HttpRequest, env: ComputeEnvironment) -> str:
    """The request page of batch.update_compute_environment for this environment, or "" when the kind is not
    installed, the user may not run it, or the environment is gone or not managed."""
    op = OPERATIONS.get(UPDATE)
    if op is None or env.gone_at is not None or env.type != "MANAGED" or not has_role(request.user, op.role):
        return ""
    params: dict[str, Any] = {"max_vcpus": env.max_vcpus, "state": env.state}  # the form starts there
    if not env.is_fargate:
        params.update(min_vcpus=env.min_vcpus, desired_vcpus=env.desired_vcpus)
    return request_url(
        UPDATE, account_id=env.account.account_id, region=env.region, targets=[env.compute_environment_arn],
        params=params,
    )  # fmt: skip


def job_queue_detail(request: HttpRequest, account_id: str, region: str, name: str) -> HttpResponse:
    """The job queue: its environments in order, its job counts by status and its latest jobs."""
    try:
        detail = selectors.job_queue_detail(account_id=account_id, region=region, name=name)
    except JobQueue.DoesNotExist:
        raise Http404("No such Batch job queue in the inventory.") from None
    return render(request, "batch/job_queue_detail.html", {"detail": detail, "queue": detail.queue})


def overview_context() -> dict[str, Any]:
    """The home page's Batch panel: jobs by status and the environments that take no jobs."""
    return {"overview": selectors.batch_overview()}
