"""AWS Batch action kinds: importing these modules registers them."""

from . import cancel, update  # noqa: F401
