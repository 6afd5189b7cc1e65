from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    # Before Django's own: the same page, rate-limited per address.
    path("accounts/password_reset/", views.password_reset, name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    # Visitors of the public EOI form may switch language too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("enterprises.urls")),
    path("training/", include("training.urls")),
    # The phones' service worker, at the root (see training/offline_urls.py).
    path("", include("training.offline_urls")),
    # Calendar feeds: public, behind a secret token per person.
    path("feeds/", include("training.feed_urls")),
    path("baseline/", include("baseline.urls")),
    path("reports/", include("reporting.urls")),
    path("mail/", include("score_portal.outbox.urls")),
    # People, invitations and two-factor authentication; the programme's activity log.
    path("", include("accounts.urls")),
    path("activity/", include("activity.urls")),
    path("notifications/", include("score_portal.notifications.urls")),
    path("linkage/", include("linkage.urls")),
    # The buyer view: public, behind an expiring secret link per buyer (linkage/).
    path("buyer-view/", include("linkage.public_urls")),
    path("api/", include("api.urls")),
    path("saved-filters/", include("score_portal.saved_filters.urls")),
]

# Rendered without the database or the session, which may be what failed (error_pages.py).
handler500 = "score_portal.error_pages.server_error"
handler400 = "score_portal.views.bad_request"
