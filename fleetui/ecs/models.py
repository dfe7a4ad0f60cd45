"""ECS inventory: what the last complete sync of each (account, region) saw.

Like every inventory model these rows are never deleted by a sync; `gone_at` marks what a complete sync no longer
saw. Services, tasks and container instances name their cluster by ARN and name (no foreign keys: a child may be
synced before or after its cluster, and rows outlive each other).
"""

from django.db import models

from fleetui.core.models import AwsResource


class Cluster(AwsResource):
    KEY = "cluster_arn"

    cluster_arn = models.CharField(max_length=2048)
    cluster_name = models.CharField(max_length=255, db_index=True)
    status = models.CharField(max_length=32, blank=True, help_text="ACTIVE, PROVISIONING, DEPROVISIONING, FAILED")
    capacity_providers = models.JSONField(default=list, blank=True, help_text="Names, e.g. FARGATE, FARGATE_SPOT")
    # [{"capacityProvider": "FARGATE_SPOT", "weight": 3, "base": 0}, ...]
    default_strategy = models.JSONField(default=list, blank=True)
    active_services_count = models.IntegerField(default=0)
    running_tasks_count = models.IntegerField(default=0)
    pending_tasks_count = models.IntegerField(default=0)
    container_instances_count = models.IntegerField(default=0)
    settings = models.JSONField(default=dict, blank=True, help_text="{name: value}, e.g. containerInsights")
    statistics = models.JSONField(default=dict, blank=True, help_text="DescribeClusters' STATISTICS, {name: value}")

    class Meta:
        ordering = ["cluster_name"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "cluster_arn"], name="uniq_ecs_cluster")]

    def __str__(self) -> str:
        return self.cluster_name

    def get_absolute_url(self) -> str:
        return self.page_url("ecs:cluster_detail", self.cluster_name)


class TaskDefinition(AwsResource):
    KEY = "task_definition_arn"

    task_definition_arn = models.CharField(max_length=2048)
    family = models.CharField(max_length=255, db_index=True)
    revision = models.IntegerField()
    status = models.CharField(max_length=16, blank=True, help_text="ACTIVE, INACTIVE, DELETE_IN_PROGRESS")
    cpu = models.CharField(max_length=16, blank=True, help_text="Task-level CPU units, e.g. 256 (Fargate)")
    memory = models.CharField(max_length=16, blank=True, help_text="Task-level memory in MiB, e.g. 512")
    network_mode = models.CharField(max_length=16, blank=True)
    compatibilities = models.JSONField(default=list, blank=True)
    requires_compatibilities = models.JSONField(default=list, blank=True)
    # [{"name": "web", "image": "nginx:1.27", "cpu": 0, "memory": 512, "essential": true}, ...]
    containers = models.JSONField(default=list, blank=True)
    task_role_arn = models.CharField(max_length=2048, blank=True)
    execution_role_arn = models.CharField(max_length=2048, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["family", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "region", "task_definition_arn"], name="uniq_ecs_task_definition"
            )
        ]

    def __str__(self) -> str:
        return f"{self.family}:{self.revision}"

    def get_absolute_url(self) -> str:
        return self.list_url("ecs:task_definition_list", self.family)

    @property
    def images(self) -> list[str]:
        return [container.get("image", "") for container in self.containers]


class ContainerInstance(AwsResource):
    KEY = "container_instance_arn"

    container_instance_arn = models.CharField(max_length=2048)
    cluster_arn = models.CharField(max_length=2048, db_index=True)
    cluster_name = models.CharField(max_length=255, db_index=True)
    ec2_instance_id = models.CharField(max_length=32, blank=True, db_index=True)
    status = models.CharField(max_length=32, blank=True, help_text="ACTIVE, DRAINING, REGISTERING, ...")
    agent_connected = models.BooleanField(default=False)
    running_tasks_count = models.IntegerField(default=0)
    pending_tasks_count = models.IntegerField(default=0)
    instance_type = models.CharField(max_length=32, blank=True)
    availability_zone = models.CharField(max_length=32, blank=True)
    capacity_provider_name = models.CharField(max_length=255, blank=True)
    cpu_registered = models.IntegerField(default=0, help_text="CPU units")
    cpu_remaining = models.IntegerField(default=0)
    memory_registered = models.IntegerField(default=0, help_text="MiB")
    memory_remaining = models.IntegerField(default=0)
    agent_version = models.CharField(max_length=32, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cluster_name", "ec2_instance_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "region", "container_instance_arn"], name="uniq_ecs_container_instance"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ec2_instance_id or self.container_instance_arn} ({self.cluster_name})"

    def get_absolute_url(self) -> str:
        return self.page_url("ecs:cluster_detail", self.cluster_name)


