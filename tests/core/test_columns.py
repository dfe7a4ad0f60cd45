"""A list's columns (fleetui.core.columns): the table's defaults, the user's remembered choice and Reset, ?columns= in
the URL (unknown names ignored with a message), account and region kept while the rows span several, the phone's
key columns as a CSS class, and a CSV that keeps every column."""

import csv
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from fleetui.core.columns import SESSION_KEY
from fleetui.core.models import ListColumns
from fleetui.core.tables import BaseTable
from tests.browser.every_list import list_pages
from tests.factories import AccountFactory, InstanceFactory

INSTANCES = reverse("ec2:instance_list")
LIST = "ec2:instance_list"
pytestmark = pytest.mark.django_db


def headers(answer) -> list[str]:
    """The list table's header cells as a person reads them (the checkbox's is empty)."""
    head = answer.content.decode().split("<thead>", 1)[1].split("</thead>", 1)[0]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]


def body(answer) -> str:
    return answer.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def header_classes(answer) -> dict[str, str]:
    head = answer.content.decode().split("<thead>", 1)[1].split("</thead>", 1)[0]
    cells = re.findall(r'<th class="([^"]*)"[^>]*>(.*?)</th>', head, re.S)
    return {re.sub(r"<[^>]+>", "", text).strip(): classes for classes, text in cells}


@pytest.fixture
def one_scope(db):
    account = AccountFactory(account_id="111111111111", name="prod")
    for i in range(3):
        InstanceFactory(account=account, region="us-east-1", name=f"web-{i}", tenancy="dedicated")


def test_every_list_declares_columns_it_has():
    for path, view in list_pages():
        table = view.table_class
        names = set(table.base_columns)
        for declared in ("default_columns", "key_columns", "wrap_columns"):
            assert set(getattr(table, declared)) <= names, (path, declared)
        assert table.key_columns, f"{path}: which columns does a phone keep?"
        assert issubclass(table, BaseTable)


def test_defaults_hide_the_optional_columns_and_mark_the_phones(viewer_client, one_scope):
    answer = viewer_client.get(INSTANCES)
    shown = headers(answer)
    assert shown[:4] == ["Instance", "Name", "State", "Type"] and shown[-2:] == ["Account", "Region"]
    assert "Tenancy" not in shown and "Public IP" not in shown and "dedicated" not in body(answer)
    classes = header_classes(answer)
    assert "col-more" not in classes["Name"] and "col-more" not in classes["State"]
    assert "col-more" in classes["Type"] and "col-more" in classes["Region"]
    assert answer.context["columns"].source == "defaults"
    assert 'name="columns" value="tenancy">' in answer.content.decode()  # offered in the chooser, unchecked


def test_a_choice_is_remembered_reset_and_yours_alone(viewer_client, admin_client_, viewer, one_scope):
    back = f"{INSTANCES}?state=running&columns=name"
    answer = viewer_client.post(
        reverse("core:columns"), {"list": LIST, "columns": ["name", "tenancy", "state"], "next": back}
    )
    assert answer.status_code == 302 and answer["Location"] == f"{INSTANCES}?state=running"
    assert ListColumns.objects.get(user=viewer, list_name=LIST).columns == ["name", "state", "tenancy"]
    page = viewer_client.get(INSTANCES)
    assert headers(page) == ["Name", "State", "Tenancy"] and page.context["columns"].source == "yours"
    assert "dedicated" in body(page)
    # "Save view…" keeps the columns chosen in the menu, so the view shows them to whoever opens it.
    assert page.context["saved_query"] == "columns=name,state,tenancy"

    # A fresh sign-in reads it from the database; another user keeps the defaults.
    again = Client()
    again.force_login(viewer)
    assert again.session[SESSION_KEY] == {LIST: ["name", "state", "tenancy"]}
    assert headers(again.get(INSTANCES)) == ["Name", "State", "Tenancy"]
    assert "Tenancy" not in headers(admin_client_.get(INSTANCES))

    # The CSV keeps every column whatever the list shows.
    export = b"".join(viewer_client.get(f"{INSTANCES}?export=csv").streaming_content).decode()
    header = next(csv.reader(io.StringIO(export)))
    assert {"instance_id", "launch_time", "public_ip", "private_ip", "account_id", "region"} <= set(header)

    answer = viewer_client.post(reverse("core:columns"), {"list": LIST, "reset": "1", "next": INSTANCES})
    assert answer.status_code == 302 and not ListColumns.objects.filter(user=viewer).exists()
    assert headers(viewer_client.get(INSTANCES))[:2] == ["Instance", "Name"]


