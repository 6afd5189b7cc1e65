"""Pages of the enterprise's path: the list and the enterprise page (whoever may see the enterprise);
steps, consultants, batches and shortlisting, Level 2 selection, letters and the pipeline (officers).
Thin: reads in selectors, writes in services and letters."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from score_portal.dashboard import enterprise_links
from score_portal.feedback import tell_refusal
from score_portal.permissions import officer_required
from score_portal.roles import display_name, is_enterprise_contact, is_officer
from score_portal.tables import configure, shown_columns

from .. import access
from ..models import Call, Enterprise, ExpressionOfInterest, LetterKind, Level1Batch, Stage
from . import conditions, exports, funnel, letters, rules, selectors, services
from .filters import EnterpriseFilter
from .forms import (
    AssignConsultantForm,
    BatchForm,
    BulkActionForm,
    CeoMeetingForm,
    HireForm,
    LetterTemplateForm,
    Level2Form,
    MoveForm,
    RegisterForm,
    ShortlistForm,
)
from .tables import EnterpriseTable

# The shortlisting page shows this many ranked candidates at a time (a call may bring thousands).
SHORTLIST_PAGE_SIZE = 50


# ---------------------------------------------------------------- list and enterprise page
def enterprise_list(request):
    """Officers see every enterprise; a consultant the assigned ones ("My enterprises"); a contact goes
    to their own. A table of 50 rows a page, sortable, with optional columns and a bulk-action bar."""
    if is_enterprise_contact(request.user) and not is_officer(request.user):
        return redirect("enterprises:my_enterprise")
    officer = is_officer(request.user)
    filterset = EnterpriseFilter(
        request.GET or None, queryset=access.visible_enterprises(request.user), officer=officer
    )
    shown = shown_columns(request, "enterprises", EnterpriseTable)
    columns = EnterpriseTable.shown_by_default if shown is None else shown
    table = EnterpriseTable(
        selectors.enterprise_rows(filterset.qs, columns), shown=shown, exclude=() if officer else ("select",)
    )
    configure(request, table)
    return render(
        request,
        "enterprises/path/enterprise_list.html",
        {
            "filterset": filterset,
            "table": table,
            "is_officer": officer,
            "bulk_form": BulkActionForm() if officer else None,
            "list_name": "enterprises",
        },
    )


@officer_required
@require_POST
def enterprise_bulk(request):
    """A bulk action on the enterprises ticked on the list: each one done or refused, and listed."""
    back = _back_url(request, "enterprises:enterprise_list")
    form = BulkActionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(back)
    data = form.cleaned_data
    enterprises = list(data["ids"].select_related("call", "batch").order_by("legal_name", "pk"))
    if data["action"] == BulkActionForm.EXPORT:
        return exports.enterprises_csv(enterprises)
    if data["action"] == BulkActionForm.ASSIGN:
        outcomes = services.bulk_assign_consultant(enterprises, data["consultant"], by=request.user)
        title = _("Assign %(name)s") % {"name": display_name(data["consultant"])}
    else:
        outcomes = services.bulk_transition(
            enterprises, data["to_stage"], by=request.user, reason=data["reason"], on=data["on"]
        )
        title = _("Move to “%(stage)s”") % {"stage": rules.stage_label(data["to_stage"])}
    return render(
        request,
        "enterprises/path/bulk_result.html",
        {
            "title": title,
            "done": [o for o in outcomes if o.done],
            "refused": [o for o in outcomes if not o.done],
            "back": back,
        },
    )


@officer_required
@require_POST
def eoi_bulk_register(request):
    """The queue's bulk action: the ticked EOIs registered as enterprises where the guards allow."""
    back = _back_url(request, "enterprises:screening_queue")
    ids = [pk for pk in request.POST.getlist("ids") if pk.isdigit()]
    eois = list(ExpressionOfInterest.objects.filter(pk__in=ids).order_by("legal_name", "pk"))
    outcomes = services.bulk_register(eois, by=request.user)
    return render(
        request,
        "enterprises/path/bulk_result.html",
        {
            "title": _("Register as enterprises"),
            "done": [o for o in outcomes if o.done],
            "refused": [o for o in outcomes if not o.done],
            "back": back,
            "eois": True,
        },
    )


