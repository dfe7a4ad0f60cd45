"""EC2's inventory: the instance-type catalog and what AWS held at the last complete sync of each scope.

The tables keep the names they had when these models lived in the inventory app (`inventory_instance`, ...):
moving them here changed no row (see migrations/0001_initial.py).
"""

from django.db import models

from fleetui.core.models import AwsResource

from . import findings
from .catalog import storage_text


class InstanceType(models.Model):
    """The EC2 instance-type catalog (DescribeInstanceTypes); the same in every region that offers a type."""

    name = models.CharField(max_length=64, unique=True)
    family = models.CharField(max_length=32, db_index=True)
    category = models.CharField(max_length=32, db_index=True)
    vcpus = models.PositiveIntegerField()
    memory_mib = models.PositiveIntegerField()
    gpus = models.PositiveIntegerField(default=0)
    gpu_memory_mib = models.PositiveIntegerField(default=0)
    accelerators = models.PositiveIntegerField(default=0)
    instance_storage_gb = models.PositiveIntegerField(default=0)
    # InstanceStorageInfo.Disks: [{"count": 1, "size_gb": 475, "type": "ssd", "nvme": true}]; [] for EBS only.
    instance_storage_disks = models.JSONField(default=list, blank=True)
    instance_storage_nvme = models.CharField(max_length=16, blank=True, help_text="required, supported, unsupported")
    network_performance = models.CharField(max_length=64, blank=True)
    architectures = models.JSONField(default=list, blank=True)
    current_generation = models.BooleanField(default=True)
    last_seen = models.DateTimeField()

    class Meta:
        db_table = "inventory_instancetype"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


COST_SOURCES = [
    ("stopped", "not running: no compute charge"),
    ("spot", "spot price in its AZ"),
    ("on_demand", "on-demand list price"),
    ("reserved", "Reserved Instance effective rate"),
    ("reserved_partial", "Reserved Instance rate + on-demand for the rest"),
    ("host", "share of its dedicated host"),
    ("unknown", "unknown: no price synced"),
]


class Instance(AwsResource):
    KEY = "instance_id"
    # Derived after the sync (fleetui.ec2.cost_store), not synced: the loader neither compares nor writes them.
    DERIVED_FIELDS = ("cost_per_hour", "cost_source", "cost_as_of")

    instance_id = models.CharField(max_length=32)
    name = models.CharField(max_length=256, blank=True, db_index=True)
    state = models.CharField(max_length=16, db_index=True)
    availability_zone = models.CharField(max_length=32, db_index=True)
    # The type name; a join to the catalog without a constraint, since the catalog may sync later.
    instance_type = models.ForeignKey(
        InstanceType,
        to_field="name",
        db_column="instance_type",
        db_constraint=False,
        null=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
    )
    family = models.CharField(max_length=32, db_index=True)
    category = models.CharField(max_length=32, db_index=True)
    lifecycle = models.CharField(max_length=16, db_index=True, help_text="on-demand, spot, scheduled, capacity-block")
    spot_request_id = models.CharField(max_length=64, blank=True)
    tenancy = models.CharField(max_length=16, db_index=True)
    host_id = models.CharField(max_length=64, blank=True)
    placement_group = models.CharField(max_length=255, blank=True, db_index=True)
    partition_number = models.PositiveIntegerField(null=True, blank=True)
    key_name = models.CharField(max_length=255, blank=True, db_index=True)
    image_id = models.CharField(max_length=32, blank=True, db_index=True)
    platform = models.CharField(max_length=64, blank=True)
    architecture = models.CharField(max_length=16, blank=True)
    launch_time = models.DateTimeField(null=True, db_index=True)
    private_ip = models.GenericIPAddressField(null=True, blank=True)
    public_ip = models.GenericIPAddressField(null=True, blank=True)
    vpc_id = models.CharField(max_length=32, blank=True)
    subnet_id = models.CharField(max_length=32, blank=True)
    security_groups = models.JSONField(default=list, blank=True, help_text='[{"id": ..., "name": ...}]')
    eni_count = models.PositiveIntegerField(default=0)
    volume_ids = models.JSONField(default=list, blank=True)
    root_device_type = models.CharField(max_length=16, blank=True, help_text="ebs or instance-store")
    # Erased when the instance stops, hibernates or terminates: the type's disks (the catalog's
    # instance_storage_disks) and, for an instance-store-backed AMI, the root volume ({"root": true, "device": ...}).
    instance_store_volumes = models.JSONField(default=list, blank=True)
    has_instance_store = models.BooleanField(default=False, db_index=True)
    iam_instance_profile = models.CharField(max_length=2048, blank=True)
    # Lower-cased id, name, IPs and tags: what the `q` filter searches.
    search_text = models.TextField(blank=True)
    # USD per hour now (NULL: unknown, never 0 for a missing price), what it is based on and when that price was read.
    cost_per_hour = models.DecimalField(max_digits=14, decimal_places=6, null=True, blank=True)
    cost_source = models.CharField(max_length=24, blank=True, choices=COST_SOURCES)
    cost_as_of = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "inventory_instance"
        ordering = ["instance_id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "region", "instance_id"], name="uniq_instance"),
        ]
        indexes = [
            models.Index(fields=["instance_id"], name="instance_id_idx"),
            # Live rows only: the list's COUNT(*), and its page of ids in the default order (even a deep
            # page: see fleetui.core.querysets), are index-only scans at 100k rows.
            models.Index(
                fields=["instance_id", "id"], condition=models.Q(gone_at__isnull=True), name="instance_live_idx"
            ),
            # The list sorted by cost, cheapest first (ASC is NULLS LAST on PostgreSQL: unknown costs last): a walk of
            # the index's first rows. Dearest first needs DESC NULLS LAST, which SQLite cannot index: migration
            # 0008 adds that one on PostgreSQL only (instance_cost_desc_live_idx).
            models.Index(
                fields=["cost_per_hour", "id"], condition=models.Q(gone_at__isnull=True), name="instance_cost_live_idx"
            ),
            # The Region filter's values (fleetui.core.choices): a loose index scan, one probe per region.
            models.Index(fields=["region"], name="instance_region_idx"),
        ]

    def __str__(self) -> str:
        return self.instance_id

    @property
    def label(self) -> str:
        return self.name or self.instance_id

    def get_absolute_url(self) -> str:
        return self.page_url("ec2:instance_detail", self.instance_id)

    @property
    def instance_store_text(self) -> str:
        """ "1 × 475 GB NVMe SSD", or "" when the instance has no instance store."""
        return storage_text(self.instance_store_volumes or [])


