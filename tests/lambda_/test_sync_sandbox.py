"""The Lambda sync against the sandbox (moto with fleetui's Lambda), into PostgreSQL: functions with their versions,
aliases, reserved concurrency, tags and VPC; event source mappings with their source; an unchanged re-sync writes
nothing; a deleted function is marked gone (and links still find it); targeted re-syncs; AccessDenied fails only
that scope; each finding, the unreferenced one with another app's Owners."""

import re
from datetime import date

import pytest
import requests
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from fleetui.core import menu
from fleetui.core.menu import Owners
from fleetui.inventory.sync import sync_ids
from fleetui.lambda_ import runtimes
from fleetui.lambda_.filters import FINDING_QS
from fleetui.lambda_.links import functions_by_arn
from fleetui.lambda_.models import EventSourceMapping, Function

from .conftest import ACCOUNT, LAMBDA_TYPES, REGION, sync, sync_all

WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"lambda__\w+"', re.IGNORECASE)
ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:"


def found(finding: str) -> set[str]:
    return set(Function.objects.filter(FINDING_QS[finding]()).values_list("function_name", flat=True))


def claims_payments() -> Q:
    return Q(function_name="payments-webhook")


def test_sync_stores_functions_and_mappings_then_an_unchanged_resync_writes_nothing(account, demo):
    runs = sync_all(account)
    assert demo == {"functions": 8, "event_source_mappings": 1}
    assert [runs[name].added for name in LAMBDA_TYPES] == [8, 1]
    orders = Function.objects.get(function_name="orders-api")
    assert (orders.function_arn, orders.runtime, orders.architecture, orders.handler) == (
        ARN + "orders-api", "python3.12", "arm64", "app.handler",
    )  # fmt: skip
    assert (orders.memory_mb, orders.timeout_s, orders.ephemeral_storage_mb, orders.last_update_status) == (
        512, 30, 512, "Successful",
    )  # fmt: skip
    assert orders.code_size > 0 and orders.last_modified is not None and orders.role.endswith(":role/lambda-exec")
    assert [v["version"] for v in orders.versions] == ["2", "1"] and orders.versions[0]["description"] == "orders v2"
    assert orders.aliases == [
        {"name": "live", "version": "2", "description": "what API Gateway calls", "weights": {"1": 0.1}}
    ]
    assert (
        orders.tags == {"env": "prod", "team": "shop"} and orders.vpc_id == "" and orders.reserved_concurrency is None
    )
    webhook = Function.objects.get(function_name="payments-webhook")
    assert webhook.vpc_id.startswith("vpc-") and len(webhook.subnet_ids) == 2 and len(webhook.security_group_ids) == 1
    assert Function.objects.get(function_name="queue-worker").reserved_concurrency == 20
    mapping = EventSourceMapping.objects.get()
    assert (mapping.function_name, mapping.source_type, mapping.source_name, mapping.state) == (
        "queue-worker", "sqs", "orders-queue", "Enabled",
    )  # fmt: skip
    assert (mapping.batch_size, mapping.batching_window_s, mapping.function_arn) == (10, 5, ARN + "queue-worker")

    with CaptureQueriesContext(connection) as queries:
        again = [sync(account, name) for name in LAMBDA_TYPES]
    assert [(run.added, run.changed, run.gone) for run in again] == [(0, 0, 0), (0, 0, 0)]
    assert not [q["sql"] for q in queries.captured_queries if WRITE.match(q["sql"])]


def test_findings(account, demo, monkeypatch):
    sync_all(account)
    assert found("near_timeout") == {"nightly-report"}
    assert found("near_memory") == {"image-resizer"}
    # AWS's dates: python3.7 on 4 December 2023, nodejs20.x on 30 April 2026, python3.12 not before 2028.
    monkeypatch.setattr(runtimes, "today", lambda: date(2026, 4, 29))
    assert found("deprecated_runtime") == {"legacy-cron"}
    monkeypatch.setattr(runtimes, "today", lambda: date(2026, 4, 30))
    assert found("deprecated_runtime") == {"legacy-cron", "payments-webhook"}
    unreferenced = found("unreferenced")
    assert "queue-worker" not in unreferenced and {"legacy-cron", "payments-webhook", "orders-api"} <= unreferenced
    # Another app (API Gateway, a stack) claims payments-webhook through its navigation.OWNERS.
    here = "tests.lambda_.test_sync_sandbox"
    monkeypatch.setattr(menu, "OWNERS", [
        Owners("lambda_functions", "unused", owned=f"{here}.claims_payments", label="API Gateway", app="core")
    ])  # fmt: skip
    assert found("unreferenced") == unreferenced - {"payments-webhook"}


def test_a_deleted_function_is_marked_gone_and_links_still_find_it(account, demo, lam):
    sync_all(account)
    lam.delete_function(FunctionName="legacy-cron")
    assert sync(account, "lambda_functions").gone == 1
    gone = Function.objects.get(function_name="legacy-cron")
    assert gone.gone_at is not None and "legacy-cron" not in found("unreferenced")
    rows = functions_by_arn(
        account=account, region=REGION, arns=[ARN + "legacy-cron", ARN + "orders-api:live", ARN + "checkout-v1"]
    )
    assert set(rows) == {ARN + "legacy-cron", ARN + "orders-api"}  # a qualified ARN finds its function
    assert rows[ARN + "legacy-cron"].gone_at is not None
    assert rows[ARN + "orders-api"].get_absolute_url() == f"/lambda/{ACCOUNT}/{REGION}/orders-api/"
    assert EventSourceMapping.objects.get().get_absolute_url() == f"/lambda/{ACCOUNT}/{REGION}/queue-worker/"


def test_targeted_resync_by_name_and_uuid(account, demo, lam):
    sync_all(account)
    lam.update_function_configuration(FunctionName="orders-api", MemorySize=2048)
    lam.put_function_concurrency(FunctionName="orders-api", ReservedConcurrentExecutions=0)
    uuid = EventSourceMapping.objects.get().uuid
    lam.update_event_source_mapping(UUID=uuid, BatchSize=50)
    lam.delete_function(FunctionName="thumbnail-cleanup")
    result = sync_ids(account=account, region=REGION, resource_type="lambda_functions",
                      ids=["orders-api", "thumbnail-cleanup"])  # fmt: skip
    assert (result.seen, result.changed, result.gone) == (1, 1, 1)
    orders = Function.objects.get(function_name="orders-api")
    assert (orders.memory_mb, orders.reserved_concurrency) == (2048, 0)
    assert (
        sync_ids(account=account, region=REGION, resource_type="lambda_event_source_mappings", ids=[uuid]).changed == 1
    )
    assert EventSourceMapping.objects.get().batch_size == 50


@pytest.mark.usefixtures("demo")
def test_access_denied_fails_the_scope_and_keeps_the_data(aws, account):
    sync_all(account)
    fault = {"action": "ListFunctions", "error": "AccessDeniedException", "status": 403}
    requests.post(f"{aws}/fleetui-sandbox/faults", json=fault, timeout=10).raise_for_status()
    from fleetui.inventory.sync import sync_scope

    run = sync_scope(account=account, region=REGION, resource_type="lambda_functions")
    assert run.status == "failed" and "AccessDenied" in run.error
    assert Function.objects.filter(gone_at__isnull=True).count() == 8
