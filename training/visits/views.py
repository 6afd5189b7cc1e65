"""Pages of the factory visits: the training home, visits (with server-side drafts), agreed actions,
5S photos, EIT, plan and suggestions.

Thin: access comes from access.py (built on enterprises.access), reads from selectors,
writes from services. Outside the user's scope every page answers 404.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms.utils import ErrorDict
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from enterprises.access import can_work_on_enterprise, enterprise_for, own_enterprise
from score_portal.feedback import tell_refusal
from score_portal.roles import is_officer
from score_portal.tables import configure

from ..models import Module, PlanItem, Suggestion, Visit, VisitAction, VisitDraft, VisitStatus
from . import access, photos, rules, selectors, services, sync
from .forms import (
    ActionFormSet,
    ActionStatusForm,
    AfterPhotoForm,
    AmendmentForm,
    ContactSuggestionForm,
    EitMeetingForm,
    EitMemberForm,
    PhotoPairForm,
    PlanItemForm,
    SearchForm,
    SuggestionDecisionForm,
    SuggestionForm,
    VisitForm,
)
from .tables import ActionTable, VisitTable

PAGE_SIZE = 25


def _post_only(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


def _save_small_form(request, form_class, save, message, back):
    """A one-line form posted from a list (a status, a decision): `save(cleaned_data)` when valid, then
    `back` to the list. Called once access is checked, so an outsider gets 404 or 403 before a 405."""
    if refused := _post_only(request):
        return refused
    form = form_class(request.POST)
    if form.is_valid():
        save(form.cleaned_data)
        messages.success(request, message)
    return back


# ---------------------------------------------------------------- home, lists (the calendar is in delivery/views.py)
def home(request):
    """Enterprises in the user's scope with their last visit, and the five modules."""
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    not_visited = request.GET.get("not_visited") == "1"
    enterprises = selectors.training_enterprises(request.user, query=query, not_visited=not_visited)
    page = Paginator(enterprises, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "training/home.html",
        {
            "form": form,
            "page": page,
            "modules": Module.objects.all(),
            "since": rules.not_visited_since(),
            "not_visited": not_visited,
            "is_officer": is_officer(request.user),
        },
    )


