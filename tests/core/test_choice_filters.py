"""Choice filters offer the values the inventory holds (fleetui.core.choices, InventoryChoiceFilter): from the list's
live rows, account by name, a value no longer present still selected, an unknown one refused naming the valid ones,
and a fixed number of queries however many rows there are."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fleetui.core.choices import present_choices
from fleetui.ec2.models import Instance
from fleetui.inventory.models import Account
from fleetui.inventory.sync import sync_scope
from tests.factories import AccountFactory, InstanceFactory, InstanceTypeFactory
from tests.inventory.sync.fleet import DEFAULT_ID, launch

INSTANCES = reverse("ec2:instance_list")
API = "/api/v1/ec2/instances/"


def offered(html: str, name: str) -> dict[str, bool]:
    """{value: checked} of the filter bar's checkbox menu `name`."""
    boxes = re.findall(rf'<input type="checkbox" name="{name}" value="([^"]+)"( checked)?>', html)
    return {value: bool(checked) for value, checked in boxes}


def suggested(html: str, name: str) -> list[str]:
    """The values of the search box `name`'s datalist."""
    datalist = re.search(rf'<datalist id="id_{name}-values">(.*?)</datalist>', html, re.S)
    assert datalist, f"no datalist for {name}"
    return re.findall(r'<option value="([^"]+)"', datalist.group(1))


@pytest.fixture
def fleet(db):
    prod = AccountFactory(account_id="111111111111", name="prod")
    dev = AccountFactory(account_id="222222222222", name="dev")
    c5 = InstanceTypeFactory(name="c5.xlarge")
    InstanceFactory(account=prod, name="web-1")
    InstanceFactory(account=prod, name="batch-1", region="eu-west-1", instance_type=c5, state="stopped")
    InstanceFactory(account=dev, name="old-1", region="ap-south-1", state="terminated", gone_at=timezone.now())
    return {"prod": prod, "dev": dev}


def test_a_new_value_is_offered_after_a_sync_and_a_gone_rows_value_is_not(aws, ec2, viewer_client):
    account = Account.objects.create(account_id=DEFAULT_ID, name="default")
    launch(ec2, 1, instance_type="t3.micro")
    sync_scope(account=account, region="us-east-1", resource_type="instances")
    html = viewer_client.get(INSTANCES).content.decode()
    assert suggested(html, "instance_type") == ["t3.micro"]
    assert offered(html, "state") == {"running": False}

    launch(ec2, 1, instance_type="m5.large")
    sync_scope(account=account, region="us-east-1", resource_type="instances")
    assert suggested(viewer_client.get(INSTANCES).content.decode(), "instance_type") == ["m5.large", "t3.micro"]

    Instance.objects.filter(instance_type="t3.micro").update(gone_at=timezone.now())  # what the sweep does
    assert suggested(viewer_client.get(INSTANCES).content.decode(), "instance_type") == ["m5.large"]


def test_each_choice_filter_offers_the_live_rows_values(viewer_client, fleet):
    html = viewer_client.get(INSTANCES).content.decode()
    assert offered(html, "region") == {"eu-west-1": False, "us-east-1": False}  # not ap-south-1: only a gone row
    assert offered(html, "state") == {"running": False, "stopped": False}
    assert offered(html, "category") == {"compute_optimized": False, "general_purpose": False}
    assert ">Compute optimized</span>" in html  # the category's label, its value in the URL
    assert suggested(html, "instance_type") == ["c5.xlarge", "m5.large"]


def test_account_is_offered_by_name_and_filters_by_id(viewer_client, fleet):
    html = viewer_client.get(INSTANCES).content.decode()
    assert offered(html, "account") == {"111111111111": False}  # dev has only a gone row
    assert '<input type="checkbox" name="account" value="111111111111"> <span>prod</span>' in html
    page = viewer_client.get(f"{INSTANCES}?account=111111111111")
    assert {row.record.name for row in page.context["table"].page.object_list} == {"web-1", "batch-1"}
    assert offered(page.content.decode(), "account") == {"111111111111": True}
    assert '<summary id="id_account" class="choice-summary"><span>prod</span>' in page.content.decode()


