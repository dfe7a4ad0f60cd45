"""Lambda action kinds: importing these modules registers them."""

from . import concurrency, config  # noqa: F401
