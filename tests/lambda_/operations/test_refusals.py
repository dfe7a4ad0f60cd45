"""The Lambda kinds' refusals, in the API and on the page, each with the limit named and no Action row written
(plain rolled-back transactions: nothing runs): memory and timeout outside Lambda's limits, nothing to change, a
reserved concurrency above what the account leaves (GetAccountSettings), a function the inventory does not hold,
and a viewer (403)."""

import pytest
from django.utils.html import escape

from fleetui.actions.models import Action

from ..conftest import sync_all
from .conftest import api_request, page_request

pytestmark = pytest.mark.django_db

BAD_CONFIG = [
    ({"memory_mb": 10241}, "memory_mb", "Memory (MB) is too high: Lambda allows 128 to 10,240 MB of memory."),
    ({"memory_mb": 64}, "memory_mb", "Memory (MB) is too low: Lambda allows 128 to 10,240 MB of memory."),
    ({"timeout_s": 901}, "timeout_s", "Timeout (s) is too high: Lambda allows a timeout of 1 to 900 seconds"),
    ({"timeout_s": 0}, "timeout_s", "Timeout (s) is too low: Lambda allows a timeout of 1 to 900 seconds"),
    ({"memory_mb": "lots"}, "memory_mb", "Memory (MB) is a whole number of MB."),
    ({}, "__all__", "Say what to change: the memory, the timeout, or both."),
]


@pytest.fixture
def synced(demo, account):
    sync_all(account, types=("lambda_functions",))
    return demo


def test_values_outside_lambdas_limits_are_refused_with_the_limit(operator_client, account, synced):
    for params, field, message in BAD_CONFIG:
        answer = api_request(operator_client, "config", "orders-api", **params)
        assert answer.status_code == 400, (params, answer.content)
        errors = answer.json().get(field) or answer.json().get("non_field_errors") or answer.json().get("params")
        assert any(message in m for m in errors), (params, answer.json())
        page = page_request(operator_client, account, "config", "orders-api", **params)
        assert page.status_code == 400 and escape(message) in page.content.decode(), params
    assert not Action.objects.exists()


def test_a_reservation_above_what_the_account_leaves_is_refused(operator_client, account, synced):
    # 1,000 per account; queue-worker reserves 20 and inventory-sync 5; Lambda keeps 100 unreserved: 875 at most.
    answer = api_request(operator_client, "concurrency", "orders-api", reserved=876)
    assert answer.status_code == 400, answer.content
    assert answer.json()["reserved"] == [
        "876 is above 875, the most orders-api can reserve: the account's concurrency limit in us-east-1 is 1,000, "
        "975 of it unreserved now, and Lambda keeps 100 unreserved."
    ]
    # queue-worker's own 20 count toward its ceiling.
    assert (
        "above 895" in api_request(operator_client, "concurrency", "queue-worker", reserved=900).json()["reserved"][0]
    )
    for params, message in [
        ({"reserved": -1}, "Reserved concurrency cannot be negative"),
        ({}, "Give a reserved concurrency (0 or more), or tick Remove the reservation."),
        ({"reserved": 5, "remove": True}, "Either set a reserved concurrency or remove it, not both."),
    ]:
        page = page_request(operator_client, account, "concurrency", "orders-api", **params)
        assert page.status_code == 400 and escape(message) in page.content.decode(), params
    assert api_request(operator_client, "concurrency", "checkout-v1", reserved=1).status_code == 400
    assert not Action.objects.exists()


def test_a_viewer_may_not_change_a_function(viewer_client, account, synced):
    assert api_request(viewer_client, "config", "orders-api", memory_mb=1024).status_code == 403
    assert page_request(viewer_client, account, "config", "orders-api", memory_mb=1024).status_code == 403
    assert api_request(viewer_client, "concurrency", "orders-api", remove=True).status_code == 403
    assert not Action.objects.exists()
