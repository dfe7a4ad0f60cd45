"""The pure parts of the ECS actions: ARNs to names, the progress while the running count moves, the time-out knob."""

import pytest

from fleetui.aws.ecs_services import arn_parts
from fleetui.ecs.operations.common import DEFAULT_SCALE_TIMEOUT, scale_timeout
from fleetui.ecs.operations.scale import approach


def test_arn_parts_of_new_and_old_format_arns():
    assert arn_parts("arn:aws:ecs:us-east-1:123456789012:service/prod/web") == ("prod", "web")
    assert arn_parts("arn:aws:ecs:us-east-1:123456789012:task/prod/0f9e8d7c") == ("prod", "0f9e8d7c")
    assert arn_parts("arn:aws:ecs:us-east-1:123456789012:service/web") == ("default", "web")  # the old format


@pytest.mark.parametrize(
    ("start", "running", "want", "progress"),
    [(1, 1, 4, 20), (1, 2, 4, 45), (1, 4, 4, 95), (4, 3, 0, 38), (4, 0, 0, 95), (2, 2, 2, 95), (2, 1, 2, 20),
     (1, 0, 4, 20), (1, 6, 4, 95)],
)  # fmt: skip
def test_the_progress_follows_the_running_count_both_ways(start, running, want, progress):
    assert approach(start, running, want) == progress


def test_the_scale_timeout_comes_from_the_settings_then_the_environment(settings, monkeypatch):
    monkeypatch.delenv("FLEETUI_ECS_SCALE_TIMEOUT", raising=False)
    assert scale_timeout() == DEFAULT_SCALE_TIMEOUT
    monkeypatch.setenv("FLEETUI_ECS_SCALE_TIMEOUT", "42")
    assert scale_timeout() == 42
    settings.FLEETUI_ECS_SCALE_TIMEOUT = 7
    assert scale_timeout() == 7
