"""Beanstalk's action kinds run against the sandbox; the account and the operator come from the actions' fixtures."""

from tests.actions.conftest import account, fleet, operator_client  # noqa: F401  fixtures
