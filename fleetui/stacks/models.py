"""CloudFormation inventory: what the last complete sync of each (account, region) saw of stacks, their resources
and their newest events.

Like every inventory model these rows are never deleted by a sync; `gone_at` marks what a complete sync no longer
saw (a deleted stack). Resources and events are read per stack: each row keeps its stack's id (an ARN, unique for
ever, where a name is reused after a delete) and its name, so lists need no join.
"""

from django.db import models

from fleetui.core.models import AwsResource

# A stack's status is a finding when an operation failed or was rolled back (CREATE_FAILED, ROLLBACK_COMPLETE,
# UPDATE_ROLLBACK_FAILED, ...): the stack is not what its template says, and some states block the next update.
FINDING_SUFFIX = "_FAILED"
FINDING_PART = "ROLLBACK_"


def is_finding(status: str) -> bool:
    return status.endswith(FINDING_SUFFIX) or FINDING_PART in status


class Stack(AwsResource):
    KEY = "stack_id"

    stack_id = models.CharField(max_length=2048, help_text="arn:aws:cloudformation:...:stack/<name>/<uuid>")
    name = models.CharField(max_length=128, db_index=True)
    status = models.CharField(max_length=64, db_index=True, help_text="CREATE_COMPLETE, UPDATE_ROLLBACK_FAILED, ...")
    status_reason = models.TextField(blank=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    termination_protection = models.BooleanField(default=False)
    drift_status = models.CharField(max_length=16, blank=True, help_text="DRIFTED, IN_SYNC, UNKNOWN, NOT_CHECKED")
    drift_checked_at = models.DateTimeField(null=True, blank=True)
    is_sam = models.BooleanField(default=False, help_text="Its template uses the AWS::Serverless transform")
    transforms = models.JSONField(default=list, blank=True)
    parameters = models.JSONField(default=list, blank=True, help_text="[{key, value}] sorted by key")
    outputs = models.JSONField(default=list, blank=True, help_text="[{key, value, description, export}] by key")
    parent_id = models.CharField(max_length=2048, blank=True, help_text="A nested stack's parent stack id")

    class Meta:
        ordering = ["name", "stack_id"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "stack_id"], name="uniq_cfn_stack")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.page_url("stacks:stack_detail", self.name)

    @property
    def is_finding(self) -> bool:
        return is_finding(self.status)


class StackResource(AwsResource):
    KEY = "resource_key"

    resource_key = models.CharField(max_length=2400, help_text="<stack id>#<logical id>")
    stack_id = models.CharField(max_length=2048, db_index=True)
    stack_name = models.CharField(max_length=128, db_index=True)
    logical_id = models.CharField(max_length=255)
    physical_id = models.CharField(max_length=2048, blank=True, db_index=True)
    resource_type = models.CharField(max_length=255, db_index=True, help_text="AWS::EC2::Instance, ...")
    status = models.CharField(max_length=64, db_index=True)
    status_reason = models.TextField(blank=True)
    drift_status = models.CharField(max_length=16, blank=True, help_text="IN_SYNC, MODIFIED, DELETED, NOT_CHECKED")
    drift_checked_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["stack_name", "logical_id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "region", "resource_key"], name="uniq_cfn_stack_resource")
        ]

    def __str__(self) -> str:
        return f"{self.stack_name}/{self.logical_id}"

    def get_absolute_url(self) -> str:
        return self.page_url("stacks:stack_detail", self.stack_name)


class StackEvent(AwsResource):
    KEY = "event_id"

    event_id = models.CharField(max_length=255)
    stack_id = models.CharField(max_length=2048, db_index=True)
    stack_name = models.CharField(max_length=128, db_index=True)
    logical_id = models.CharField(max_length=255, blank=True)
    physical_id = models.CharField(max_length=2048, blank=True)
    resource_type = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=64)
    status_reason = models.TextField(blank=True)
    timestamp = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-timestamp", "event_id"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "event_id"], name="uniq_cfn_stack_event")]

    def __str__(self) -> str:
        return f"{self.stack_name} {self.logical_id} {self.status}"

    def get_absolute_url(self) -> str:
        return self.page_url("stacks:stack_detail", self.stack_name)
