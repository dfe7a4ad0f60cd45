"""What EC2 offers other services: the one module they may import from fleetui.ec2 (an import-linter contract in
pyproject.toml allows only this link), so a service's page can show the EC2 instances it runs on."""

import ipaddress
from collections.abc import Sequence
from typing import Any

from django.db.models import Q

from .models import Instance, SecurityGroup

__all__ = ["Instance", "SecurityGroup", "instances_by_address", "instances_by_id", "security_groups_by_id"]


def instances_by_id(*, account: Any, region: str, ids: Sequence[str]) -> dict[str, Instance]:
    """{instance id: its inventory row (gone ones too)} for the named ids in one account and region; ids the EC2
    inventory has not seen are absent. Only the columns a link to the instance shows are read."""
    rows = Instance.objects.filter(account=account, region=region, instance_id__in=list(ids)).only(
        "account", "region", "instance_id", "name", "state", "instance_type_id", "availability_zone", "gone_at"
    )
    return {row.instance_id: row for row in rows}


def security_groups_by_id(*, account: Any, region: str, ids: Sequence[str]) -> dict[str, SecurityGroup]:
    """{group id: its inventory row (gone ones too)} for the named security groups in one account and region; ids
    the EC2 inventory has not seen are absent. `row.get_absolute_url()` is the group's page (its account joined)."""
    rows = SecurityGroup.objects.filter(account=account, region=region, group_id__in=list(ids)).select_related(
        "account"
    )
    return {row.group_id: row for row in rows}


def instances_by_address(*, account: Any, region: str, addresses: Sequence[str]) -> dict[str, Instance]:
    """{IP address: the inventory row whose public or private IP it is} in one account and region (an HTTP
    integration's target, a DNS record's value). A live instance wins over a gone one that had the address before;
    strings that are not IP addresses are ignored, addresses no instance has are absent."""
    valid = []
    for address in addresses:
        try:
            valid.append(str(ipaddress.ip_address(address)))
        except ValueError:
            continue
    if not valid:
        return {}
    rows = Instance.objects.filter(Q(public_ip__in=valid) | Q(private_ip__in=valid), account=account, region=region)
    columns = ("account", "region", "instance_id", "name", "state", "gone_at", "public_ip", "private_ip")
    found: dict[str, Instance] = {}
    # Gone rows first, so a live instance that holds the address now overwrites them.
    for row in sorted(rows.only(*columns), key=lambda r: r.gone_at is None):
        for held in (row.public_ip, row.private_ip):
            if held and held in valid:
                found[held] = row
    return found
