"""The sandbox's pages; fleetui/urls.py includes them only when the sandbox app is installed (demo and test)."""

from django.urls import path

from . import views

app_name = "sandbox"

urlpatterns = [
    path("faults/", views.faults, name="faults"),
    path("faults/remove-all/", views.faults_remove_all, name="faults_remove_all"),
]
