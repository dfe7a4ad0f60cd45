"""The deferred join returns exactly what plain slicing returns, in the same order."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fleetui.core.querysets import deferred_join
from fleetui.ec2.models import Instance
from tests.factories import InstanceFactory


def test_slices_match_plain_slicing_in_order(db):
    InstanceFactory.create_batch(40)
    plain = Instance.objects.select_related("account", "instance_type").filter(state="running").order_by("-name")
    deferred = deferred_join(plain)
    for window in (slice(0, 10), slice(25, 40), slice(35, 60)):
        expected = list(plain[window])
        with CaptureQueriesContext(connection) as ctx:
            got = deferred[window]
            names = [(i.name, i.account.account_id, i.instance_type.name) for i in got]  # joined, no extra queries
        assert [i.pk for i in got] == [i.pk for i in expected]
        assert names == [(i.name, i.account.account_id, i.instance_type.name) for i in expected]
        assert len(ctx.captured_queries) == 2
    assert deferred.count() == 40 and isinstance(deferred.filter(name="x"), type(deferred))


def test_values_and_single_items_slice_as_usual(db):
    InstanceFactory.create_batch(3)
    deferred = deferred_join(Instance.objects.order_by("pk"))
    assert list(deferred.values_list("pk", flat=True)[:2]) == list(
        Instance.objects.order_by("pk").values_list("pk", flat=True)[:2]
    )
    assert deferred[1] == Instance.objects.order_by("pk")[1]
