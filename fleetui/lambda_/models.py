"""Lambda inventory: what the last complete sync of each (account, region) saw of functions and event source
mappings.

Like every inventory model these rows are never deleted by a sync; `gone_at` marks what a complete sync no longer
saw. A function's versions, aliases and reserved concurrency are read per function and kept on its row.
"""

from datetime import date

from django.db import models
from django.urls import reverse

from fleetui.core.models import AwsResource

from .runtimes import deprecation_date

MAX_TIMEOUT_S = 900  # Lambda's limits: 15 minutes, 10,240 MB of memory
MIN_TIMEOUT_S = 1
MAX_MEMORY_MB = 10240
MIN_MEMORY_MB = 128
NEAR_TIMEOUT_S = 840  # findings: within a minute of the longest timeout,
NEAR_MEMORY_MB = 9216  # within 1 GB of the most memory


class Function(AwsResource):
    KEY = "function_name"

    function_name = models.CharField(max_length=140)
    function_arn = models.CharField(max_length=2048, db_index=True, help_text="Unqualified")
    description = models.CharField(max_length=256, blank=True)
    runtime = models.CharField(max_length=32, blank=True, db_index=True, help_text="Empty for a container image")
    architecture = models.CharField(max_length=16, blank=True, help_text="x86_64 or arm64")
    handler = models.CharField(max_length=128, blank=True)
    package_type = models.CharField(max_length=8, blank=True, help_text="Zip or Image")
    memory_mb = models.PositiveIntegerField(default=128)
    timeout_s = models.PositiveIntegerField(default=3)
    ephemeral_storage_mb = models.PositiveIntegerField(default=512)
    code_size = models.BigIntegerField(default=0, help_text="Bytes")
    last_modified = models.DateTimeField(null=True, blank=True)
    role = models.CharField(max_length=2048, blank=True)
    state = models.CharField(max_length=16, blank=True, help_text="Pending, Active, Inactive, Failed")
    last_update_status = models.CharField(max_length=16, blank=True, help_text="InProgress, Successful, Failed")
    last_update_reason = models.TextField(blank=True)
    vpc_id = models.CharField(max_length=32, blank=True)
    subnet_ids = models.JSONField(default=list, blank=True)
    security_group_ids = models.JSONField(default=list, blank=True)
    reserved_concurrency = models.PositiveIntegerField(null=True, blank=True, help_text="None: unreserved")
    # [{"version", "description", "last_modified", "code_sha256"}] newest first; $LATEST left out
    versions = models.JSONField(default=list, blank=True)
    # [{"name", "version", "description", "weights": {version: weight}}] by name
    aliases = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["function_name"]
        constraints = [
            models.UniqueConstraint(fields=["account", "region", "function_name"], name="uniq_lambda_function")
        ]

    def __str__(self) -> str:
        return self.function_name

    def get_absolute_url(self) -> str:
        return reverse("lambda_:function_detail", args=[self.account.account_id, self.region, self.function_name])

    @property
    def near_timeout(self) -> bool:
        return self.timeout_s >= NEAR_TIMEOUT_S

    @property
    def near_memory(self) -> bool:
        return self.memory_mb >= NEAR_MEMORY_MB

    @property
    def runtime_deprecation(self) -> date | None:
        return deprecation_date(self.runtime)


class EventSourceMapping(AwsResource):
    KEY = "uuid"

    uuid = models.CharField(max_length=64)
    function_arn = models.CharField(max_length=2048, db_index=True, help_text="As AWS names it (may be qualified)")
    function_name = models.CharField(max_length=140, db_index=True)
    event_source_arn = models.CharField(max_length=2048, blank=True)
    source_type = models.CharField(max_length=16, blank=True, db_index=True, help_text="sqs, kinesis, dynamodb, ...")
    source_name = models.CharField(max_length=256, blank=True, help_text="The queue, stream or table")
    state = models.CharField(max_length=16, blank=True, db_index=True, help_text="Enabled, Disabled, Creating, ...")
    state_reason = models.CharField(max_length=256, blank=True)
    batch_size = models.PositiveIntegerField(null=True, blank=True)
    batching_window_s = models.PositiveIntegerField(null=True, blank=True)
    starting_position = models.CharField(max_length=16, blank=True)
    last_processing_result = models.CharField(max_length=256, blank=True)
    last_modified = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["function_name", "source_name"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "uuid"], name="uniq_lambda_esm")]

    def __str__(self) -> str:
        return f"{self.source_name or self.uuid} -> {self.function_name}"

    def get_absolute_url(self) -> str:
        """A mapping is shown on the page of the function it invokes."""
        return reverse("lambda_:function_detail", args=[self.account.account_id, self.region, self.function_name])
