"""The root URLconf: login, admin, the API, and each app's pages under the `url_prefix` its AppConfig declares.

An app with a `urls` module and a `url_prefix` attribute is mounted there ("" for the root), in INSTALLED_APPS
order, so adding a service edits nothing here (the sandbox's pages exist where the sandbox app is installed:
the demo and test settings, never production).
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("fleetui.api_urls")),
]
urlpatterns += [
    path(app.url_prefix, include(f"{app.name}.urls"))  # type: ignore[attr-defined]
    for app in apps.get_app_configs()
    if getattr(app, "url_prefix", None) is not None
]
# Under /api/ a path that matches no route answers JSON, as the API's own 404s do.
handler404 = "fleetui.core.api.not_found"
