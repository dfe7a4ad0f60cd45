from django.urls import path

from . import views

app_name = "batch"

urlpatterns = [
    path("", views.ComputeEnvironmentListView.as_view(), name="compute_environment_list"),
    path("job-queues/", views.JobQueueListView.as_view(), name="job_queue_list"),
    path("job-definitions/", views.JobDefinitionListView.as_view(), name="job_definition_list"),
    path("jobs/", views.JobListView.as_view(), name="job_list"),
    path(
        "<str:account_id>/<str:region>/compute-environments/<str:name>/",
        views.compute_environment_detail,
        name="compute_environment_detail",
    ),
    path("<str:account_id>/<str:region>/job-queues/<str:name>/", views.job_queue_detail, name="job_queue_detail"),
]
