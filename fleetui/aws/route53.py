"""Route 53 reads: which records of an account point at given DNS names (alias targets and CNAME values).

Used by the blue/green swap check: a record that points at an environment's load balancer does not move when
the environments' CNAMEs are swapped. Route 53 is global, so no region is needed. AccessDenied (a role that
cannot read Route 53) comes out as fleetui.aws.AwsAccessDenied; callers report that the check could not run.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from .clients import AccountRef, client_get, paginate

ROUTE53_REGION = "us-east-1"


def dns_name(value: str) -> str:
    """A DNS name as compared here: lower case, no trailing dot, no "dualstack." prefix (ELB alias targets)."""
    name = value.strip().lower().rstrip(".")
    return name.removeprefix("dualstack.")


def records_pointing_at(*, account: AccountRef, targets: Collection[str]) -> list[dict[str, Any]]:
    """[{"zone", "name", "type", "alias", "target"}] for every record whose alias target or CNAME value is one of
    `targets` (compared with dns_name)."""
    wanted = {dns_name(target) for target in targets if target}
    if not wanted:
        return []
    client = client_get("route53", account=account, region=ROUTE53_REGION)
    found = []
    for zones in paginate(client, "list_hosted_zones", "HostedZones"):
        for zone in zones:
            for records in paginate(client, "list_resource_record_sets", "ResourceRecordSets", HostedZoneId=zone["Id"]):
                found += _matching(zone["Name"], records, wanted)
    return found


def _matching(zone: str, records: list[dict[str, Any]], wanted: set[str]) -> list[dict[str, Any]]:
    matches = []
    for record in records:
        alias = (record.get("AliasTarget") or {}).get("DNSName")
        values = [alias] if alias else [item["Value"] for item in record.get("ResourceRecords") or []]
        for value in values:
            if dns_name(value) in wanted:
                matches.append(
                    {
                        "zone": dns_name(zone),
                        "name": dns_name(record["Name"]),
                        "type": record["Type"],
                        "alias": bool(alias),
                        "target": dns_name(value),
                    }
                )
    return matches
