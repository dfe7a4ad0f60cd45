from django.urls import path

from . import views

app_name = "beanstalk"

urlpatterns = [
    path("", views.ApplicationListView.as_view(), name="application_list"),
    path("environments/", views.EnvironmentListView.as_view(), name="environment_list"),
    path("versions/", views.VersionListView.as_view(), name="version_list"),
    path(
        "<str:account_id>/<str:region>/environments/<str:environment_id>/",
        views.environment_detail,
        name="environment_detail",
    ),
    path("<str:account_id>/<str:region>/<str:application>/", views.application_detail, name="application_detail"),
]
