"""fleetui's extensions to moto for APIs it lacks. Installed before the server starts."""


def install() -> None:
    """Patch moto's response classes and backends; safe to call more than once."""
