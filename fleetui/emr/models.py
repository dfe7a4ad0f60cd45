"""EMR inventory: what the last complete sync of each (account, region) saw of clusters and their capacity.

Like every inventory model these rows are never deleted by a sync; `gone_at` marks what a complete sync no longer
saw. Instance groups (or fleets), steps and instances are read per cluster: each row keeps its cluster's id, and
its name so lists need no join. The sync keeps active clusters plus those that ended in the last 7 days.
"""

from django.db import models

from fleetui.core.models import AwsResource

# States in which a cluster has (or is getting) running capacity; the rest are TERMINATING/TERMINATED(_WITH_ERRORS).
ACTIVE_STATES = ("STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING")
ENDED_STATES = ("TERMINATED", "TERMINATED_WITH_ERRORS")
IDLE_AFTER_SECONDS = 3600  # a WAITING cluster with no step for longer than this is a finding


class Market(models.TextChoices):
    ON_DEMAND = "ON_DEMAND", "On-Demand"
    SPOT = "SPOT", "Spot"


class EmrCluster(AwsResource):
    KEY = "cluster_id"

    cluster_id = models.CharField(max_length=32, help_text="j-...")
    cluster_arn = models.CharField(max_length=2048, blank=True)
    name = models.CharField(max_length=256, db_index=True)
    state = models.CharField(max_length=32, db_index=True, help_text="STARTING, ..., WAITING, TERMINATED")
    state_change_code = models.CharField(max_length=64, blank=True, help_text="USER_REQUEST, ALL_STEPS_COMPLETED, ...")
    state_change_message = models.TextField(blank=True)
    release_label = models.CharField(max_length=32, blank=True, help_text="emr-7.2.0")
    applications = models.JSONField(default=list, blank=True, help_text="[{name, version}] sorted by name")
    collection = models.CharField(max_length=16, blank=True, help_text="INSTANCE_GROUP or INSTANCE_FLEET")
    termination_protected = models.BooleanField(default=False)
    auto_terminate = models.BooleanField(default=False, help_text="Terminates after its last step")
    idle_timeout = models.PositiveIntegerField(null=True, blank=True, help_text="Auto-termination idle seconds")
    log_uri = models.CharField(max_length=1024, blank=True)
    master_public_dns = models.CharField(max_length=255, blank=True)
    service_role = models.CharField(max_length=2048, blank=True)
    normalized_instance_hours = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "cluster_id"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "cluster_id"], name="uniq_emr_cluster")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.page_url("emr:cluster_detail", self.cluster_id)

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def has_auto_termination(self) -> bool:
        return self.auto_terminate or self.idle_timeout is not None


class InstanceGroup(AwsResource):
    """An instance group (`ig-...`) or, for a cluster on instance fleets, a fleet (`if-...`, collection "fleet")."""

    KEY = "instance_group_id"

    class Collection(models.TextChoices):
        GROUP = "group", "Instance group"
        FLEET = "fleet", "Instance fleet"

    class GroupType(models.TextChoices):
        MASTER = "MASTER", "Primary"
        CORE = "CORE", "Core"
        TASK = "TASK", "Task"

    instance_group_id = models.CharField(max_length=32)
    cluster_id = models.CharField(max_length=32, db_index=True)
    cluster_name = models.CharField(max_length=256, db_index=True)
    collection = models.CharField(max_length=8, choices=Collection.choices, default=Collection.GROUP)
    name = models.CharField(max_length=256, blank=True)
    group_type = models.CharField(max_length=8, choices=GroupType.choices, db_index=True)
    market = models.CharField(max_length=16, choices=Market.choices, db_index=True, help_text="Fleets: SPOT if any")
    bid_price = models.CharField(max_length=32, blank=True, help_text="USD per hour; empty: the on-demand price cap")
    instance_types = models.JSONField(default=list, blank=True)
    requested_count = models.PositiveIntegerField(default=0)
    running_count = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=32, db_index=True, help_text="PROVISIONING, RUNNING, RESIZING, ...")
    state_change_message = models.TextField(blank=True)
    on_demand_target = models.PositiveIntegerField(null=True, blank=True, help_text="Fleets: capacity units")
    on_demand_provisioned = models.PositiveIntegerField(null=True, blank=True)
    spot_target = models.PositiveIntegerField(null=True, blank=True)
    spot_provisioned = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["cluster_name", "group_type", "name"]
        constraints = [
            models.UniqueConstraint(fields=["account", "region", "instance_group_id"], name="uniq_emr_instance_group")
        ]

    def __str__(self) -> str:
        return f"{self.cluster_name}/{self.name or self.group_type}"

    def get_absolute_url(self) -> str:
        return self.page_url("emr:cluster_detail", self.cluster_id)

    @property
    def is_resizable(self) -> bool:
        return self.collection == self.Collection.GROUP and self.group_type != self.GroupType.MASTER


class Step(AwsResource):
    KEY = "step_id"

    step_id = models.CharField(max_length=32)
    cluster_id = models.CharField(max_length=32, db_index=True)
    cluster_name = models.CharField(max_length=256, db_index=True)
    name = models.CharField(max_length=256, blank=True)
    state = models.CharField(max_length=32, db_index=True, help_text="PENDING, RUNNING, COMPLETED, FAILED, ...")
    state_change_message = models.TextField(blank=True)
    action_on_failure = models.CharField(max_length=32, blank=True, help_text="CONTINUE, CANCEL_AND_WAIT, ...")
    jar = models.CharField(max_length=1024, blank=True)
    args = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cluster_name", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "step_id"], name="uniq_emr_step")]

    def __str__(self) -> str:
        return f"{self.cluster_name}/{self.name}"

    def get_absolute_url(self) -> str:
        return self.page_url("emr:cluster_detail", self.cluster_id)


class EmrInstance(AwsResource):
    KEY = "instance_id"

    instance_id = models.CharField(max_length=32, help_text="ci-...")
    cluster_id = models.CharField(max_length=32, db_index=True)
    cluster_name = models.CharField(max_length=256, db_index=True)
    instance_group_id = models.CharField(max_length=32, db_index=True, help_text="ig-... or the fleet's if-...")
    ec2_instance_id = models.CharField(max_length=32, db_index=True, blank=True)
    market = models.CharField(max_length=16, choices=Market.choices, blank=True)
    instance_type = models.CharField(max_length=32, blank=True)
    state = models.CharField(max_length=32, db_index=True)
    private_ip = models.CharField(max_length=64, blank=True)
    public_dns = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cluster_name", "instance_group_id", "instance_id"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "instance_id"], name="uniq_emr_instance")]

    def __str__(self) -> str:
        return self.instance_id

    def get_absolute_url(self) -> str:
        return self.page_url("emr:cluster_detail", self.cluster_id)
