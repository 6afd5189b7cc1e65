"""Pages of the screening: the public side of a call for expression of interest, then the officer pages.

Public (no account needed, every view marked login_not_required, under /calls/, /apply/ or /eoi/):
the list of open calls, the multi-step EOI form, the confirmation page and the enterprise's secret
status page. Officers: calls, the screening queue and its exports, an EOI's detail, override,
re-screening and manual entry. Views stay thin: reads in selectors, writes in services.
"""

import json
import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from formtools.wizard.storage.base import BaseStorage
from formtools.wizard.views import WizardView

from score_portal.client_address import client_ip
from score_portal.outbox import selectors as outbox_selectors
from score_portal.permissions import officer_required
from score_portal.rate_limits import over_limit, too_many_requests
from score_portal.tables import configure

from ..models import (
    IN_PROGRAMME_STAGES,
    Call,
    Decision,
    DecisionLetter,
    Enterprise,
    ExpressionOfInterest,
    LetterKind,
    Stage,
    SubSector,
)
from ..path import letters
from . import decisions, public_fields, selectors, services
from .exports import CONTENT_TYPES, queue_export_response
from .filters import ScreeningQueueFilter
from .forms import (
    EOI_GROUPS,
    HONEYPOT_FIELD,
    STEPS,
    THRESHOLDS_NOTE,
    CallForm,
    OfficerEOIEntry,
    OverrideForm,
    RescreenForm,
)
from .tables import ScreeningQueueTable

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------- public pages
@login_not_required
def public_calls(request):
    return render(request, "enterprises/public/calls.html", {"calls": selectors.open_calls()})


@login_not_required
def apply(request):
    calls = list(selectors.open_calls())
    if len(calls) == 1:
        return redirect("enterprises:public_apply_call", call_id=calls[0].pk)
    return render(request, "enterprises/public/apply_choose.html", {"calls": calls})


def render_closed(request, call: Call, message: str | None = None, status: int = 200):
    context = {"call": call, "message": message or services.closed_message(call), "other_calls": selectors.open_calls()}
    return render(request, "enterprises/public/closed.html", context, status=status)


