"""FilterSets of the EMR inventory: the pages, their CSV exports and the API filter through the same classes.

Like every service's (fleetui.core.filters): rows a sync no longer saw are hidden unless `?gone=true`, and an
invalid value is a form error (a 400 in the API), never a 500. The cluster findings read the `last_activity`
annotation of selectors.cluster_list's rows.
"""

from datetime import timedelta

import django_filters as df
from django.db.models import Q, QuerySet
from django.utils import timezone

from fleetui.core.filters import CSVChoiceFilter, InventoryChoiceFilter, ResourceFilterSet, words_match

from .models import ACTIVE_STATES, IDLE_AFTER_SECONDS, EmrCluster, EmrInstance, InstanceGroup, Market, Step

IDLE = "idle"
NO_AUTO_TERMINATION = "no_auto_termination"
FINDINGS = [
    (IDLE, "Idle: waiting with no step for over an hour"),
    (NO_AUTO_TERMINATION, "No auto-termination"),
]


def idle_q() -> Q:
    """WAITING, and neither ready nor a step ended in the last hour (needs the `last_activity` annotation)."""
    since = timezone.now() - timedelta(seconds=IDLE_AFTER_SECONDS)
    return Q(state="WAITING", last_activity__lt=since)


def no_auto_termination_q() -> Q:
    """Running or waiting, with neither AutoTerminate (after its last step) nor an idle-timeout policy."""
    return Q(state__in=ACTIVE_STATES, auto_terminate=False, idle_timeout__isnull=True)


FINDING_QS = {IDLE: idle_q, NO_AUTO_TERMINATION: no_auto_termination_q}


class ClusterFilterSet(ResourceFilterSet):
    """`?cluster=etl-nightly&state=WAITING,RUNNING&release=emr-7.2.0&finding=idle&q=spark`."""

    cluster = InventoryChoiceFilter(field_name="name", label="Cluster")
    state = InventoryChoiceFilter(field_name="state", label="State")
    release = InventoryChoiceFilter(field_name="release_label", label="Release")
    finding = df.MultipleChoiceFilter(choices=FINDINGS, method="filter_finding", label="Finding")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = EmrCluster
        fields: list[str] = []

    def filter_finding(self, qs: QuerySet, name: str, value: list[str]) -> QuerySet:
        if not value:
            return qs
        found = Q(pk=None)
        for finding in value:
            found |= FINDING_QS[finding]()
        return qs.filter(found)

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return words_match(qs, value, "name", "release_label", "applications", exact=("cluster_id",))


class InstanceGroupFilterSet(ResourceFilterSet):
    """`?cluster=etl-nightly&group_type=TASK&market=SPOT&state=RESIZING&q=m5`."""

    cluster = InventoryChoiceFilter(field_name="cluster_name", label="Cluster")
    cluster_id = CSVChoiceFilter(field_name="cluster_id", label="Cluster id")
    group_type = df.MultipleChoiceFilter(
        field_name="group_type", choices=InstanceGroup.GroupType.choices, label="Group type"
    )
    market = df.MultipleChoiceFilter(field_name="market", choices=Market.choices, label="Market")
    state = InventoryChoiceFilter(field_name="state", label="State")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = InstanceGroup
        fields: list[str] = []

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return words_match(qs, value, "name", "cluster_name", "instance_types", exact=("instance_group_id",))


class StepFilterSet(ResourceFilterSet):
    """`?cluster=etl-nightly&state=FAILED,CANCELLED&q=dedupe`."""

    cluster = InventoryChoiceFilter(field_name="cluster_name", label="Cluster")
    cluster_id = CSVChoiceFilter(field_name="cluster_id", label="Cluster id")
    state = InventoryChoiceFilter(field_name="state", label="State")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = Step
        fields: list[str] = []

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return words_match(qs, value, "name", "cluster_name", exact=("step_id",))


class InstanceFilterSet(ResourceFilterSet):
    """`?cluster=etl-nightly&group=ig-...&market=SPOT&state=RUNNING&q=i-0abc`."""

    cluster = InventoryChoiceFilter(field_name="cluster_name", label="Cluster")
    cluster_id = CSVChoiceFilter(field_name="cluster_id", label="Cluster id")
    group = CSVChoiceFilter(field_name="instance_group_id", label="Instance group id")
    market = df.MultipleChoiceFilter(field_name="market", choices=Market.choices, label="Market")
    state = InventoryChoiceFilter(field_name="state", label="State")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = EmrInstance
        fields: list[str] = []

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return words_match(
            qs,
            value,
            "instance_type",
            "cluster_name",
            exact=(
                "instance_id",
                "ec2_instance_id",
            ),
        )
