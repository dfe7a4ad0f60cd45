"""EC2's action kinds run against the sandbox on a fleet the actions' fixtures launch and sync."""

from tests.actions.conftest import account, fleet, operator_client  # noqa: F401  fixtures