def _back_url(request, default: str) -> str:
    """Where a bulk action returns: the list page it came from, if it is ours."""
    back = request.POST.get("back", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return back
    return reverse(default)


def my_enterprise(request):
    """An enterprise contact's own enterprise page."""
    enterprise = access.own_enterprise(request.user)
    if enterprise is None:
        return render(request, "enterprises/path/no_enterprise.html", status=404)
    return redirect("enterprises:enterprise_detail", pk=enterprise.pk)


def enterprise_detail(request, pk):
    enterprise = access.enterprise_for(
        request.user, pk, Enterprise.objects.select_related("call", "batch", "expression_of_interest")
    )
    officer = is_officer(request.user)
    own = access.own_enterprise(request.user)
    context = {
        "enterprise": enterprise,
        "may_register_interest": enterprise.stage == Stage.LEVEL1_COMPLETED
        and own is not None
        and own.pk == enterprise.pk,
        "hiring_conditions": enterprise.hiring_conditions.select_related("call", "recorded_by"),
        "today": timezone.localdate(),
        "timeline": selectors.timeline(enterprise),
        "is_officer": officer,
        "is_contact": is_enterprise_contact(request.user) and not officer,
        # The enterprise's own contact persons with an account, beside the EOI's contact.
        "contacts": enterprise.contacts.select_related("user").exclude(
            user__email=enterprise.expression_of_interest.contact_email
        ),
        "links": enterprise_links(enterprise),
    }
    if officer:
        # Consultants and contacts read the path; only officers act on it.
        facts = selectors.gather_facts(enterprise)
        context |= {
            "steps": rules.next_steps(facts),
            "span_warning": rules.level2_span_warning(
                facts.level2_started_on, timezone.localdate(), completed=enterprise.stage == Stage.LEVEL2_COMPLETED
            ),
            "expressions": ExpressionOfInterest.objects.filter(registration_key=enterprise.registration_key)
            .select_related("call")
            .order_by("submitted_at"),
            "move_form": MoveForm(stage=enterprise.stage) if rules.allowed_targets(enterprise.stage) else None,
            "meeting_form": CeoMeetingForm(stage=enterprise.stage)
            if enterprise.stage in rules.MEETING_STAGES
            else None,
            "letter_kinds": [(kind, LetterKind(kind).label) for kind in letters.ENTERPRISE_KINDS],
            "suggested_letter": letters.suggested_kind(enterprise.stage),
            "assignments": enterprise.consultant_assignments.select_related("consultant", "assigned_by"),
            "assign_form": AssignConsultantForm(enterprise=enterprise),
        }
    return render(request, "enterprises/path/enterprise_detail.html", context)


@officer_required
@require_POST
def enterprise_staff_hired(request, pk):
    """The officer confirms that the staff the enterprise was willing to hire are in place."""
    enterprise = get_object_or_404(Enterprise.objects.select_related("expression_of_interest"), pk=pk)
    try:
        services.confirm_staff_hired(enterprise, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Recorded: the staff the enterprise committed to hire are in place."))
    return redirect("enterprises:enterprise_detail", pk=pk)


@officer_required
@require_POST
def enterprise_move(request, pk):
    enterprise = get_object_or_404(Enterprise, pk=pk)
    # The stage the officer saw is what counts: if it changed meanwhile, the service says so.
    expected = request.POST.get("expected_stage", enterprise.stage)
    form = MoveForm(request.POST, stage=expected)
    if not form.is_valid():
        messages.error(request, _("Choose a step along the path."))
        return redirect("enterprises:enterprise_detail", pk=pk)
    data = form.cleaned_data
    try:
        services.transition(
            enterprise,
            data["to_stage"],
            by=request.user,
            reason=data["reason"],
            expected_stage=expected,
            on=data["on"],
            comprehensive_baseline_on=data["comprehensive_baseline_on"],
            data_justification=data["data_justification"],
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("Moved to “%(stage)s”.") % {"stage": rules.stage_label(data["to_stage"])})
    return redirect("enterprises:enterprise_detail", pk=pk)


@require_POST
def enterprise_level2_interest(request, pk):
    """The enterprise's own contact (or an officer) registers interest in the full package."""
    enterprise = access.enterprise_for(request.user, pk)
    own = access.own_enterprise(request.user)
    if not (is_officer(request.user) or (own is not None and own.pk == enterprise.pk)):
        raise Http404
    try:
        services.register_level2_interest(enterprise, by=request.user)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("Your interest in the full SCORE package is registered."))
    return redirect("enterprises:enterprise_detail", pk=pk)


@officer_required
@require_POST
def hiring_condition_met(request, pk, condition_pk):
    enterprise = get_object_or_404(Enterprise, pk=pk)
    condition = get_object_or_404(enterprise.hiring_conditions, pk=condition_pk)
    form = HireForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the name of the person hired and the date."))
        return redirect("enterprises:enterprise_detail", pk=pk)
    try:
        conditions.record_hire(
            condition, name=form.cleaned_data["name"], hired_on=form.cleaned_data["hired_on"], by=request.user
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("The hire was recorded; the condition is met."))
    return redirect("enterprises:enterprise_detail", pk=pk)


@officer_required
@require_POST
def enterprise_ceo_meeting(request, pk):
    enterprise = get_object_or_404(Enterprise, pk=pk)
    form = CeoMeetingForm(request.POST, stage=enterprise.stage)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect("enterprises:enterprise_detail", pk=pk)
    data = form.cleaned_data
    try:
        services.record_ceo_meeting(
            enterprise,
            by=request.user,
            held_on=data["held_on"],
            attendees=data["attendees"],
            commitment_shown=data["commitment_shown"],
            notes=data["notes"],
            expected_stage=data["expected_stage"],
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("The meeting with the CEO was recorded."))
    return redirect("enterprises:enterprise_detail", pk=pk)


@officer_required
@require_POST
def enterprise_from_eoi(request, eoi_pk):
    eoi = get_object_or_404(ExpressionOfInterest, pk=eoi_pk)
    form = RegisterForm(request.POST)
    form.is_valid()
    try:
        enterprise = services.register_enterprise(
            eoi, by=request.user, override_justification=form.cleaned_data.get("override_justification", "")
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
        return redirect("enterprises:eoi_detail", pk=eoi.pk)
    return redirect("enterprises:enterprise_detail", pk=enterprise.pk)


# ---------------------------------------------------------------- batches and shortlisting
@officer_required
def batch_list(request):
    form = BatchForm(request.POST or None, initial={"call": request.GET.get("call")})
    if request.method == "POST" and form.is_valid():
        batch = form.save()
        messages.success(request, _("Batch “%(name)s” created.") % {"name": batch.name})
        return redirect("enterprises:batch_shortlist", pk=batch.pk)
    rows = selectors.batches_with_seats()
    calls = Call.objects.order_by("-opens_on")
    return render(request, "enterprises/path/batch_list.html", {"form": form, "rows": rows, "calls": calls})


@officer_required
def batch_shortlist(request, pk):
    batch = get_object_or_404(Level1Batch.objects.select_related("call"), pk=pk)
    search = request.GET.get("q", "").strip()[:100]
    # Ranked as light rows; only the shown page's EOIs are read whole and rendered.
    ranked = selectors.ranked_candidates(batch, search=search)
    left = selectors.seats_left(batch)
    if request.method == "POST":
        # Picks are checked against every candidate, whatever page or search they were made on.
        everyone = ranked if not search else selectors.ranked_candidates(batch)
        choices = [(eoi_id, eoi_id) for eoi_id in everyone.eoi_ids()]
    else:
        choices = []
    form = ShortlistForm(request.POST or None, choices=choices, capacity_left=left)
    if request.method == "POST" and form.is_valid():
        picked = ExpressionOfInterest.objects.in_bulk(form.cleaned_data["picks"])
        try:
            records = services.shortlist_for_batch(
                batch,
                [picked[pk] for pk in form.cleaned_data["picks"]],
                by=request.user,
                reason=form.cleaned_data["reason"],
                override_justification=form.cleaned_data["override_justification"],
            )
        except ValidationError as exc:
            tell_refusal(request, exc)
        else:
            messages.success(
                request,
                _("%(count)s enterprises shortlisted for %(batch)s.") % {"count": len(records), "batch": batch.name},
            )
            return redirect("enterprises:batch_shortlist", pk=batch.pk)
    page = Paginator(ranked, SHORTLIST_PAGE_SIZE).get_page(request.GET.get("page"))
    shortlisted = Enterprise.objects.filter(batch=batch).order_by("legal_name")
    return render(
        request,
        "enterprises/path/batch_shortlist.html",
        {
            "batch": batch,
            "rows": selectors.shortlist_rows(page.object_list),
            "page": page,
            "search": search,
            "form": form,
            "seats_left": left,
            "shortlisted": shortlisted,
        },
    )


@officer_required
def level2_selection(request, call_pk):
    call = get_object_or_404(Call, pk=call_pk)
    candidates = list(selectors.level2_candidates(call))
    open_by = conditions.open_conditions_by_enterprise(e.pk for e in candidates)
    for candidate in candidates:
        candidate.open_conditions = open_by.get(candidate.pk, [])
    form = Level2Form(request.POST or None, choices=[(e.pk, e.legal_name) for e in candidates])
    if request.method == "POST" and form.is_valid():
        chosen = {str(e.pk): e for e in candidates}
        try:
            records = services.select_for_level2(
                [chosen[pk] for pk in form.cleaned_data["picks"]], by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            tell_refusal(request, exc)
        else:
            messages.success(request, _("%(count)s enterprises selected for Level 2.") % {"count": len(records)})
            # Selected all the same, but the officer is told of the promises still open.
            for pk in form.cleaned_data["picks"]:
                if chosen[pk].open_conditions:
                    messages.warning(request, conditions.level2_warning(chosen[pk], chosen[pk].open_conditions))
            return redirect("enterprises:level2_selection", call_pk=call.pk)
    selected = Enterprise.objects.filter(call=call, stage=Stage.LEVEL2_SHORTLISTED).order_by("legal_name")
    return render(
        request,
        "enterprises/path/level2_selection.html",
        {"call": call, "candidates": candidates, "form": form, "selected": selected},
    )


# ---------------------------------------------------------------- letters
def _kind(kind: str) -> str:
    if kind not in LetterKind.values:
        raise Http404
    return kind


@officer_required
def letter_view(request, pk, kind):
    kind = _kind(kind)
    if kind not in letters.ENTERPRISE_KINDS:
        raise Http404
    enterprise = get_object_or_404(Enterprise.objects.select_related("call", "batch", "expression_of_interest"), pk=pk)
    if request.method == "POST":
        sent = letters.send_letter(enterprise, kind, by=request.user)
        messages.success(
            request,
            _("The letter to %(email)s is in the outbox; it leaves as soon as the mail server takes it.")
            % {"email": sent.recipient},
        )
        return redirect("enterprises:enterprise_detail", pk=pk)
    letter = letters.render_letter(enterprise, kind)
    return render(
        request,
        "enterprises/path/letter.html",
        {"enterprise": enterprise, "letter": letter, "kind_label": LetterKind(kind).label},
    )


@officer_required
def letter_template_edit(request, call_pk, kind):
    kind = _kind(kind)
    call = get_object_or_404(Call, pk=call_pk)
    subject, body, own = letters.template_for(call, kind)
    form = LetterTemplateForm(request.POST or None, initial={"subject": subject, "body": body})
    if request.method == "POST" and form.is_valid():
        letters.save_template(call, kind, by=request.user, **form.cleaned_data)
        messages.success(request, _("The letter text was saved for this call."))
        return redirect("enterprises:letter_template_edit", call_pk=call.pk, kind=kind)
    return render(
        request,
        "enterprises/path/letter_template_form.html",
        {
            "call": call,
            "kind": kind,
            "kind_label": LetterKind(kind).label,
            "form": form,
            "own": own,
            "placeholders": [(letters.spelled(name), text) for name, text in letters.PLACEHOLDERS.items()],
            "kinds": LetterKind.choices,
        },
    )


# ---------------------------------------------------------------- pipeline
@officer_required
def pipeline(request):
    call = None
    if request.GET.get("call", "").isdigit():
        call = Call.objects.filter(pk=request.GET["call"]).first()
    summary = selectors.pipeline_summary(call)
    stages = [(value, label, summary["per_stage"].get(value, 0)) for value, label in Stage.choices]
    return render(
        request,
        "enterprises/path/pipeline.html",
        {
            "call": call,
            "calls": Call.objects.order_by("-opens_on"),
            "summary": summary,
            "stages": stages,
            "stage_columns": Stage.choices,
            "funnel_width": funnel.FUNNEL_WIDTH,
            "funnel_labels": funnel.FUNNEL_LABELS,
            "funnel_height": funnel.funnel_height(),
        },
    )


@officer_required
@require_POST
def enterprise_assign(request, pk):
    enterprise = get_object_or_404(Enterprise, pk=pk)
    form = AssignConsultantForm(request.POST, enterprise=enterprise)
    if form.is_valid():
        consultant = form.cleaned_data["consultant"]
        services.assign_consultant(enterprise, consultant, by=request.user)
        messages.success(request, _("%(name)s can now see this enterprise.") % {"name": display_name(consultant)})
    else:
        messages.error(request, _("Choose a consultant who is not assigned yet."))
    return redirect("enterprises:enterprise_detail", pk=pk)


@officer_required
@require_POST
def enterprise_unassign(request, pk, user_pk):
    enterprise = get_object_or_404(Enterprise, pk=pk)
    assignment = get_object_or_404(
        enterprise.consultant_assignments.select_related("consultant"), consultant_id=user_pk
    )
    services.unassign_consultant(enterprise, assignment.consultant, by=request.user)
    messages.success(
        request,
        _("%(name)s no longer sees this enterprise.") % {"name": display_name(assignment.consultant)},
    )
    return redirect("enterprises:enterprise_detail", pk=pk)
