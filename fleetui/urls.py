from django.apps import apps
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("fleetui.api_urls")),
    path("beanstalk/", include("fleetui.beanstalk.urls")),
    path("", include("fleetui.actions.urls")),
    path("", include("fleetui.inventory.urls")),
]

# The sandbox's fault page, only where the sandbox app is installed (the demo and test settings, never production).
if apps.is_installed("fleetui.sandbox"):
    urlpatterns.append(path("sandbox/", include("fleetui.sandbox.urls")))
