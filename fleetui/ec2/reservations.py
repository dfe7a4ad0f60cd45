"""Reserved Instance coverage in the database: stored after each sync of a scope, read by the pages.

`coverage_store` is the `after` hook of the `instances` and `reserved_instances` syncs: it applies the scope's
active reservations to its running on-demand instances (fleetui.ec2.coverage) and writes the difference to
ReservationUse. The reads here say, per family in each account and region, how much of the on-demand fleet the
reservations cover and how much of what was bought is used, and which reservations are findings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from fleetui.inventory.models import Account

from .coverage import CoveredInstance, Reservation, coverage_compute, platform_key, units_of
from .models import Instance, ReservationUse, ReservedInstance
from .scope_lock import scope_lock

# A reservation ending within these many days is a finding (the overview's tiles and `?expiring=`).
EXPIRY_WARNINGS = (30, 60)
# A reservation with units no instance uses (float sums of parts: a millionth of a unit is none).
UNUSED = Q(units_unused__gt=1e-6)


def active_reservations(now: dt.datetime | None = None) -> QuerySet[ReservedInstance]:
    """Reservations that pay for instances now: AWS says active and the term has not ended (AWS flips an
    ended reservation to retired some time later)."""
    now = now or timezone.now()
    return ReservedInstance.objects.filter(gone_at__isnull=True, state="active").filter(
        Q(end__isnull=True) | Q(end__gt=now)
    )


def coverable_instances() -> QuerySet[Instance]:
    """Instances a reservation can pay for: live, running, on-demand and not on a dedicated host."""
    return Instance.objects.filter(gone_at__isnull=True, state="running", lifecycle="on-demand").exclude(tenancy="host")


def coverage_store(*, account: Account, region: str) -> int:
    """Recompute the scope's coverage and write only what changed, in one transaction holding the scope's lock;
    returns the number of uses now stored.

    A scope without active reservations costs a few queries, however many instances it holds."""
    with transaction.atomic():
        scope_lock(account=account, region=region)
        return _coverage_write(account, region)


def _coverage_write(account: Account, region: str) -> int:
    scope = (account.pk, region)
    stored = ReservationUse.objects.filter(instance__account=account, instance__region=region)
    reservations = [
        Reservation(pk, scope, kind, az, platform_key(product), tenancy, count)
        for pk, kind, az, product, tenancy, count in active_reservations()
        .filter(account=account, region=region)
        .values_list(
            "pk", "instance_type", "availability_zone", "product_description", "instance_tenancy", "instance_count"
        )
    ]
    if not reservations:
        stored.delete()
        units_unused_store(account=account, region=region)
        return 0
    rows = coverable_instances().filter(account=account, region=region)
    instances = [
        CoveredInstance(pk, scope, str(kind or ""), az, platform_key(platform), tenancy)
        for pk, kind, az, platform, tenancy in rows.values_list(
            "pk", "instance_type_id", "availability_zone", "platform", "tenancy"
        )
    ]
    uses = coverage_compute(instances, reservations)
    wanted = {(use.instance, use.reservation): (use.units, use.share) for use in uses}
    have = {
        (i, r): (pk, units, share)
        for pk, i, r, units, share in stored.values_list("pk", "instance_id", "reservation_id", "units", "share")
    }
    stale = [pk for key, (pk, units, share) in have.items() if wanted.get(key) != (units, share)]
    new = [
        ReservationUse(instance_id=i, reservation_id=r, units=units, share=share)
        for (i, r), (units, share) in wanted.items()
        if have.get((i, r), (None, None, None))[1:] != (units, share)
    ]
    ReservationUse.objects.filter(pk__in=stale).delete()
    ReservationUse.objects.bulk_create(new, batch_size=5000)
    units_unused_store(account=account, region=region)
    return len(wanted)


def units_unused_store(*, account: Account, region: str) -> int:
    """Store on each of the scope's reservations the normalized units it bought that its stored uses leave unused,
    writing only the rows whose figure changed; returns how many. coverage_store calls it with the uses it wrote, so
    the overview's tile and `?unused=` read a column instead of summing every use."""
    used = dict(
        ReservationUse.objects.filter(reservation__account=account, reservation__region=region)
        .order_by()
        .values("reservation")
        .annotate(units=Sum("units"))
        .values_list("reservation", "units")
    )
    rows = ReservedInstance.objects.filter(account=account, region=region)
    changed = []
    for pk, kind, count, stored in rows.values_list("pk", "instance_type", "instance_count", "units_unused"):
        unused = round(count * units_of(kind) - used.get(pk, 0.0), 6)
        if unused != stored:
            changed.append(ReservedInstance(pk=pk, units_unused=unused))
    ReservedInstance.objects.bulk_update(changed, ["units_unused"], batch_size=500)
    return len(changed)


