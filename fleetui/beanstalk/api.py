"""The Beanstalk inventory in the read-only REST API (/api/v1/beanstalk/...), filtered by the pages' FilterSets.

Same rules as fleetui.core.api (InventoryViewSet): token or session, any role; GET only (405 otherwise);
an invalid filter is a 400 naming the field.
"""

from fleetui.core.api import InventoryViewSet

from . import serializers as s
from .filters import ApplicationFilterSet, EnvironmentFilterSet, EventFilterSet, VersionFilterSet
from .models import ApplicationVersion, BeanstalkApplication, Environment, EnvironmentEvent


class ApplicationViewSet(InventoryViewSet):
    """Beanstalk applications. Filters: `account`, `region`, `q`, `gone`."""

    model = BeanstalkApplication
    serializer_class = s.ApplicationSerializer
    filterset_class = ApplicationFilterSet
    ordering_fields = ["application_name", "region", "date_created", "date_updated"]
    ordering = ["application_name", "id"]


class VersionViewSet(InventoryViewSet):
    """Application versions. Filters: `application`, `status`, `q` and the common ones."""

    model = ApplicationVersion
    serializer_class = s.VersionSerializer
    filterset_class = VersionFilterSet
    ordering_fields = ["application_name", "version_label", "region", "date_created"]
    ordering = ["application_name", "-date_created", "id"]


class EnvironmentViewSet(InventoryViewSet):
    """Environments with their resources. Filters: those of the environments page (`application`, `tier`,
    `status`, `health`, `q`, ...)."""

    model = Environment
    serializer_class = s.EnvironmentSerializer
    filterset_class = EnvironmentFilterSet
    ordering_fields = ["environment_name", "application_name", "region", "status", "health", "date_updated"]
    ordering = ["application_name", "environment_name", "id"]


class EventViewSet(InventoryViewSet):
    """Environment events, newest first. Filters: `application`, `environment`, `severity`, `since`, `q`."""

    model = EnvironmentEvent
    serializer_class = s.EventSerializer
    filterset_class = EventFilterSet
    ordering_fields = ["event_date", "application_name", "environment_name", "severity"]
    ordering = ["-event_date", "-id"]


ROUTES = [
    ("beanstalk/applications", ApplicationViewSet, "beanstalkapplication"),
    ("beanstalk/versions", VersionViewSet, "beanstalkversion"),
    ("beanstalk/environments", EnvironmentViewSet, "beanstalkenvironment"),
    ("beanstalk/events", EventViewSet, "beanstalkevent"),
]
