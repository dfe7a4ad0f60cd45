from django.urls import path

from . import views

app_name = "apigateway"

urlpatterns = [
    path("", views.RestApiListView.as_view(), name="rest_api_list"),
    path("apis/", views.ApiListView.as_view(), name="api_list"),
    path("deployments/", views.DeploymentListView.as_view(), name="deployment_list"),
    path("stages/", views.StageListView.as_view(), name="stage_list"),
    path("routes/", views.RouteListView.as_view(), name="route_list"),
    path("rest-apis/<str:account_id>/<str:region>/<str:api_id>/", views.rest_api_detail, name="rest_api_detail"),
    path("apis/<str:account_id>/<str:region>/<str:api_id>/", views.api_detail, name="api_detail"),
    path(
        "stages/<str:account_id>/<str:region>/<str:api_id>/<str:stage_name>/", views.stage_detail, name="stage_detail"
    ),
]
