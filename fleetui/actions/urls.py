from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("activity/", views.ActivityView.as_view(), name="activity"),
    path("actions/<int:pk>/", views.action_detail, name="detail"),
    path("actions/<int:pk>/cancel/", views.action_cancel_view, name="cancel"),
    path("actions/new/<str:kind>/", views.action_new, name="new"),
    path("actions/bulk/", views.bulk, name="bulk"),
    path("actions/running/", views.running_indicator, name="running"),
]
