"""Conditions from screening: staff promised "if selected" fall due at the shortlisting, are shown
on the enterprise page and in the worklist's selector, are met by recording the hire, and are warned
about at the selection for Level 2."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from enterprises.models import HiringCondition, HiringRole, Stage
from enterprises.path import conditions
from enterprises.tests.factories import CallFactory
from enterprises.tests.test_path_helpers import (
    DAY,
    NEEDS_REVIEW,
    batch_for,
    override,
    screened_eoi,
    shortlisted,
    walk_to,
)

pytestmark = pytest.mark.django_db


def promised(officer, number, call=None):
    """An enterprise that had no HR officer and promised to hire one if selected, shortlisted today."""
    call = call or CallFactory()
    eoi = override(screened_eoi(call, number, **NEEDS_REVIEW), officer, outcome="eligible")
    from enterprises.path import services

    services.shortlist_for_batch(batch_for(call, name=f"B {number}"), [eoi], by=officer, reason="Ranked")
    return eoi.enterprises_following.get()


def test_a_promise_to_hire_falls_due_at_the_shortlisting(officer):
    call = CallFactory(hire_within_days=60)
    enterprise = promised(officer, "8100-1", call)
    [condition] = enterprise.hiring_conditions.all()
    assert condition.role == HiringRole.HR_OFFICER and not condition.met
    assert condition.due_on == timezone.localdate() + datetime.timedelta(days=60)
    # An enterprise with its staff in place has no condition.
    assert not shortlisted(officer, number="8100-2").hiring_conditions.exists()


def test_a_condition_due_appears_in_the_worklist_selector_until_the_hire_is_recorded(officer):
    enterprise = promised(officer, "8100-3", CallFactory(hire_within_days=10))
    today = timezone.localdate()
    assert [c.enterprise for c in conditions.conditions_due(today=today)] == [enterprise]
    assert not conditions.conditions_due(today=today, within_days=5).exists()
    condition = enterprise.hiring_conditions.get()
    with pytest.raises(ValidationError, match="name of the person hired"):
        conditions.record_hire(condition, name=" ", hired_on=today, by=officer)
    conditions.record_hire(condition, name="Ayesha Siddiqui", hired_on=today, by=officer)
    condition.refresh_from_db()
    assert (condition.hired_name, condition.hired_on, condition.recorded_by) == ("Ayesha Siddiqui", today, officer)
    assert condition.history.first().history_user == officer
    assert not conditions.conditions_due(today=today).exists()


def test_the_enterprise_page_shows_the_condition_and_records_the_hire(client, officer):
    enterprise = promised(officer, "8100-4")
    client.force_login(officer)
    url = reverse("enterprises:enterprise_detail", args=[enterprise.pk])
    page = client.get(url).content.decode()
    assert "Conditions from screening" in page and "Human resource officer" in page and "due " in page
    condition = enterprise.hiring_conditions.get()
    client.post(
        reverse("enterprises:hiring_condition_met", args=[enterprise.pk, condition.pk]),
        {"name": "Bilal Anwar", "hired_on": DAY.isoformat()},
    )
    assert "Bilal Anwar" in client.get(url).content.decode()
    assert HiringCondition.objects.get().met


def test_level2_selection_warns_of_an_open_condition(client, officer):
    enterprise = walk_to(promised(officer, "8100-5"), Stage.LEVEL2_INTEREST, officer)
    client.force_login(officer)
    url = reverse("enterprises:level2_selection", args=[enterprise.call_id])
    assert "Human resource officer not hired yet" in client.get(url).content.decode()
    response = client.post(url, {"picks": [enterprise.pk], "reason": "Strong results"}, follow=True)
    texts = [str(m) for m in response.context["messages"]]
    assert any("has not yet hired the human resource officer it promised at screening" in t for t in texts)
    enterprise.refresh_from_db()
    assert enterprise.stage == Stage.LEVEL2_SHORTLISTED  # warned, not refused
