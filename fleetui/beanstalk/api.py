"""The Beanstalk inventory in the read-only REST API (/api/v1/beanstalk/...), read through the pages' selectors.

Same rules as fleetui.core.api (InventoryViewSet): token or session, any role; GET only (405 otherwise);
an invalid filter is a 400 naming the field.
"""

from fleetui.core.api import InventoryViewSet

from . import selectors
from . import serializers as s


class ApplicationViewSet(InventoryViewSet):
    """Beanstalk applications. Filters: `account`, `region`, `q`, `gone`."""

    selector = selectors.application_list
    serializer_class = s.ApplicationSerializer
    ordering_fields = ["application_name", "region", "date_created", "date_updated"]
    ordering = ["application_name", "id"]


class VersionViewSet(InventoryViewSet):
    """Application versions. Filters: `application`, `status`, `q` and the common ones."""

    selector = selectors.version_list
    serializer_class = s.VersionSerializer
    ordering_fields = ["application_name", "version_label", "region", "date_created"]
    ordering = ["application_name", "-date_created", "id"]


class EnvironmentViewSet(InventoryViewSet):
    """Environments with their resources. Filters: those of the environments page (`application`, `tier`,
    `status`, `health`, `q`, ...)."""

    selector = selectors.environment_list
    serializer_class = s.EnvironmentSerializer
    ordering_fields = ["environment_name", "application_name", "region", "status", "health", "date_updated"]
    ordering = ["application_name", "environment_name", "id"]


class EventViewSet(InventoryViewSet):
    """Environment events, newest first. Filters: `application`, `environment`, `severity`, `since`, `q`."""

    selector = selectors.event_list
    serializer_class = s.EventSerializer
    ordering_fields = ["event_date", "application_name", "environment_name", "severity"]
    ordering = ["-event_date", "-same_time_index"]


ROUTES = [
    ("beanstalk/applications", ApplicationViewSet, "beanstalkapplication"),
    ("beanstalk/versions", VersionViewSet, "beanstalkversion"),
    ("beanstalk/environments", EnvironmentViewSet, "beanstalkenvironment"),
    ("beanstalk/events", EventViewSet, "beanstalkevent"),
]
