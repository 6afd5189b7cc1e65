"""The service worker and the web app manifest, mounted at the site's root by score_portal/urls.py:
a worker controls only the pages under its own address, and the phone should keep every training page."""

from django.urls import path

from .visits import views as visit_views

app_name = "offline"

urlpatterns = [
    path("service-worker.js", visit_views.service_worker, name="service_worker"),
    path("manifest.webmanifest", visit_views.web_app_manifest, name="manifest"),
]
