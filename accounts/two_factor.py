"""Two-factor authentication: a TOTP code from an authenticator app after the password (django-otp).

Who is asked for it is decided once, when the person logs in (`_decide`, on `user_logged_in`), and
kept in the session, so that pages cost no extra query:
- whoever has enrolled a device gives its code ("verify");
- an officer without a device, while OFFICER_TWO_FACTOR_REQUIRED is on, enrols one first ("enrol");
- everyone else goes on with the password alone.
Until then `TwoFactorMiddleware` lets them reach only the code pages and the log-out.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from score_portal.roles import is_officer

SESSION_KEY = "score_two_factor"
VERIFY, ENROL, NONE = "verify", "enrol", "none"
# Pages a person who still owes the second factor may open.
OPEN_URL_NAMES = ("accounts:two_factor_verify", "accounts:two_factor_enrol", "logout", "set_language", "healthz")


def confirmed_devices(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True)


def has_device(user) -> bool:
    return confirmed_devices(user).exists()


def is_required_for(user) -> bool:
    return settings.OFFICER_TWO_FACTOR_REQUIRED and is_officer(user)


def _decide(user) -> str:
    if has_device(user):
        return VERIFY
    if is_required_for(user):
        return ENROL
    return NONE


@receiver(user_logged_in, dispatch_uid="accounts.two_factor.decide")
def decide_on_log_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = _decide(user)


def pending_step(request) -> str:
    """What the person in this session still owes: VERIFY, ENROL or NONE."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return NONE
    step = request.session.get(SESSION_KEY)
    if step is None:
        # A session from before two-factor authentication existed: decide now, once.
        step = request.session[SESSION_KEY] = _decide(user)
    return step


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths = None

    def open_paths(self) -> frozenset[str]:
        if self._open_paths is None:
            self._open_paths = frozenset(reverse(name) for name in OPEN_URL_NAMES)
        return self._open_paths

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # In process_view, not __call__: by then score_portal's DatabaseUnavailableMiddleware has loaded
        # the user, so an unreachable database answers its 503 page before this reads the session.
        step = pending_step(request)
        if step != NONE and request.path not in self.open_paths():
            target = "accounts:two_factor_verify" if step == VERIFY else "accounts:two_factor_enrol"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return None
