"""AWS's Reserved Instance rules on worked examples, each checked by hand in its comment."""

from fleetui.ec2.coverage import CoveredInstance, Reservation, coverage_compute, normalization_factor, platform_key

SCOPE = (1, "us-east-1")


def inst(key, kind, az="us-east-1a", platform="Linux/UNIX", tenancy="default", scope=SCOPE):
    return CoveredInstance(key, scope, kind, az, platform_key(platform), tenancy)


def ri(key, kind, count, az="", platform="Linux/UNIX", tenancy="default", scope=SCOPE):
    return Reservation(key, scope, kind, az, platform_key(platform), tenancy, count)


def shares(uses) -> dict[int, float]:
    found: dict[int, float] = {}
    for use in uses:
        found[use.instance] = found.get(use.instance, 0) + use.share
    return found


def test_normalization_factors():
    assert [normalization_factor(f"m5.{s}") for s in ("nano", "micro", "small", "medium", "large", "xlarge")] == [
        0.25,
        0.5,
        1,
        2,
        4,
        8,
    ]
    assert normalization_factor("m5.2xlarge") == 16 and normalization_factor("m5.24xlarge") == 192
    assert normalization_factor("m5.metal") is None
    assert platform_key("Linux/UNIX (Amazon VPC)") == platform_key("") == "Linux/UNIX"


def test_regional_m5_covers_mixed_sizes_by_normalization_factor():
    # 4 x m5.xlarge bought = 4 x 8 = 32 units. Running: m5.large (4), m5.xlarge (8), m5.2xlarge (16), m5.4xlarge (32)
    # = 60 units. Smallest first: large 4 (28 left), xlarge 8 (20 left), 2xlarge 16 (4 left), 4xlarge gets 4 of 32.
    instances = [
        inst(1, "m5.4xlarge"),
        inst(2, "m5.large", az="us-east-1b"),
        inst(3, "m5.2xlarge"),
        inst(4, "m5.xlarge"),
    ]
    uses = coverage_compute(instances, [ri(10, "m5.xlarge", 4)])

    assert shares(uses) == {2: 1.0, 4: 1.0, 3: 1.0, 1: 4 / 32}
    assert sum(use.units for use in uses) == 32
    # Another family is untouched: c5 gets nothing from an m5 reservation.
    assert coverage_compute([inst(5, "c5.large")], [ri(10, "m5.xlarge", 4)]) == []


def test_zonal_applies_first_to_exact_type_and_az():
    # Zonal 1 x m5.large in us-east-1a takes the 1a m5.large (not the 1b one); the regional 1 x m5.large then
    # covers the 1b one. A zonal reservation is not size-flexible: the m5.xlarge in 1a stays uncovered.
    instances = [inst(1, "m5.large", az="us-east-1b"), inst(2, "m5.large"), inst(3, "m5.xlarge")]
    uses = coverage_compute(instances, [ri(20, "m5.large", 1), ri(10, "m5.large", 1, az="us-east-1a")])

    assert {(u.instance, u.reservation) for u in uses} == {(2, 10), (1, 20)}


def test_tenancy_and_platform_must_match():
    # A default-tenancy reservation never covers a dedicated instance; a Linux one never covers Windows.
    instances = [inst(1, "m5.large", tenancy="dedicated"), inst(2, "m5.large", platform="Windows")]
    assert coverage_compute(instances, [ri(10, "m5.large", 5)]) == []
    # A dedicated regional reservation covers its exact type only, with no size flexibility.
    dedicated = [inst(1, "m5.large", tenancy="dedicated"), inst(3, "m5.xlarge", tenancy="dedicated")]
    uses = coverage_compute(dedicated, [ri(11, "m5.xlarge", 1, tenancy="dedicated")])
    assert {(u.instance, u.share) for u in uses} == {(3, 1.0)}
    # Windows regional: exact type only.
    windows = [inst(4, "m5.large", platform="Windows"), inst(5, "m5.xlarge", platform="Windows")]
    assert {u.instance for u in coverage_compute(windows, [ri(12, "m5.large", 2, platform="Windows")])} == {4}


def test_over_coverage_leaves_units_unused_and_scopes_apart():
    # 2 x m5.2xlarge = 32 units bought for one running m5.large (4 units): 28 units (87.5%) unused.
    uses = coverage_compute([inst(1, "m5.large")], [ri(10, "m5.2xlarge", 2)])
    assert [(u.instance, u.units) for u in uses] == [(1, 4.0)]
    # A reservation in another account or region covers nothing here.
    other = [ri(10, "m5.large", 1, scope=(2, "us-east-1")), ri(11, "m5.large", 1, scope=(1, "eu-west-1"))]
    assert coverage_compute([inst(1, "m5.large")], other) == []
