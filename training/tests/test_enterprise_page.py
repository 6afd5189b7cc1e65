import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from score_portal.dashboard import panels_for
from score_portal.roles import CONSULTANT
from training.models import Sex, StaffLevel
from training.visits import selectors

from .factories import make_action, make_member, make_plan_item, make_suggestion, make_visit

TODAY = timezone.localdate()


@pytest.mark.django_db
def test_enterprise_page_counts_eit_balance_plan_and_suggestions(client, officer, enterprise):
    make_member(enterprise, "A", StaffLevel.MANAGER, Sex.MALE)
    make_member(enterprise, "B", StaffLevel.WORKER, Sex.FEMALE)
    make_member(enterprise, "C", StaffLevel.WORKER, Sex.FEMALE)
    make_member(enterprise, "D", StaffLevel.WORKER, Sex.MALE, active=False)
    make_plan_item(enterprise, status="done", due_on=TODAY - datetime.timedelta(days=3))
    make_plan_item(enterprise, status="open", due_on=TODAY - datetime.timedelta(days=1))
    make_plan_item(enterprise, status="in_progress", due_on=TODAY + datetime.timedelta(days=5))
    make_suggestion(enterprise, decision="adopted")
    make_suggestion(enterprise, decision="not_adopted")
    make_suggestion(enterprise)

    assert selectors.eit_balance(enterprise) == {"managers": 1, "workers": 2, "women": 2, "men": 1, "total": 3}
    assert selectors.plan_counts(enterprise) == {"total": 3, "done": 1, "overdue": 1}
    assert selectors.suggestion_counts(enterprise) == {"submitted": 3, "adopted": 1}

    client.force_login(officer)
    page = client.get(reverse("training:enterprise_detail", args=[enterprise.pk])).content.decode()
    assert "1 / 2" in page and "2 / 1" in page and "3 / 1" in page


@pytest.mark.django_db
def test_an_eit_meeting_takes_only_this_enterprises_members(client, consultant, enterprise, other_enterprise):
    stranger = make_member(other_enterprise, "Stranger")
    client.force_login(consultant)
    response = client.post(
        reverse("training:eit_meeting_new", args=[enterprise.pk]),
        {"held_on": "2026-01-05", "attendees": [stranger.pk], "decisions": "x"},
    )
    assert response.status_code == 200
    assert not enterprise.eit_meetings.exists()


@pytest.mark.django_db
def test_consultant_home_panels(client, consultant, enterprise, other_enterprise, other_consultant):
    enterprise.stage = "level1_accepted"
    enterprise.save(update_fields=["stage"])
    visit = make_visit(enterprise, consultant, date=TODAY)
    make_action(visit, due_on=TODAY - datetime.timedelta(days=2))
    make_action(visit, due_on=TODAY - datetime.timedelta(days=2), status="done")
    make_action(visit, due_on=TODAY + datetime.timedelta(days=2))
    other = make_visit(other_enterprise, other_consultant, date=TODAY)
    make_action(other, due_on=TODAY - datetime.timedelta(days=2))

    client.force_login(consultant)
    request = client.get(reverse("home")).wsgi_request
    figures = {panel["title"]: panel["value"] for panel in panels_for(CONSULTANT, request)}
    assert figures["My visits this week"] == 1
    assert figures["Overdue agreed actions"] == 1
    assert figures["Enterprises not visited for 30 days or more"] == 0
    not_visited = reverse("training:home") + "?not_visited=1"
    assert "Indus Knitwear" not in client.get(not_visited).content.decode()  # visited today

    visit.date = TODAY - datetime.timedelta(days=31)
    visit.save(update_fields=["date"])
    figures = {panel["title"]: panel["value"] for panel in panels_for(CONSULTANT, request)}
    assert figures["Enterprises not visited for 30 days or more"] == 1
    assert "Indus Knitwear" in client.get(not_visited).content.decode()
    assert "Overdue agreed actions" in client.get(reverse("home")).content.decode()
