"""The site's URLs plus a list only admins may see (the sync runs, behind role_required(ADMIN)): what a saved view of
a list a role may not see meets."""

from django.urls import URLPattern, URLResolver, path

from fleetui.core.roles import Role, role_required
from fleetui.inventory.views import SyncRunListView
from fleetui.urls import urlpatterns as site

urlpatterns: list[URLPattern | URLResolver] = [
    *site,
    path("admins-runs/", role_required(Role.ADMIN)(SyncRunListView.as_view()), name="admins_runs"),
]
