"""sync_scope of the four Beanstalk resource types into PostgreSQL: the SyncRun, write-only-changes, the sweep,
targeted re-syncs by key, and AccessDenied failing only its own scope."""

import copy
import dataclasses
import re

import pytest
from botocore.exceptions import ClientError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fleetui.aws import client_get
from fleetui.beanstalk.models import ApplicationVersion, BeanstalkApplication, Environment, EnvironmentEvent
from fleetui.inventory.models import SyncRun
from fleetui.inventory.sync import RESOURCE_TYPES, TARGETED_TYPES, account_ref, sync_ids, sync_scope
from fleetui.inventory.sync.registry import SYNCS

from .payloads import APPLICATION, EVENT, VERSION, WEB_ENVIRONMENT, WORKER_ENVIRONMENT

REGION = "us-east-1"
EB_TYPES = ["eb_applications", "eb_versions", "eb_environments", "eb_events"]
WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"(beanstalk_\w+)"', re.IGNORECASE)


def beanstalk_writes(queries) -> list[str]:
    return [q["sql"][:80] for q in queries if WRITE.match(q["sql"])]


def sync(account, resource_type, region=REGION):
    return sync_scope(account=account, region=region, resource_type=resource_type)


class Canned:
    """Stands in for a fetcher: hands out copies of `items` as one page, filtered by `ids` like the real ones."""

    def __init__(self, key: str | None, *items: dict):
        self.key, self.items = key, list(items)

    def __call__(self, *, account, region, ids=None):
        items = [copy.deepcopy(item) for item in self.items]
        if ids is not None and self.key is not None:
            items = [item for item in items if item[self.key] in ids]
        yield items


@pytest.fixture
def canned(monkeypatch):
    """Replace the fetchers of the Beanstalk syncs with canned pages; returns {resource type: Canned}."""
    fetchers = {
        "eb_applications": Canned("ApplicationName", APPLICATION),
        "eb_versions": Canned("ApplicationVersionArn", VERSION),
        "eb_environments": Canned("EnvironmentId", WEB_ENVIRONMENT, WORKER_ENVIRONMENT),
        "eb_events": Canned(None, EVENT),  # events have no id to select by,
    }
    for name, fetch in fetchers.items():
        monkeypatch.setitem(SYNCS, name, dataclasses.replace(SYNCS[name], fetch=fetch))
    return fetchers


def test_the_beanstalk_types_sync_after_the_ec2_ones_and_can_be_targeted():
    first = RESOURCE_TYPES.index(EB_TYPES[0])
    assert RESOURCE_TYPES[first : first + 4] == EB_TYPES and first > RESOURCE_TYPES.index("instances")
    assert set(EB_TYPES) <= set(TARGETED_TYPES)
    assert [SYNCS[name].model for name in EB_TYPES] == [
        BeanstalkApplication,
        ApplicationVersion,
        Environment,
        EnvironmentEvent,
    ]


def test_first_sync_stores_every_type_and_an_unchanged_resync_writes_nothing(canned, account):
    first = {name: sync(account, name) for name in EB_TYPES}
    assert {name: (r.status, r.seen, r.added, r.error) for name, r in first.items()} == {
        "eb_applications": ("succeeded", 1, 1, ""),
        "eb_versions": ("succeeded", 1, 1, ""),
        "eb_environments": ("succeeded", 2, 2, ""),
        "eb_events": ("succeeded", 1, 1, ""),
    }
    blue = Environment.objects.get(account=account, region=REGION, environment_id="e-abc123defg")
    assert (blue.cname, blue.tier, blue.health, blue.version_label) == (
        "storefront.us-east-1.elasticbeanstalk.com",
        "WebServer",
        "Green",
        "v41",
    )
    assert blue.instance_ids == ["i-0aaaaaaaaaaaaaaa1", "i-0bbbbbbbbbbbbbbb2"]
    assert Environment.objects.get(environment_id="e-worker0001").resources["queues"][0]["name"] == "DeadLetterQueue"
    assert BeanstalkApplication.objects.get().version_labels == ["v41", "v42"]
    assert EnvironmentEvent.objects.get().message == EVENT["Message"]

    with CaptureQueriesContext(connection) as queries:
        second = {name: sync(account, name) for name in EB_TYPES}
    for name, run in second.items():
        assert (run.status, run.seen, run.added, run.changed, run.gone) == ("succeeded", first[name].seen, 0, 0, 0)
    assert beanstalk_writes(queries.captured_queries) == []


