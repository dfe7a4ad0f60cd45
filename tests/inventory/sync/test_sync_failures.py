"""Bad input: AccessDenied, throttling, an unknown region, an endpoint down, a failure mid-pagination,
and two workers on one scope. A failed scope keeps the previous data and is never swept."""

from datetime import timedelta

import requests
from botocore.exceptions import ClientError
from django.conf import settings
from django.utils import timezone

from fleetui.aws import client_get, clients_clear
from fleetui.ec2.models import Instance, KeyPair
from fleetui.inventory.models import SyncRun
from fleetui.inventory.sync import account_ref, sync_scope
from fleetui.sandbox.faults import fault_inject

from .fleet import launch

REGION = "us-east-1"


def sync(account, resource_type="instances", region=REGION):
    return sync_scope(account=account, region=region, resource_type=resource_type)


def ec2_client(account, region=REGION):
    return client_get("ec2", account=account_ref(account), region=region)


def refuse(code: str, operation: str = "DescribeInstances"):
    def handler(**kwargs):
        raise ClientError({"Error": {"Code": code, "Message": "You are not authorized."}}, operation)

    return handler


def assert_kept(ids, account):
    rows = Instance.objects.filter(account=account)
    assert sorted(rows.values_list("instance_id", flat=True)) == sorted(ids)
    assert not rows.filter(gone_at__isnull=False).exists()


def test_throttling_is_retried_with_backoff(ec2, aws, account):
    launch(ec2, 2)
    attempts = []
    ec2_client(account).meta.events.register("before-send.ec2.DescribeInstances", lambda **kw: attempts.append(1))
    fault_inject(endpoint=aws, action="DescribeInstances", error="RequestLimitExceeded", count=3)
    run = sync(account)
    assert (run.status, run.seen, run.added) == ("succeeded", 2, 2)
    assert len(attempts) == 4  # three throttled answers, then the page


def test_throttling_after_every_retry_fails_the_scope_and_keeps_the_data(ec2, aws, account, monkeypatch):
    ids = launch(ec2, 2)
    assert sync(account).status == "succeeded"
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    clients_clear()
    fault_inject(endpoint=aws, action="DescribeInstances", error="RequestLimitExceeded", count=10)
    run = sync(account)
    assert run.status == "failed"
    assert "throttling" in run.error and "RequestLimitExceeded" in run.error
    assert_kept(ids, account)


def test_failure_on_the_second_page_keeps_the_data_and_never_sweeps(ec2, aws, account):
    old_ids = launch(ec2, 3)
    assert sync(account).status == "succeeded"
    # A new fleet: a complete sync would now mark the three old instances gone.
    requests.post(f"{aws}/moto-api/reset", timeout=30)
    new_ids = [launch(ec2, 1)[0] for _ in range(7)]
    client = ec2_client(account)
    calls = []

    def small_pages(params, **kwargs):
        params["MaxResults"] = 5  # moto pages by reservation: 7 reservations make 2 pages

    def fail_second_page(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise ClientError(
                {"Error": {"Code": "InternalError", "Message": "An internal error."}}, "DescribeInstances"
            )

    client.meta.events.register("provide-client-params.ec2.DescribeInstances", small_pages)
    client.meta.events.register("before-call.ec2.DescribeInstances", fail_second_page)
    run = sync(account)
    assert run.status == "failed" and "InternalError" in run.error
    assert (run.seen, run.gone) == (5, 0)
    stored = Instance.objects.filter(account=account)
    assert stored.filter(instance_id__in=old_ids, gone_at__isnull=True).count() == 3  # not swept
    assert stored.filter(instance_id__in=new_ids).count() == 5  # the complete first page was loaded
    client.meta.events.unregister("before-call.ec2.DescribeInstances", fail_second_page)
    complete = sync(account)
    assert (complete.status, complete.seen, complete.gone) == ("succeeded", 7, 3)


def test_access_denied_in_one_account_does_not_stop_the_others(ec2, aws, account, second_account):
    ids = launch(ec2, 2)
    ec2_client(second_account).meta.events.register(
        "before-call.ec2.DescribeInstances", refuse("UnauthorizedOperation")
    )
    denied = sync(second_account)
    allowed = sync(account)
    assert denied.status == "failed"
    assert "UnauthorizedOperation" in denied.error and "refused the credentials or the permission" in denied.error
    assert (allowed.status, allowed.seen) == ("succeeded", 2)
    assert_kept(ids, account)


def test_auth_failure_in_one_region_keeps_the_previous_data_there(ec2, account):
    ec2.create_key_pair(KeyName="k")
    assert sync(account, "key_pairs").seen == 1
    ec2_client(account).meta.events.register("before-call.ec2.DescribeKeyPairs", refuse("AuthFailure", "x"))
    run = sync(account, "key_pairs")
    assert run.status == "failed" and "AuthFailure" in run.error
    assert KeyPair.objects.filter(key_name="k", gone_at__isnull=True).count() == 1


def test_unknown_region_fails_that_scope_only(ec2, account, monkeypatch):
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    clients_clear()
    run = sync(account, region="xx-fake-1")
    assert run.status == "failed"
    assert run.error  # moto answers an unknown region with a 500; real AWS has no endpoint (no DNS name)
    assert sync(account).status == "succeeded"


def test_endpoint_down_is_a_readable_failure(aws, account, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # the discard port: nothing listens
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    clients_clear()
    run = sync(account)
    assert run.status == "failed"
    assert "Cannot reach the AWS endpoint" in run.error and "EndpointConnectionError" in run.error


def test_a_second_run_of_a_running_scope_is_skipped(ec2, account):
    launch(ec2, 1)
    holder = SyncRun.objects.create(account=account, region=REGION, resource_type="instances")
    run = sync(account)
    assert run.pk == holder.pk and run.skipped is True and run.status == "running"
    assert not Instance.objects.exists()
    assert SyncRun.objects.count() == 1


def test_a_run_older_than_the_hard_time_limit_is_marked_worker_lost(ec2, account):
    launch(ec2, 1)
    stale = SyncRun.objects.create(account=account, region=REGION, resource_type="instances")
    too_old = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 5)
    SyncRun.objects.filter(pk=stale.pk).update(started_at=too_old)
    run = sync(account)
    assert run.pk != stale.pk and run.status == "succeeded" and run.seen == 1
    stale.refresh_from_db()
    assert stale.status == "failed" and stale.error.startswith("Worker lost") and stale.finished_at
