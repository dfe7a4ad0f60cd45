"""`manage.py sync_inventory`: foreground sync with progress, a summary, and a non-zero exit on failure."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from botocore.exceptions import ClientError
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from fleetui.aws import client_get
from fleetui.ec2.models import Instance, KeyPair
from fleetui.inventory.models import Account, SyncRun
from fleetui.inventory.sync import account_ref
from fleetui.sandbox.faults import fault_inject

from .sync.fleet import SECOND_ID, SECOND_ROLE, launch, second_account_ec2

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_account(db) -> Account:
    return Account.objects.create(account_id=SECOND_ID, name="second", role_arn=SECOND_ROLE)


def run_command(*args: str) -> str:
    out = StringIO()
    call_command("sync_inventory", *args, stdout=out, stderr=out)
    return out.getvalue()


def refuse(**kwargs):
    raise ClientError({"Error": {"Code": "UnauthorizedOperation", "Message": "no"}}, "DescribeInstances")


def test_sync_creates_the_default_account_and_prints_progress_and_a_summary(ec2):
    ids = launch(ec2, 2)
    output = run_command("--region", "us-east-1", "--resource", "instances", "--resource", "key_pairs")
    account = Account.objects.get()
    assert (account.account_id, account.role_arn) == ("123456789012", "")
    assert sorted(Instance.objects.values_list("instance_id", flat=True)) == sorted(ids)
    assert "[###############...............] 1/2 123456789012 us-east-1 instances ok seen=2 added=2" in output
    assert "[##############################] 2/2 123456789012 us-east-1 key_pairs ok" in output
    assert "account       region     resource   status     seen  added  changed  gone" in output
    assert "All 2 scopes synced." in output


def test_a_failed_scope_makes_the_command_fail_but_the_others_sync(ec2, aws, second_account):
    launch(ec2, 1)
    launch(second_account_ec2(aws), 1)
    client_get("ec2", account=account_ref(second_account), region="us-east-1").meta.events.register(
        "before-call.ec2.DescribeInstances", refuse
    )
    out = StringIO()
    with pytest.raises(CommandError, match="1 scope"):
        call_command("sync_inventory", "--region", "us-east-1", "--resource", "instances", stdout=out, stderr=out)
    assert "FAILED" in out.getvalue() and "UnauthorizedOperation" in out.getvalue()
    assert Instance.objects.filter(account__account_id="123456789012").count() == 1
    assert SyncRun.objects.get(account=second_account).status == "failed"


def test_account_filter_by_name(ec2, aws, second_account):
    launch(second_account_ec2(aws), 1)
    output = run_command("--account", "second", "--region", "us-east-1", "--resource", "instances")
    assert "210987654321 us-east-1 instances ok seen=1" in output
    assert not SyncRun.objects.filter(account__account_id="123456789012").exists()


def test_an_account_whose_regions_cannot_be_listed_is_recorded_and_fails_the_command(ec2, second_account, settings):
    settings.FLEETUI_REGIONS = []

    def refuse_regions(**kwargs):
        raise ClientError({"Error": {"Code": "UnauthorizedOperation", "Message": "no"}}, "DescribeRegions")

    client_get("ec2", account=account_ref(second_account)).meta.events.register(
        "before-call.ec2.DescribeRegions", refuse_regions
    )
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("sync_inventory", "--account", "second", "--resource", "key_pairs", stdout=out, stderr=out)
    run = SyncRun.objects.get(account=second_account)
    assert (run.resource_type, run.region, run.status) == ("regions", "*", "failed")
    assert "cannot list regions" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_exit_code_is_non_zero_when_a_scope_fails(aws, ec2):
    ec2.create_key_pair(KeyName="k")
    fault_inject(endpoint=aws, action="DescribeAddresses", error="UnauthorizedOperation", count=100)
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
        "DJANGO_SETTINGS_MODULE": "fleetui.settings.test",
    }
    command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "sync_inventory", "--region", "us-east-1"]
    failed = subprocess.run(
        [*command, "--resource", "key_pairs", "--resource", "elastic_ips"], env=env, capture_output=True, text=True
    )
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "1 scope(s) failed" in failed.stderr
    assert KeyPair.objects.filter(key_name="k").exists()
    ok = subprocess.run([*command, "--resource", "key_pairs"], env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr


def test_a_scope_of_several_pages_reports_each_page(ec2):
    for _ in range(6):
        launch(ec2, 1)
    account = Account.objects.create(account_id="123456789012", name="default")
    client_get("ec2", account=account_ref(account), region="us-east-1").meta.events.register(
        "provide-client-params.ec2.DescribeInstances", lambda params, **kw: params.update(MaxResults=5)
    )
    output = run_command("--region", "us-east-1", "--resource", "instances")
    assert "123456789012 us-east-1 instances: page 2, 6 seen so far" in output
    assert "page 1," not in output
    assert "instances ok seen=6 added=6" in output
