"""Enterprises act for themselves: the contact registers interest in the full package (step 4) and
adds suggestions to its log; everything else stays read-only for it."""

import pytest
from django.urls import reverse

from enterprises.models import Stage
from enterprises.path import services as path_services
from enterprises.tests.test_path_helpers import DAY, batch_for, walk_to
from training.models import Suggestion, SuggestionDecision
from training.tests import path_data

pytestmark = pytest.mark.django_db


def test_the_contact_registers_interest_in_the_full_package_once_level1_is_completed(
    persona_client, enterprise, officer, contact
):
    url = reverse("enterprises:enterprise_level2_interest", args=[enterprise.pk])
    page = reverse("enterprises:enterprise_detail", args=[enterprise.pk])
    path_services.shortlist_for_batch(
        batch_for(enterprise.call), [enterprise.expression_of_interest], by=officer, reason="Ranked"
    )
    enterprise.refresh_from_db()
    walk_to(enterprise, Stage.LEVEL1_ACCEPTED, officer)
    client = persona_client("contact")
    assert "Register our interest" not in client.get(page).content.decode()
    client.post(url)
    enterprise.refresh_from_db()
    assert enterprise.stage == Stage.LEVEL1_ACCEPTED  # refused: Level 1 is not completed
    path_data.data_for(enterprise, Stage.LEVEL1_COMPLETED, officer, DAY)
    path_services.transition(enterprise, Stage.LEVEL1_COMPLETED, by=officer, reason="Done")
    assert persona_client("other_contact").post(url).status_code == 404
    assert persona_client("consultant").post(url).status_code == 404
    client = persona_client("contact")
    assert "Register our interest" in client.get(page).content.decode()
    client.post(url)
    enterprise.refresh_from_db()
    assert enterprise.stage == Stage.LEVEL2_INTEREST and enterprise.level2_interest_on is not None
    assert enterprise.transitions.last().by == contact


def test_the_contact_logs_a_suggestion_but_does_not_decide_it(persona_client, enterprise):
    client = persona_client("contact")
    url = reverse("training:suggestions", args=[enterprise.pk])
    client.post(
        url,
        {
            "text": "A rack for the fabric rolls",
            "submitted_by_level": "worker",
            "submitted_by_sex": "female",
            "submitted_on": "2026-03-02",
            "decision": SuggestionDecision.ADOPTED,
            "reward": "PKR 5,000",
        },
    )
    suggestion = Suggestion.objects.get()
    assert suggestion.text == "A rack for the fabric rolls"
    assert suggestion.decision != SuggestionDecision.ADOPTED and suggestion.reward == ""
    decide = reverse("training:suggestion_decide", args=[enterprise.pk, suggestion.pk])
    assert client.post(decide, {"decision": SuggestionDecision.ADOPTED}).status_code in (403, 404)
    assert persona_client("other_contact").post(url, {"text": "x"}).status_code == 404
