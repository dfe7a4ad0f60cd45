"""The base of every service's read-only REST API (/api/v1/).

Authentication: a token (`Authorization: Token <key>`, see `manage.py api_token`) or the browser
session. Permission: any role (viewer and up); a user without a role gets 403, anonymous 401.
An invalid filter value is a 400 whose body names the field (django-filter's DRF backend raises
ValidationError from the FilterSet's form errors), never a 500.

A service app's `api.py` declares `ROUTES = [(prefix, viewset, basename), ...]` and, optionally, `PATHS`
(extra url patterns); fleetui/api_urls.py collects them.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found
from django_filters import FilterSet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response

from .asof import AsOfInvalid, as_of_from, rows_as_of
from .filters import FilterBackend
from .selectors import Selector


class ApiPagination(LimitOffsetPagination):
    """`?limit=&offset=`; the default page is settings.REST_FRAMEWORK["PAGE_SIZE"], and no page exceeds 1000 rows."""

    max_limit = 1000


AS_OF_PARAMETER = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATETIME,
    description=(
        "List the rows as they were at this time: ISO 8601 with `Z` or an offset (UTC if none), such as "
        "2026-11-27T14:00:00Z, or a date (its midnight UTC); within FLEETUI_HISTORY_DAYS and not in the future."
    ),
)


class InventoryViewSet(viewsets.ReadOnlyModelViewSet):
    """GET only: list and retrieve. POST, PUT, PATCH and DELETE answer 405."""

    # Token first, so an anonymous request gets 401 with `WWW-Authenticate: Token` rather than a bare 403.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    filter_backends = [FilterBackend, OrderingFilter]
    pagination_class = ApiPagination
    lookup_value_regex = r"\d+"
    # The list's selector, the page's own: its rows (joined as the serializer reads them) and its FilterSet.
    selector: Selector

    @property
    def filterset_class(self) -> type[FilterSet]:
        return self.selector.filterset

    def get_queryset(self) -> QuerySet:
        return self.selector.rows()

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        """The FilterSet's filters, then `?as_of=` (on the list only): the rows as they were then."""
        queryset = super().filter_queryset(queryset)
        if self.action != "list":
            return queryset
        try:
            moment = as_of_from(self.request.query_params)
            return rows_as_of(queryset, moment) if moment else queryset
        except AsOfInvalid as error:
            raise ValidationError({"as_of": [str(error)]}) from None

    @extend_schema(parameters=[AS_OF_PARAMETER])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The site's 404 (settings' `handler404`): under /api/ a JSON body like an unknown object's, `{"detail": ...}`
    (an id of the wrong shape or a mistyped path matches no route, and Django's page for that is HTML); elsewhere
    the site's page."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": f"There is no API path {request.path}."}, status=404)
    return page_not_found(request, exception)
