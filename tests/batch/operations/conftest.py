"""Batch's action kinds run against the sandbox; the account and the operator come from the actions' fixtures."""

from tests.actions.conftest import account, operator_client  # noqa: F401  fixtures
