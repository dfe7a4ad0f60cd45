"""/api/v1/: each app's read-only lists and the actions, the OpenAPI schema and a docs page served without any CDN.

Project-level glue: an app's `api` module declares `ROUTES = [(prefix, viewset, basename)]` and, optionally,
`PATHS` (extra url patterns); they are collected here in INSTALLED_APPS order.
"""

from importlib import import_module

from django.apps import apps
from django.urls import URLPattern, URLResolver, include, path
from django.utils.module_loading import module_has_submodule
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from fleetui.core.api import InventoryViewSet
from fleetui.core.roles import IsViewer

app_name = "api"

router = DefaultRouter()
extra: list[URLPattern | URLResolver] = []
for app in apps.get_app_configs():
    if app.name.startswith("fleetui.") and module_has_submodule(app.module, "api"):
        module = import_module(f"{app.name}.api")
        for prefix, viewset, basename in getattr(module, "ROUTES", []):
            router.register(prefix, viewset, basename=basename)
        extra += getattr(module, "PATHS", [])

# drf-spectacular serves its views to anyone by default; here they need a role, like the rest of the API.
ACCESS = {"authentication_classes": InventoryViewSet.authentication_classes, "permission_classes": [IsViewer]}

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(**ACCESS), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema", **ACCESS), name="docs"),
    *extra,
    path("", include(router.urls)),
]