class PlacementGroup(AwsResource):
    KEY = "group_name"

    group_name = models.CharField(max_length=255)
    group_id = models.CharField(max_length=32, blank=True)
    strategy = models.CharField(max_length=16, db_index=True)
    partition_count = models.PositiveIntegerField(null=True, blank=True)
    spread_level = models.CharField(max_length=16, blank=True)
    state = models.CharField(max_length=16)

    class Meta:
        db_table = "inventory_placementgroup"
        ordering = ["group_name"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "group_name"], name="uniq_pg")]

    def __str__(self) -> str:
        return self.group_name

    def get_absolute_url(self) -> str:
        return self.list_url("ec2:placement_group_list", self.group_name)


class KeyPair(AwsResource):
    KEY = "key_name"

    key_name = models.CharField(max_length=255)
    key_pair_id = models.CharField(max_length=32, blank=True)
    key_type = models.CharField(max_length=16, blank=True)
    fingerprint = models.CharField(max_length=128, blank=True)
    create_time = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "inventory_keypair"
        ordering = ["key_name"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "key_name"], name="uniq_keypair")]

    def __str__(self) -> str:
        return self.key_name

    def get_absolute_url(self) -> str:
        return self.list_url("ec2:key_pair_list", self.key_name)


class ElasticIP(AwsResource):
    KEY = "allocation_id"

    allocation_id = models.CharField(max_length=32)
    public_ip = models.GenericIPAddressField()
    domain = models.CharField(max_length=16, blank=True)
    association_id = models.CharField(max_length=32, blank=True)
    instance_id = models.CharField(max_length=32, blank=True, db_index=True)
    network_interface_id = models.CharField(max_length=32, blank=True)
    private_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        db_table = "inventory_elasticip"
        verbose_name = "Elastic IP"
        ordering = ["public_ip"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "allocation_id"], name="uniq_eip")]

    def __str__(self) -> str:
        return self.public_ip

    def get_absolute_url(self) -> str:
        return self.list_url("ec2:elastic_ip_list", self.allocation_id)

    @property
    def is_attached(self) -> bool:
        return bool(self.association_id)


