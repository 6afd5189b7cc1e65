"""Linkage pages (officers) and the buyer view behind a secret link (no log-in). Thin: the rules are
in services.py, the reads in selectors.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from enterprises import consent as enterprise_consent
from enterprises.access import enterprise_for
from score_portal.client_address import client_ip
from score_portal.feedback import tell_refusal
from score_portal.permissions import officer_required

from . import selectors, services
from .forms import BuyerForm, ConsentForm, EventForm, LinkForm, ShareForm
from .models import BuyerViewLink


@officer_required
def programme(request):
    """Every linkage of the programme and the latest events."""
    return render(
        request,
        "linkage/programme.html",
        {
            "page": Paginator(selectors.linkages(), 50).get_page(request.GET.get("page")),
            "events": selectors.recent_events(),
            "enterprises": selectors.enterprises_to_pick(),
        },
    )


@officer_required
def enterprise_pick(request):
    try:
        pk = int(request.GET.get("enterprise", ""))
    except ValueError:
        return redirect("linkage:programme")
    return redirect("linkage:enterprise", pk=enterprise_for(request.user, pk).pk)


@officer_required
def buyers(request):
    form = BuyerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        buyer = services.register_buyer(by=request.user, **form.cleaned_data)
        messages.success(request, _("%(brand)s is in the register.") % {"brand": buyer.brand})
        return redirect("linkage:buyers")
    return render(request, "linkage/buyers.html", {"buyers": selectors.buyers(), "form": form})


FORMS = {"consent": ConsentForm, "link": LinkForm, "event": EventForm, "share": ShareForm}


@officer_required
def enterprise(request, pk):
    """One enterprise's consent, buyers, events and shared links."""
    enterprise = enterprise_for(request.user, pk)
    consent = enterprise_consent.consent_of(enterprise)
    action = request.POST.get("action") if request.method == "POST" else None
    bound = {name: request.POST if name == action else None for name in FORMS}
    forms = {
        "consent": ConsentForm(bound["consent"], instance=consent, prefix="consent"),
        "link": LinkForm(bound["link"], enterprise=enterprise, prefix="link"),
        "event": EventForm(bound["event"], enterprise=enterprise, prefix="event"),
        "share": ShareForm(bound["share"], enterprise=enterprise, prefix="share"),
    }
    shared = None
    if action in forms and forms[action].is_valid():
        data = forms[action].cleaned_data
        try:
            if action == "consent":
                enterprise_consent.record_consent(enterprise, by=request.user, **data)
                messages.success(request, _("Consent recorded."))
            elif action == "link":
                services.link_enterprise(enterprise, data.pop("buyer"), by=request.user, **data)
                messages.success(request, _("Buyer linked."))
            elif action == "event":
                services.record_event(data.pop("linkage"), by=request.user, **data)
                messages.success(request, _("Event recorded."))
            else:
                shared = services.share_view(data["linkage"], by=request.user, days=data["days"])
        except ValidationError as exc:
            tell_refusal(request, exc)
        if shared is None:
            return redirect("linkage:enterprise", pk=enterprise.pk)
    context = {
        "enterprise": enterprise,
        "consent": consent,
        "consent_history": selectors.consent_history(enterprise),
        "linkages": selectors.enterprise_linkages(enterprise),
        "forms": forms,
        # The secret link is shown on this answer; the list below shows it too while it lives.
        "shared_url": request.build_absolute_uri(reverse("buyer_view:view", args=[shared.token])) if shared else "",
    }
    return render(request, "linkage/enterprise.html", context)


@require_POST
@officer_required
def revoke(request, pk):
    link = get_object_or_404(BuyerViewLink.objects.select_related("linkage"), pk=pk)
    services.revoke_link(link, by=request.user)
    messages.success(request, _("The link is revoked; it no longer opens."))
    return redirect("linkage:enterprise", pk=link.linkage.enterprise_id)


# ---------------------------------------------------------------- the buyer view (public, secret link)
@login_not_required
@never_cache
def buyer_view(request, token):
    link = services.open_link(token, address=client_ip(request), user_agent=request.headers.get("User-Agent", ""))
    if link is None:
        raise Http404("No such link")
    enterprise = link.linkage.enterprise
    context = selectors.buyer_view(enterprise, raw_figures=enterprise.sharing_consent.buyer_raw_figures)
    context.update({"link": link, "buyer": link.linkage.buyer})
    response = render(request, "linkage/buyer_view.html", context)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
