"""Elastic Beanstalk's action kinds: importing these modules registers them."""

from . import deploy, swap  # noqa: F401
