"""Reserved Instance coverage: which running on-demand instances the active reservations pay for, by AWS's rules.

A pure function over plain rows (`coverage_compute`), so the rules are tested on hand-checked examples and the
figure is measured without a database. The rules ("How Reserved Instances are applied", EC2 User Guide):

- Only running on-demand instances can be covered, and only by active reservations in their own account and
  region whose platform (`ProductDescription`, "Linux/UNIX" = "Linux/UNIX (Amazon VPC)") and tenancy match.
- Zonal reservations apply first, to the exact type in their AZ, one whole instance per reserved instance.
- Regional reservations apply next, in any AZ of the region. For Linux/UNIX with default tenancy they are
  size-flexible within the family: a reservation of `count` x `type` buys count x the type's normalization
  factor units, spent from the smallest instance of the family to the largest; an instance may be partly
  covered. Otherwise (Windows, RHEL, dedicated tenancy, a size without a factor such as metal) they cover
  the exact type only.
- Dedicated-host instances (tenancy `host`) are billed per host: no reservation covers them.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

# Normalization factors by size; "Nxlarge" is 8 x N (4xlarge 32, 8xlarge 64, ...). metal has none here: its
# factor depends on the family, so a metal reservation covers its exact type only.
SIZE_FACTORS = {"nano": 0.25, "micro": 0.5, "small": 1.0, "medium": 2.0, "large": 4.0, "xlarge": 8.0}
_MULTI_XLARGE = re.compile(r"^(\d+)xlarge$")
LINUX = "Linux/UNIX"


@cache  # a fleet has a few dozen types; the rules ask about each of its instances several times
def normalization_factor(instance_type: str) -> float | None:
    """The type's normalization factor (`m5.2xlarge` -> 16.0), or None for a size without one (metal)."""
    size = instance_type.partition(".")[2]
    if size in SIZE_FACTORS:
        return SIZE_FACTORS[size]
    match = _MULTI_XLARGE.match(size)
    return 8.0 * int(match.group(1)) if match else None


@cache
def platform_key(text: str) -> str:
    """An instance's PlatformDetails or a reservation's ProductDescription, comparable with each other."""
    text = text.replace("(Amazon VPC)", "").strip()
    if not text or text.lower() in ("linux/unix", "linux"):
        return LINUX
    return "Windows" if text.lower() == "windows" else text


@dataclass(frozen=True)
class CoveredInstance:
    """A running on-demand instance that coverage may apply to. `key` is whatever the caller names it by."""

    key: int
    scope: tuple[int, str]  # (account pk, region)
    instance_type: str
    availability_zone: str
    platform: str  # platform_key()
    tenancy: str


@dataclass(frozen=True)
class Reservation:
    """An active reservation. `availability_zone` is "" for a regional one."""

    key: int
    scope: tuple[int, str]
    instance_type: str
    availability_zone: str
    platform: str  # platform_key()
    tenancy: str
    count: int

    @property
    def size_flexible(self) -> bool:
        return (
            not self.availability_zone
            and self.platform == LINUX
            and self.tenancy == "default"
            and normalization_factor(self.instance_type) is not None
        )


@dataclass(frozen=True)
class Use:
    """`units` normalized units of `reservation` paid for `instance` (`share` of the instance, 0 < share <= 1)."""

    instance: int
    reservation: int
    units: float
    share: float


@cache
def units_of(instance_type: str) -> float:
    """Normalized units of one instance of the type; 1 unit per instance when the size has no factor."""
    return normalization_factor(instance_type) or 1.0


def coverage_compute(instances: Iterable[CoveredInstance], reservations: Iterable[Reservation]) -> list[Use]:
    """Apply the reservations to the instances by AWS's rules (see the module docstring) and return the uses.

    Deterministic: within a rule, instances are taken smallest first, then by key, and reservations by key.
    """
    open_ = sorted(instances, key=lambda i: (units_of(i.instance_type), i.key))
    ordered = sorted(reservations, key=lambda r: r.key)
    uses: list[Use] = []
    # 1. Zonal, then regional exact-type reservations: whole instances of the exact type.
    exact = [r for r in ordered if r.availability_zone] + [r for r in ordered if not r.availability_zone]
    waiting: dict[tuple, deque[CoveredInstance]] = defaultdict(deque)
    for instance in open_:
        match = (instance.scope, instance.instance_type, instance.platform, instance.tenancy)
        waiting[(*match, instance.availability_zone)].append(instance)
        waiting[(*match, "")].append(instance)
    covered: set[int] = set()
    for reservation in exact:
        if reservation.size_flexible:
            continue
        key = (reservation.scope, reservation.instance_type, reservation.platform, reservation.tenancy)
        queue = waiting[(*key, reservation.availability_zone)]
        left = reservation.count
        while left and queue:
            instance = queue.popleft()
            if instance.key in covered:
                continue
            covered.add(instance.key)
            uses.append(Use(instance.key, reservation.key, units_of(instance.instance_type), 1.0))
            left -= 1
    uses.extend(_size_flexible(open_, ordered, covered))
    return uses


def _size_flexible(instances: list[CoveredInstance], reservations: list[Reservation], covered: set[int]) -> list[Use]:
    """Spend each family's size-flexible regional units on its uncovered Linux/default instances, smallest first."""
    pools: dict[tuple, deque[list]] = defaultdict(deque)  # (scope, family) -> [[reservation key, units left]]
    for reservation in reservations:
        if reservation.size_flexible:
            family = reservation.instance_type.partition(".")[0]
            units = reservation.count * units_of(reservation.instance_type)
            pools[(reservation.scope, family)].append([reservation.key, units])
    uses: list[Use] = []
    for instance in instances:
        if instance.key in covered or instance.platform != LINUX or instance.tenancy != "default":
            continue
        if normalization_factor(instance.instance_type) is None:
            continue
        pool = pools.get((instance.scope, instance.instance_type.partition(".")[0]))
        need = units_of(instance.instance_type)
        while pool and need > 0:
            entry = pool[0]
            spent = min(need, entry[1])
            uses.append(Use(instance.key, entry[0], spent, spent / units_of(instance.instance_type)))
            need -= spent
            entry[1] -= spent
            if entry[1] <= 0:
                pool.popleft()
    return uses
