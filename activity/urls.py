"""The programme's activity log (namespace "activity"), officers only."""

from django.urls import path

from . import views

app_name = "activity"

urlpatterns = [
    path("", views.log, name="log"),
    path("export.csv", views.log_csv, name="log_csv"),
]
