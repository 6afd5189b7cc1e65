from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .celery import app as celery_app
from .dashboard import panels_for
from .health import broker_state, database_state
from .memo import one_page
from .rate_limits import limit_posts
from .roles import CONSULTANT, ENTERPRISE_CONTACT, OFFICER, role_of
from .selectors import worklist_for

HOME_TEMPLATES = {
    OFFICER: "home/officer.html",
    CONSULTANT: "home/consultant.html",
    ENTERPRISE_CONTACT: "home/enterprise.html",
}


def home(request):
    role = role_of(request.user)
    template = HOME_TEMPLATES.get(role, "home/no_role.html")
    with one_page():  # a figure and a worklist item may share a read (memo.py)
        context = {"panels": panels_for(role, request)}
        if role in (OFFICER, CONSULTANT):
            context["worklist"] = worklist_for(request.user)
    return render(request, template, context)


@login_not_required
@require_GET
@never_cache
def healthz(request):
    database = database_state()
    broker, worker = broker_state(celery_app)
    payload = {"database": database, "broker": broker, "worker": worker}
    return JsonResponse(payload, status=200 if database == "ok" else 503)


# Django's form, with each POST counted per address: every one may send a mail.
password_reset = login_not_required(
    limit_posts("password-reset", "PASSWORD_RESET_RATE")(auth_views.PasswordResetView.as_view())
)


def bad_request(request, exception=None):
    """400 in the portal's look (a tampered or incomplete form, for instance), with the request's context."""
    return render(request, "400.html", status=400)
