from django.urls import path

from . import views

app_name = "lambda_"

urlpatterns = [
    path("", views.FunctionListView.as_view(), name="function_list"),
    path("event-source-mappings/", views.EventSourceMappingListView.as_view(), name="event_source_mapping_list"),
    path("<str:account_id>/<str:region>/<str:name>/", views.function_detail, name="function_detail"),
]
