"""EMR action kinds: importing these modules registers them."""

from . import resize, terminate  # noqa: F401
