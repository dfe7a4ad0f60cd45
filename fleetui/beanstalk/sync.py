"""Elastic Beanstalk's resource types for the sync engine (fleetui.inventory.sync collects `SYNCS`).

Events have no id of their own: their key is a digest (see transforms.event_key).
"""

from fleetui.aws import beanstalk as eb
from fleetui.inventory.sync import ResourceSync

from . import transforms
from .models import ApplicationVersion, BeanstalkApplication, Environment, EnvironmentEvent

SYNCS = {
    "eb_applications": ResourceSync(
        eb.application_pages, transforms.application_fields, BeanstalkApplication, BeanstalkApplication.KEY
    ),
    "eb_versions": ResourceSync(
        eb.version_pages, transforms.version_fields, ApplicationVersion, ApplicationVersion.KEY
    ),
    "eb_environments": ResourceSync(eb.environment_pages, transforms.environment_fields, Environment, Environment.KEY),
    "eb_events": ResourceSync(eb.event_pages, transforms.event_fields, EnvironmentEvent, EnvironmentEvent.KEY),
}
