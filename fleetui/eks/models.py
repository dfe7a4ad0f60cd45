"""EKS inventory: what the last complete sync of each (account, region) saw of clusters and what runs in them.

Like every inventory model these rows are never deleted by a sync; `gone_at` marks what a complete sync no longer
saw. Nodegroups, Fargate profiles and add-ons are read per cluster: each row keeps its cluster's ARN and name.
"""

from django.db import models

from fleetui.core.models import AwsResource

# Statuses that make a row a finding (besides health issues): AWS could not build or keep it as asked.
NODEGROUP_BAD_STATUSES = ("DEGRADED", "CREATE_FAILED", "DELETE_FAILED")


class EksCluster(AwsResource):
    KEY = "cluster_arn"

    cluster_arn = models.CharField(max_length=2048)
    cluster_name = models.CharField(max_length=100, db_index=True)
    version = models.CharField(max_length=16, blank=True, help_text="Kubernetes version, e.g. 1.31")
    platform_version = models.CharField(max_length=32, blank=True, help_text="eks.12")
    status = models.CharField(max_length=16, db_index=True, help_text="CREATING, ACTIVE, UPDATING, FAILED, ...")
    endpoint = models.CharField(max_length=255, blank=True, help_text="The Kubernetes API server's URL")
    role_arn = models.CharField(max_length=2048, blank=True)
    vpc_id = models.CharField(max_length=32, blank=True)
    subnet_ids = models.JSONField(default=list, blank=True)
    health_issues = models.JSONField(default=list, blank=True, help_text="[{code, message, resourceIds}]")
    created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cluster_name"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "cluster_arn"], name="uniq_eks_cluster")]

    def __str__(self) -> str:
        return self.cluster_name

    def get_absolute_url(self) -> str:
        return self.page_url("eks:cluster_detail", self.cluster_name)


class Nodegroup(AwsResource):
    KEY = "nodegroup_arn"

    class CapacityType(models.TextChoices):
        ON_DEMAND = "ON_DEMAND", "On-Demand"
        SPOT = "SPOT", "Spot"
        CAPACITY_BLOCK = "CAPACITY_BLOCK", "Capacity Block"

    nodegroup_arn = models.CharField(max_length=2048)
    cluster_arn = models.CharField(max_length=2048, db_index=True)
    cluster_name = models.CharField(max_length=100, db_index=True)
    nodegroup_name = models.CharField(max_length=63, db_index=True)
    status = models.CharField(max_length=16, db_index=True, help_text="CREATING, ACTIVE, UPDATING, DEGRADED, ...")
    capacity_type = models.CharField(max_length=16, choices=CapacityType.choices, db_index=True)
    instance_types = models.JSONField(default=list, blank=True)
    ami_type = models.CharField(max_length=64, blank=True)
    release_version = models.CharField(max_length=64, blank=True)
    version = models.CharField(max_length=16, blank=True, help_text="Kubernetes version")
    min_size = models.PositiveIntegerField(default=0)
    desired_size = models.PositiveIntegerField(default=0)
    max_size = models.PositiveIntegerField(default=0)
    health_issues = models.JSONField(default=list, blank=True, help_text="[{code, message, resourceIds}]")
    autoscaling_groups = models.JSONField(default=list, blank=True, help_text="The ASGs' names")
    subnets = models.JSONField(default=list, blank=True)
    labels = models.JSONField(default=dict, blank=True)
    node_role = models.CharField(max_length=2048, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    modified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cluster_name", "nodegroup_name"]
        constraints = [
            models.UniqueConstraint(fields=["account", "region", "nodegroup_arn"], name="uniq_eks_nodegroup")
        ]

    def __str__(self) -> str:
        return f"{self.cluster_name}/{self.nodegroup_name}"

    def get_absolute_url(self) -> str:
        return self.page_url("eks:nodegroup_detail", self.cluster_name, self.nodegroup_name)

    @property
    def is_finding(self) -> bool:
        return bool(self.health_issues) or self.status in NODEGROUP_BAD_STATUSES


class FargateProfile(AwsResource):
    KEY = "fargate_profile_arn"

    fargate_profile_arn = models.CharField(max_length=2048)
    cluster_arn = models.CharField(max_length=2048, db_index=True)
    cluster_name = models.CharField(max_length=100, db_index=True)
    fargate_profile_name = models.CharField(max_length=100)
    status = models.CharField(max_length=16, db_index=True)
    pod_execution_role_arn = models.CharField(max_length=2048, blank=True)
    selectors = models.JSONField(default=list, blank=True, help_text="[{namespace, labels}]")
    subnets = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cluster_name", "fargate_profile_name"]
        constraints = [
            models.UniqueConstraint(fields=["account", "region", "fargate_profile_arn"], name="uniq_eks_fargate")
        ]

    def __str__(self) -> str:
        return f"{self.cluster_name}/{self.fargate_profile_name}"

    def get_absolute_url(self) -> str:
        return self.page_url("eks:cluster_detail", self.cluster_name)


class Addon(AwsResource):
    KEY = "addon_arn"

    addon_arn = models.CharField(max_length=2048)
    cluster_arn = models.CharField(max_length=2048, db_index=True)
    cluster_name = models.CharField(max_length=100, db_index=True)
    addon_name = models.CharField(max_length=100, db_index=True)
    addon_version = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=24, db_index=True)
    health_issues = models.JSONField(default=list, blank=True)
    service_account_role_arn = models.CharField(max_length=2048, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    modified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cluster_name", "addon_name"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "addon_arn"], name="uniq_eks_addon")]

    def __str__(self) -> str:
        return f"{self.cluster_name}/{self.addon_name}"

    def get_absolute_url(self) -> str:
        return self.page_url("eks:cluster_detail", self.cluster_name)
