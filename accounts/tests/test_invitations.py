"""Officers invite people by email; the link sets a password once, within seven days."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent, AccountEventKind, Invitation
from enterprises.models import ConsultantAssignment, EnterpriseContact
from score_portal.models import OutgoingMessage
from score_portal.roles import is_consultant, is_enterprise_contact, is_officer

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/accounts/invitation/(\S+)/")


def _invite(client, **data):
    response = client.post(reverse("accounts:invite"), {"first_name": "", "last_name": "", "position": "", **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    message = OutgoingMessage.objects.latest("pk")
    return message, LINK.search(message.body).group(1)


def test_an_invited_contact_sets_a_password_and_sees_its_own_enterprise(
    client, officer, enterprise, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        message, token = _invite(
            client,
            email="Nadia@IndusKnit.example.pk",
            first_name="Nadia",
            role="Enterprise contact",
            enterprise=enterprise.pk,
        )
    # The mail went through the outbox, and was sent.
    assert message.subject == "Your invitation to the SCORE Portal"
    assert message.kind_label == "Invitation to the portal"
    assert [m.to for m in mailoutbox] == [["nadia@indusknit.example.pk"]]
    assert "within 7 days" in message.body
    client.logout()

    page = client.get(reverse("accounts:accept", args=[token]))
    assert page.status_code == 200 and "Indus Knitwear" in page.content.decode()
    response = client.post(
        reverse("accounts:accept", args=[token]),
        {"username": "nadia", "password1": "Faisalabad-Looms-77", "password2": "Faisalabad-Looms-77"},
    )
    assert response.status_code == 302
    nadia = get_user_model().objects.get(username="nadia")
    assert nadia.check_password("Faisalabad-Looms-77") and nadia.email == "nadia@indusknit.example.pk"
    assert is_enterprise_contact(nadia) and not is_officer(nadia)
    assert EnterpriseContact.objects.get(user=nadia).enterprise == enterprise
    # Logged in at once, on the enterprise's own page only.
    assert client.get(reverse("enterprises:enterprise_detail", args=[enterprise.pk])).status_code == 200

    # The link works once.
    client.logout()
    again = client.get(reverse("accounts:accept", args=[token]))
    assert again.status_code == 404 and "no longer works" in again.content.decode()
    kinds = list(AccountEvent.objects.order_by("pk").values_list("kind", "by__username"))
    assert kinds == [(AccountEventKind.INVITED, "officer1"), (AccountEventKind.INVITATION_ACCEPTED, "nadia")]


def test_an_invited_consultant_is_assigned_to_the_enterprise_it_was_invited_for(client, officer, enterprise):
    client.force_login(officer)
    _message, token = _invite(client, email="tariq@example.org", role="Consultant", enterprise=enterprise.pk)
    client.logout()
    client.post(
        reverse("accounts:accept", args=[token]),
        {"username": "tariq", "password1": "Sialkot-Stitch-2026", "password2": "Sialkot-Stitch-2026"},
    )
    tariq = get_user_model().objects.get(username="tariq")
    assert is_consultant(tariq)
    assert ConsultantAssignment.objects.filter(consultant=tariq, enterprise=enterprise, assigned_by=officer).exists()
    assert ConsultantAssignment.history.get(consultant_id=tariq.pk).history_user == officer


def test_an_expired_invitation_makes_no_account(client, officer):
    client.force_login(officer)
    _message, token = _invite(client, email="late@example.org", role="ILO project officer")
    client.logout()
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert Invitation.objects.get().created_at < timezone.now() - datetime.timedelta(seconds=0)
    response = client.post(
        reverse("accounts:accept", args=[token]),
        {"username": "late", "password1": "Karachi-Port-2026", "password2": "Karachi-Port-2026"},
    )
    assert response.status_code == 404
    assert "no longer works" in response.content.decode()
    assert not get_user_model().objects.filter(username="late").exists()


def test_the_link_expires_seven_days_after_it_was_sent(officer):
    from accounts import services

    sent = timezone.now()
    invitation = services.invite(
        email="x@example.org", role="Consultant", by=officer, link_for=lambda token: token, now=sent
    )
    assert invitation.expires_at == sent + datetime.timedelta(days=7)


def test_a_weak_or_mismatched_password_is_refused(client, officer):
    client.force_login(officer)
    _message, token = _invite(client, email="weak@example.org", role="Consultant")
    client.logout()
    response = client.post(
        reverse("accounts:accept", args=[token]), {"username": "weak", "password1": "12345678", "password2": "12345678"}
    )
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="weak").exists()


def test_a_contact_invitation_needs_its_enterprise(client, officer):
    client.force_login(officer)
    response = client.post(reverse("accounts:invite"), {"email": "a@example.org", "role": "Enterprise contact"})
    assert response.status_code == 200
    assert "Choose the contact" in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_enterprise_page_offers_to_invite_its_contact(client, officer, enterprise):
    client.force_login(officer)
    page = client.get(reverse("enterprises:enterprise_detail", args=[enterprise.pk])).content.decode()
    assert f"{reverse('accounts:invite')}?enterprise={enterprise.pk}&amp;role=Enterprise+contact" in page
    form = client.get(reverse("accounts:invite"), {"enterprise": enterprise.pk, "role": "Enterprise contact"})
    assert f'<option value="{enterprise.pk}" selected>' in form.content.decode()


def test_inviting_again_replaces_the_first_link(officer):
    from accounts import services

    tokens = []
    for _ in range(2):
        services.invite(email="twice@example.org", role="Consultant", by=officer, link_for=tokens.append)
    assert services.open_invitation(tokens[0]) is None
    assert services.open_invitation(tokens[1]) is not None