def test_a_value_no_longer_present_still_shows_selected(viewer_client, fleet):
    # ap-south-1 only has a gone row, and no instance is pending: both bookmarks still work, and show what they select.
    response = viewer_client.get(f"{INSTANCES}?region=ap-south-1&state=pending")
    assert response.status_code == 200 and response.context["table"].paginator.count == 0
    html = response.content.decode()
    assert offered(html, "region")["ap-south-1"] is True and offered(html, "state")["pending"] is True
    assert "none now" in html


def test_checked_boxes_and_a_comma_separated_url_filter_alike(viewer_client, fleet):
    repeated = viewer_client.get(f"{INSTANCES}?state=running&state=stopped&export=csv")
    joined = viewer_client.get(f"{INSTANCES}?state=running,stopped&export=csv")
    body = b"".join(repeated.streaming_content)
    assert body == b"".join(joined.streaming_content) and body.count(b"\n") == 3
    api = viewer_client.get(f"{API}?region=eu-west-1,us-east-1&state=stopped").json()
    assert [row["name"] for row in api["results"]] == ["batch-1"]


@pytest.mark.parametrize(
    ("query", "label", "message"),
    [
        ("region=zz-fake-9", "Region", "Not a valid choice: zz-fake-9. Valid: eu-west-1, us-east-1."),
        ("account=999999999999", "Account", "Not a valid choice: 999999999999. Valid: prod (111111111111)."),
        ("state=sleeping", "State", "Not a valid choice: sleeping. Valid: pending, running, shutting-down,"),
        ("lifecycle=sometimes", "Purchase option", "Not a valid choice: sometimes. Valid: on-demand, spot, scheduled."),
    ],
)
def test_an_unknown_value_is_refused_naming_the_field_and_the_valid_values(viewer_client, fleet, query, label, message):
    page = viewer_client.get(f"{INSTANCES}?{query}")
    assert page.status_code == 400 and page.context["table"].paginator.count == 0
    html = page.content.decode()
    name = query.split("=")[0]
    assert f"<li><strong>{label}</strong> (<code>{name}</code>): {message}" in html
    assert 'class="field has-error"' in html  # the field keeps the value and is marked
    api = viewer_client.get(f"{API}?{query}")
    assert api.status_code == 400 and api.json()[name][0].startswith(message)


def test_a_past_moment_may_filter_by_a_value_only_the_history_holds(viewer_client, fleet):
    an_hour_ago = (timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert viewer_client.get(f"{INSTANCES}?family=z9").status_code == 400
    assert viewer_client.get(f"{INSTANCES}?family=z9&as_of={an_hour_ago}").status_code == 200


def test_the_choices_cost_one_query_however_many_rows_and_filters(viewer_client, db):
    def page_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert viewer_client.get(INSTANCES).status_code == 200
        choices = [q["sql"] for q in ctx.captured_queries if "seen(v)" in q["sql"] or "SELECT DISTINCT" in q["sql"]]
        assert len(choices) == 1  # one query for all of them:
        for column in ("account_id", "region", "availability_zone", "state", "instance_type", "family", "category"):
            assert f'MIN("{column}")' in choices[0]
        return len(ctx.captured_queries)

    account = AccountFactory()
    InstanceFactory(account=account)
    few = page_queries()
    types = [InstanceTypeFactory(name=f"m{n}.large") for n in range(5, 9)]
    for n in range(40):
        InstanceFactory(account=account, region=f"eu-west-{n % 3 + 1}", instance_type=types[n % 4], state="stopped")
    assert page_queries() == few


@pytest.mark.django_db
def test_a_column_without_an_index_is_read_with_a_plain_distinct(fleet):
    # `platform` has no index: one SELECT DISTINCT, not a loose index scan (a scan per value).
    InstanceFactory(account=fleet["prod"], platform="windows")
    with CaptureQueriesContext(connection) as ctx:
        values = present_choices(Instance, "platform", labels={})
    assert values == [("Linux/UNIX", "Linux/UNIX"), ("windows", "windows")]
    assert '(SELECT DISTINCT "platform" AS v' in ctx.captured_queries[0]["sql"]
    with CaptureQueriesContext(connection) as ctx:
        values = present_choices(Instance, "state", labels={})
    assert values == [("running", "running"), ("stopped", "stopped")]
    assert "(WITH RECURSIVE" in ctx.captured_queries[0]["sql"]
