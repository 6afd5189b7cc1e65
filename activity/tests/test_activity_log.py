"""The activity log: every decision and change, read from the records the apps keep, with who, when
and why; filtered, searched, paged and exported in a bounded number of queries."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import ScreeningOutcome, Stage
from enterprises.path import services as path_services
from enterprises.screening import services as screening_services
from enterprises.tests.factories import make_enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def decisions(officer, enterprise):
    """An override of the screening and a path move, each with its reason."""
    eoi = enterprise.expression_of_interest
    screening_services.override_result(
        eoi, officer=officer, outcome=ScreeningOutcome.INELIGIBLE, justification="Workforce counted twice in the form"
    )
    path_services.transition(
        enterprise, Stage.WITHDRAWN, by=officer, reason="The CEO wrote that they cannot attend this year"
    )
    return eoi


def rows_of(response):
    return response.context["entries"]


def test_the_log_shows_an_override_and_a_path_move_with_who_when_and_why(officer_client, decisions, enterprise):
    response = officer_client.get(reverse("activity:log"))
    page = response.content.decode()
    entries = rows_of(response)
    override = next(e for e in entries if e.kind == "screening" and "Officer override" in e.what)
    assert override.by.username == "officer1"
    assert override.enterprise == enterprise
    assert f"{decisions.reference}: Eligible → Ineligible" in override.what
    assert override.why == "Workforce counted twice in the form"
    assert timezone.now() - override.at < datetime.timedelta(minutes=1)

    move = next(e for e in entries if e.kind == "path" and "Withdrawn" in e.what)
    assert move.by.username == "officer1" and move.enterprise == enterprise
    assert move.what == "Screened → Withdrawn"
    assert move.why == "The CEO wrote that they cannot attend this year"
    # Newest first, and on the page with the officer's name.
    assert entries.index(move) < entries.index(override)
    assert "Sadia Hameed" in page and "The CEO wrote that they cannot attend this year" in page


def test_the_log_filters_by_kind_person_enterprise_date_and_words(
    officer_client, decisions, enterprise, other_enterprise, consultant
):
    def kinds(**params):
        return {e.kind for e in rows_of(officer_client.get(reverse("activity:log"), params))}

    assert kinds(kind="path") == {"path"}
    assert kinds(kind="screening") == {"screening"}
    # The consultant did nothing but was assigned: the assignment is about them.
    assert kinds(person=consultant.pk) == {"assignment"}
    only_other = rows_of(officer_client.get(reverse("activity:log"), {"enterprise": other_enterprise.pk}))
    assert only_other and {e.enterprise for e in only_other} == {other_enterprise}
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert kinds(date_from=tomorrow.isoformat()) == set()
    found = rows_of(officer_client.get(reverse("activity:log"), {"q": "counted twice"}))
    assert [e.kind for e in found] == ["screening"]
    by_name = rows_of(officer_client.get(reverse("activity:log"), {"q": "Ravi Denim"}))
    # the enterprise's own entries, and mail that names it in its subject (mail keeps no enterprise)
    assert {e.enterprise for e in by_name} - {None} == {other_enterprise}
    assert all(e.enterprise == other_enterprise or "Ravi Denim" in e.what + e.why for e in by_name)


def test_account_changes_are_in_the_log(officer_client, officer, consultant):
    from accounts import services

    services.deactivate(consultant, by=officer, reason="Contract ended")
    entries = rows_of(officer_client.get(reverse("activity:log"), {"kind": "account"}))
    assert [(e.what, e.by, e.why) for e in entries] == [("Deactivated: Imran", officer, "Contract ended")]


def test_the_log_costs_the_same_queries_whatever_its_size(officer_client, officer, django_assert_max_num_queries):
    for n in range(20):
        enterprise = make_enterprise(officer, number=f"8000-{n}", legal_name=f"Mill {n}")
        path_services.transition(enterprise, Stage.WITHDRAWN, by=officer, reason=f"Reason {n}")
    with django_assert_max_num_queries(12):
        response = officer_client.get(reverse("activity:log"))
    # A full page of the 80: 20 enterprises x (screening, received, screened, withdrawn).
    assert len(rows_of(response)) == 50
    with django_assert_max_num_queries(12):
        officer_client.get(reverse("activity:log"), {"page": 2, "kind": "path"})


def test_the_log_exports_as_csv_with_the_filters(officer_client, decisions):
    response = officer_client.get(reverse("activity:log_csv"), {"kind": "path"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["when", "kind", "by", "about", "enterprise", "what", "why"]
    assert rows[1][1:6] == ["Steps on the path", "Sadia Hameed", "", "Indus Knitwear (Pvt) Ltd", "Screened → Withdrawn"]
    assert rows[1][6] == "The CEO wrote that they cannot attend this year"
    assert {row[1] for row in rows[1:]} == {"Steps on the path"}


def test_a_visit_amendment_is_in_the_log_with_its_reason(officer_client, enterprise, consultant):
    from training.tests.factories import make_visit

    visit = make_visit(enterprise, consultant)
    # What training.visits.services.amend_visit leaves in the visit's history: the version, who and why.
    visit.version = 2
    visit.findings = "Walkways marked in the cutting hall"
    visit._change_reason = "The end time was typed wrong"
    visit._history_user = consultant
    visit.save()
    entries = rows_of(officer_client.get(reverse("activity:log"), {"kind": "visit"}))
    amendment = next(e for e in entries if e.why == "The end time was typed wrong")
    assert amendment.by == consultant and amendment.enterprise == enterprise
    assert "version 2" in amendment.what and "Imran" in amendment.what
