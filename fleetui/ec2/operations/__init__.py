"""EC2's action kinds: importing these modules registers them (fleetui.actions collects `operations` modules)."""

from . import addresses, images, keypairs, launch, lifecycle, placement  # noqa: F401