def test_nothing_checked_or_no_such_list_is_refused_and_records_nothing(viewer_client, viewer, one_scope):
    answer = viewer_client.post(reverse("core:columns"), {"list": LIST, "next": INSTANCES}, follow=True)
    assert "Columns: check at least one column to show. Nothing was saved." in answer.content.decode()
    for not_a_list in ("core:preferences", "no:such", ""):
        answer = viewer_client.post(reverse("core:columns"), {"list": not_a_list, "columns": ["name"]})
        assert answer.status_code == 400, not_a_list
    assert viewer_client.get(reverse("core:columns")).status_code == 405
    assert not ListColumns.objects.filter(user=viewer).exists()


def test_the_url_chooses_for_one_request_and_names_what_it_ignored(viewer_client, one_scope):
    viewer_client.post(reverse("core:columns"), {"list": LIST, "columns": ["name", "tenancy"]})
    answer = viewer_client.get(f"{INSTANCES}?columns=state,bogus,name,select")
    assert headers(answer) == ["Name", "State"] and answer.context["columns"].source == "url"
    assert 'data-columns="name,state" data-source="url"' in answer.content.decode()
    note = answer.content.decode().split('id="columns-invalid"', 1)[1].split("</div>", 1)[0]
    assert "<code>bogus</code>" in note and "<code>launch_time</code>" in note and "<code>select</code>" not in note
    # The filter form carries it, so a filter change keeps the URL's columns.
    assert '<input type="hidden" name="columns" value="state,bogus,name,select">' in answer.content.decode()
    # Nothing valid: the user's own choice.
    assert headers(viewer_client.get(f"{INSTANCES}?columns=bogus")) == ["Name", "Tenancy"]
    # The htmx fragment carries the chooser too.
    fragment = viewer_client.get(f"{INSTANCES}?columns=name", headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode() and 'id="columns-menu"' in fragment.content.decode()


def test_account_and_region_show_while_the_rows_span_several(viewer_client, viewer, one_scope):
    url = f"{INSTANCES}?columns=name,state"
    assert headers(viewer_client.get(url)) == ["Name", "State"]
    InstanceFactory(account=AccountFactory(account_id="222222222222"), region="eu-west-1", name="web-9")
    answer = viewer_client.get(url)
    assert headers(answer) == ["Name", "State", "Account", "Region"]
    assert answer.context["columns"].forced == ["account", "region"]
    assert "Account and Region shown although not chosen" in answer.content.decode()
    assert headers(viewer_client.get(f"{url}&region=eu-west-1")) == ["Name", "State"]


def test_the_account_column_names_the_account_and_the_csv_keeps_its_id(viewer_client, one_scope):
    InstanceFactory(account=AccountFactory(account_id="222222222222", name="payments-prod"), name="web-9")
    unnamed = InstanceFactory(account=AccountFactory(account_id="333333333333", name=""), name="web-8")
    rows = body(viewer_client.get(f"{INSTANCES}?columns=name,account"))
    assert '<span title="222222222222">payments-prod</span>' in rows
    assert f'<span title="{unnamed.account.account_id}">333333333333</span>' in rows
    exported = viewer_client.get(f"{INSTANCES}?export=csv")
    accounts = {row["account_id"] for row in csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode()))}
    assert {"222222222222", "333333333333"} <= accounts
