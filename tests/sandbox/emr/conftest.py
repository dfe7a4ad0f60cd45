"""The EMR sandbox tests share tests/emr's client fixture (the delay at 0)."""

from tests.emr.conftest import emr  # noqa: F401  fixture
