from django.urls import path

from . import views

app_name = "ecs"

urlpatterns = [
    path("", views.ServiceListView.as_view(), name="service_list"),
    path("clusters/", views.ClusterListView.as_view(), name="cluster_list"),
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
    path("task-definitions/", views.TaskDefinitionListView.as_view(), name="task_definition_list"),
    path("container-instances/", views.ContainerInstanceListView.as_view(), name="container_instance_list"),
    path("<str:account_id>/<str:region>/<str:cluster_name>/", views.cluster_detail, name="cluster_detail"),
    path(
        "<str:account_id>/<str:region>/<str:cluster_name>/services/<str:service_name>/",
        views.service_detail,
        name="service_detail",
    ),
]
