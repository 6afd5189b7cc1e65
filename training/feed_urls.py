"""The iCalendar feeds, public behind a secret token; score_portal/urls.py mounts them at /feeds/."""

from django.urls import path

from .delivery import views as delivery_views

app_name = "feeds"

urlpatterns = [
    path("<str:token>.ics", delivery_views.calendar_feed, name="calendar"),
]
