"""Writes of the training app. Each runs in a transaction; the views only call these."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    EitMeeting,
    PhotoPair,
    PlanItem,
    Suggestion,
    Visit,
    VisitAction,
    VisitDraft,
    VisitStatus,
)
from . import photos

# Form fields that a draft never keeps (the CSRF token is per session, not part of the visit).
NOT_DRAFTED = {"csrfmiddlewaretoken"}


# ---------------------------------------------------------------- visits
@transaction.atomic
def start_visit(enterprise, consultant, *, today: datetime.date | None = None) -> tuple[Visit, bool]:
    """Open a visit log for the enterprise. An unfinished draft of the same consultant for the same
    enterprise is resumed rather than doubled. Returns (visit, created)."""
    existing = (
        Visit.objects.select_for_update()
        .filter(enterprise=enterprise, consultant=consultant, status=VisitStatus.DRAFT)
        .order_by("-pk")
        .first()
    )
    if existing:
        return existing, False
    return Visit.objects.create(enterprise=enterprise, consultant=consultant, date=today or timezone.localdate()), True


def draft_data_from(post) -> dict:
    """The posted form as a plain dict of lists, as VisitDraft keeps it."""
    return {key: post.getlist(key) for key in post if key not in NOT_DRAFTED}


@transaction.atomic
def save_draft(visit: Visit, post, *, by) -> VisitDraft:
    """Keep what the form holds now, valid or not. Called every few seconds while the form is filled."""
    draft, _created = VisitDraft.objects.update_or_create(
        visit=visit, defaults={"data": draft_data_from(post), "saved_by": by, "saved_at": timezone.now()}
    )
    return draft


def _locked_visit(visit: Visit) -> Visit:
    return Visit.objects.select_for_update().get(pk=visit.pk)


def _save_visit_and_actions(form, formset) -> Visit:
    visit = form.save()
    formset.instance = visit
    formset.save()
    return visit


@transaction.atomic
def submit_visit(visit: Visit, form, formset, *, by) -> Visit:
    """Submit a draft visit (valid form and actions formset): it is then locked. The draft goes."""
    if _locked_visit(visit).status != VisitStatus.DRAFT:
        raise ValidationError(_("This visit was already submitted; amend it instead."), code="locked")
    visit = form.save(commit=False)
    visit.status = VisitStatus.SUBMITTED
    visit.submitted_at = timezone.now()
    visit._change_reason = _("Submitted")
    visit = _save_visit_and_actions(form, formset)
    VisitDraft.objects.filter(visit=visit).delete()
    return visit


@transaction.atomic
def amend_visit(visit: Visit, form, formset, *, reason: str, by) -> Visit:
    """Change a submitted visit. The history keeps the version before the amendment, with who and why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the visit is amended.")}, code="reason_required")
    current = _locked_visit(visit)
    if current.status != VisitStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted visit can be amended."), code="not_submitted")
    visit = form.save(commit=False)
    visit.version = current.version + 1
    visit._change_reason = reason
    for action_form in formset.forms:
        action_form.instance._change_reason = reason
    visit = _save_visit_and_actions(form, formset)
    VisitDraft.objects.filter(visit=visit).delete()
    return visit


@transaction.atomic
def discard_draft_visit(visit: Visit) -> None:
    """Delete a visit that was never submitted."""
    if _locked_visit(visit).status != VisitStatus.DRAFT:
        raise ValidationError(_("A submitted visit cannot be deleted."), code="locked")
    visit.delete()


@transaction.atomic
def set_action_status(action: VisitAction, status: str, *, by) -> VisitAction:
    """Follow an agreed action up (done, dropped...) without amending the visit; the history keeps it."""
    action = VisitAction.objects.select_for_update().get(pk=action.pk)
    action.status = status
    action._change_reason = _("Status updated")
    action.save(update_fields=["status"])
    return action


# ---------------------------------------------------------------- 5S photos
def _photo_name(enterprise, stem: str, extension: str) -> str:
    return f"training/photos/{enterprise.pk}/{stem}.{extension}"


def _write(name: str, content: bytes, *, overwrite: bool = False) -> str:
    if overwrite and default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))


def _write_clean_photo(enterprise, clean: photos.CleanPhoto, stem: str, *, overwrite=False) -> tuple[str, str]:
    written = []
    try:
        written.append(_write(_photo_name(enterprise, stem, clean.extension), clean.content, overwrite=overwrite))
        written.append(
            _write(_photo_name(enterprise, f"{stem}-thumb", clean.extension), clean.thumbnail, overwrite=overwrite)
        )
    except Exception:
        _remove_files(written)
        raise
    return written[0], written[1]


def write_photo(enterprise, upload, stem: str, *, overwrite: bool = False) -> tuple[str, str]:
    """Check one photo by its content and write it, cleaned, with its thumbnail under the enterprise's
    folder as `<stem>.<ext>` and `<stem>-thumb.<ext>`; `overwrite` replaces files of those names (the
    demo's fixed names). Returns the two file names; no row is made."""
    return _write_clean_photo(enterprise, photos.clean_photo(upload), stem, overwrite=overwrite)


def _remove_files(names) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


