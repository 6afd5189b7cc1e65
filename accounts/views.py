"""People pages (officers), the invitation link (no account yet) and the two-factor pages (anyone
logged in). Thin: reads in selectors, writes in services."""

import base64
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from enterprises.models import Enterprise
from score_portal.feedback import tell_refusal
from score_portal.permissions import officer_required
from score_portal.roles import ROLE_LABELS, is_consultant, role_of

from . import selectors, services, two_factor
from .forms import AcceptInvitationForm, HandOverForm, InvitationForm, PeopleFilterForm, ReasonForm, TokenForm
from .models import AccountEventKind

PAGE_SIZE = 50


# ---------------------------------------------------------------- people (officers)
@officer_required
def people(request):
    form = PeopleFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.people(**{k: v for k, v in filters.items() if v}), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/people.html",
        {"form": form, "page": page, "invitations": selectors.open_invitations()[:50], "role_labels": ROLE_LABELS},
    )


def _person_or_404(pk):
    try:
        return selectors.person(pk)
    except get_user_model().DoesNotExist:
        from django.http import Http404

        raise Http404("No such person") from None


@officer_required
def person_detail(request, pk):
    person = _person_or_404(pk)
    context = {
        "person": person,
        "role": role_of(person),
        "role_labels": ROLE_LABELS,
        "events": selectors.events_of(person)[:100],
        "reason_form": ReasonForm(),
    }
    if is_consultant(person) and person.assignment_list:
        context["hand_over_form"] = HandOverForm(consultants=selectors.active_consultants(exclude=person))
    return render(request, "accounts/person_detail.html", context)


@officer_required
@require_POST
def person_deactivate(request, pk):
    person = get_object_or_404(get_user_model(), pk=pk)
    form = ReasonForm(request.POST)
    try:
        services.deactivate(person, by=request.user, reason=form.data.get("reason", ""))
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("%(name)s can no longer log in.") % {"name": person.get_full_name() or person})
    return redirect("accounts:person_detail", pk=pk)


@officer_required
@require_POST
def person_reactivate(request, pk):
    person = get_object_or_404(get_user_model(), pk=pk)
    services.reactivate(person, by=request.user, reason=request.POST.get("reason", ""))
    messages.success(request, _("%(name)s can log in again.") % {"name": person.get_full_name() or person})
    return redirect("accounts:person_detail", pk=pk)


@officer_required
@require_POST
def person_hand_over(request, pk):
    person = get_object_or_404(get_user_model(), pk=pk)
    form = HandOverForm(request.POST, consultants=selectors.active_consultants(exclude=person))
    if not form.is_valid():
        messages.error(request, _("Choose the consultant who takes the enterprises over."))
        return redirect("accounts:person_detail", pk=pk)
    try:
        moved = services.hand_over_enterprises(person, form.cleaned_data["to_consultant"], by=request.user)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("%(count)d enterprises handed over.") % {"count": len(moved)})
    return redirect("accounts:person_detail", pk=pk)


@officer_required
@require_POST
def person_remove_two_factor(request, pk):
    """For a lost phone: the person enrols again at the next log-in (officers) or goes on without."""
    person = get_object_or_404(get_user_model(), pk=pk)
    with transaction.atomic():
        deleted, _rows = TOTPDevice.objects.filter(user=person).delete()
        if deleted:
            services.record(AccountEventKind.TWO_FACTOR_REMOVED, user=person, by=request.user)
    messages.success(request, _("Two-factor authentication removed."))
    return redirect("accounts:person_detail", pk=pk)


@officer_required
def invite(request):
    initial = {}
    enterprise_pk = request.GET.get("enterprise", "")
    if enterprise_pk.isdigit():
        enterprise = Enterprise.objects.filter(pk=enterprise_pk).first()
        if enterprise:
            initial = {"enterprise": enterprise, "role": request.GET.get("role", "")}
    form = InvitationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite(
                **form.cleaned_data,
                by=request.user,
                link_for=lambda token: request.build_absolute_uri(reverse("accounts:accept", args=[token])),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            if invitation.enterprise_id:
                return redirect("enterprises:enterprise_detail", pk=invitation.enterprise_id)
            return redirect("accounts:people")
    return render(request, "accounts/invite.html", {"form": form})


@officer_required
@require_POST
def invitation_withdraw(request, pk):
    from .models import Invitation

    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        services.withdraw_invitation(invitation, by=request.user)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email})
    return redirect("accounts:people")


# ---------------------------------------------------------------- the invitation link (no account yet)
@login_not_required
@never_cache
def accept(request, token):
    invitation = services.open_invitation(token)
    if invitation is None:
        return render(request, "accounts/invitation_closed.html", status=404)
    form = AcceptInvitationForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                invitation, username=form.cleaned_data["username"], password=form.cleaned_data["password1"]
            )
        except ValidationError as exc:
            tell_refusal(request, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to the SCORE Portal. Your account is ready."))
            return redirect("home")
    return render(request, "accounts/accept.html", {"form": form, "invitation": invitation})


# ---------------------------------------------------------------- two-factor authentication (anyone logged in)
def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


def _qr_svg(device) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


@never_cache
def two_factor_enrol(request):
    """Enrol an authenticator app: scan the code (or type the key), then give one code to confirm."""
    if two_factor.has_device(request.user):
        messages.info(request, _("Two-factor authentication is already on for your account."))
        return redirect(_next(request))
    # One unconfirmed device per person, kept while they enrol, so the QR code stays the same on reload.
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=_("Authenticator app"), confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                services.record(AccountEventKind.TWO_FACTOR_ENROLLED, user=request.user, by=request.user)
            otp_login(request, device)
            request.session[two_factor.SESSION_KEY] = two_factor.VERIFY
            messages.success(
                request, _("Two-factor authentication is on. You will be asked for a code at each log-in.")
            )
            return redirect(_next(request))
        form.add_error("token", _("That code is not right; wait for the next one and try again."))
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device),
            "secret": base64.b32encode(device.bin_key).decode().rstrip("="),
            "next": _next(request),
            "required": two_factor.is_required_for(request.user),
        },
    )


@never_cache
def two_factor_verify(request):
    if not two_factor.has_device(request.user):
        if two_factor.is_required_for(request.user):
            return redirect(f"{reverse('accounts:two_factor_enrol')}?{urlencode({'next': _next(request)})}")
        request.session[two_factor.SESSION_KEY] = two_factor.NONE
        return redirect(_next(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("token", _("That code is not right; wait for the next one and try again."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next(request)})
