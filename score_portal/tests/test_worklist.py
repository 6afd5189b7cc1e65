"""The officer's worklist: each item appears when its cause arises and leaves when it is resolved,
links to where it is resolved, and costs the same number of queries whatever the size."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Decision, Enterprise, HiringCondition, HiringRole, Stage
from enterprises.path import conditions
from enterprises.path import services as path_services
from enterprises.screening import decisions
from enterprises.screening.services import submit_expression_of_interest
from enterprises.tests.factories import CallFactory, eoi_data, make_enterprise
from score_portal import outbox
from score_portal.models import MessageStatus, OutgoingMessage
from score_portal.selectors import worklist_for
from training.models import ActionStatus
from training.tests.factories import make_action, make_visit

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def keys(user):
    return {item.key: item for item in worklist_for(user)}


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def test_an_eoi_awaits_a_decision_until_the_applicant_is_told(officer):
    call = CallFactory()
    eoi = submit_expression_of_interest(call, eoi_data(registration_number="8000-1", legal_name="Awaiting Mills"))
    item = keys(officer)["eois-awaiting-decision"]
    assert item.count == 1
    assert item.entries[0].url == reverse("enterprises:eoi_detail", args=[eoi.pk])
    decisions.decide(eoi, decision=Decision.WAITING_LIST, by=officer)
    assert "eois-awaiting-decision" not in keys(officer)


def test_an_enterprise_past_its_calls_step_limit_appears_and_leaves_when_moved_on(officer):
    enterprise = make_enterprise(officer, number="8100-1", legal_name="Slow Textiles")  # screened
    Enterprise.objects.filter(pk=enterprise.pk).update(stage_changed_at=days_ago(59))
    assert "over-step-limit" not in keys(officer)  # the call allows 60 days from screening to shortlisting
    Enterprise.objects.filter(pk=enterprise.pk).update(stage_changed_at=days_ago(61))
    item = keys(officer)["over-step-limit"]
    assert item.count == 1 and item.entries[0].label == "Slow Textiles"
    assert "for 61 days; the call allows 60" in item.entries[0].detail
    assert item.entries[0].url == reverse("enterprises:enterprise_detail", args=[enterprise.pk])
    # A call that allows more takes it off; so does moving the enterprise on.
    enterprise.call.days_to_shortlist = 90
    enterprise.call.save()
    assert "over-step-limit" not in keys(officer)
    enterprise.call.days_to_shortlist = 60
    enterprise.call.save()
    path_services.transition(enterprise, Stage.WITHDRAWN, by=officer, reason="No longer interested")
    assert "over-step-limit" not in keys(officer)


def test_level1_past_four_months_appears(officer):
    enterprise = make_enterprise(officer, number="8200-1", legal_name="Long Level One")
    Enterprise.objects.filter(pk=enterprise.pk).update(stage=Stage.LEVEL1_ACCEPTED, stage_changed_at=days_ago(100))
    assert "level1-window" not in keys(officer)
    Enterprise.objects.filter(pk=enterprise.pk).update(stage_changed_at=days_ago(130))
    assert keys(officer)["level1-window"].entries[0].label == "Long Level One"
    Enterprise.objects.filter(pk=enterprise.pk).update(stage=Stage.LEVEL1_COMPLETED, stage_changed_at=timezone.now())
    assert "level1-window" not in keys(officer)


def test_staff_the_enterprise_promised_to_hire_are_due_until_the_hire_is_recorded(officer_client, officer):
    enterprise = make_enterprise(officer, number="8250-1", legal_name="Hiring Mills")
    # Its EOI said "not in place, willing to hire if selected"; shortlisted 80 days ago, due after 90.
    condition = HiringCondition.objects.create(
        enterprise=enterprise,
        call=enterprise.call,
        role=HiringRole.COMPLIANCE_OFFICER,
        due_on=TODAY + datetime.timedelta(days=30),
    )
    assert "staff-conditions" not in keys(officer)  # due in a month: not yet the officer's concern
    HiringCondition.objects.filter(pk=condition.pk).update(due_on=TODAY + datetime.timedelta(days=10))
    item = keys(officer)["staff-conditions"]
    assert item.entries[0].label == "Hiring Mills" and item.entries[0].detail.startswith("Compliance officer, due")
    page = officer_client.get(item.entries[0].url)
    assert reverse("enterprises:hiring_condition_met", args=[enterprise.pk, condition.pk]) in page.content.decode()
    conditions.record_hire(condition, name="Sana Iqbal", hired_on=TODAY, by=officer)
    assert "staff-conditions" not in keys(officer)


def test_overdue_actions_and_unvisited_enterprises_across_consultants(officer, consultant, enterprise):
    Enterprise.objects.filter(pk=enterprise.pk).update(stage=Stage.LEVEL1_ACCEPTED, stage_changed_at=timezone.now())
    assert keys(officer)["not-visited"].entries[0].label == enterprise.legal_name
    visit = make_visit(enterprise, consultant, date=TODAY - datetime.timedelta(days=3))
    action = make_action(visit, due_on=TODAY - datetime.timedelta(days=1))
    items = keys(officer)
    assert "not-visited" not in items
    assert items["overdue-actions"].count == 1
    assert items["overdue-actions"].entries[0].url == reverse("training:visit_detail", args=[visit.pk])
    action.status = ActionStatus.DONE
    action.save()
    assert "overdue-actions" not in keys(officer)


def test_this_weeks_visits_and_sessions_are_listed(officer, consultant, enterprise):
    assert "this-week" not in keys(officer)
    visit = make_visit(enterprise, consultant, date=TODAY)
    item = keys(officer)["this-week"]
    assert item.count == 1 and item.entries[0].url == reverse("training:visit_detail", args=[visit.pk])
    # Next week it is no longer this week's.
    assert "this-week" not in {i.key for i in worklist_for(officer, today=TODAY + datetime.timedelta(days=7))}


def test_failed_mail_appears_until_it_is_sent_again(officer, settings):
    message = outbox.enqueue(to="someone@example.org", subject="Hello", body="Hi", kind="notification")
    OutgoingMessage.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED, last_error="550 no such user")
    item = keys(officer)["failed-mail"]
    assert item.count == 1 and item.entries[0].url == reverse("outbox:detail", args=[message.pk])
    outbox.resend(message, by=officer)
    assert "failed-mail" not in keys(officer)


def test_the_home_page_shows_the_worklist_and_the_smaller_counts(officer_client, officer):
    call = CallFactory()
    submit_expression_of_interest(call, eoi_data(registration_number="8300-1", legal_name="Home Page Mills"))
    html = officer_client.get(reverse("home")).content.decode()
    assert 'id="work-eois-awaiting-decision"' in html and "Home Page Mills" in html
    assert "home-counts" in html


def _grow(officer, consultant, start, n):
    """n of every kind of item: EOIs awaiting, enterprises late at a step and in Level 1, visits with
    overdue actions, unvisited enterprises, failed mail."""
    call = CallFactory()
    for i in range(n):
        number = f"9{start:02d}{i:03d}-1"
        submit_expression_of_interest(call, eoi_data(registration_number=f"{number}0", legal_name=f"Awaiting {number}"))
        late = make_enterprise(officer, number=f"{number}1", call=call, legal_name=f"Late {number}")
        Enterprise.objects.filter(pk=late.pk).update(stage_changed_at=days_ago(200))
        level1 = make_enterprise(officer, number=f"{number}2", call=call, legal_name=f"Level one {number}")
        Enterprise.objects.filter(pk=level1.pk).update(stage=Stage.LEVEL1_ACCEPTED, stage_changed_at=days_ago(200))
        path_services.assign_consultant(level1, consultant, by=officer)
        visit = make_visit(level1, consultant, date=TODAY - datetime.timedelta(days=40))
        make_action(visit, due_on=TODAY - datetime.timedelta(days=5))
        make_visit(level1, consultant, date=TODAY, status="draft")
        message = outbox.enqueue(to=f"x{number}@example.org", subject="Hi", body="Hi", kind="notification")
        OutgoingMessage.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED)


def test_the_worklist_costs_the_same_queries_at_two_sizes(
    officer_client, officer, consultant, django_assert_max_num_queries, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _grow(officer, consultant, 1, 2)
    with CaptureQueriesContext(connection) as small:
        assert officer_client.get(reverse("home")).status_code == 200
    _grow(officer, consultant, 2, 12)
    with CaptureQueriesContext(connection) as large:
        response = officer_client.get(reverse("home"))
    items = {item.key: item for item in response.context["worklist"]}
    assert items["eois-awaiting-decision"].count == 14 and items["over-step-limit"].count == 14
    assert items["failed-mail"].count == 14 and items["overdue-actions"].count == 14
    assert len(large.captured_queries) == len(small.captured_queries)
    with django_assert_max_num_queries(40):
        officer_client.get(reverse("home"))


def test_a_consultants_home_lists_their_own_due_visits_and_overdue_actions(
    client, consultant, other_consultant, enterprise, other_enterprise
):
    Enterprise.objects.filter(pk__in=[enterprise.pk, other_enterprise.pk]).update(stage=Stage.LEVEL1_ACCEPTED)
    mine = make_visit(enterprise, consultant, date=TODAY - datetime.timedelta(days=20), next_visit_on=TODAY)
    make_action(mine, due_on=TODAY - datetime.timedelta(days=2), what="Mine overdue")
    theirs = make_visit(
        other_enterprise, other_consultant, date=TODAY - datetime.timedelta(days=20), next_visit_on=TODAY
    )
    make_action(theirs, due_on=TODAY - datetime.timedelta(days=2), what="Theirs overdue")
    items = keys(consultant)
    assert [e.label for e in items["visits-due"].entries] == [enterprise.legal_name]
    assert [e.label for e in items["overdue-actions"].entries] == [f"{enterprise.legal_name}: Mine overdue"]
    client.force_login(consultant)
    html = client.get(reverse("home")).content.decode()
    assert "Mine overdue" in html and "Theirs overdue" not in html


def test_a_consultants_home_counts_the_enterprises_not_visited_once_for_its_figure_and_its_worklist(
    client, consultant, enterprise
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Enterprise.objects.filter(pk=enterprise.pk).update(stage=Stage.LEVEL1_ACCEPTED)
    client.force_login(consultant)
    with CaptureQueriesContext(connection) as home:
        response = client.get(reverse("home"))
    panels = {panel["title"]: panel["value"] for panel in response.context["panels"]}
    items = {item.key: item for item in response.context["worklist"]}
    assert panels["Enterprises not visited for 30 days or more"] == items["not-visited"].count == 1
    # The count of the enterprises in training (stage) with no visit since a date (date >=).
    counts = [
        q["sql"]
        for q in home.captured_queries
        if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "enterprises_enterprise" ')
        and '"enterprises_enterprise"."stage" IN' in q["sql"]
        and 'U0."date" >= ' in q["sql"]
    ]
    assert len(counts) == 1, counts
