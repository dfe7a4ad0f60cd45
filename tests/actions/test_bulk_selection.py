"""The list's selection: a refused bulk action says which checked rows are in which account and region, by name,
and hands the selection back so the rows are still checked; the bar counts them (a select-all box heads the column)."""

import pytest
from django.test import Client
from django.urls import reverse

from fleetui.actions.models import Action
from tests.factories import AccountFactory, InstanceFactory

INSTANCES = reverse("ec2:instance_list")


@pytest.fixture
def mixed(db):
    prod = AccountFactory(account_id="111111111111", name="prod")
    return [
        InstanceFactory(account=prod, region="us-east-1", name="web-1", instance_id="i-0000000000000web1"),
        InstanceFactory(account=prod, region="us-east-1", name="web-2", instance_id="i-0000000000000web2"),
        InstanceFactory(account=prod, region="eu-west-1", name="batch-1", instance_id="i-00000000000batch1"),
        InstanceFactory(account=prod, region="us-east-1", name="idle-1", instance_id="i-000000000000idle1"),
    ]


@pytest.fixture
def operator_client(operator) -> Client:
    client = Client()
    client.force_login(operator)
    return client


def test_a_refused_bulk_stop_names_the_rows_by_region_and_keeps_them_checked(mixed, operator_client):
    checked = [row.instance_id for row in mixed[:3]]
    back = f"{INSTANCES}?state=running"
    answer = operator_client.post(
        reverse("actions:bulk"), {"kind": "ec2.stop", "scope": "checked", "target": checked}, HTTP_REFERER=back
    )
    assert answer.status_code == 302 and answer["Location"] == back
    assert not Action.objects.exists()

    page = operator_client.get(back).content.decode()
    assert (
        "Stop instances works on one account and region at a time, and the checked rows are in 2: "
        "web-1 (i-0000000000000web1), web-2 (i-0000000000000web2) in prod (111111111111) us-east-1; "
        "batch-1 (i-00000000000batch1) in prod (111111111111) eu-west-1."
    ) in page
    for instance_id in checked:
        assert f'value="{instance_id}" form="bulk-form" aria-label="Select {instance_id}" checked>' in page
    assert 'value="i-000000000000idle1" form="bulk-form" aria-label="Select i-000000000000idle1">' in page
    assert '<span class="selected-count" aria-live="polite"><strong>3</strong> selected</span>' in page
    assert '<input type="checkbox" class="select-all"' in page

    # Handed back once: the next visit starts with nothing checked.
    again = operator_client.get(back).content.decode().split('id="results"')[1]  # the rows, not the filter bar's boxes
    assert " checked>" not in again and "<strong>0</strong> selected" in again


def test_the_selection_goes_back_only_to_the_list_it_came_from(mixed, operator_client):
    checked = [row.instance_id for row in mixed[:3]]
    operator_client.post(
        reverse("actions:bulk"), {"kind": "ec2.stop", "target": checked}, HTTP_REFERER=f"{INSTANCES}?q=web"
    )
    assert " checked>" not in operator_client.get(reverse("ec2:key_pair_list")).content.decode()
    assert operator_client.get(INSTANCES).content.decode().count(" checked>") == 3