class Image(AwsResource):
    KEY = "image_id"

    image_id = models.CharField(max_length=32)
    name = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    state = models.CharField(max_length=16)
    owner_id = models.CharField(max_length=12, blank=True)
    public = models.BooleanField(default=False)
    architecture = models.CharField(max_length=16, blank=True)
    platform = models.CharField(max_length=64, blank=True)
    root_device_type = models.CharField(max_length=16, blank=True)
    virtualization_type = models.CharField(max_length=16, blank=True)
    creation_date = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "inventory_image"
        verbose_name = "AMI"
        ordering = ["-creation_date"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "image_id"], name="uniq_image")]

    def __str__(self) -> str:
        return self.image_id

    @property
    def label(self) -> str:
        return self.name or self.image_id

    def get_absolute_url(self) -> str:
        return self.list_url("ec2:image_list", self.image_id)


SEVERITY_CHOICES = [(level, level) for level in findings.SEVERITIES]


class SecurityGroup(AwsResource):
    KEY = "group_id"

    group_id = models.CharField(max_length=32)
    group_name = models.CharField(max_length=255)
    description = models.CharField(max_length=255, blank=True)
    vpc_id = models.CharField(max_length=32, blank=True)
    # [{"protocol": "tcp", "from_port": 22, "to_port": 22, "sources": ["0.0.0.0/0", "sg-..."], "world_open": true,
    #   "severity": "critical"}]: each ingress rule carries its finding's severity (fleetui.ec2.findings), "" for none.
    ingress_rules = models.JSONField(default=list, blank=True)
    egress_rules = models.JSONField(default=list, blank=True)
    # The most severe of its ingress rules' findings: critical, warning, info, or "" for none.
    severity = models.CharField(max_length=8, blank=True, db_index=True, choices=SEVERITY_CHOICES)

    class Meta:
        db_table = "inventory_securitygroup"
        ordering = ["group_name"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "group_id"], name="uniq_sg")]

    def __str__(self) -> str:
        return f"{self.group_name} ({self.group_id})"

    def get_absolute_url(self) -> str:
        return self.page_url("ec2:security_group_detail", self.group_id)

    @property
    def label(self) -> str:
        return self.group_name or self.group_id


class NetworkInterface(AwsResource):
    KEY = "network_interface_id"

    network_interface_id = models.CharField(max_length=32)
    status = models.CharField(max_length=16)
    interface_type = models.CharField(max_length=32, blank=True)
    availability_zone = models.CharField(max_length=32, blank=True)
    vpc_id = models.CharField(max_length=32, blank=True)
    subnet_id = models.CharField(max_length=32, blank=True)
    private_ip = models.GenericIPAddressField(null=True, blank=True)
    public_ip = models.GenericIPAddressField(null=True, blank=True)
    mac_address = models.CharField(max_length=17, blank=True)
    description = models.CharField(max_length=255, blank=True)
    instance_id = models.CharField(max_length=32, blank=True, db_index=True)
    device_index = models.PositiveIntegerField(null=True, blank=True)
    security_groups = models.JSONField(default=list, blank=True)

    class Meta:
        db_table = "inventory_networkinterface"
        ordering = ["network_interface_id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "region", "network_interface_id"], name="uniq_eni"),
        ]

    def __str__(self) -> str:
        return self.network_interface_id

    def get_absolute_url(self) -> str:
        return self.page_url("ec2:instance_detail", self.instance_id) if self.instance_id else ""


class Volume(AwsResource):
    KEY = "volume_id"

    volume_id = models.CharField(max_length=32)
    size_gib = models.PositiveIntegerField()
    volume_type = models.CharField(max_length=16)
    iops = models.PositiveIntegerField(null=True, blank=True)
    state = models.CharField(max_length=16)
    availability_zone = models.CharField(max_length=32, blank=True)
    encrypted = models.BooleanField(default=False)
    snapshot_id = models.CharField(max_length=32, blank=True)
    instance_id = models.CharField(max_length=32, blank=True, db_index=True)
    device = models.CharField(max_length=64, blank=True)
    create_time = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "inventory_volume"
        ordering = ["volume_id"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "volume_id"], name="uniq_volume")]

    def __str__(self) -> str:
        return self.volume_id

    def get_absolute_url(self) -> str:
        return self.page_url("ec2:instance_detail", self.instance_id) if self.instance_id else ""


