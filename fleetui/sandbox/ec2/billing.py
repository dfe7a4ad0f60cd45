"""How EC2 bills an AMI and the instances launched from it: PlatformDetails and UsageOperation, which moto omits.

An AMI's billing code is that of what it bundles, and AWS's own images are named for it: moto's preloaded
"Windows_Server-2016-English-Full-SQL_2016_SP1_Standard-..." bills as "Windows with SQL Server Standard"
(RunInstances:0006), "RHEL-7.4_HVM_GA-..." as "Red Hat Enterprise Linux", "suse-sles-..." as "SUSE Linux". SQL
Server Express is free, so its images bill as Windows alone. An image made from an instance (CreateImage) bills as
that instance, and an instance keeps the billing code of the image it was launched from, even after the image is
deregistered. The pairs are the EC2 user guide's ("AMI billing information fields").
"""

from __future__ import annotations

import re
from typing import Any

USAGE_OPERATIONS = {
    "Linux/UNIX": "RunInstances",
    "Red Hat BYOL Linux": "RunInstances:00g0",
    "Red Hat Enterprise Linux": "RunInstances:0010",
    "Red Hat Enterprise Linux with HA": "RunInstances:1010",
    "Red Hat Enterprise Linux with SQL Server Standard and HA": "RunInstances:1014",
    "Red Hat Enterprise Linux with SQL Server Enterprise and HA": "RunInstances:1110",
    "Red Hat Enterprise Linux with SQL Server Standard": "RunInstances:0014",
    "Red Hat Enterprise Linux with SQL Server Web": "RunInstances:0210",
    "Red Hat Enterprise Linux with SQL Server Enterprise": "RunInstances:0110",
    "SQL Server Enterprise": "RunInstances:0100",
    "SQL Server Standard": "RunInstances:0004",
    "SQL Server Web": "RunInstances:0200",
    "SUSE Linux": "RunInstances:000g",
    "Ubuntu Pro": "RunInstances:0g00",
    "Windows": "RunInstances:0002",
    "Windows BYOL": "RunInstances:0800",
    "Windows with SQL Server Enterprise": "RunInstances:0102",
    "Windows with SQL Server Standard": "RunInstances:0006",
    "Windows with SQL Server Web": "RunInstances:0202",
}
SQL_EDITION = re.compile(r"-SQL_\d{4}(?:_SP\d)?_(Standard|Enterprise|Web)-")
LINUX_BY_NAME = (("RHEL-", "Red Hat Enterprise Linux"), ("suse-sles-", "SUSE Linux"))


def image_platform_details(ami: Any) -> str:
    """An AMI's PlatformDetails (see the module docstring)."""
    source = getattr(ami, "instance", None)
    if source is not None:
        return instance_platform_details(source)
    name = ami.name or ""
    if ami.platform == "windows":
        edition = SQL_EDITION.search(name)
        return f"Windows with SQL Server {edition.group(1)}" if edition else "Windows"
    return next((details for prefix, details in LINUX_BY_NAME if name.startswith(prefix)), "Linux/UNIX")


def instance_platform_details(instance: Any) -> str:
    """An instance's PlatformDetails: its image's when first read (RunInstances' answer reads it: at launch), kept
    for the instance's life."""
    known = instance.__dict__.get("_fleetui_platform_details")
    if known is None:
        ami = instance.ec2_backend.amis.get(instance.image_id)
        fallback = "Windows" if instance.platform == "windows" else "Linux/UNIX"
        known = image_platform_details(ami) if ami is not None else fallback
        instance._fleetui_platform_details = known
    return known


def usage_operation(self: Any) -> str:
    """The `usage_operation` property of moto's Instance and Ami: the billing code of its PlatformDetails."""
    return USAGE_OPERATIONS[self.platform_details]
