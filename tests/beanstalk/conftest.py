"""Fixtures for the Beanstalk tests: the inventory sync tests' accounts (the sandbox's default and a second) and
their rule that no cached AWS session outlives a test."""

from tests.inventory.sync.conftest import account, fresh_clients, second_account  # noqa: F401  fixtures