class ReservedInstance(AwsResource):
    """A Reserved Instance purchase (DescribeReservedInstances): a billing commitment, not an instance."""

    KEY = "reserved_instances_id"
    # Derived from the coverage (fleetui.ec2.reservations.units_unused_store), not synced.
    DERIVED_FIELDS = ("units_unused",)

    reserved_instances_id = models.CharField(max_length=64)
    instance_type = models.CharField(max_length=64, db_index=True)
    family = models.CharField(max_length=32, db_index=True)
    scope = models.CharField(max_length=32, help_text="Region or Availability Zone")
    availability_zone = models.CharField(max_length=32, blank=True, help_text="zonal reservations only")
    instance_count = models.PositiveIntegerField()
    offering_class = models.CharField(max_length=16, blank=True, help_text="standard or convertible")
    offering_type = models.CharField(max_length=32, blank=True, help_text="No, Partial or All Upfront")
    product_description = models.CharField(max_length=64, help_text="the platform: Linux/UNIX, Windows, ...")
    instance_tenancy = models.CharField(max_length=16)
    start = models.DateTimeField(null=True, blank=True)
    end = models.DateTimeField(null=True, blank=True, db_index=True)
    duration_seconds = models.PositiveBigIntegerField(default=0)
    state = models.CharField(max_length=32, db_index=True)
    fixed_price = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    usage_price = models.DecimalField(max_digits=14, decimal_places=6, null=True, blank=True)
    currency = models.CharField(max_length=8, blank=True)
    # [{"amount": "0.052", "frequency": "Hourly"}]
    recurring_charges = models.JSONField(default=list, blank=True)
    # One normalized unit's effective rate: (upfront / the term's hours + hourly charges) / the type's units.
    usd_per_unit_hour = models.DecimalField(max_digits=16, decimal_places=8, null=True, blank=True)
    units_unused = models.FloatField(default=0, help_text="normalized units bought that no running instance uses")

    class Meta:
        ordering = ["end", "reserved_instances_id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "region", "reserved_instances_id"], name="uniq_reserved")
        ]

    def __str__(self) -> str:
        return self.reserved_instances_id

    def get_absolute_url(self) -> str:
        return self.list_url("ec2:reserved_instance_list", self.reserved_instances_id)


class ScheduledInstance(AwsResource):
    """A Scheduled Reserved Instance (DescribeScheduledInstances): legacy, shown where any exist."""

    KEY = "scheduled_instance_id"

    scheduled_instance_id = models.CharField(max_length=64)
    instance_type = models.CharField(max_length=64)
    platform = models.CharField(max_length=64, blank=True)
    availability_zone = models.CharField(max_length=32, blank=True)
    instance_count = models.PositiveIntegerField(default=0)
    recurrence = models.CharField(max_length=255, blank=True, help_text="e.g. Weekly, every 1 on Monday")
    slot_duration_hours = models.PositiveIntegerField(null=True, blank=True)
    hourly_price = models.CharField(max_length=32, blank=True)
    term_start = models.DateTimeField(null=True, blank=True)
    term_end = models.DateTimeField(null=True, blank=True)
    next_slot_start = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scheduled_instance_id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "region", "scheduled_instance_id"], name="uniq_scheduled")
        ]

    def __str__(self) -> str:
        return self.scheduled_instance_id

    def get_absolute_url(self) -> str:
        return self.list_url("ec2:reserved_instance_list", "")  # shown below the reservations


class ReservationUse(models.Model):
    """Derived, not synced: the normalized units of a reservation that pay for an instance, recomputed by
    fleetui.ec2.reservations after each sync of a scope's instances or reservations."""

    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="reservation_uses")
    reservation = models.ForeignKey(ReservedInstance, on_delete=models.CASCADE, related_name="uses")
    units = models.FloatField()
    share = models.FloatField(help_text="of the instance's units, 0 < share <= 1")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["instance", "reservation"], name="uniq_reservation_use")]

    def __str__(self) -> str:
        return f"{self.reservation_id} -> {self.instance_id}"


class SpotPrice(AwsResource):
    """The spot price in effect for a type, AZ and product when the scope last synced (DescribeSpotPriceHistory
    asked for the price as of now). A price table, not a resource: one row per (type, AZ, product)."""

    KEY = "price_key"

    price_key = models.CharField(max_length=160, help_text="type/AZ/product")
    instance_type = models.CharField(max_length=64)
    availability_zone = models.CharField(max_length=32)
    product_description = models.CharField(max_length=64)
    usd_per_hour = models.DecimalField(max_digits=14, decimal_places=6)
    timestamp = models.DateTimeField(null=True, blank=True, help_text="when AWS set this price")

    class Meta:
        ordering = ["instance_type", "availability_zone"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "price_key"], name="uniq_spot_price")]
        indexes = [models.Index(fields=["instance_type", "availability_zone"], name="spot_price_type_az_idx")]

    def __str__(self) -> str:
        return self.price_key

    def get_absolute_url(self) -> str:
        return self.list_url("ec2:instance_list", self.instance_type)  # the instances it prices


