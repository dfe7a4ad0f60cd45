"""AWS Batch inventory: compute environments, job queues, the latest revision of each job definition, and jobs.

Like every inventory model these rows are never deleted by a sync; `gone_at` marks what a complete sync no longer
saw. Jobs are read per queue and only the latest ones of each status are kept (fleetui.aws.batch), so a job's row
going gone means "pushed out of the kept window or expired at AWS", not "deleted".
"""

from django.db import models

from fleetui.core.models import AwsResource

JOB_STATUSES = ("SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED", "FAILED")
JOB_ACTIVE_STATUSES = ("SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING")
# Environment findings: AWS could not build it as asked (INVALID), or it takes no jobs (DISABLED).
ENVIRONMENT_BAD_STATUSES = ("INVALID",)


class ComputeEnvironment(AwsResource):
    KEY = "compute_environment_arn"

    class Type(models.TextChoices):
        MANAGED = "MANAGED", "Managed"
        UNMANAGED = "UNMANAGED", "Unmanaged"

    class ResourceType(models.TextChoices):
        EC2 = "EC2", "EC2 On-Demand"
        SPOT = "SPOT", "EC2 Spot"
        FARGATE = "FARGATE", "Fargate"
        FARGATE_SPOT = "FARGATE_SPOT", "Fargate Spot"

    compute_environment_arn = models.CharField(max_length=2048)
    name = models.CharField(max_length=128, db_index=True)
    type = models.CharField(max_length=16, choices=Type.choices, db_index=True)
    resource_type = models.CharField(
        max_length=16, choices=ResourceType.choices, blank=True, db_index=True, help_text="Empty when UNMANAGED"
    )
    state = models.CharField(max_length=16, db_index=True, help_text="ENABLED or DISABLED")
    status = models.CharField(max_length=16, db_index=True, help_text="CREATING, UPDATING, VALID, INVALID, ...")
    status_reason = models.TextField(blank=True)
    min_vcpus = models.PositiveIntegerField(null=True, blank=True, help_text="None on Fargate")
    desired_vcpus = models.PositiveIntegerField(null=True, blank=True, help_text="None on Fargate")
    max_vcpus = models.PositiveIntegerField(null=True, blank=True)
    instance_types = models.JSONField(default=list, blank=True)
    allocation_strategy = models.CharField(max_length=32, blank=True)
    bid_percentage = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Spot: % of on-demand")
    ecs_cluster_arn = models.CharField(max_length=2048, blank=True)
    service_role = models.CharField(max_length=2048, blank=True)
    subnets = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "region", "compute_environment_arn"], name="uniq_batch_compute_environment"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.page_url("batch:compute_environment_detail", self.name)

    @property
    def is_fargate(self) -> bool:
        return self.resource_type in (self.ResourceType.FARGATE, self.ResourceType.FARGATE_SPOT)

    @property
    def is_finding(self) -> bool:
        return self.status in ENVIRONMENT_BAD_STATUSES or self.state == "DISABLED"


class JobQueue(AwsResource):
    KEY = "job_queue_arn"

    job_queue_arn = models.CharField(max_length=2048)
    name = models.CharField(max_length=128, db_index=True)
    priority = models.IntegerField(default=0)
    state = models.CharField(max_length=16, db_index=True)
    status = models.CharField(max_length=16, db_index=True)
    status_reason = models.TextField(blank=True)
    compute_environment_order = models.JSONField(
        default=list, blank=True, help_text="[{order, compute_environment_arn, name}] by order"
    )
    scheduling_policy_arn = models.CharField(max_length=2048, blank=True)
    job_counts = models.JSONField(default=dict, blank=True, help_text="{status: jobs} as AWS counted them")

    class Meta:
        ordering = ["-priority", "name"]
        constraints = [
            models.UniqueConstraint(fields=["account", "region", "job_queue_arn"], name="uniq_batch_job_queue")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.page_url("batch:job_queue_detail", self.name)

    def count(self, status: str) -> int:
        return int((self.job_counts or {}).get(status, 0))

    @property
    def active_jobs(self) -> int:
        return sum(self.count(status) for status in JOB_ACTIVE_STATUSES)


class JobDefinition(AwsResource):
    KEY = "job_definition_arn"

    job_definition_arn = models.CharField(max_length=2048)
    name = models.CharField(max_length=128, db_index=True)
    revision = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=16, db_index=True)
    type = models.CharField(max_length=16, help_text="container or multinode")
    platform_capabilities = models.JSONField(default=list, blank=True, help_text="EC2, FARGATE")
    image = models.CharField(max_length=1024, blank=True)
    vcpus = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    memory_mib = models.PositiveIntegerField(null=True, blank=True)
    retry_attempts = models.PositiveSmallIntegerField(null=True, blank=True)
    timeout_seconds = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "region", "job_definition_arn"], name="uniq_batch_job_definition"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}:{self.revision}"

    def get_absolute_url(self) -> str:
        return self.list_url("batch:job_definition_list", self.name)


class Job(AwsResource):
    KEY = "job_id"

    job_id = models.CharField(max_length=128)
    job_arn = models.CharField(max_length=2048, blank=True)
    job_queue_arn = models.CharField(max_length=2048, db_index=True)
    job_queue_name = models.CharField(max_length=128, db_index=True)
    name = models.CharField(max_length=128, db_index=True)
    status = models.CharField(max_length=16, db_index=True)
    status_reason = models.TextField(blank=True)
    job_definition_arn = models.CharField(max_length=2048, blank=True)
    job_definition_name = models.CharField(max_length=128, blank=True)
    exit_code = models.IntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    array_size = models.PositiveIntegerField(null=True, blank=True)
    depends_on = models.JSONField(default=list, blank=True, help_text="The job ids it waits for")
    created_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "job_id"], name="uniq_batch_job")]
        indexes = [models.Index(fields=["job_queue_arn", "status"], name="batch_job_queue_status")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.list_url("batch:job_list", self.job_id)

    @property
    def is_active(self) -> bool:
        return self.status in JOB_ACTIVE_STATUSES
