"""What a phone sends from its outbox when the connection returns: visit logs (with their agreed
actions) and 5S photo pairs typed or taken offline.

Every record carries an id made on the phone (`client_id`). A record sent twice (a sync repeated
after a timeout, a second tab) finds what the first sending made instead of making another.
Validation is the online forms' own (VisitForm, ActionFormSet, PhotoPairForm) and the writes are the
online services (save_draft, submit_visit, store_photo_pair): a synced entry is held to exactly what
the page holds an online one to.

A visit submitted on the server is locked. A phone that sends other text for it gets a conflict
carrying the server's version; nothing on the server is overwritten, and the phone keeps its text.
"""

import dataclasses
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import PhotoPair, Visit, VisitStatus
from . import access, services
from .forms import ActionFormSet, PhotoPairForm, VisitForm

VISIT_FIELDS = tuple(VisitForm._meta.fields)
ACTION_FIELDS = ("what", "owner", "due_on", "status")


@dataclasses.dataclass
class VisitSync:
    """The answer to one visit record: saved (a draft), submitted, invalid or conflict."""

    outcome: str
    visit: Visit | None = None
    errors: dict = dataclasses.field(default_factory=dict)
    message: str = ""
    repeated: bool = False  # the same submission sent again: nothing was changed

    @property
    def http_status(self) -> int:
        return {"saved": 200, "submitted": 200, "invalid": 400, "conflict": 409}[self.outcome]


