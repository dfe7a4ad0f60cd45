"""CloudFormation action kinds: importing these modules registers them."""

from . import drift  # noqa: F401
