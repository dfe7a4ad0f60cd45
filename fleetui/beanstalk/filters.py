"""FilterSets of the Beanstalk inventory: the pages, their CSV exports and the API filter through the same classes.

Like the EC2 ones (fleetui.core.filters): rows a sync no longer saw are hidden unless `?gone=true`, an
invalid value is a form error (a 400 in the API), never a 500. Beanstalk's Describe calls return no tags, so
the `tag` filter of other resources is left out here.
"""

from typing import Any

import django_filters as df
from django.db.models import Q, QuerySet

from fleetui.core.filters import InventoryChoiceFilter, ResourceFilterSet, TimeFilter

from .models import ApplicationVersion, BeanstalkApplication, Environment, EnvironmentEvent

# What DescribeEnvironments reports: Status and Health (the colour; HealthStatus is enhanced health's word).
ENVIRONMENT_STATUSES = [
    (s, s)
    for s in ("Aborting", "Launching", "Updating", "LinkingFrom", "LinkingTo", "Ready", "Terminating", "Terminated")
]
HEALTHS = [(s, s) for s in ("Green", "Yellow", "Red", "Grey")]


class BeanstalkFilterSet(ResourceFilterSet):
    tag: Any = None  # no tags in Beanstalk's Describe answers: a tag filter would always match nothing


class ApplicationFilterSet(BeanstalkFilterSet):
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = BeanstalkApplication
        fields: list[str] = []

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(application_name__icontains=value) | Q(description__icontains=value))


class VersionFilterSet(BeanstalkFilterSet):
    application = InventoryChoiceFilter(field_name="application_name", label="Application")
    status = InventoryChoiceFilter(field_name="status", label="Status")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = ApplicationVersion
        fields: list[str] = []

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(version_label__icontains=value) | Q(description__icontains=value))


class EnvironmentFilterSet(BeanstalkFilterSet):
    """`?application=storefront&tier=WebServer&health=Yellow,Red&status=Ready&q=green`."""

    application = InventoryChoiceFilter(field_name="application_name", label="Application")
    tier = df.ChoiceFilter(field_name="tier", choices=Environment.Tier.choices)
    status = InventoryChoiceFilter(field_name="status", choices=ENVIRONMENT_STATUSES, label="Status")
    health = InventoryChoiceFilter(field_name="health", choices=HEALTHS, label="Health")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = Environment
        fields: list[str] = []

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split():
            qs = qs.filter(
                Q(environment_name__icontains=word)
                | Q(environment_id__icontains=word)
                | Q(cname__icontains=word)
                | Q(version_label__icontains=word)
            )
        return qs


class EventFilterSet(BeanstalkFilterSet):
    """`?application=storefront&environment=storefront-blue&severity=WARN,ERROR&since=2026-11-20T00:00:00Z`."""

    application = InventoryChoiceFilter(field_name="application_name", label="Application")
    environment = InventoryChoiceFilter(field_name="environment_name", label="Environment", search=True)
    severity = InventoryChoiceFilter(field_name="severity", label="Severity")
    since = TimeFilter(field_name="event_date", lookup_expr="gte", label="Since")
    q = df.CharFilter(field_name="message", lookup_expr="icontains", label="Search")

    class Meta:
        model = EnvironmentEvent
        fields: list[str] = []
