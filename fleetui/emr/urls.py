from django.urls import path

from . import views

app_name = "emr"

urlpatterns = [
    path("", views.ClusterListView.as_view(), name="cluster_list"),
    path("instance-groups/", views.InstanceGroupListView.as_view(), name="instance_group_list"),
    path("steps/", views.StepListView.as_view(), name="step_list"),
    path("instances/", views.InstanceListView.as_view(), name="instance_list"),
    path("<str:account_id>/<str:region>/<str:cluster_id>/", views.cluster_detail, name="cluster_detail"),
]
