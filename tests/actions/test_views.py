"""Action pages: the form, the live progress partial (286 when over), Activity with filters and CSV,
the running indicator, the bulk entry from the instance list, and roles on every POST."""

import pytest
from django.test import Client
from django.urls import reverse

from fleetui.actions.models import Action
from fleetui.actions.registry import OPERATIONS
from fleetui.core.roles import Role

from .conftest import REGION

pytestmark = pytest.mark.django_db(transaction=True)


def post_action(client: Client, kind: str, targets: list[str], **extra) -> object:
    data = {
        "account": "123456789012",
        "region": REGION,
        "targets": " ".join(targets),
        "reason": "because",
        "idempotency_key": extra.pop("key", "k"),
        "submit": "1",
        **extra,
    }
    return client.post(reverse("actions:new", args=[kind]), data)


def test_a_double_submitted_form_creates_one_action(fleet, operator_client):
    ids = fleet(1)
    first = post_action(operator_client, "ec2.stop", ids, key="same-form")
    second = post_action(operator_client, "ec2.stop", ids, key="same-form")
    assert Action.objects.count() == 1
    assert first["Location"] == second["Location"] == reverse("actions:detail", args=[Action.objects.get().pk])


def test_the_form_shows_the_reason_for_a_refusal_and_records_nothing(fleet, operator_client):
    ids = fleet(1)
    response = post_action(operator_client, "ec2.stop", ids, reason="")
    assert response.status_code == 400
    assert "Say why (free text or a ticket id)" in response.content.decode()
    assert not Action.objects.exists()


def test_the_progress_partial_stops_polling_when_the_action_is_over(fleet, operator_client):
    ids = fleet(1)
    post_action(operator_client, "ec2.stop", ids)
    action = Action.objects.get()
    page = operator_client.get(reverse("actions:detail", args=[action.pk]))
    assert page.status_code == 200 and "Step log" in page.content.decode()
    partial = operator_client.get(reverse("actions:detail", args=[action.pk]), headers={"HX-Request": "true"})
    assert partial.status_code == 286  # htmx stops polling
    assert 'id="action-progress">100%' in partial.content.decode() and "<html" not in partial.content.decode()
    assert "Cancel</button>" not in partial.content.decode()  # the polled fragment holds the buttons too

    Action.objects.filter(pk=action.pk).update(status="running", progress=40)
    running = operator_client.get(reverse("actions:detail", args=[action.pk]), headers={"HX-Request": "true"})
    assert running.status_code == 200 and 'hx-trigger="every 1s"' in running.content.decode()
    assert "Cancel</button>" in running.content.decode()


def test_activity_lists_filters_and_exports_every_action(fleet, operator_client, viewer_client):
    ids = fleet(2)
    post_action(operator_client, "ec2.stop", ids[:1], key="a", reason="CHG-7 stop one")
    post_action(operator_client, "ec2.reboot", ids[1:], key="b", reason="hung box")
    page = viewer_client.get(reverse("actions:activity"), {"kind": "ec2.stop"})
    body = page.content.decode()
    assert page.status_code == 200 and "CHG-7 stop one" in body and "hung box" not in body
    assert "hung box" in viewer_client.get(reverse("actions:activity"), {"target": ids[1]}).content.decode()
    csv = b"".join(viewer_client.get(reverse("actions:activity"), {"export": "csv"}).streaming_content).decode()
    lines = csv.strip().splitlines()
    assert lines[0].startswith("id,requested_at,requested_by,kind") and len(lines) == 3
    assert "otto,ec2.reboot" in csv and "CHG-7 stop one" in csv and ",1 rebooted," in csv
    assert viewer_client.get(reverse("actions:activity"), {"status": "bogus", "since": "not a date"}).status_code == 400


def test_the_running_indicator_lists_unfinished_actions(fleet, operator_client, viewer_client):
    ids = fleet(1)
    post_action(operator_client, "ec2.stop", ids)
    assert "running" not in viewer_client.get(reverse("actions:running")).content.decode()
    Action.objects.update(status="running", progress=55)
    body = viewer_client.get(reverse("actions:running")).content.decode()
    assert "1 running" in body and "ec2.stop" in body and "55%" in body