def parse_client_id(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise ValidationError(_("The record has no valid id."), code="client_id") from None


def _text(value) -> str:
    return "" if value is None else str(value)


def _actions(record) -> list[dict]:
    actions = record.get("actions") or []
    if not isinstance(actions, list) or not all(isinstance(a, dict) for a in actions):
        raise ValidationError(_("The actions must be a list of objects."), code="actions")
    return actions


def _real_actions(record) -> list[dict]:
    """The actions the phone holds, without rows left empty (an "Add an action" not used), which the
    formset skips too."""
    return [a for a in _actions(record) if any(_text(a.get(name)).strip() for name in ("what", "owner", "due_on"))]


def form_data_from(record: dict) -> QueryDict:
    """The record as the online form would post it: the visit's fields and the actions formset."""
    fields = record.get("fields") or {}
    if not isinstance(fields, dict):
        raise ValidationError(_("The visit's fields must be an object."), code="fields")
    data = QueryDict(mutable=True)
    for name in VISIT_FIELDS:
        data[name] = _text(fields.get(name))
    # Every row as the page shows it, empty ones too: the formset skips a row left untouched, exactly
    # as online, and the draft keeps the rows' numbering.
    actions = _actions(record)
    data["actions-TOTAL_FORMS"] = str(len(actions))
    data["actions-INITIAL_FORMS"] = "0"
    data["actions-MIN_NUM_FORMS"] = "0"
    data["actions-MAX_NUM_FORMS"] = "1000"
    for index, action in enumerate(actions):
        for name in ACTION_FIELDS:
            data[f"actions-{index}-{name}"] = _text(action.get(name))
        data[f"actions-{index}-client_id"] = _text(action.get("client_id"))
    return data


def _errors_of(form, formset) -> dict:
    """Errors keyed by the names of the online form's fields (`findings`, `actions-1-due_on`)."""
    errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    for index, action_form in enumerate(formset.forms):
        for name, messages in action_form.errors.items():
            errors[f"actions-{index}-{name}"] = [str(m) for m in messages]
    if formset.non_form_errors():
        errors["__all__"] = errors.get("__all__", []) + [str(m) for m in formset.non_form_errors()]
    return errors


def _same_as_submitted(visit: Visit, data: QueryDict, record: dict) -> bool:
    """Does the record hold what the submitted visit holds? Then it is the same submission sent again."""
    current = Visit.objects.get(pk=visit.pk)
    form = VisitForm(data, instance=Visit.objects.get(pk=visit.pk))
    if not form.is_valid():
        return False
    # Compared value by value: the form's has_changed() needs the hidden initial of the date field.
    if any(form.cleaned_data.get(name) != getattr(current, name) for name in VISIT_FIELDS):
        return False
    sent = {_text(a.get("client_id")): _text(a.get("what")).strip() for a in _real_actions(record)}
    kept = {str(a.client_id): a.what.strip() for a in visit.actions.all()}
    return sent == kept


def _visit_of(user, client_id: uuid.UUID, record: dict) -> Visit:
    """The visit the record is about, found by its id from the phone (or by the server's number for a
    visit opened online), or started now. Access as on the pages: 404 outside the user's scope."""
    enterprise_pk = record.get("enterprise")
    visit = Visit.objects.filter(client_id=client_id).only("pk").first()
    if visit is None and record.get("visit"):
        visit = access.visit_to_edit(user, record["visit"])
        if visit.client_id and visit.client_id != client_id:
            raise ValidationError(_("This visit is known under another id."), code="client_id")
    if visit is None:
        try:
            enterprise = access.enterprise_to_work_on(user, int(enterprise_pk))
        except (TypeError, ValueError):
            raise Http404("No such enterprise") from None
        fields = record.get("fields") or {}
        date = (
            VisitForm.base_fields["date"].to_python(_text(fields.get("date")) or None) if fields.get("date") else None
        )
        visit, _created = Visit.objects.get_or_create(
            client_id=client_id,
            defaults={"enterprise": enterprise, "consultant": user, "date": date or timezone.localdate()},
        )
    visit = access.visit_to_edit(user, visit.pk)
    if enterprise_pk not in (None, "") and str(visit.enterprise_id) != str(enterprise_pk):
        raise ValidationError(_("This visit belongs to another enterprise."), code="enterprise")
    if visit.client_id is None:
        Visit.objects.filter(pk=visit.pk, client_id__isnull=True).update(client_id=client_id)
        visit.client_id = client_id
    return visit


def sync_visit(user, record: dict) -> VisitSync:
    """Keep the phone's visit record as the draft, and submit it when the phone asks to."""
    if not isinstance(record, dict):
        return VisitSync("invalid", errors={"__all__": [_("The record must be an object.")]})
    try:
        client_id = parse_client_id(record.get("client_id"))
        data = form_data_from(record)
        with transaction.atomic():
            visit = _visit_of(user, client_id, record)
            locked = Visit.objects.select_for_update().get(pk=visit.pk)
            if locked.status != VisitStatus.DRAFT:
                if record.get("submit") and _same_as_submitted(locked, data, record):
                    return VisitSync("submitted", locked, repeated=True)
                return VisitSync(
                    "conflict",
                    locked,
                    message=_(
                        "This visit was submitted on the server meanwhile and is locked. "
                        "Your text is kept on this phone: amend the visit to add it."
                    ),
                )
            # As online: what the phone holds is kept first, so a refused submission loses nothing.
            services.save_draft(visit, data, by=user)
            if not record.get("submit"):
                return VisitSync("saved", visit)
            # Submitted under the same lock: the same record sent twice at once waits here, then finds
            # it submitted and answers as for a repeat (it met a submitted visit in submit_visit: 409).
            return _submit(visit, data, user)
    except ValidationError as exc:
        return VisitSync("invalid", errors={"__all__": exc.messages})


def _submit(visit: Visit, data: QueryDict, user) -> VisitSync:
    """Submit the draft just saved; invalid answers leave it a draft (a savepoint undoes a refusal)."""
    form = VisitForm(data, instance=visit)
    formset = ActionFormSet(data, instance=visit, prefix="actions")
    if not (form.is_valid() and formset.is_valid()):
        return VisitSync("invalid", visit, errors=_errors_of(form, formset))
    for index, action_form in enumerate(formset.forms):
        try:
            action_form.instance.client_id = parse_client_id(data.get(f"actions-{index}-client_id"))
        except ValidationError:
            action_form.instance.client_id = uuid.uuid4()
    try:
        visit = services.submit_visit(visit, form, formset, by=user)
    except ValidationError as exc:
        return VisitSync("conflict", visit, message=" ".join(exc.messages))
    except IntegrityError:
        return VisitSync("conflict", visit, message=_("An action of this visit was already sent with another visit."))
    return VisitSync("submitted", visit)


# ---------------------------------------------------------------- 5S photos
@dataclasses.dataclass
class PhotoSync:
    outcome: str  # "saved" or "invalid"
    pair: PhotoPair | None = None
    errors: dict = dataclasses.field(default_factory=dict)


def _pair_already_sent(user, client_id) -> PhotoPair | None:
    pair = PhotoPair.all_objects.filter(client_id=client_id).first()
    if pair is not None:
        # The same access as the photo pages: someone else's id answers 404, not a pair.
        access.enterprise_to_work_on(user, pair.enterprise_id)
    return pair


def sync_photo_pair(user, enterprise_pk, post, files) -> PhotoSync:
    """Store a pair sent from the phone once: checked by content, cleaned and thumbnailed as online."""
    try:
        client_id = parse_client_id(post.get("client_id"))
    except ValidationError as exc:
        return PhotoSync("invalid", errors={"client_id": exc.messages})
    if pair := _pair_already_sent(user, client_id):
        return PhotoSync("saved", pair)
    enterprise = access.enterprise_to_work_on(user, enterprise_pk)
    form = PhotoPairForm(post, files)
    if not form.is_valid():
        return PhotoSync("invalid", errors={k: [str(m) for m in v] for k, v in form.errors.items()})
    try:
        # The form's fields are the service's: area, caption, the two photos and their dates.
        pair = services.store_photo_pair(enterprise, **form.cleaned_data, by=user, client_id=client_id)
    except ValidationError as exc:
        return PhotoSync("invalid", errors={"before": exc.messages})
    except IntegrityError:
        # Sent twice at once: the other request stored it (and this one removed its own files).
        return PhotoSync("saved", _pair_already_sent(user, client_id))
    return PhotoSync("saved", pair)
