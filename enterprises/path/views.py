"""Pages of the enterprise's path: the list and the enterprise page (whoever may see the enterprise);
steps, consultants, batches and shortlisting, Level 2 selection, letters and the pipeline (officers).
Thin: reads in selectors, writes in services and letters."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from score_portal.dashboard import enterprise_links
from score_portal.feedback import tell_refusal
from score_portal.permissions import officer_required
from score_portal.roles import display_name, is_enterprise_contact, is_officer

from .. import access
from ..models import Call, Enterprise, ExpressionOfInterest, LetterKind, Level1Batch, Stage
from . import conditions, funnel, letters, rules, selectors, services
from .forms import (
    AssignConsultantForm,
    BatchForm,
    CeoMeetingForm,
    EnterpriseFilterForm,
    HireForm,
    LetterTemplateForm,
    Level2Form,
    MoveForm,
    RegisterForm,
    ShortlistForm,
)

PAGE_SIZE = 25


# ---------------------------------------------------------------- list and enterprise page
def enterprise_list(request):
    """Officers see every enterprise; a consultant the assigned ones; a contact goes to their own."""
    if is_enterprise_contact(request.user) and not is_officer(request.user):
        return redirect("enterprises:my_enterprise")
    form = EnterpriseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = access.visible_enterprises(
        request.user, selectors.enterprises_filtered(**{k: v for k, v in filters.items() if v})
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "enterprises/path/enterprise_list.html",
        {"form": form, "page": page, "is_officer": is_officer(request.user)},
    )


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
            "letter_kinds": LetterKind.choices,
            "suggested_letter": letters.suggested_kind(enterprise.stage),
            "assignments": enterprise.consultant_assignments.select_related("consultant", "assigned_by"),
            "assign_form": AssignConsultantForm(enterprise=enterprise),
        }
    return render(request, "enterprises/path/enterprise_detail.html", context)


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
    rows = selectors.shortlisting_candidates(batch)
    left = selectors.seats_left(batch)
    form = ShortlistForm(
        request.POST or None, choices=[(row.eoi.pk, row.eoi.reference) for row in rows], capacity_left=left
    )
    if request.method == "POST" and form.is_valid():
        picked = {row.eoi.pk: row.eoi for row in rows}
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
    shortlisted = Enterprise.objects.filter(batch=batch).order_by("legal_name")
    return render(
        request,
        "enterprises/path/batch_shortlist.html",
        {"batch": batch, "rows": rows, "form": form, "seats_left": left, "shortlisted": shortlisted},
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
