"""Consent: the words the public form asks an enterprise to agree to (versioned, so that an EOI keeps
the text it accepted), and the enterprise's later consent to share its data beyond the programme
(the global SCORE database, its buyers), recorded by an officer with who and when.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from score_portal.roles import is_officer

from .models import DataSharingConsent

# Version 1 was the form's text until the global SCORE database was added (step 10 of the call);
# EOIs received before keep it (migration 0004 wrote it onto them).
EOI_CONSENT_TEXTS = {
    1: _(
        "I agree that the ILO keeps the information in this form and uses it to assess our participation "
        "in the SCORE programme and to contact us about it."
    ),
    2: _(
        "I agree that the ILO keeps the information in this form and uses it to assess our participation "
        "in the SCORE programme and to contact us about it. If we join the programme, our indicators go "
        "into the global SCORE database and our progress is shown to our buyers only with our enterprise's "
        "separate written consent, recorded by the ILO; without our name unless that consent allows it."
    ),
}
EOI_CONSENT_VERSION = max(EOI_CONSENT_TEXTS)


def eoi_consent_text(version: int = EOI_CONSENT_VERSION) -> str:
    """The text in the language of the page, as the enterprise reads it."""
    return str(EOI_CONSENT_TEXTS[version])


def consent_of(enterprise) -> DataSharingConsent | None:
    return DataSharingConsent.objects.filter(enterprise=enterprise).first()


@transaction.atomic
def record_consent(
    enterprise,
    *,
    by,
    global_database: bool,
    global_database_named: bool = False,
    buyer_view: bool,
    buyer_raw_figures: bool = False,
    given_by: str,
    given_on,
    note: str = "",
) -> DataSharingConsent:
    """Record (or change) what the enterprise agreed to share; the history keeps every earlier answer.
    A name or raw figures without the sharing they belong to are dropped, never stored."""
    if not is_officer(by):
        raise PermissionDenied
    consent = DataSharingConsent.objects.select_for_update().filter(enterprise=enterprise).first()
    if consent is None:
        consent = DataSharingConsent(enterprise=enterprise)
    consent.global_database = global_database
    consent.global_database_named = global_database and global_database_named
    consent.buyer_view = buyer_view
    consent.buyer_raw_figures = buyer_view and buyer_raw_figures
    consent.given_by = given_by
    consent.given_on = given_on
    consent.note = note
    consent.recorded_by = by
    consent.recorded_at = timezone.now()
    consent._change_reason = note or "consent recorded"
    consent.save()
    return consent
