from django.urls import path

from . import views
from .history import views as history_views

app_name = "inventory"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("changes/", history_views.changes_feed, name="changes"),
    path("changes/compare/", history_views.changes_compare, name="changes_compare"),
    path("sync-runs/", views.SyncRunListView.as_view(), name="sync_run_list"),
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/add/", views.account_create, name="account_create"),
    path("accounts/<int:pk>/edit/", views.account_update, name="account_update"),
    path("accounts/<int:pk>/disable/", views.account_set_enabled, {"enabled": False}, name="account_disable"),
    path("accounts/<int:pk>/enable/", views.account_set_enabled, {"enabled": True}, name="account_enable"),
]
