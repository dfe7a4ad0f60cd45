from django.urls import path

from . import views

app_name = "ec2"

urlpatterns = [
    path("instances/", views.InstanceListView.as_view(), name="instance_list"),
    path("instances/<str:account_id>/<str:region>/<str:instance_id>/", views.instance_detail, name="instance_detail"),
    path("placement-groups/", views.PlacementGroupListView.as_view(), name="placement_group_list"),
    path("key-pairs/", views.KeyPairListView.as_view(), name="key_pair_list"),
    path("elastic-ips/", views.ElasticIPListView.as_view(), name="elastic_ip_list"),
    path("images/", views.ImageListView.as_view(), name="image_list"),
    path("security-groups/", views.SecurityGroupListView.as_view(), name="security_group_list"),
    path(
        "security-groups/<str:account_id>/<str:region>/<str:group_id>/",
        views.security_group_detail,
        name="security_group_detail",
    ),
    path("reserved-instances/", views.ReservedInstanceListView.as_view(), name="reserved_instance_list"),
    path("reserved-instances/coverage/", views.reservation_coverage, name="reservation_coverage"),
    path("instances/launch/estimate/", views.launch_estimate, name="launch_estimate"),
    path("instance-types/", views.InstanceTypeListView.as_view(), name="instance_type_list"),
]