class Service(AwsResource):
    KEY = "service_arn"

    service_arn = models.CharField(max_length=2048)
    cluster_arn = models.CharField(max_length=2048, db_index=True)
    cluster_name = models.CharField(max_length=255, db_index=True)
    service_name = models.CharField(max_length=255, db_index=True)
    status = models.CharField(max_length=16, blank=True, help_text="ACTIVE, DRAINING, INACTIVE")
    launch_type = models.CharField(
        max_length=16,
        blank=True,
        db_index=True,
        help_text='EC2, FARGATE, EXTERNAL; "" with a capacity-provider strategy',
    )
    # [{"capacityProvider": "FARGATE_SPOT", "weight": 1, "base": 0}, ...]
    capacity_provider_strategy = models.JSONField(default=list, blank=True)
    platform_version = models.CharField(max_length=32, blank=True)
    desired_count = models.IntegerField(default=0)
    running_count = models.IntegerField(default=0)
    pending_count = models.IntegerField(default=0)
    task_definition = models.CharField(max_length=2048, blank=True, help_text="The task definition's ARN")
    # [{"id", "status" (PRIMARY/ACTIVE), "taskDefinition", "desiredCount", "runningCount", "pendingCount",
    #   "failedTasks", "rolloutState", "rolloutStateReason", "createdAt", "updatedAt" (ISO)}], PRIMARY first
    deployments = models.JSONField(default=list, blank=True)
    rollout_state = models.CharField(
        max_length=16, blank=True, db_index=True, help_text="The PRIMARY deployment's: IN_PROGRESS, COMPLETED, FAILED"
    )
    # [{"targetGroupArn", "loadBalancerName", "containerName", "containerPort"}]
    load_balancers = models.JSONField(default=list, blank=True)
    # {"subnets": [...], "securityGroups": [...], "assignPublicIp": "ENABLED"|"DISABLED"} (awsvpc), else {}
    network_configuration = models.JSONField(default=dict, blank=True)
    scheduling_strategy = models.CharField(max_length=16, blank=True, help_text="REPLICA or DAEMON")
    # The newest events first: [{"id", "createdAt" (ISO), "message"}], at most EVENTS_KEPT
    events = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)

    EVENTS_KEPT = 20

    class Meta:
        ordering = ["cluster_name", "service_name"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "service_arn"], name="uniq_ecs_service")]

    def __str__(self) -> str:
        return f"{self.service_name} ({self.cluster_name})"

    def get_absolute_url(self) -> str:
        return self.page_url("ecs:service_detail", self.cluster_name, self.service_name)

    @property
    def capacity_providers(self) -> list[str]:
        return [item.get("capacityProvider", "") for item in self.capacity_provider_strategy]

    @property
    def task_definition_label(self) -> str:
        """ "family:revision" of its task definition."""
        return self.task_definition.rsplit("/", 1)[-1]

    @property
    def below_desired(self) -> bool:
        return self.running_count < self.desired_count

    @property
    def findings(self) -> list[str]:
        """Why the service needs a look: below its desired count, a failed rollout."""
        found = []
        if self.below_desired:
            found.append(f"{self.running_count} of {self.desired_count} tasks running")
        if self.rollout_state == "FAILED":
            found.append("rollout failed")
        return found


class Task(AwsResource):
    KEY = "task_arn"

    task_arn = models.CharField(max_length=2048)
    cluster_arn = models.CharField(max_length=2048, db_index=True)
    cluster_name = models.CharField(max_length=255, db_index=True)
    task_definition_arn = models.CharField(max_length=2048, blank=True)
    group = models.CharField(max_length=255, blank=True, db_index=True, help_text='"service:web" or "family:batch"')
    started_by = models.CharField(max_length=255, blank=True)
    last_status = models.CharField(max_length=32, blank=True, db_index=True)
    desired_status = models.CharField(max_length=32, blank=True)
    launch_type = models.CharField(max_length=16, blank=True, db_index=True)
    capacity_provider_name = models.CharField(max_length=255, blank=True)
    container_instance_arn = models.CharField(max_length=2048, blank=True)
    cpu = models.CharField(max_length=16, blank=True)
    memory = models.CharField(max_length=16, blank=True)
    availability_zone = models.CharField(max_length=32, blank=True)
    health_status = models.CharField(max_length=16, blank=True)
    stopped_reason = models.CharField(max_length=1024, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cluster_name", "group", "-started_at"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "task_arn"], name="uniq_ecs_task")]

    def __str__(self) -> str:
        return self.task_id

    def get_absolute_url(self) -> str:
        return self.list_url("ecs:task_list", self.task_id)

    @property
    def task_id(self) -> str:
        return self.task_arn.rsplit("/", 1)[-1]

    @property
    def service_name(self) -> str:
        return self.group.removeprefix("service:") if self.group.startswith("service:") else ""

    @property
    def capacity(self) -> str:
        """Where it runs: FARGATE_SPOT when the capacity provider says so, else the launch type."""
        return self.capacity_provider_name if self.capacity_provider_name == "FARGATE_SPOT" else self.launch_type