def store_photo_pair(
    enterprise,
    *,
    area: str,
    caption: str,
    before,
    before_taken_on=None,
    after=None,
    after_taken_on=None,
    by,
    client_id=None,
) -> PhotoPair:
    """Check the photos by content, then write the cleaned files and the row.

    A refused file raises ValidationError before anything is written. If the row cannot be saved,
    the files written for it are removed again."""
    clean_before = photos.clean_photo(before)
    clean_after = photos.clean_photo(after) if after else None
    stem = uuid.uuid4().hex
    written: list[str] = []
    try:
        before_name, before_thumb = _write_clean_photo(enterprise, clean_before, f"{stem}-before")
        written += [before_name, before_thumb]
        after_name = after_thumb = ""
        if clean_after:
            after_name, after_thumb = _write_clean_photo(enterprise, clean_after, f"{stem}-after")
            written += [after_name, after_thumb]
        with transaction.atomic():
            pair = PhotoPair.objects.create(
                enterprise=enterprise,
                area=area,
                caption=caption,
                before=before_name,
                before_thumb=before_thumb,
                before_taken_on=before_taken_on or timezone.localdate(),
                after=after_name,
                after_thumb=after_thumb,
                after_taken_on=(after_taken_on or timezone.localdate()) if clean_after else None,
                uploaded_by=by,
                client_id=client_id,
            )
    except Exception:
        _remove_files(written)
        raise
    return pair


def add_after_photo(pair: PhotoPair, upload, *, taken_on=None, by) -> PhotoPair:
    """Add (or replace) the "after" photo of a pair."""
    clean = photos.clean_photo(upload)
    written = _write_clean_photo(pair.enterprise, clean, f"{uuid.uuid4().hex}-after")
    try:
        with transaction.atomic():
            pair = PhotoPair.objects.select_for_update().get(pk=pair.pk)
            old = [pair.after.name, pair.after_thumb.name]
            pair.after, pair.after_thumb = written
            pair.after_taken_on = taken_on or timezone.localdate()
            pair.save(update_fields=["after", "after_thumb", "after_taken_on"])
    except Exception:
        _remove_files(written)
        raise
    transaction.on_commit(lambda: _remove_files(old))
    return pair


def replace_photo_pair(pair: PhotoPair, *, area: str, caption: str, before, after=None, by) -> PhotoPair:
    """Put right a wrong pair: new photos (checked by content) in place of the old ones. The earlier
    files are not deleted: the pair's history still shows them, with who replaced them."""
    clean_before = photos.clean_photo(before)
    clean_after = photos.clean_photo(after) if after else None
    stem = uuid.uuid4().hex
    written: list[str] = []
    try:
        written += _write_clean_photo(pair.enterprise, clean_before, f"{stem}-before")
        if clean_after:
            written += _write_clean_photo(pair.enterprise, clean_after, f"{stem}-after")
        with transaction.atomic():
            pair = PhotoPair.objects.select_for_update().get(pk=pair.pk)
            pair.area, pair.caption = area, caption
            pair.before, pair.before_thumb = written[0], written[1]
            pair.before_taken_on = timezone.localdate()
            if clean_after:
                pair.after, pair.after_thumb = written[2], written[3]
                pair.after_taken_on = timezone.localdate()
            pair._change_reason = _("Replaced as wrong")
            pair._history_user = by
            pair.save()
    except Exception:
        _remove_files(written)
        raise
    return pair


@transaction.atomic
def remove_photo_pair(pair: PhotoPair, *, by) -> None:
    """Take a wrong pair off the enterprise's pages and reports; it stays in the history, files included."""
    pair = PhotoPair.objects.select_for_update().get(pk=pair.pk)
    pair.removed_at = timezone.now()
    pair._change_reason = _("Removed as wrong")
    pair._history_user = by
    pair.save(update_fields=["removed_at"])


def ensure_client_id(visit: Visit) -> Visit:
    """Give a visit opened online (or older than the phones' ids) the id its phone record will carry,
    so that every device editing it sends the same one. Not a change of the visit: no history row."""
    if visit.client_id is None:
        new_id = uuid.uuid4()
        Visit.objects.filter(pk=visit.pk, client_id__isnull=True).update(client_id=new_id)
        visit.client_id = Visit.objects.values_list("client_id", flat=True).get(pk=visit.pk)
    return visit


# ---------------------------------------------------------------- EIT, plan, suggestions
@transaction.atomic
def add_for_enterprise(form, enterprise, **extra):
    """Save a valid ModelForm of an EIT member, plan item or suggestion for this enterprise."""
    obj = form.save(commit=False)
    obj.enterprise = enterprise
    for name, value in extra.items():
        setattr(obj, name, value)
    obj.save()
    form.save_m2m()
    return obj


@transaction.atomic
def record_eit_meeting(form, enterprise, *, by) -> EitMeeting:
    attendees = form.cleaned_data.get("attendees") or []
    if any(member.enterprise_id != enterprise.pk for member in attendees):
        raise ValidationError(_("Only this enterprise's EIT members can attend its meetings."), code="other_members")
    return add_for_enterprise(form, enterprise, recorded_by=by)


@transaction.atomic
def set_plan_item_status(item: PlanItem, status: str, *, by) -> PlanItem:
    item = PlanItem.objects.select_for_update().get(pk=item.pk)
    item.status = status
    item.save(update_fields=["status"])
    return item


@transaction.atomic
def decide_suggestion(suggestion: Suggestion, decision: str, *, reward: str = "", by) -> Suggestion:
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    suggestion.decision = decision
    if reward:
        suggestion.reward = reward
    suggestion.save(update_fields=["decision", "reward"])
    return suggestion
