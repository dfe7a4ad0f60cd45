"""A 403 is logged as one line: the refusal, without PermissionDenied's traceback. Other errors keep theirs."""

import logging
import sys

import pytest
from django.urls import reverse

from fleetui.core.logs import OneLineRefusals


@pytest.mark.django_db
def test_a_refusal_is_one_line_in_the_log(viewer_client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        refused = viewer_client.post(reverse("actions:new", args=["ec2.stop"]), {"targets": "i-0123456789abcdef0"})
    assert refused.status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage().startswith("Forbidden (Permission denied): /actions/")
    assert record.exc_info is None and "Traceback" not in caplog.text


def test_other_request_errors_keep_their_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error", (), None)
        record.status_code = 500
        record.exc_info = sys.exc_info()
    assert OneLineRefusals().filter(record) and record.exc_info is not None
