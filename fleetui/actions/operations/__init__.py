"""Every action kind lives in one of these modules; importing them registers the kinds."""

from . import (  # noqa: F401
    beanstalk_deploy,
    beanstalk_swap,
    ec2_addresses,
    ec2_images,
    ec2_keypairs,
    ec2_launch,
    ec2_lifecycle,
    ec2_placement,
)