class DraftCookieStorage(BaseStorage):
    """The wizard's answers in a signed cookie of the browser, not in a server-side session.

    The public form is the portal's busiest page: kept in the session, every step sent wrote the
    session (a database row, with `cached_db` as well as `db`). In a cookie, a step costs no write
    anywhere and any web machine can serve the next one. The cookie is signed with SECRET_KEY (a
    changed answer is refused), compressed, HttpOnly, Secure like the session cookie, scoped to the
    call's form path, and expires like a session; it holds only the fields of each step.

    Looking at the form stores nothing (no cookie for a mere visit, by a person or a crawler): the
    answers are kept from the visitor's first POST. A draft too big for one cookie (4 kB: long
    answers in Urdu) goes into the session instead, so that no answer is ever lost."""

    COOKIE_LIMIT = 3800  # bytes of the value; browsers keep a cookie of up to about 4096 with its name

    def __init__(self, prefix, request=None, file_storage=None):
        super().__init__(prefix, request, file_storage)
        self.cookie_path = request.path.removesuffix("review/")
        self.data = self._load()
        self._loaded = self.data is not None
        self._kept = self._loaded or request.method == "POST"
        if self.data is None:
            self.init_data()

    def _load(self):
        value = self.request.COOKIES.get(self.prefix)
        if value:
            try:
                return signing.loads(
                    value, salt=self.prefix, serializer=CompactJSON, max_age=settings.SESSION_COOKIE_AGE
                )
            except (signing.BadSignature, ValueError):
                logger.info("EOI form: a draft cookie that is not ours or too old was ignored")
        # Reading the session of a visitor without a session cookie costs nothing.
        return self.request.session.get(self.prefix)

    def set_step_data(self, step, cleaned_data):
        # Only the step's own fields: not the CSRF token, the step name nor the hidden honeypot.
        if isinstance(cleaned_data, MultiValueDict):
            cleaned_data = dict(cleaned_data.lists())
        super().set_step_data(step, {k: v for k, v in cleaned_data.items() if k.startswith(f"{step}-")})

    @property
    def has_draft(self) -> bool:
        """The visitor has answers kept (in the cookie or the session)."""
        return self._loaded

    def reset(self):
        super().reset()
        self._kept = False

    def leave_as_is(self):
        """A refused POST stores nothing: a draft stays as it was, and none is started."""
        self._kept = self._loaded

    def update_response(self, response):
        super().update_response(response)
        in_session = self.prefix in self.request.session
        value = signing.dumps(self.data, salt=self.prefix, compress=True, serializer=CompactJSON) if self._kept else ""
        if value and len(value) <= self.COOKIE_LIMIT:
            response.set_cookie(
                self.prefix,
                value,
                max_age=settings.SESSION_COOKIE_AGE,
                path=self.cookie_path,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        elif self.prefix in self.request.COOKIES:
            response.delete_cookie(self.prefix, path=self.cookie_path, samesite="Lax")
        if value and len(value) > self.COOKIE_LIMIT:
            self.request.session[self.prefix] = self.data
        elif in_session:
            del self.request.session[self.prefix]


class CompactJSON:
    """JSON for the draft cookie: Urdu as UTF-8 (two bytes a letter) rather than \\uXXXX escapes (six)."""

    def dumps(self, obj):
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()

    def loads(self, data):
        return json.loads(data.decode())


class TooManySubmissions(Exception):
    def __init__(self, seconds_left: int):
        super().__init__(seconds_left)
        self.seconds_left = seconds_left


def _display(form, name: str) -> str:
    """An answer as the review shows it: the chosen option's words, Yes or No, or "Not given"."""
    value = form.cleaned_data.get(name)
    field = form.fields[name]
    if name == "consent":
        return _("Given") if value else _("Not given")
    if isinstance(field, forms.ChoiceField):
        value = dict(field.choices).get(value, value)
    if value in (None, ""):
        return _("Not given")
    return str(value)


def _label(form, name: str) -> str:
    # The consent's label is the whole consent text; the review names it.
    return _("Consent") if name == "consent" else form.fields[name].label


# Answers the review leaves out when another answer makes them moot.
def _shown(name: str, cleaned: dict) -> bool:
    if name in ("nominee_name", "nominee_position", "nominee_has_authority"):
        return cleaned.get("ceo_available") is False
    if name == "sub_sector_other":
        return cleaned.get("sub_sector") == SubSector.OTHER
    return True


@method_decorator(login_not_required, name="dispatch")
@method_decorator(never_cache, name="dispatch")  # the answers are private: no copy in a shared browser's cache
class ExpressionOfInterestWizard(WizardView):
    """The four steps of the EOI, then a review of every answer, from which the applicant sends it.

    Unlike formtools' default, a GET shows the step the visitor was on with what they typed
    (reload-safe); `?step=<name>` opens a step already reached (the review's "Change" links);
    `?restart=1` starts afresh. The last step leads to the review (`review/`), not to sending; once
    the visitor has seen the review, every step sent leads back to it. Only the review's button sends.

    Each page holds every step's fields, the others hidden. Without a script each step is sent on
    its own, as above. With one (enterprises/eoi_steps.js) "Next" and "Back" stay in the browser and
    the last step sends them all at once (ALL_STEPS), answered by the review: one request for the four
    steps and the review, where step by step takes six; and answers typed but not sent are kept when
    the visitor leaves the page (DRAFT)."""

    form_list = [(name, form) for name, form, _title in STEPS]
    template_name = "enterprises/public/wizard.html"
    storage_name = "enterprises.screening.views.DraftCookieStorage"
    REVIEWED = "reviewed"  # in the draft's extra data: the visitor has reached the review
    # What the page's script sends as the step: every step at once, or what was typed so far (unchecked).
    ALL_STEPS = "all"
    DRAFT = "draft"

    def dispatch(self, request, *args, **kwargs):
        if kwargs.get("review") and request.method == "POST":
            # Sending reads the call itself, with the lock it sends under (send below).
            self.call = None
            return super().dispatch(request, *args, **kwargs)
        self.call = get_object_or_404(Call, pk=kwargs["call_id"])
        if not self.call.is_open():
            # Refuse both the form and a POST to it; the message says why.
            return render_closed(request, self.call, status=200 if request.method == "GET" else 403)
        return super().dispatch(request, *args, **kwargs)

    def get_prefix(self, request, *args, **kwargs):
        # One stored draft per call, so that two calls never mix their answers.
        return f"eoi_{kwargs['call_id']}"

    def get_form_kwargs(self, step=None):
        if step == "enterprise":
            return {"call": self.call}
        return {}

    def form_url(self) -> str:
        return reverse("enterprises:public_apply_call", kwargs={"call_id": self.call.pk})

    def review_url(self) -> str:
        return reverse("enterprises:public_apply_review", kwargs={"call_id": self.call.pk})

    def reached(self) -> list[str]:
        """The steps the visitor may open: every step sent, and the one after them."""
        names = list(self.get_form_list())
        sent = [name for name in names if self.storage.get_step_data(name) is not None]
        return names[: min(len(names), len(sent) + 1)]

    def get(self, request, *args, **kwargs):
        if self.kwargs.get("review"):
            return self.review()
        if not request.GET and self.first_visit():
            return self.first_page()
        if request.GET.get("restart") or self.storage.current_step not in (None, *self.get_form_list()):
            self.storage.reset()
            return redirect(self.form_url())
        step = self.steps.current
        wanted = request.GET.get("step")
        if wanted in self.reached():
            step = wanted
            self.storage.current_step = step  # remembered for a reload, once there is a draft
        return self.render(self.get_form(step, data=self.storage.get_step_data(step)))

    def first_visit(self) -> bool:
        """Nothing of the visitor's own to show: no answers kept, no message waiting, no account."""
        return (
            not self.storage.has_draft
            and not self.request.user.is_authenticated
            and not len(messages.get_messages(self.request))
        )

    def first_page(self):
        """The page every new visitor opens first, the same for all but its CSRF token: drawn once a day
        and language for the call (its title is on it), instead of once per visitor."""

        def draw(token):
            return self.render(self.get_form(), csrf_token=token).render().content.decode()

        html = public_fields.first_page_html((self.call.pk, self.call.title), draw, get_token(self.request))
        return HttpResponse(html)

    def post(self, *args, **kwargs):
        if self.kwargs.get("review"):
            return self.send()
        posted_step = self.request.POST.get(f"{self.prefix}-current_step")
        if posted_step not in (*self.get_form_list(), self.ALL_STEPS, self.DRAFT):
            # formtools would store the unknown step as the current one and fail on it (500). A tampered
            # or outdated page is answered 400, the stored answers stay as they were, and the log gets
            # one line rather than a SuspiciousOperation traceback per robot.
            logger.warning("EOI form: unknown step %r from %s", (posted_step or "")[:40], client_ip(self.request))
            self.storage.leave_as_is()
            return render(self.request, "400.html", status=400)
        if self.request.POST.get(HONEYPOT_FIELD):
            return self.refuse_quietly()
        if posted_step == self.ALL_STEPS:
            return self.post_all()
        if posted_step == self.DRAFT:
            return self.keep_draft()
        if self.request.POST.get("wizard_goto_step"):
            # Keep what was typed on this step, valid or not, before going back.
            self.storage.set_step_data(posted_step, self.request.POST)
        response = super().post(*args, **kwargs)
        form = getattr(response, "context_data", {}).get("form")
        if form is not None and form.data is self.request.POST and form.errors:
            # Keep a half-filled step through a reload too; every step is validated again before sending.
            self.storage.set_step_data(form.prefix, self.request.POST)
        return response

    def post_all(self):
        """The steps from the page's script, up to the one on screen (`upto`, the last by default): each
        is kept as typed, then checked in order. The first with a mistake is shown with its messages,
        as if it had been sent alone; else the step after `upto`, or, after the last, the review itself
        (reloading it sends the same answers again, which changes nothing)."""
        sent = self.keep_steps_up_to(self.request.POST.get("upto") or list(self.get_form_list())[-1])
        if sent is None:
            return render(self.request, "400.html", status=400)
        checked = {}
        for name in sent:
            checked[name] = self.get_form(name, data=self.storage.get_step_data(name))
            if not checked[name].is_valid():
                self.storage.current_step = name
                return self.render(checked[name])
        self.storage.current_step = sent[-1]
        if len(checked) < len(self.get_form_list()):
            return self.render_next_step(checked[sent[-1]])  # as when that step is sent alone
        return self.review(checked)

    def keep_draft(self):
        """The visitor leaves the page (another tab, app or page) with answers typed and not sent: keep
        the steps up to the one on screen as they are, unchecked, and come back to that one."""
        sent = self.keep_steps_up_to(self.request.POST.get("upto"))
        if sent is None:
            return HttpResponse(status=400)
        self.storage.current_step = sent[-1]
        return HttpResponse(status=204)

    def keep_steps_up_to(self, last: str | None) -> list[str] | None:
        """Store every step up to `last` from the POST, as typed, and return their names; None (nothing
        stored) when `last` names no step."""
        names = list(self.get_form_list())
        if last not in names:
            self.storage.leave_as_is()
            return None
        sent = names[: names.index(last) + 1]
        for name in sent:
            self.storage.set_step_data(name, self.request.POST)
        return sent

    def stored_form(self, step: str):
        """A step that is not the one answered on this page, hidden until the script shows it: its form,
        unbound, showing the stored answers as typed. Unchecked: its messages come when it is sent."""
        form = self.get_form(step)
        data = self.storage.get_step_data(step)
        if data is not None:
            start = len(form.prefix) + 1
            form.initial = {
                key[start:]: values if len(values) > 1 else values[0]
                for key, values in data.lists()
                if key.startswith(f"{form.prefix}-")
            }
        return form

    def render_next_step(self, form, **kwargs):
        if self.storage.extra_data.get(self.REVIEWED):
            return redirect(self.review_url())
        return super().render_next_step(form, **kwargs)

    def render_done(self, form, **kwargs):
        # The last step leads to the review; sending is the review's own button (send below).
        return redirect(self.review_url())

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        current = self.steps.current
        context["call"] = self.call
        context["step_list"] = [
            {"name": name, "title": title, "number": i + 1, "current": name == current}
            for i, (name, _form, title) in enumerate(STEPS)
        ]
        context["step_title"] = {name: title for name, _form, title in STEPS}[current]
        context["honeypot_field"] = HONEYPOT_FIELD
        sections = []
        for name, form_class, title in STEPS:
            if name == current:
                empty, build = not form.is_bound and self.storage.get_step_data(name) is None, lambda: form
            else:
                empty, build = self.storage.get_step_data(name) is None, lambda name=name: self.stored_form(name)
            html = public_fields.step_html(form_class, self.get_form_prefix(name, form_class), build, empty=empty)
            sections.append({"name": name, "title": title, "current": name == current, "html": html})
        context["sections"] = sections
        context["previous"] = self.steps.prev
        context["all_steps"] = self.ALL_STEPS
        context["reviewing"] = bool(self.storage.extra_data.get(self.REVIEWED))
        return context

    def refuse_quietly(self):
        """The hidden field that people never see was filled in: a robot. Nothing is stored or sent,
        and the page says only that the form was not accepted, with the call's contact for a person
        who somehow got here (a browser that fills hidden fields, say): a robot learns nothing, and
        no one is told "received" for an expression of interest that was not kept."""
        logger.warning("EOI form: hidden field filled in by %s; nothing stored", client_ip(self.request))
        self.storage.leave_as_is()
        return render_closed(
            self.request,
            self.call,
            message=_("Your answers could not be accepted. Please contact the ILO if you want to apply."),
            status=400,
        )

    # ------------------------------------------------------------ the review and sending
    def checked_steps(self, *, sending=False):
        """Every step's form bound to its stored answers and validated, and the first step that is
        missing or no longer valid (None when all are fine). When sending, the duplicate check is
        left to the service, which makes it under its lock anyway."""
        forms_by_step = {}
        for name in self.get_form_list():
            data = self.storage.get_step_data(name)
            if data is None:
                return forms_by_step, name
            form = self.get_form(name, data=data)
            if sending and name == "enterprise":
                form.call = None
            if not form.is_valid():
                return forms_by_step, name
            forms_by_step[name] = form
        return forms_by_step, None

    def back_to(self, step: str):
        self.storage.current_step = step
        return redirect(self.form_url())

    def review(self, forms_by_step=None):
        """The review of every answer. `forms_by_step`: every step's form, already checked (sent all at
        once by the page's script, the review is that POST's answer: no redirect, no second check)."""
        if forms_by_step is None:
            forms_by_step, missing = self.checked_steps()
            if missing is not None:
                return self.back_to(missing)
        self.storage.extra_data[self.REVIEWED] = True
        groups = []
        for number, (name, _form, title) in enumerate(STEPS, start=1):
            form = forms_by_step[name]
            answers = [
                {"label": _label(form, field), "value": _display(form, field)}
                for field in public_fields.fields_in_layout(form.sections)
                if _shown(field, form.cleaned_data)
            ]
            groups.append({"name": name, "title": title, "number": number, "answers": answers})
        context = {
            "call": self.call,
            "groups": groups,
            "form_url": self.form_url(),
            "review_url": self.review_url(),  # also when the review answers the form's own POST
            "step_count": len(STEPS),
        }
        return render(self.request, "enterprises/public/review.html", context)

    def send(self):
        """Send from the review. One transaction, whose first query reads the call and takes the lock
        of its numbering; a refusal leaves it (rolled back, nothing written) before its page is made."""
        try:
            with transaction.atomic():
                self.call = services.lock_numbering(self.kwargs["call_id"])
                if self.call is None:
                    raise Http404
                if not self.call.is_open():
                    raise services.CallClosed(services.closed_message(self.call), code="closed")
                forms_by_step, missing = self.checked_steps(sending=True)
                if missing is not None:
                    return self.back_to(missing)
                response = self.done(list(forms_by_step.values()))
        except services.CallClosed as exc:
            return render_closed(self.request, self.call, message=" ".join(exc.messages), status=403)
        except TooManySubmissions as exc:
            # Over the limit, the answers stay in the draft for later.
            return too_many_requests(self.request, exc.seconds_left, call=self.call)
        except services.DuplicateExpressionOfInterest as exc:
            self.storage.current_step = "enterprise"
            first = self.get_form("enterprise", data=self.storage.get_step_data("enterprise"))
            if first.is_valid():  # no duplicate in sight any more: the service's word stands
                first.add_error("registration_number", ValidationError(exc.messages, code="duplicate"))
            return self.render(first)
        self.storage.reset()
        return response

    def status_url(self, token: str) -> str:
        return self.request.build_absolute_uri(reverse("enterprises:public_eoi_status", kwargs={"token": token}))

    def done(self, form_list, **kwargs):
        # Only complete submissions count, so a person correcting mistakes never meets the limit;
        # over it, the answers stay in the draft for later.
        seconds_left = over_limit(self.request, "eoi-submission", settings.EOI_SUBMISSION_RATE)
        if seconds_left is not None:
            raise TooManySubmissions(seconds_left)
        data = {"language": services.language_of_request(self.request)}
        for form in form_list:
            data.update({name: form.cleaned_data[name] for name in form._meta.fields})
        eoi = services.submit_expression_of_interest(self.call, data, status_url=self.status_url, locked=True)
        if not eoi.acknowledged:
            logger.warning("EOI %s: no acknowledgement, its contact address had its share today", eoi.reference)
        return redirect("enterprises:public_apply_done", token=eoi.status_token)


# What the public sees. The automatic screening result and its reasons stay internal: until an
# officer moves the enterprise along its path, every result reads "under review".
UNDER_REVIEW = (
    gettext_lazy("Under review by the ILO"),
    gettext_lazy(
        "The ILO is reviewing your expression of interest against the participation criteria of the call. "
        "Enterprises on the shortlist are contacted for an individual meeting with their CEO or main decision-maker."
    ),
)


IN_PROGRAMME = (
    gettext_lazy("Taking part in SCORE Training"),
    gettext_lazy("Your enterprise was accepted into the SCORE programme. Your ILO contact keeps you informed."),
)
# Once an officer has moved the enterprise along its path, the enterprise may know where it stands.
PUBLIC_STAGES = {
    Stage.SHORTLISTED: (
        gettext_lazy("Shortlisted"),
        gettext_lazy(
            "Your enterprise is on the shortlist. The ILO will contact you to arrange an individual meeting "
            "with your CEO or main decision-maker."
        ),
    ),
    Stage.CEO_MEETING_HELD: (
        gettext_lazy("Baseline assessment"),
        gettext_lazy("After the meeting with your CEO, the ILO carries out a basic baseline assessment."),
    ),
    Stage.BASELINE_DONE: (
        gettext_lazy("Baseline assessment"),
        gettext_lazy("The baseline assessment is done; the ILO will tell you its decision."),
    ),
    **dict.fromkeys(IN_PROGRAMME_STAGES, IN_PROGRAMME),
    Stage.NOT_SELECTED: (
        gettext_lazy("Not selected"),
        gettext_lazy("Your enterprise was not selected this time. Thank you for your interest in SCORE."),
    ),
    Stage.WITHDRAWN: (
        gettext_lazy("Withdrawn"),
        gettext_lazy("Your enterprise's participation was withdrawn."),
    ),
}


# The decision an officer took on the EOI, until the enterprise is on the path (then its stage speaks).
PUBLIC_DECISIONS = {
    Decision.INVITED: (
        gettext_lazy("Eligible and invited"),
        gettext_lazy(
            "Your enterprise meets the participation criteria and is invited to take part in the SCORE programme. "
            "The ILO will contact you to arrange an individual meeting with your CEO or main decision-maker."
        ),
    ),
    Decision.WAITING_LIST: (
        gettext_lazy("On the waiting list"),
        gettext_lazy(
            "Your enterprise meets the participation criteria, but the places of the current Level 1 batch are "
            "taken. It is on the waiting list; the ILO will contact you as soon as a place opens."
        ),
    ),
    Decision.NOT_ELIGIBLE: (
        gettext_lazy("Not eligible"),
        gettext_lazy(
            "We regret that your enterprise does not meet the participation criteria published with the call. "
            "You are welcome to answer a later call for expression of interest."
        ),
    ),
}


def public_status(eoi: ExpressionOfInterest) -> tuple:
    enterprise = Enterprise.objects.filter(registration_key=eoi.registration_key, call=eoi.call).first()
    if enterprise is not None and enterprise.stage in PUBLIC_STAGES:
        return PUBLIC_STAGES[enterprise.stage]
    if eoi.decision in PUBLIC_DECISIONS:
        return PUBLIC_DECISIONS[eoi.decision]
    return UNDER_REVIEW


def _status_url(request, eoi) -> str:
    return request.build_absolute_uri(reverse("enterprises:public_eoi_status", kwargs={"token": eoi.status_token}))


def _pdf_response(eoi, letter, name: str):
    content = decisions.letter_pdf(eoi, letter)
    if content is None:
        raise Http404(_("Letters cannot be made as PDF here."))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _eoi_by_token(token: str) -> ExpressionOfInterest:
    return get_object_or_404(ExpressionOfInterest.objects.select_related("call"), status_token=token)


@login_not_required
@never_cache
def apply_done(request, token):
    # What the page shows, in one query: every sender lands here once.
    shown = ExpressionOfInterest.objects.select_related("call").only(
        "reference", "legal_name", "call__title", "call__contact_name", "call__contact_email"
    )
    # The acknowledgement may have been held back (too many to one address): promise only what was queued.
    queued = outbox_selectors.messages_about(ExpressionOfInterest, OuterRef("pk"))
    eoi = get_object_or_404(shown.annotate(acknowledged=Exists(queued)), status_token=token)
    status_url = request.build_absolute_uri(reverse("enterprises:public_eoi_status", kwargs={"token": token}))
    context = {"eoi": eoi, "call": eoi.call, "status_url": status_url, "acknowledged": eoi.acknowledged}
    return render(request, "enterprises/public/done.html", context)


@login_not_required
@never_cache
def eoi_status(request, token):
    eoi = _eoi_by_token(token)
    label, explanation = public_status(eoi)
    not_eligible = eoi.decision == Decision.NOT_ELIGIBLE and (label, explanation) == PUBLIC_DECISIONS[eoi.decision]
    context = {
        "eoi": eoi,
        "call": eoi.call,
        "status_label": label,
        "status_explanation": explanation,
        # Only the reasons frozen with the decision: the criteria's own words about the applicant's answers.
        "criteria_not_met": eoi.decision_reasons if not_eligible else [],
        "letters": list(eoi.decision_letters.order_by("-sent_at", "-pk")) if not_eligible else [],
    }
    return render(request, "enterprises/public/status.html", context)


@login_not_required
@never_cache
def eoi_status_letter(request, token, pk):
    """A letter sent to the applicant, as PDF, behind the same secret link as the status page."""
    eoi = _eoi_by_token(token)
    letter = get_object_or_404(DecisionLetter, pk=pk, expression_of_interest=eoi)
    return _pdf_response(eoi, letter, f"{eoi.reference}-letter.pdf")


# ---------------------------------------------------------------- officer pages


# ---------------------------------------------------------------- calls
@officer_required
def call_list(request):
    return render(request, "enterprises/officer/call_list.html", {"calls": selectors.calls_with_counts()})


def _call_form_page(request, call=None):
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        call = form.save()
        messages.success(request, _("The call “%(title)s” was saved.") % {"title": call.title})
        return redirect("enterprises:call_list")
    return render(
        request,
        "enterprises/officer/call_form.html",
        {"form": form, "call": call, "thresholds_note": THRESHOLDS_NOTE},
    )


@officer_required
def call_create(request):
    return _call_form_page(request)


@officer_required
def call_edit(request, pk):
    return _call_form_page(request, get_object_or_404(Call, pk=pk))


# ---------------------------------------------------------------- the queue
@officer_required
def screening_queue(request):
    """The EOIs awaiting a decision (the default tab), those decided, or all; filtered, sorted, 50 a page."""
    state = request.GET.get("state", selectors.AWAITING)
    if state not in selectors.QUEUE_STATES:
        state = selectors.AWAITING
    queryset = selectors.screening_queue()
    filterset = ScreeningQueueFilter(request.GET or None, queryset=queryset)
    file_format = request.GET.get("format")
    if file_format in CONTENT_TYPES:
        return queue_export_response(selectors.by_decision(filterset.qs, state), file_format)

    # Counts per tab under every filter, and per result under every filter except the result
    # itself, so that each count says what choosing it would show.
    tabs = selectors.decision_counts(filterset.qs)
    facet_data = request.GET.copy()
    facet_data.pop("result", None)
    facets = ScreeningQueueFilter(facet_data or None, queryset=queryset).qs
    counts = selectors.result_counts(selectors.by_decision(facets, state))

    eois = selectors.by_decision(filterset.qs, state)
    table = ScreeningQueueTable(eois)
    configure(request, table, count=tabs[state])  # the tab's count is the table's: no second COUNT
    page = [row.record for row in table.page.object_list]  # the page, read once for its failed criteria
    table.failed = selectors.failed_criteria(page)
    return render(
        request,
        "enterprises/officer/queue.html",
        {
            "filterset": filterset,
            "table": table,
            "counts": counts,
            "total": sum(c["count"] for c in counts),
            "tabs": tabs,
            "state": state,
            "current_result": request.GET.get("result", ""),
            "list_name": "screening",
        },
    )


@officer_required
@require_POST
def queue_export_selected(request):
    """The EOIs ticked in the queue, as CSV."""
    ids = [pk for pk in request.POST.getlist("ids") if pk.isdigit()]
    return queue_export_response(selectors.screening_queue().filter(pk__in=ids), "csv")


# ---------------------------------------------------------------- one EOI
def _eoi_sections(eoi) -> list[tuple[str, list[tuple[str, object]]]]:
    """The EOI's answers grouped as on the form, each as (label, value to show)."""
    sections = []
    for title, names in EOI_GROUPS:
        items = []
        for name in names:
            field = ExpressionOfInterest._meta.get_field(name)
            value = getattr(eoi, name)
            if field.choices:
                value = getattr(eoi, f"get_{name}_display")()
            elif isinstance(value, bool):
                value = _("Yes") if value else _("No")
            items.append((capfirst(field.verbose_name), value))
            if name == "workforce_permanent":
                share = eoi.permanent_share
                items.append((_("Permanent share"), f"{share}%" if share is not None else "—"))
            if name == "consent" and eoi.consent_text:
                # the words this EOI agreed to, which a later version of the form does not change
                label = _("Consent text accepted (version %(n)s)") % {"n": eoi.consent_version}
                items.append((label, eoi.consent_text))
        sections.append((str(title), items))
    return sections


def _decision_context(eoi) -> dict:
    choices = [
        (value, label, decisions.decision_refusal(eoi, value, on_path=eoi.on_the_path))
        for value, label in Decision.choices
    ]
    return {
        "decision_choices": choices,
        "on_path": eoi.on_the_path,
        # What the applicant reads (or will): frozen with the decision, else what the screening found.
        "criteria_not_met": eoi.decision_reasons
        if eoi.decision
        else (decisions.criteria_not_met(eoi) if eoi.result == "ineligible" else []),
        "decision_letters": eoi.decision_letters.select_related("sent_by"),
    }


def _detail_page(request, eoi, *, override_form=None, rescreen_form=None, status=200):
    screening = eoi.current_screening
    context = {
        **_decision_context(eoi),
        "eoi": eoi,
        "sections": _eoi_sections(eoi),
        "screening": screening,
        "criteria": selectors.current_criteria(eoi),
        "thresholds": selectors.describe_thresholds(screening.thresholds) if screening else None,
        "duplicates": selectors.possible_duplicates(eoi),
        "changes": selectors.result_history(eoi),
        "earlier": [(s, selectors.describe_thresholds(s.thresholds)) for s in selectors.earlier_screenings(eoi)],
        "enterprise": Enterprise.objects.filter(registration_key=eoi.registration_key).first(),
        "override_form": override_form or OverrideForm(),
        "rescreen_form": rescreen_form or RescreenForm(),
    }
    return render(request, "enterprises/officer/eoi_detail.html", context, status=status)


def _get_eoi(pk):
    try:
        return selectors.eoi_for_detail(pk)
    except ExpressionOfInterest.DoesNotExist as exc:
        raise Http404(_("No such expression of interest.")) from exc


@officer_required
def eoi_detail(request, pk):
    return _detail_page(request, _get_eoi(pk))


@officer_required
@require_POST
def eoi_override(request, pk):
    eoi = _get_eoi(pk)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.override_result(
                eoi,
                officer=request.user,
                outcome=form.cleaned_data["outcome"],
                justification=form.cleaned_data["justification"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The result was changed; the history records why."))
            return redirect("enterprises:eoi_detail", pk=eoi.pk)
    messages.error(request, _("The result was not changed. See the override form below."))
    return _detail_page(request, eoi, override_form=form, status=400)


@officer_required
@require_POST
def eoi_rescreen(request, pk):
    eoi = _get_eoi(pk)
    form = RescreenForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, eoi, rescreen_form=form, status=400)
    screening = services.screen_expression_of_interest(
        eoi, requested_by=request.user, reason=form.cleaned_data["reason"].strip()
    )
    messages.success(
        request,
        _("Re-screened with the call's current thresholds: %(result)s.") % {"result": screening.get_outcome_display()},
    )
    return redirect("enterprises:eoi_detail", pk=eoi.pk)


# ---------------------------------------------------------------- decisions and regret letters
@officer_required
@require_POST
def eoi_decide(request, pk):
    eoi = _get_eoi(pk)
    decision = request.POST.get("decision", "")
    try:
        if decision == Decision.NOT_ELIGIBLE:
            sent = decisions.send_regret_letter(eoi, by=request.user, status_url=_status_url(request, eoi))
            messages.success(
                request,
                _("Decided: not eligible. The regret letter to %(email)s is in the outbox.")
                % {"email": sent.recipient},
            )
        else:
            eoi = decisions.decide(eoi, decision=decision, by=request.user, status_url=_status_url(request, eoi))
            messages.success(
                request,
                _("Decided: %(decision)s. The applicant is told by email and on the status page.")
                % {"decision": eoi.get_decision_display()},
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("enterprises:eoi_detail", args=[pk]) + "#decision")


@officer_required
def eoi_letter_pdf(request, pk, letter_pk=None):
    """A regret letter sent (`letter_pk`), or the one that would be sent now, as PDF."""
    eoi = _get_eoi(pk)
    if letter_pk is not None:
        letter = get_object_or_404(DecisionLetter, pk=letter_pk, expression_of_interest=eoi)
    else:
        if not eoi.decision_reasons:
            eoi.decision_reasons = decisions.criteria_not_met(eoi)  # a preview: not saved
        letter = letters.render_eoi_letter(eoi, LetterKind.EOI_REGRET)
    return _pdf_response(eoi, letter, f"{eoi.reference}-regret-letter.pdf")


@officer_required
def call_decisions(request, pk):
    """A call's decisions: how many await one, and the regret letters to all its ineligible EOIs at once."""
    call = get_object_or_404(Call, pk=pk)
    pending_letters = decisions.ineligible_without_letter(call)
    if request.method == "POST":
        sent = decisions.send_regret_letters_for_call(
            call, by=request.user, status_url_for=lambda eoi: _status_url(request, eoi)
        )
        messages.success(request, _("%(n)s regret letter(s) are in the outbox.") % {"n": sent})
        return redirect("enterprises:call_decisions", pk=call.pk)
    eois = ExpressionOfInterest.objects.filter(call=call)
    return render(
        request,
        "enterprises/officer/call_decisions.html",
        {
            "call": call,
            "awaiting": decisions.awaiting_decision(eois).count(),
            "decided": selectors.counts_by_decision(eois),
            "pending_letters": list(pending_letters[:200]),
            "pending_count": pending_letters.count(),
            "letters_sent": DecisionLetter.objects.filter(expression_of_interest__call=call).count(),
            "template_own": letters.template_for(call, LetterKind.EOI_REGRET)[2],
        },
    )


@officer_required
def eoi_create(request, call_id):
    call = get_object_or_404(Call, pk=call_id)
    entry = OfficerEOIEntry(call, request.POST or None)
    if request.method == "POST" and entry.is_valid():
        try:
            eoi = services.submit_expression_of_interest(
                call, entry.eoi_data(), entered_by=request.user, today=entry.received_on
            )
        except services.DuplicateExpressionOfInterest as exc:
            entry.add_registration_error(exc.messages)
            messages.error(request, exc.messages[0])
        else:
            messages.success(
                request,
                _("Expression of interest %(reference)s saved and screened: %(result)s.")
                % {"reference": eoi.reference, "result": eoi.get_result_display()},
            )
            if eoi.is_late:
                messages.warning(
                    request,
                    _("It is marked late: the call closed on %(date)s.")
                    % {"date": date_format(call.closes_on, "j F Y")},
                )
            return redirect(reverse("enterprises:eoi_detail", args=[eoi.pk]))
    return render(request, "enterprises/officer/eoi_form.html", {"entry": entry, "call": call})
