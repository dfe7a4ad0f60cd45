from django.urls import path

from . import views_preferences, views_savedviews

app_name = "core"

urlpatterns = [
    path("preferences/", views_preferences.preferences_edit, name="preferences"),
    path("preferences/theme/", views_preferences.theme_toggle, name="theme_toggle"),
    path("preferences/columns/", views_preferences.columns_edit, name="columns"),
    path("views/", views_savedviews.saved_views_page, name="saved_views"),
    path("views/save/", views_savedviews.saved_view_save, name="saved_view_save"),
    path("views/<int:pk>/", views_savedviews.saved_view_open, name="saved_view_open"),
    path("views/<int:pk>/edit/", views_savedviews.saved_view_edit, name="saved_view_edit"),
    path("views/<int:pk>/pin/", views_savedviews.saved_view_pin, name="saved_view_pin"),
    path("views/<int:pk>/delete/", views_savedviews.saved_view_delete, name="saved_view_delete"),
]
