from django.urls import path

from . import views_preferences

app_name = "core"

urlpatterns = [
    path("preferences/", views_preferences.preferences_edit, name="preferences"),
    path("preferences/theme/", views_preferences.theme_toggle, name="theme_toggle"),
    path("preferences/columns/", views_preferences.columns_edit, name="columns"),
]