def test_bulk_from_the_instance_list_fills_the_form_with_the_filtered_set(fleet, operator_client):
    ids = fleet(3)
    response = operator_client.post(
        reverse("actions:bulk"), {"kind": "ec2.stop", "scope": "filtered", "query": "state=running&region=us-east-1"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and all(i in body for i in ids) and "<strong>3</strong> instances" in body
    checked = operator_client.post(reverse("actions:bulk"), {"kind": "ec2.stop", "target": ids[:2]})
    assert "<strong>2</strong> instances" in checked.content.decode()


def test_the_bulk_terminate_form_asks_for_the_count(fleet, admin_client_):
    ids = fleet(2)
    form = admin_client_.post(reverse("actions:bulk"), {"kind": "ec2.terminate", "target": ids}).content.decode()
    assert "Type <strong>2</strong> to confirm" in form
    refused = post_action(admin_client_, "ec2.terminate", ids, confirm="1")
    assert refused.status_code == 400 and not Action.objects.exists()
    post_action(admin_client_, "ec2.terminate", ids, confirm="2")
    assert Action.objects.get().status == "succeeded"


@pytest.mark.parametrize("kind", sorted(OPERATIONS))
def test_every_kind_is_refused_to_a_viewer_and_admin_kinds_to_an_operator(kind, fleet, viewer_client, operator_client):
    ids = fleet(1)
    assert post_action(viewer_client, kind, ids).status_code == 403
    assert viewer_client.get(reverse("actions:new", args=[kind])).status_code == 403
    api = viewer_client.post(
        "/api/v1/actions/", {"kind": kind, "targets": ids, "reason": "x"}, content_type="application/json"
    )
    assert api.status_code == 403
    if OPERATIONS[kind].role == Role.ADMIN:
        assert post_action(operator_client, kind, ids).status_code == 403
        api = operator_client.post(
            "/api/v1/actions/", {"kind": kind, "targets": ids, "reason": "x"}, content_type="application/json"
        )
        assert api.status_code == 403 and "needs the admin role" in api.json()["detail"]
    assert not Action.objects.exists()


def test_cancel_and_bulk_are_refused_to_a_viewer(fleet, operator_client, viewer_client):
    ids = fleet(1)
    post_action(operator_client, "ec2.stop", ids)
    action = Action.objects.get()
    assert viewer_client.post(reverse("actions:cancel", args=[action.pk])).status_code == 403
    assert viewer_client.post(f"/api/v1/actions/{action.pk}/cancel/").status_code == 403
    assert viewer_client.post(reverse("actions:bulk"), {"kind": "ec2.stop", "target": ids}).status_code == 403
    assert viewer_client.get(f"/api/v1/actions/{action.pk}/").status_code == 200


def test_a_viewer_sees_no_action_buttons(fleet, viewer_client, operator_client, admin_client_):
    ids = fleet(1)
    url = reverse("ec2:instance_detail", args=["123456789012", REGION, ids[0]])
    assert "/actions/new/" not in viewer_client.get(url).content.decode()
    as_operator = operator_client.get(url).content.decode()
    assert "/actions/new/ec2.stop/" in as_operator and "/actions/new/ec2.terminate/" not in as_operator
    assert "/actions/new/ec2.terminate/" in admin_client_.get(url).content.decode()


def test_the_admin_cannot_change_or_delete_audit_rows(fleet, operator_client, admin_client_):
    ids = fleet(1)
    post_action(operator_client, "ec2.stop", ids)
    action = Action.objects.get()
    change = reverse("admin:actions_action_change", args=[action.pk])
    assert admin_client_.get(change).status_code == 200  # readable
    assert admin_client_.post(change, {"reason": "edited"}).status_code == 403
    assert (
        admin_client_.post(reverse("admin:actions_action_delete", args=[action.pk]), {"post": "yes"}).status_code == 403
    )
    action.refresh_from_db()
    assert action.reason == "because"


def test_the_instance_list_offers_the_bulk_bar_to_operators_only(fleet, viewer_client, operator_client):
    fleet(1)
    url = reverse("ec2:instance_list")
    as_viewer = viewer_client.get(url).content.decode()
    assert 'id="bulk-form"' not in as_viewer and 'form="bulk-form"' not in as_viewer
    as_operator = operator_client.get(url).content.decode()
    assert 'id="bulk-form"' in as_operator and 'form="bulk-form"' in as_operator
    assert '<option value="ec2.stop">' in as_operator and "ec2.terminate" not in as_operator
    # Nothing is preselected: the menu starts at a placeholder the form cannot submit.
    assert '<select name="kind" required><option value="" selected disabled>Choose an action…</option>' in as_operator


def test_destructive_kinds_are_marked_and_an_empty_result_offers_no_bulk_action(fleet, admin_client_):
    fleet(1)
    url = reverse("ec2:instance_list")
    page = admin_client_.get(url).content.decode()
    assert '<option value="ec2.terminate">Terminate instances (destructive)</option>' in page
    assert '<option value="ec2.stop">Stop instances</option>' in page
    empty = admin_client_.get(url, {"state": "shutting-down"}).content.decode()
    assert "<strong>0</strong>" in empty and 'id="bulk-form"' not in empty