def visit_list(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    status = request.GET.get("status") if request.GET.get("status") in VisitStatus.values else None
    date_from = date_to = None
    if request.GET.get("week") == "this":
        date_from, date_to = rules.week_of(timezone.localdate())
    visits = selectors.visits_for_list(request.user, status=status, query=query, date_from=date_from, date_to=date_to)
    table = configure(request, VisitTable(visits, order_by=("-date",)))
    # The page's own rows (the template renders these same instances), with their actions counted.
    selectors.count_actions(list(table.page.object_list.data))
    return render(
        request,
        "training/visit_list.html",
        {"form": form, "table": table, "status": status, "statuses": VisitStatus.choices},
    )


def action_list(request):
    overdue = request.GET.get("overdue") == "1"
    actions = selectors.actions_in_scope(request.user, overdue_only=overdue)
    table = configure(request, ActionTable(actions))
    return render(
        request, "training/action_list.html", {"table": table, "overdue": overdue, "today": timezone.localdate()}
    )


def action_status(request, pk):
    action = get_object_or_404(
        VisitAction.objects.select_related("visit__enterprise"),
        pk=pk,
        visit__in=access.visible_visits(request.user).filter(status=VisitStatus.SUBMITTED),
    )
    if not can_work_on_enterprise(request.user, action.visit.enterprise):
        raise PermissionDenied
    return _save_small_form(
        request,
        ActionStatusForm,
        lambda data: services.set_action_status(action, data["status"], by=request.user),
        _("Action updated."),
        redirect("training:visit_detail", pk=action.visit_id),
    )


# ---------------------------------------------------------------- enterprise page
def enterprise_detail(request, pk):
    enterprise = enterprise_for(request.user, pk)
    context = selectors.enterprise_page(request.user, enterprise)
    context.update(
        {
            "enterprise": enterprise,
            "can_work": can_work_on_enterprise(request.user, enterprise),
            "is_officer": is_officer(request.user),
        }
    )
    return render(request, "training/enterprise_detail.html", context)


# ---------------------------------------------------------------- visits
def visit_start(request, pk):
    """A new visit log for the enterprise. The page works offline (the phone keeps it): the log gets
    its id on the phone and reaches the server through the sync endpoint. Posted without script,
    it opens the log on the server (or resumes this consultant's unfinished draft) with what was typed."""
    enterprise = access.enterprise_to_work_on(request.user, pk)
    if request.method == "POST":
        visit, created = services.start_visit(enterprise, request.user)
        if not created:
            messages.info(request, _("You had an unfinished visit log for this enterprise; here it is."))
        if "findings" in request.POST:
            services.save_draft(visit, request.POST, by=request.user)
        return redirect("training:visit_edit", pk=visit.pk)
    visit = Visit(enterprise=enterprise, consultant=request.user)
    form, formset = _visit_forms(visit)
    unfinished = (
        Visit.objects.filter(enterprise=enterprise, consultant=request.user, status=VisitStatus.DRAFT)
        .order_by("-pk")
        .first()
    )
    return render(
        request,
        "training/visit_form.html",
        {
            "visit": visit,
            "enterprise": enterprise,
            "form": form,
            "formset": formset,
            "new": True,
            "unfinished": unfinished,
            "photo_form": PhotoPairForm(),
        },
    )


def visit_detail(request, pk):
    visit = selectors.visit_detail(request.user, pk)
    return render(
        request,
        "training/visit_detail.html",
        {
            "visit": visit,
            "can_edit": access.can_edit_visit(request.user, visit),
            "can_work": can_work_on_enterprise(request.user, visit.enterprise),
            "status_form": ActionStatusForm(),
        },
    )


def _quiet(form):
    """A form bound to draft data that shows no errors: the draft is not finished yet."""
    form._errors = ErrorDict()
    return form


def _quiet_formset(formset):
    formset._errors = []
    formset._non_form_errors = formset.error_class()
    for form in formset.forms:
        _quiet(form)
    return formset


def _visit_forms(visit, data=None):
    form = VisitForm(data, instance=visit)
    formset = ActionFormSet(data, instance=visit, prefix="actions")
    return form, formset


@never_cache
def visit_edit(request, pk):
    """Fill in a draft (autosaved to the server) and submit it; or amend a submitted visit."""
    visit = access.visit_to_edit(request.user, pk)
    amending = visit.is_locked
    if request.method == "POST":
        # Whatever happens next, the posted form is kept first: a failed submission loses nothing.
        draft = services.save_draft(visit, request.POST, by=request.user)
        form, formset = _visit_forms(visit, request.POST)
        amendment = AmendmentForm(request.POST) if amending else None
        if form.is_valid() and formset.is_valid() and (amendment is None or amendment.is_valid()):
            try:
                if amending:
                    services.amend_visit(visit, form, formset, reason=amendment.cleaned_data["reason"], by=request.user)
                    messages.success(request, _("Visit amended. The earlier version is kept in its history."))
                else:
                    services.submit_visit(visit, form, formset, by=request.user)
                    messages.success(request, _("Visit submitted. It is now locked."))
                return redirect("training:visit_detail", pk=visit.pk)
            except ValidationError as exc:
                tell_refusal(request, exc)
        else:
            messages.error(request, _("Some fields need attention. Your draft is saved."))
    else:
        draft = VisitDraft.objects.filter(visit=visit).first()
        data = _draft_querydict(draft) if draft else None
        form, formset = _visit_forms(visit, data)
        amendment = AmendmentForm(data) if amending else None
        if data is not None and not formset.management_form.is_valid():
            # A draft saved without the actions' management fields: start the actions afresh.
            formset = ActionFormSet(instance=visit, prefix="actions")
        if data is not None:
            _quiet(form)
            _quiet_formset(formset)
            if amendment:
                _quiet(amendment)
    if not amending:
        services.ensure_client_id(visit)
    return render(
        request,
        "training/visit_form.html",
        {
            "visit": visit,
            "enterprise": visit.enterprise,
            "form": form,
            "formset": formset,
            "amendment": amendment,
            "amending": amending,
            "draft": draft,
            "photo_form": None if amending else PhotoPairForm(),
        },
    )


def _draft_querydict(draft):
    data = QueryDict(mutable=True)
    for key, values in draft.data.items():
        data.setlist(key, values if isinstance(values, list) else [values])
    return data


@require_POST
def visit_autosave(request, pk):
    """htmx posts the whole form here every few seconds and on change; we keep it as the draft."""
    visit = access.visit_to_edit(request.user, pk)
    draft = services.save_draft(visit, request.POST, by=request.user)
    saved_at = formats.time_format(timezone.localtime(draft.saved_at), "H:i:s")
    return HttpResponse(_("Draft saved at %(time)s.") % {"time": saved_at}, content_type="text/plain; charset=utf-8")


def visit_discard(request, pk):
    visit = access.visit_to_edit(request.user, pk)
    if refused := _post_only(request):
        return refused
    enterprise_pk = visit.enterprise_id
    try:
        services.discard_draft_visit(visit)
    except ValidationError as exc:
        tell_refusal(request, exc)
        return redirect("training:visit_detail", pk=visit.pk)
    messages.success(request, _("Draft deleted."))
    return redirect("training:enterprise_detail", pk=enterprise_pk)


def visit_history(request, pk):
    visit = selectors.visit_detail(request.user, pk)
    return render(request, "training/visit_history.html", {"visit": visit, "versions": selectors.visit_versions(visit)})


# ---------------------------------------------------------------- 5S photos
def photo_new(request, pk):
    enterprise = access.enterprise_to_work_on(request.user, pk)
    form = PhotoPairForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            # The form's fields are the service's: area, caption, the two photos and their dates.
            services.store_photo_pair(enterprise, **form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Photos saved."))
            return redirect("training:enterprise_detail", pk=enterprise.pk)
    return render(request, "training/photo_form.html", {"enterprise": enterprise, "form": form})


def photo_after(request, pk):
    pair = access.photo_pair_for(request.user, pk)
    if not can_work_on_enterprise(request.user, pair.enterprise):
        raise PermissionDenied
    form = AfterPhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_after_photo(
                pair, form.cleaned_data["after"], taken_on=form.cleaned_data["after_taken_on"], by=request.user
            )
        except ValidationError as exc:
            form.add_error("after", exc)
        else:
            messages.success(request, _("After photo saved."))
            return redirect("training:enterprise_detail", pk=pair.enterprise_id)
    return render(
        request, "training/photo_after_form.html", {"pair": pair, "enterprise": pair.enterprise, "form": form}
    )


PHOTO_KINDS = {"before": "before", "after": "after", "before-thumb": "before_thumb", "after-thumb": "after_thumb"}


def photo_file(request, pk, kind):
    """The photo file itself, only to users who may see the enterprise."""
    pair = access.photo_pair_for(request.user, pk)
    field = PHOTO_KINDS.get(kind)
    if field is None:
        raise Http404("No such photo")
    file = getattr(pair, field)
    if not file:
        raise Http404("No such photo")
    try:
        handle = file.storage.open(file.name, "rb")
    except FileNotFoundError:
        raise Http404("No such photo") from None
    response = FileResponse(handle, content_type=photos.content_type_for(file.name))
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


def photo_replace(request, pk):
    """Put right a wrong pair with new photos; the earlier ones stay in the pair's history."""
    pair = access.photo_pair_for(request.user, pk)
    if not can_work_on_enterprise(request.user, pair.enterprise):
        raise PermissionDenied
    initial = {"area": pair.area, "caption": pair.caption}
    form = PhotoPairForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.replace_photo_pair(
                pair,
                area=data["area"],
                caption=data["caption"],
                before=data["before"],
                after=data["after"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Photos replaced. The earlier ones stay in the history."))
            return redirect("training:enterprise_detail", pk=pair.enterprise_id)
    return render(request, "training/photo_form.html", {"enterprise": pair.enterprise, "form": form, "replacing": pair})


def photo_remove(request, pk):
    pair = access.photo_pair_for(request.user, pk)
    if not can_work_on_enterprise(request.user, pair.enterprise):
        raise PermissionDenied
    if request.method != "POST":
        return render(request, "training/photo_remove.html", {"pair": pair, "enterprise": pair.enterprise})
    services.remove_photo_pair(pair, by=request.user)
    messages.success(request, _("Photo pair removed. It stays in the history."))
    return redirect("training:enterprise_detail", pk=pair.enterprise_id)


# ---------------------------------------------------------------- offline: what the phone's outbox sends
def _json_body(request):
    try:
        return json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


@require_POST
@never_cache
def sync_visit(request):
    """One visit record from the phone's outbox (JSON). Sent twice, it answers the same and makes
    nothing new; against a visit locked meanwhile it answers 409 with the server's version."""
    record = _json_body(request)
    if record is None:
        return JsonResponse({"outcome": "invalid", "errors": {"__all__": [_("Not a JSON record.")]}}, status=400)
    result = sync.sync_visit(request.user, record)
    if result.outcome == "submitted" and not result.repeated:
        # Shown on the next page, as after a submission online (the phone opens the visit then).
        messages.success(request, _("Visit submitted. It is now locked."))
    body = {"outcome": result.outcome, "errors": result.errors, "message": result.message}
    if result.visit is not None:
        visit = result.visit
        body.update(
            {
                "visit": visit.pk,
                "client_id": str(visit.client_id),
                "version": visit.version,
                "status": visit.status,
                "url": reverse("training:visit_detail", args=[visit.pk]),
                "edit_url": reverse("training:visit_edit", args=[visit.pk]),
            }
        )
        if result.outcome == "conflict":
            body["server"] = {name: str(getattr(visit, name) or "") for name in ("findings", "topics", "people_met")}
    return JsonResponse(body, status=result.http_status)


@require_POST
@never_cache
def sync_photo(request, pk):
    """One 5S photo pair from the phone's outbox (multipart, the photos resized on the phone)."""
    result = sync.sync_photo_pair(request.user, pk, request.POST, request.FILES)
    body = {"outcome": result.outcome, "errors": result.errors}
    if result.pair is not None:
        body.update({"pair": result.pair.pk, "client_id": str(result.pair.client_id)})
    return JsonResponse(body, status=200 if result.outcome == "saved" else 400)


def service_worker(request):
    """The service worker, served from the site's root so that it may look after every page (a worker
    only controls pages under its own address). The script is a static file; it must not be cached
    long, or a phone would keep an old worker for a day."""
    path = finders.find("training/service-worker.js")
    with open(path, "rb") as handle:
        response = HttpResponse(handle.read(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@login_not_required
def web_app_manifest(request):
    """The web app manifest, so that a phone can put the portal on its home screen. A view rather than
    a static file: its icons must carry the hashed static names of production. Public, as browsers
    fetch a manifest without cookies; it says nothing about anyone."""
    manifest = {
        "name": "SCORE Portal",
        "short_name": "SCORE",
        "description": _("ILO SCORE programme: visits, actions, photos and figures, also without signal."),
        "start_url": reverse("training:home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1e2dbe",
        "icons": [
            {"src": static(f"training/icons/score-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
            for size in (192, 512)
        ],
    }
    response = JsonResponse(manifest, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@never_cache
def offline_pages(request):
    """The pages the service worker keeps for this user (see static/training/service-worker.js)."""
    return JsonResponse({"pages": selectors.offline_pages(request.user)})


# ---------------------------------------------------------------- EIT
def _eit_context(request, enterprise, **forms):
    context = selectors.eit_page(enterprise)
    can_work = can_work_on_enterprise(request.user, enterprise)
    context.update({"enterprise": enterprise, "can_work": can_work})
    if can_work:
        context["member_form"] = forms.get("member_form") or EitMemberForm()
        context["meeting_form"] = forms.get("meeting_form") or EitMeetingForm(enterprise=enterprise)
    return context


def eit(request, pk):
    enterprise = enterprise_for(request.user, pk)
    return render(request, "training/eit.html", _eit_context(request, enterprise))


def eit_member_new(request, pk):
    enterprise = access.enterprise_to_work_on(request.user, pk)
    if refused := _post_only(request):
        return refused
    form = EitMemberForm(request.POST)
    if form.is_valid():
        services.add_for_enterprise(form, enterprise)
        messages.success(request, _("EIT member added."))
        return redirect("training:eit", pk=enterprise.pk)
    return render(request, "training/eit.html", _eit_context(request, enterprise, member_form=form))


def eit_meeting_new(request, pk):
    enterprise = access.enterprise_to_work_on(request.user, pk)
    if refused := _post_only(request):
        return refused
    form = EitMeetingForm(request.POST, enterprise=enterprise)
    if form.is_valid():
        try:
            services.record_eit_meeting(form, enterprise, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("EIT meeting recorded."))
            return redirect("training:eit", pk=enterprise.pk)
    return render(request, "training/eit.html", _eit_context(request, enterprise, meeting_form=form))


# ---------------------------------------------------------------- improvement plan
def plan(request, pk):
    enterprise = enterprise_for(request.user, pk)
    can_work = can_work_on_enterprise(request.user, enterprise)
    form = None
    if can_work:
        form = PlanItemForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.add_for_enterprise(form, enterprise)
            messages.success(request, _("Plan item added."))
            return redirect("training:plan", pk=enterprise.pk)
    elif request.method == "POST":
        raise PermissionDenied
    items = PlanItem.objects.filter(enterprise=enterprise).select_related("module")
    return render(
        request,
        "training/plan.html",
        {
            "enterprise": enterprise,
            "items": items,
            "form": form,
            "can_work": can_work,
            "counts": selectors.plan_counts(enterprise),
            "status_form": ActionStatusForm(),
        },
    )


def plan_item_status(request, pk, item):
    enterprise = access.enterprise_to_work_on(request.user, pk)
    item = get_object_or_404(PlanItem, pk=item, enterprise=enterprise)
    return _save_small_form(
        request,
        ActionStatusForm,
        lambda data: services.set_plan_item_status(item, data["status"], by=request.user),
        _("Plan item updated."),
        redirect("training:plan", pk=enterprise.pk),
    )


# ---------------------------------------------------------------- suggestion scheme
def suggestions(request, pk):
    enterprise = enterprise_for(request.user, pk)
    can_work = can_work_on_enterprise(request.user, enterprise)
    # The enterprise's own contact adds to its suggestion log too (deciding stays with the consultant).
    own = own_enterprise(request.user)
    can_add = can_work or (own is not None and own.pk == enterprise.pk)
    form = None
    if can_add:
        form = (SuggestionForm if can_work else ContactSuggestionForm)(request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.add_for_enterprise(form, enterprise)
            messages.success(request, _("Suggestion logged."))
            return redirect("training:suggestions", pk=enterprise.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "training/suggestions.html",
        {
            "enterprise": enterprise,
            "suggestions": Suggestion.objects.filter(enterprise=enterprise),
            "counts": selectors.suggestion_counts(enterprise),
            "form": form,
            "can_work": can_work,
            "can_add": can_add,
            "decision_form": SuggestionDecisionForm(),
        },
    )


def suggestion_decide(request, pk, item):
    enterprise = access.enterprise_to_work_on(request.user, pk)
    suggestion = get_object_or_404(Suggestion, pk=item, enterprise=enterprise)
    return _save_small_form(
        request,
        SuggestionDecisionForm,
        lambda data: services.decide_suggestion(suggestion, data["decision"], reward=data["reward"], by=request.user),
        _("Suggestion updated."),
        redirect("training:suggestions", pk=enterprise.pk),
    )