class ListPrice(AwsResource):
    """An on-demand list price from the AWS Price List (pricing:GetProducts) for what the scope's fleet uses: an
    instance type on a platform and tenancy (USD per hour), an EBS volume type (USD per GB-month), or a dedicated
    host family (USD per host-hour). The region is the priced region; the account is the one that asked."""

    KEY = "price_key"
    KINDS = [("instance", "instance"), ("storage", "EBS storage"), ("host", "dedicated host")]

    price_key = models.CharField(max_length=200, help_text="kind|subject|platform|tenancy")
    kind = models.CharField(max_length=16, choices=KINDS)
    subject = models.CharField(max_length=64, help_text="instance type, volume type or host family")
    platform = models.CharField(max_length=64, blank=True, help_text="as the instances' PlatformDetails say it")
    tenancy = models.CharField(max_length=16, blank=True)
    usd = models.DecimalField(max_digits=16, decimal_places=8, null=True, help_text="NULL: AWS gave no USD price")
    unit = models.CharField(max_length=16, help_text="Hrs or GB-Mo")
    sku = models.CharField(max_length=32, blank=True)
    effective_date = models.DateTimeField(null=True, blank=True)
    description = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["kind", "subject"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "price_key"], name="uniq_list_price")]
        indexes = [models.Index(fields=["region", "kind", "subject"], name="list_price_subject_idx")]

    def __str__(self) -> str:
        return self.price_key

    def get_absolute_url(self) -> str:
        return self.list_url("ec2:instance_list", self.subject)  # the instances it prices


class CostRollup(models.Model):
    """Derived: the run-rate of one (account, region, family, purchase option), rebuilt by fleetui.ec2.cost_store
    whenever the scope's costs are, so the overview reads a few hundred rows instead of the fleet."""

    account = models.ForeignKey("inventory.Account", on_delete=models.CASCADE, related_name="+")
    region = models.CharField(max_length=32)
    family = models.CharField(max_length=32)
    purchase_option = models.CharField(max_length=24)
    running = models.PositiveIntegerField(default=0)
    unknown = models.PositiveIntegerField(default=0, help_text="running instances whose price is unknown")
    usd_per_hour = models.DecimalField(max_digits=18, decimal_places=6, default=0)
    # Spot instances whose spot and on-demand prices are both known: what they pay, and what on-demand would cost.
    spot_usd_per_hour = models.DecimalField(max_digits=18, decimal_places=6, default=0)
    spot_on_demand_usd_per_hour = models.DecimalField(max_digits=18, decimal_places=6, default=0)
    stopped = models.PositiveIntegerField(default=0)
    stopped_ebs_usd_per_month = models.DecimalField(max_digits=18, decimal_places=4, default=0)
    stopped_ebs_unknown = models.PositiveIntegerField(default=0, help_text="stopped instances' volumes unpriced")
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "region", "family", "purchase_option"], name="uniq_cost_rollup")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.family} {self.purchase_option}"


FLEET_DIMENSIONS = ("state", "family", "category", "lifecycle", "tenancy")


class FleetRollup(models.Model):
    """Derived: the live instances of one (account, region) that share the overview's dimensions, and how many of them
    each instance finding counts. Rebuilt with the scope's CostRollup (fleetui.ec2.cost_store.rollup_store) after every
    sync that changes the scope's instances, so the overview reads a few hundred rows instead of the fleet."""

    DIMENSIONS = FLEET_DIMENSIONS
    COUNTS = ("instances", "no_key_pair", "missing_owner", "public_ip", "instance_store")

    account = models.ForeignKey("inventory.Account", on_delete=models.CASCADE, related_name="+")
    region = models.CharField(max_length=32)
    state = models.CharField(max_length=16)
    family = models.CharField(max_length=32)
    category = models.CharField(max_length=32)
    lifecycle = models.CharField(max_length=16)
    tenancy = models.CharField(max_length=16)
    instances = models.PositiveIntegerField()
    # Of those instances, in any state (the overview says which states a finding counts in):
    no_key_pair = models.PositiveIntegerField(help_text="launched without a key pair")
    missing_owner = models.PositiveIntegerField(help_text="without an Owner tag")
    public_ip = models.PositiveIntegerField(help_text="with a public IP")
    instance_store = models.PositiveIntegerField(help_text="with instance-store volumes")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "region", *FLEET_DIMENSIONS], name="uniq_fleet_rollup"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.state} {self.family} {self.lifecycle} {self.tenancy}"
