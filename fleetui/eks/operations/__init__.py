"""EKS action kinds: importing these modules registers them."""

from . import scale  # noqa: F401
