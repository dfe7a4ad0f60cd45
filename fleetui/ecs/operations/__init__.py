"""ECS's action kinds: importing these modules registers them."""

from . import deploy, scale, tasks  # noqa: F401
