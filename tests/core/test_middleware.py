"""A person waits on a web request: AWS calls made while answering one use the quick profile; an action that runs
inline in the request goes back to the standard one."""

from django.http import HttpResponse
from django.test import RequestFactory

from fleetui.aws import client_get
from fleetui.core.middleware import QuickAwsCallsMiddleware


def read_timeout() -> float:
    return client_get("ec2", region="us-east-1").meta.config.read_timeout


def test_aws_calls_inside_a_request_use_the_quick_profile(aws):
    seen = []

    def view(request):
        seen.append(read_timeout())
        return HttpResponse()

    QuickAwsCallsMiddleware(view)(RequestFactory().get("/"))
    assert seen == [10] and read_timeout() == 120  # the profile ends with the request


def test_the_middleware_is_installed():
    from django.conf import settings

    assert "fleetui.core.middleware.QuickAwsCallsMiddleware" in settings.MIDDLEWARE
