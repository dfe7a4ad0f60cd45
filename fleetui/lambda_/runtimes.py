"""AWS's published Lambda runtime deprecation dates, kept as data: the "Deprecated runtimes" and "Supported
runtimes" tables of the Lambda Developer Guide (docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html), as of
late 2025. A runtime is deprecated from its date on: Lambda no longer patches it and, some weeks later, blocks
creating and then updating functions that use it. Update this table when AWS publishes new dates.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

DEPRECATION_DATES: dict[str, date] = {
    # Deprecated (the date passed when the table was written)
    "nodejs": date(2016, 10, 31),
    "dotnetcore2.0": date(2019, 5, 30),
    "dotnetcore1.0": date(2019, 7, 27),
    "nodejs6.10": date(2019, 8, 12),
    "nodejs4.3": date(2020, 3, 5),
    "nodejs4.3-edge": date(2020, 3, 5),
    "nodejs8.10": date(2020, 3, 6),
    "python2.7": date(2021, 7, 15),
    "ruby2.5": date(2021, 7, 30),
    "nodejs10.x": date(2021, 7, 30),
    "dotnetcore2.1": date(2022, 1, 5),
    "dotnet5.0": date(2022, 5, 10),
    "python3.6": date(2022, 7, 18),
    "nodejs12.x": date(2023, 3, 31),
    "dotnetcore3.1": date(2023, 4, 3),
    "ruby2.7": date(2023, 11, 27),
    "python3.7": date(2023, 12, 4),
    "nodejs14.x": date(2023, 12, 4),
    "provided": date(2024, 1, 8),
    "go1.x": date(2024, 1, 8),
    "java8": date(2024, 1, 8),
    "dotnet7": date(2024, 5, 14),
    "nodejs16.x": date(2024, 6, 12),
    "python3.8": date(2024, 10, 14),
    "dotnet6": date(2024, 11, 12),
    "nodejs18.x": date(2025, 9, 1),
    "python3.9": date(2025, 12, 15),
    # Supported, with their announced deprecation dates
    "ruby3.2": date(2026, 3, 31),
    "nodejs20.x": date(2026, 4, 30),
    "python3.10": date(2026, 6, 30),
    "python3.11": date(2026, 6, 30),
    "java8.al2": date(2026, 6, 30),
    "java11": date(2026, 6, 30),
    "java17": date(2026, 6, 30),
    "provided.al2": date(2026, 6, 30),
    "dotnet8": date(2026, 11, 10),
    "ruby3.3": date(2027, 3, 31),
    "nodejs22.x": date(2027, 4, 30),
    "python3.12": date(2028, 10, 31),
    "python3.13": date(2029, 6, 30),
    "java21": date(2029, 6, 30),
    "provided.al2023": date(2029, 6, 30),
}


def today() -> date:
    return timezone.now().date()


def deprecated_runtimes(on: date | None = None) -> list[str]:
    """The runtimes whose deprecation date is `on` (default today) or earlier."""
    day = on or today()
    return sorted(name for name, when in DEPRECATION_DATES.items() if when <= day)


def deprecation_date(runtime: str) -> date | None:
    """AWS's deprecation date of the runtime (passed or announced), None when none is published (or no runtime:
    a container image)."""
    return DEPRECATION_DATES.get(runtime)


def is_deprecated(runtime: str) -> bool:
    """Whether AWS's deprecation date of the runtime has passed (today included)."""
    when = deprecation_date(runtime)
    return when is not None and when <= today()


def days_left(runtime: str) -> int | None:
    """Days until the runtime's deprecation date (0 or less: deprecated), None when none is published."""
    when = deprecation_date(runtime)
    return None if when is None else (when - today()).days