# --- Reads -----------------------------------------------------------------------------------------------------


@dataclass
class FamilyCoverage:
    """One family in one account and region: on-demand units running, reserved units bought, and their overlap."""

    account_id: str
    account_name: str
    region: str
    family: str
    running_units: float = 0.0
    purchased_units: float = 0.0
    used_units: float = 0.0
    reservations: int = 0

    @property
    def coverage_percent(self) -> float | None:
        return round(100 * self.used_units / self.running_units, 1) if self.running_units else None

    @property
    def utilization_percent(self) -> float | None:
        return round(100 * self.used_units / self.purchased_units, 1) if self.purchased_units else None

    @property
    def verdict(self) -> str:
        """over-covered (bought units unused), under-covered (on-demand units unpaid by reservations), or ""."""
        if self.purchased_units > self.used_units:
            return "over-covered"
        return "under-covered" if self.running_units > self.used_units and self.purchased_units else ""


def reservation_used_units() -> dict[int, float]:
    """{reservation pk: normalized units it pays for now}."""
    rows = ReservationUse.objects.values("reservation_id").annotate(units=Sum("units")).order_by()
    return {row["reservation_id"]: row["units"] for row in rows}


def family_coverage() -> list[FamilyCoverage]:
    """Coverage and utilization per (account, region, family) that has reservations or running on-demand units,
    families with reservations first."""
    names = {pk: (number, name) for pk, number, name in Account.objects.values_list("pk", "account_id", "name")}
    found: dict[tuple[int, str, str], FamilyCoverage] = {}

    def entry(account_pk: int, region: str, family: str) -> FamilyCoverage:
        key = (account_pk, region, family)
        if key not in found:
            number, name = names.get(account_pk, ("", ""))
            found[key] = FamilyCoverage(number, name, region, family)
        return found[key]

    running = coverable_instances().values_list("account_id", "region", "family", "instance_type_id")
    for account_pk, region, family, kind, n in running.annotate(n=Count("pk")).order_by():
        entry(account_pk, region, family).running_units += n * units_of(kind or "")
    used = reservation_used_units()
    for pk, account_pk, region, family, kind, count in active_reservations().values_list(
        "pk", "account_id", "region", "family", "instance_type", "instance_count"
    ):
        item = entry(account_pk, region, family)
        item.purchased_units += count * units_of(kind)
        item.used_units += used.get(pk, 0.0)
        item.reservations += 1
    return sorted(found.values(), key=lambda f: (not f.reservations, f.account_id, f.region, f.family))


def days_left(reservation: ReservedInstance, now: dt.datetime | None = None) -> int | None:
    """Whole days until the reservation's term ends (0 when it has ended), or None without an end."""
    if reservation.end is None:
        return None
    return max(0, (reservation.end - (now or timezone.now())).days)


def expiring_cutoff(days: int, now: dt.datetime | None = None) -> dt.datetime:
    """Reservations ending on or before this end within `days`."""
    return (now or timezone.now()) + dt.timedelta(days=days)


def unused_reservations() -> QuerySet[ReservedInstance]:
    """Active reservations with units that no running instance uses (over-coverage, or nothing to cover)."""
    return active_reservations().filter(UNUSED)


@dataclass
class ReservationFindings:
    unused: int = 0  # active reservations with units no instance uses
    expiring: dict[int, int] = field(default_factory=dict)  # days -> active reservations ending within them


def reservation_findings() -> ReservationFindings:
    """What the overview's tiles count, in one query."""
    within = {f"within_{days}": Q(end__lte=expiring_cutoff(days)) for days in EXPIRY_WARNINGS}
    counts = active_reservations().aggregate(
        unused=Count("pk", filter=UNUSED), **{key: Count("pk", filter=condition) for key, condition in within.items()}
    )
    expiring = {days: counts[f"within_{days}"] for days in EXPIRY_WARNINGS}
    return ReservationFindings(unused=counts["unused"], expiring=expiring)


def instance_coverage(instance: Instance) -> list[dict[str, Any]]:
    """The reservations paying for one instance: [{"reservation": ReservedInstance, "share": 0..1}]."""
    uses = ReservationUse.objects.filter(instance=instance).select_related("reservation").order_by("reservation_id")
    return [{"reservation": use.reservation, "share": use.share, "units": use.units} for use in uses]