def test_a_change_writes_only_that_environment(canned, account):
    sync(account, "eb_environments")
    canned["eb_environments"].items[0] = {**WEB_ENVIRONMENT, "Health": "Yellow", "HealthStatus": "Warning"}
    with CaptureQueriesContext(connection) as queries:
        run = sync(account, "eb_environments")
    assert (run.seen, run.added, run.changed, run.gone) == (2, 0, 1, 0)
    assert len(beanstalk_writes(queries.captured_queries)) == 1
    assert Environment.objects.get(environment_id="e-abc123defg").health_status == "Warning"


def test_a_terminated_environment_is_marked_gone_and_its_rows_stay(canned, account):
    sync(account, "eb_environments")
    canned["eb_environments"].items = [WEB_ENVIRONMENT]  # DescribeEnvironments(IncludeDeleted=False) forgot it
    run = sync(account, "eb_environments")
    assert (run.seen, run.gone) == (1, 1)
    worker = Environment.objects.get(environment_id="e-worker0001")
    assert worker.gone_at == run.started_at
    assert Environment.objects.get(environment_id="e-abc123defg").gone_at is None


def test_targeted_resync_by_environment_id_and_event_key(canned, account):
    result = sync_ids(account=account, region=REGION, resource_type="eb_environments", ids=["e-worker0001"])
    assert (result.seen, result.added) == (1, 1)
    assert list(Environment.objects.values_list("environment_id", flat=True)) == ["e-worker0001"]
    stored = sync(account, "eb_events")
    key = EnvironmentEvent.objects.get().event_key
    # The events fetcher cannot select by key, so the rows are narrowed to the named keys after the read.
    again = sync_ids(account=account, region=REGION, resource_type="eb_events", ids=[key, "0" * 64])
    assert (stored.added, again.seen, again.added, again.changed, again.gone) == (1, 1, 0, 0, 0)


def refuse(code: str, operation: str):
    def handler(**kwargs):
        raise ClientError({"Error": {"Code": code, "Message": "User is not authorized to perform this."}}, operation)

    return handler


def test_access_denied_fails_only_that_account_and_keeps_its_rows(aws, account, second_account):
    """An account whose role may not read Beanstalk: its scope fails with a readable error, nothing is swept,
    and the other account's scope still syncs."""
    for acct in (account, second_account):
        client_get("elasticbeanstalk", account=account_ref(acct), region=REGION).create_application(
            ApplicationName=f"app-{acct.account_id}"
        )
    assert sync(second_account, "eb_applications").status == "succeeded"
    denied_client = client_get("elasticbeanstalk", account=account_ref(second_account), region=REGION)
    denied_client.meta.events.register(
        "before-call.elastic-beanstalk.DescribeApplications", refuse("AccessDenied", "DescribeApplications")
    )
    denied = sync(second_account, "eb_applications")
    allowed = sync(account, "eb_applications")
    assert denied.status == "failed"
    assert "AccessDenied" in denied.error and "refused the credentials or the permission" in denied.error
    assert (allowed.status, allowed.seen) == ("succeeded", 1)
    kept = BeanstalkApplication.objects.get(account=second_account)
    assert (kept.application_name, kept.gone_at) == (f"app-{second_account.account_id}", None)
    assert SyncRun.objects.filter(resource_type="eb_applications", status="failed").count() == 1
