"""The iCalendar feeds, public behind a secret token. The project includes these under /feeds/:

path("feeds/", include("training.feed_urls")),
"""

from django.urls import path

from . import delivery_views

app_name = "feeds"

urlpatterns = [
    path("<str:token>.ics", delivery_views.calendar_feed, name="calendar"),
]
