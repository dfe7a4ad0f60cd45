"""Beanstalk pages: three lists (the EC2 lists' ResourceListView: filters, sort, pages, htmx fragment, CSV) and the
application and environment pages. Every page needs the viewer role (RoleRequiredMiddleware's default); the
buttons the pages place (fleetui.beanstalk.templatetags.beanstalk_actions) decide by the user's role themselves.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fleetui.core import fields
from fleetui.core.views import ResourceListView

from . import selectors, tables
from . import serializers as s
from .models import BeanstalkApplication, Environment
from .swaps import dns_grace


class BeanstalkListView(ResourceListView):
    # The EC2 lists' page with the Beanstalk tabs (Applications, Environments, Versions) above it.
    template_name = "beanstalk/resource_list.html"


class ApplicationListView(BeanstalkListView):
    title = "Beanstalk applications"
    intro = "Click an application for its environments side by side, which one holds the production URL, and swaps."
    selector = staticmethod(selectors.application_list)
    table_class = tables.ApplicationTable
    csv_columns = fields.csv_columns(s.APPLICATION_FIELDS)
    csv_filename = "beanstalk-applications.csv"


class EnvironmentListView(BeanstalkListView):
    title = "Beanstalk environments"
    intro = "Web environments have a URL (CNAME) and can swap it; worker environments read a queue and have none."
    selector = staticmethod(selectors.environment_list)
    table_class = tables.EnvironmentTable
    csv_columns = fields.csv_columns(s.ENVIRONMENT_FIELDS)
    csv_filename = "beanstalk-environments.csv"


class VersionListView(BeanstalkListView):
    title = "Beanstalk versions"
    intro = "Application versions: the code bundles environments are deployed from."
    selector = staticmethod(selectors.version_list)
    table_class = tables.VersionTable
    csv_columns = fields.csv_columns(s.VERSION_FIELDS)
    csv_filename = "beanstalk-versions.csv"


def application_detail(request: HttpRequest, account_id: str, region: str, application: str) -> HttpResponse:
    """The application: production URL, web environments side by side, workers, versions, swaps, events."""
    try:
        detail = selectors.application_detail(account_id=account_id, region=region, application=application)
    except BeanstalkApplication.DoesNotExist:
        raise Http404("No such Beanstalk application in the inventory.") from None
    context = {"detail": detail, "app": detail.application, "grace_minutes": _grace_minutes()}
    return render(request, "beanstalk/application_detail.html", context)


def environment_detail(request: HttpRequest, account_id: str, region: str, environment_id: str) -> HttpResponse:
    """The environment: every field, standby state, resources (instances linked to the EC2 inventory), events."""
    try:
        detail = selectors.environment_detail(account_id=account_id, region=region, environment_id=environment_id)
    except Environment.DoesNotExist:
        raise Http404("No such Beanstalk environment in the inventory.") from None
    context = {"detail": detail, "env": detail.environment, "grace_minutes": _grace_minutes()}
    return render(request, "beanstalk/environment_detail.html", context)


def _grace_minutes() -> int:
    return int(dns_grace().total_seconds() // 60)
