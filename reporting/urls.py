from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.home, name="home"),
    path("programme/", views.request_programme, name="request_programme"),
    path("call-screening/", views.request_call_screening, name="request_call_screening"),
    path("enterprise/", views.enterprise_pick, name="enterprise_pick"),
    path("enterprise/<int:pk>/", views.enterprise_reports, name="enterprise"),
    path("enterprise/<int:pk>/business-case/", views.business_case, name="business_case"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/status/", views.job_status, name="job_status"),
    path("jobs/<int:pk>/retry/", views.job_retry, name="job_retry"),
    path("jobs/<int:pk>/download/", views.download, name="download"),
    # raw data for evaluators
    path("data/", views.data_exports, name="data_exports"),
    path("data/global-database/", views.request_global_database, name="request_global_database"),
    # programme targets
    path("targets/", views.targets, name="targets"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
]
