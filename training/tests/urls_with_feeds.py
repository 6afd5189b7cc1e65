"""The project's URLs plus the feeds, as score_portal/urls.py will include them (tests only)."""

from django.urls import include, path

from score_portal.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("feeds/", include("training.feed_urls"))]
