"""Every action kind lives in one of these modules; importing them registers the kinds."""

from . import ec2_lifecycle  # noqa: F401
