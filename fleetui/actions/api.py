"""/api/v1/actions/: request actions (operators and admins) and read the audit log (every role).

The POST goes through the same service as the page form, so it refuses exactly what the form refuses:
400 with the field errors, 403 for a role too low for the kind, 409 when a target is busy.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action as drf_action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from fleetui.core.api import ApiPagination, FilterBackend
from fleetui.core.roles import IsOperator, IsViewer

from . import selectors
from .models import Action
from .registry import ActionInvalid
from .serializers import ActionListSerializer, ActionRequestSerializer, ActionSerializer
from .services import action_cancel, action_request, action_scope, operation_allowed


class ActionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    filter_backends = [FilterBackend]
    filterset_class = selectors.action_list.filterset
    pagination_class = ApiPagination
    queryset = Action.objects.select_related("account", "requested_by").prefetch_related("log")
    # The 409s this API answers, by view action: the OpenAPI schema documents them (fleetui.core.openapi).
    conflict_responses = {
        "create": "A target is busy: another unfinished action holds it. `detail` names that action.",
        "cancel": "The action already finished: there is nothing to cancel.",
    }

    def get_permissions(self) -> list[Any]:
        return [IsOperator()] if self.action in ("create", "cancel") else [IsViewer()]

    def get_serializer_class(self) -> Any:
        if self.action == "create":
            return ActionRequestSerializer
        return ActionListSerializer if self.action == "list" else ActionSerializer

    def get_queryset(self) -> Any:
        if self.action == "list":
            return selectors.action_list.rows()  # the Activity page's rows
        return self.queryset

    @extend_schema(
        request=ActionRequestSerializer,
        responses={201: ActionSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", location=OpenApiParameter.HEADER, required=False)],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = ActionRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            operation_allowed(user=request.user, kind=data["kind"])
            account, region = action_scope(
                kind=data["kind"],
                targets=data["targets"],
                account_id=data.get("account", ""),
                region=data.get("region", ""),
            )
            action = action_request(
                user=request.user,
                kind=data["kind"],
                account=account,
                region=region,
                targets=data["targets"],
                params=data["params"],
                reason=data["reason"],
                confirm=data["confirm"],
                idempotency_key=request.headers.get("Idempotency-Key", ""),
            )
        except PermissionDenied as denied:
            raise ApiPermissionDenied(str(denied)) from None
        except ActionInvalid as refused:
            if refused.busy:
                return Response({"detail": str(refused), **refused.errors}, status=status.HTTP_409_CONFLICT)
            raise ValidationError(refused.errors) from None
        body = ActionSerializer(action, context={"request": request}).data
        secret = getattr(action, "secret", None)
        if secret:
            body["secret"] = secret  # in this response only; never stored
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ActionSerializer})
    @drf_action(detail=True, methods=["post"])
    def cancel(self, request: Request, **kwargs: Any) -> Response:
        """Cancel a pending action, or stop a running one after its current step."""
        action = self.get_object()
        try:
            action = action_cancel(action=action, user=request.user)
        except PermissionDenied as denied:
            raise ApiPermissionDenied(str(denied)) from None
        except ActionInvalid as refused:
            return Response({"detail": str(refused)}, status=status.HTTP_409_CONFLICT)
        return Response(ActionSerializer(action, context={"request": request}).data)


ROUTES = [("actions", ActionViewSet, "action")]
