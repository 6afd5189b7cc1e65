"""Making and revoking API tokens: officers only, for a person with a role in the portal."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from score_portal.roles import is_officer, role_of

from .models import ApiToken, digest, new_secret


@dataclass(frozen=True)
class Made:
    token: ApiToken
    secret: str  # shown once, never stored


@transaction.atomic
def create_token(*, user, name: str, by) -> Made:
    if not is_officer(by):
        raise PermissionDenied
    if not user.is_active or role_of(user) is None:
        raise ValidationError(_("Only a person with a role in the portal may have a token."), code="no_role")
    secret = new_secret()
    token = ApiToken.objects.create(user=user, name=name, hint=secret[:12], key_digest=digest(secret), created_by=by)
    return Made(token, secret)


@transaction.atomic
def revoke_token(token: ApiToken, *, by) -> ApiToken:
    """From now on the token answers 401; revoking twice changes nothing."""
    if not is_officer(by):
        raise PermissionDenied
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_by=by)
    token.refresh_from_db()
    return token
