from django.urls import path

from . import views

app_name = "eks"

urlpatterns = [
    path("", views.ClusterListView.as_view(), name="cluster_list"),
    path("nodegroups/", views.NodegroupListView.as_view(), name="nodegroup_list"),
    path("fargate-profiles/", views.FargateProfileListView.as_view(), name="fargate_profile_list"),
    path("addons/", views.AddonListView.as_view(), name="addon_list"),
    path(
        "<str:account_id>/<str:region>/<str:cluster>/nodegroups/<str:nodegroup>/",
        views.nodegroup_detail,
        name="nodegroup_detail",
    ),
    path("<str:account_id>/<str:region>/<str:cluster>/", views.cluster_detail, name="cluster_detail"),
]
