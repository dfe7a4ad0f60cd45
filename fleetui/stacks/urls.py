from django.urls import path

from . import views

app_name = "stacks"

urlpatterns = [
    path("", views.StackListView.as_view(), name="stack_list"),
    path("resources/", views.StackResourceListView.as_view(), name="resource_list"),
    path("events/", views.EventListView.as_view(), name="event_list"),
    path("<str:account_id>/<str:region>/<str:name>/", views.stack_detail, name="stack_detail"),
]
