"""Accounts: everyone with a role reads the list; only admins add, edit, disable and enable."""

import pytest
from django.urls import reverse

from fleetui.inventory.models import Account
from tests.factories import AccountFactory, SyncRunFactory

ACCOUNTS = reverse("inventory:account_list")
ADD = reverse("inventory:account_create")
GOOD = {"account_id": "210987654321", "name": "staging", "role_arn": "arn:aws:iam::210987654321:role/fleetui-read"}


@pytest.fixture
def ambient(db):
    return AccountFactory(account_id="123456789012", name="prod")


def test_viewers_see_accounts_and_their_sync_status_without_admin_buttons(viewer_client, ambient):
    SyncRunFactory(account=ambient, region="eu-west-1", resource_type="instances", status="failed", error="AuthFailure")
    SyncRunFactory(account=ambient, region="eu-west-1", resource_type="volumes")
    response = viewer_client.get(ACCOUNTS)
    html = response.content.decode()
    assert response.status_code == 200
    assert "prod" in html and "ambient credentials" in html
    assert "eu-west-1" in html and ">failed</a>" in html and ">succeeded</a>" in html
    assert 'title="AuthFailure"' in html
    assert ADD not in html and "Disable</button>" not in html


def test_admins_see_the_buttons(admin_client_, ambient):
    html = admin_client_.get(ACCOUNTS).content.decode()
    assert ADD in html and reverse("inventory:account_update", args=[ambient.pk]) in html
    assert "Disable</button>" in html


def test_the_grid_shows_only_the_latest_run_of_a_scope(viewer_client, ambient):
    import datetime as dt

    from django.utils import timezone

    old = timezone.now() - dt.timedelta(hours=2)
    SyncRunFactory(account=ambient, status="failed", error="old failure", started_at=old, finished_at=old)
    SyncRunFactory(account=ambient, status="succeeded")
    html = viewer_client.get(ACCOUNTS).content.decode()
    assert ">succeeded</a>" in html and "old failure" not in html


@pytest.mark.parametrize(
    ("method", "name", "args"),
    [
        ("get", "account_create", []),
        ("post", "account_create", []),
        ("get", "account_update", ["pk"]),
        ("post", "account_update", ["pk"]),
        ("post", "account_disable", ["pk"]),
        ("get", "account_disable", ["pk"]),
        ("post", "account_enable", ["pk"]),
    ],
)
@pytest.mark.parametrize("who", ["viewer", "operator"])
def test_non_admins_are_forbidden(client, request, ambient, method, name, args, who):
    client.force_login(request.getfixturevalue(who))
    url = reverse(f"inventory:{name}", args=[ambient.pk for _ in args])
    response = getattr(client, method)(url, GOOD)
    assert response.status_code == 403
    assert "no role that allows this" in response.content.decode()  # the 403 page explains
    ambient.refresh_from_db()
    assert ambient.enabled and Account.objects.count() == 1


def test_an_admin_adds_an_account(admin_client_, ambient):
    assert admin_client_.get(ADD).status_code == 200
    response = admin_client_.post(ADD, {**GOOD, "external_id": "fleetui-ext-1", "enabled": "on"})
    assert response.status_code == 302
    account = Account.objects.get(account_id="210987654321")
    assert account.role_arn == GOOD["role_arn"] and account.external_id == "fleetui-ext-1" and account.enabled


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"role_arn": "arn:aws:iam::210987654321:user/bob"}, "role_arn", "A role ARN looks like"),
        ({"role_arn": "arn:aws:iam::999999999999:role/x"}, "role_arn", "The role must be in account 210987654321"),
        ({"account_id": "12345"}, "account_id", "12 digits"),
        ({"external_id": "bad id with spaces"}, "external_id", "ExternalId is 2 to 1224"),
        ({"role_arn": "", "external_id": "abc"}, "external_id", "needs a role ARN"),
        ({"role_arn": ""}, "role_arn", "already uses the ambient credentials"),
    ],
)
def test_account_validation(admin_client_, ambient, data, field, message):
    response = admin_client_.post(ADD, {**GOOD, **data})
    assert response.status_code == 400
    assert message in response.context["form"].errors[field][0]
    assert message.split(" ")[0] in response.content.decode()
    assert Account.objects.count() == 1


def test_an_admin_edits_disables_and_enables(admin_client_, ambient):
    url = reverse("inventory:account_update", args=[ambient.pk])
    assert admin_client_.get(url).status_code == 200
    assert (
        admin_client_.post(url, {"account_id": "123456789012", "name": "production", "enabled": "on"}).status_code
        == 302
    )
    ambient.refresh_from_db()
    assert ambient.name == "production"
    assert admin_client_.post(reverse("inventory:account_disable", args=[ambient.pk])).status_code == 302
    ambient.refresh_from_db()
    assert not ambient.enabled
    assert admin_client_.post(reverse("inventory:account_enable", args=[ambient.pk])).status_code == 302
    ambient.refresh_from_db()
    assert ambient.enabled


def test_disable_needs_post(admin_client_, ambient):
    assert admin_client_.get(reverse("inventory:account_disable", args=[ambient.pk])).status_code == 405


def test_django_admin_registers_accounts_with_validation_and_read_only_inventory(admin_client_, ambient):
    add = admin_client_.post(
        "/admin/inventory/account/add/", {**GOOD, "role_arn": "arn:aws:iam::999999999999:role/x", "enabled": "on"}
    )
    assert add.status_code == 200 and "The role must be in account" in add.content.decode()
    assert admin_client_.get("/admin/ec2/instance/").status_code == 200
    assert admin_client_.get("/admin/inventory/syncrun/").status_code == 200
    assert admin_client_.get("/admin/ec2/instance/add/").status_code == 403
