"""Smoke test of the containers benchmark (h-j) at tiny sizes: it seeds what it says, the raw describes and the sync
read the same fleet, and an unchanged re-sync writes nothing."""

import pytest

from bench.__main__ import parse_args
from bench.services import containers
from fleetui.ecs.models import Service, Task
from fleetui.eks.models import Nodegroup


def test_the_harness_finds_the_containers_measure():
    assert parse_args(["--only", "containers"]).services == ["containers"]
    assert parse_args(["--only", "containers"]).skip_sync is True
    assert "containers" in parse_args([]).services


@pytest.mark.django_db(transaction=True)
def test_containers_measures_run_end_to_end_on_a_tiny_fleet(aws):
    rows, raw = containers.measure(endpoint=aws, region="us-east-1", repeat=1, services=6, tasks=15, nodegroups=3)

    assert [row.measure.split(".")[0] for row in rows] == ["h", "i", "i/h", "j"]
    assert (Service.objects.count(), Task.objects.count(), Nodegroup.objects.count()) == (6, 15, 3)
    assert "'services': 6, 'tasks': 15" in next(line for line in raw if line.startswith("(h)"))
    assert rows[-1].value == "0 (0)" and rows[-1].passed is True
