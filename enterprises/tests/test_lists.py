"""The lists built for an office with 100+ enterprises: short call codes, the enterprise list as a
table with optional columns, bulk actions with refusals per enterprise, the screening queue split
into "awaiting a decision" and "decided", and a bounded number of queries at 50 rows a page."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from enterprises.models import ConsultantAssignment, Decision, Enterprise, Stage
from enterprises.path import services as path_services
from enterprises.screening import decisions
from enterprises.screening import services as screening_services
from enterprises.tests.factories import CallFactory, eoi_data, make_enterprise
from enterprises.tests.test_pipeline import _many
from training.models import Visit, VisitAction, VisitStatus

pytestmark = pytest.mark.django_db

LIST = reverse("enterprises:enterprise_list")
BULK = reverse("enterprises:enterprise_bulk")
QUEUE = reverse("enterprises:screening_queue")


def listed(response) -> list[str]:
    return [row.record.legal_name for row in response.context["table"].page.object_list]


# ---------------------------------------------------------------- short call codes
def test_a_call_gets_a_short_code_from_its_country_and_year():
    first = CallFactory(country="PK", opens_on=datetime.date(2018, 7, 1), closes_on=datetime.date(2018, 8, 1))
    second = CallFactory(country="PK", opens_on=datetime.date(2018, 9, 1), closes_on=datetime.date(2018, 10, 1))
    own = CallFactory(code="PK-GARM", opens_on=datetime.date(2018, 9, 1), closes_on=datetime.date(2018, 10, 1))
    assert (first.code, second.code, own.code) == ("PK-18", "PK-18-2", "PK-GARM")


def test_the_list_shows_the_call_code_not_its_title(officer_client, officer):
    enterprise = make_enterprise(officer, number="7100-1")
    table = officer_client.get(LIST).content.decode().split("<table", 1)[1]
    assert enterprise.call.code in table
    assert enterprise.call.title not in table


# ---------------------------------------------------------------- the table and its columns
def test_a_consultant_sees_only_assigned_enterprises_and_no_bulk_actions(
    client, enterprise, other_enterprise, consultant
):
    client.force_login(consultant)
    response = client.get(LIST)
    assert listed(response) == [enterprise.legal_name]
    html = response.content.decode()
    assert "My enterprises" in html
    assert 'id="bulk-form"' not in html and 'name="ids"' not in html


def test_optional_columns_can_be_shown_and_are_remembered(officer_client, officer, consultant):
    enterprise = make_enterprise(officer, number="7200-1", legal_name="Visited Mills")
    path_services.assign_consultant(enterprise, consultant, by=officer)
    visit = Visit.objects.create(
        enterprise=enterprise,
        consultant=consultant,
        date=datetime.date(2026, 3, 2),
        status=VisitStatus.SUBMITTED,
        start_time=datetime.time(9),
        end_time=datetime.time(11),
        purpose="follow_up",
    )
    VisitAction.objects.create(visit=visit, what="Fix the fire exit", owner="HR", due_on=datetime.date(2026, 3, 9))

    default = officer_client.get(LIST)
    headers = [column.header for column in default.context["table"].columns]
    assert "Consultant" in headers and "Last visit" not in headers

    chosen = officer_client.get(LIST, {"columns": "1", "show": ["last_visit_on", "overdue_actions"]})
    headers = [column.header for column in chosen.context["table"].columns]
    assert "Last visit" in headers and "Overdue actions" in headers and "Consultant" not in headers
    row = chosen.context["table"].page.object_list[0]
    assert row.get_cell_value("overdue_actions") == 1
    assert "2 Mar 2026" in chosen.content.decode()

    # Without the menu, the choice stays for this list.
    again = officer_client.get(LIST)
    assert "Last visit" in [column.header for column in again.context["table"].columns]


def test_sorting_by_a_header_and_fifty_rows_a_page(officer_client, officer):
    seed = make_enterprise(officer, number="7300-1")
    _many(seed.call, None, 60, stage=Stage.SCREENED)
    first = officer_client.get(LIST)
    assert len(listed(first)) == 50
    assert listed(first) == sorted(listed(first))
    descending = officer_client.get(LIST, {"sort": "-legal_name"})
    assert listed(descending) == sorted(listed(descending), reverse=True)
    assert len(listed(officer_client.get(LIST, {"page": 2}))) == 11


# ---------------------------------------------------------------- bulk actions
@pytest.fixture
def three(officer):
    """Two enterprises on the path and one that has withdrawn."""
    a = make_enterprise(officer, number="7400-1", legal_name="Alpha Mills")
    b = make_enterprise(officer, number="7400-2", legal_name="Beta Mills", call=a.call)
    c = make_enterprise(officer, number="7400-3", legal_name="Gamma Mills", call=a.call)
    path_services.transition(c, Stage.WITHDRAWN, by=officer, reason="The owner sold the factory")
    return a, b, c


def test_bulk_assign_with_one_refusal(officer_client, consultant, three):
    a, b, c = three
    response = officer_client.post(
        BULK, {"ids": [a.pk, b.pk, c.pk], "action": "assign", "consultant": consultant.pk, "back": LIST}
    )
    assert response.status_code == 200
    assigned = set(ConsultantAssignment.objects.filter(consultant=consultant).values_list("enterprise", flat=True))
    assert assigned == {a.pk, b.pk}
    refused = response.context["refused"]
    assert [o.enterprise.legal_name for o in refused] == ["Gamma Mills"]
    html = response.content.decode()
    refused_list = html.split('id="refused"', 1)[1].split("</ul>", 1)[0]
    assert "Gamma Mills" in refused_list and "Withdrawn" in refused_list
    assert "Alpha Mills" not in refused_list
    assert len(response.context["done"]) == 2


def test_bulk_move_takes_each_enterprise_the_guards_allow_and_lists_the_others(officer_client, three):
    a, b, c = three
    response = officer_client.post(
        BULK,
        {"ids": [a.pk, b.pk, c.pk], "action": "move", "to_stage": Stage.NOT_SELECTED, "reason": "Batch is full"},
    )
    assert Enterprise.objects.get(pk=a.pk).stage == Stage.NOT_SELECTED
    assert Enterprise.objects.get(pk=b.pk).stage == Stage.NOT_SELECTED
    assert Enterprise.objects.get(pk=c.pk).stage == Stage.WITHDRAWN
    (refusal,) = response.context["refused"]
    assert refusal.enterprise.pk == c.pk and "path has ended" in refusal.message


def test_bulk_move_without_a_reason_is_refused_by_the_guard_for_each(officer_client, three):
    a, b, _c = three
    response = officer_client.post(BULK, {"ids": [a.pk, b.pk], "action": "move", "to_stage": Stage.WITHDRAWN})
    assert {o.enterprise.pk for o in response.context["refused"]} == {a.pk, b.pk}
    assert all("a reason" in o.message for o in response.context["refused"])
    assert Enterprise.objects.filter(pk__in=[a.pk, b.pk], stage=Stage.WITHDRAWN).count() == 0


def test_bulk_export_has_the_selected_enterprises_only(officer_client, three):
    a, b, c = three
    response = officer_client.post(BULK, {"ids": [a.pk, c.pk], "action": "export"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["Enterprise"] for row in rows] == ["Alpha Mills", "Gamma Mills"]
    assert rows[0]["Call"] == a.call.code


def test_only_officers_may_act_in_bulk(client, consultant, three):
    client.force_login(consultant)
    response = client.post(BULK, {"ids": [three[0].pk], "action": "assign", "consultant": consultant.pk})
    assert response.status_code == 403
    assert not ConsultantAssignment.objects.exists()


# ---------------------------------------------------------------- the queue: awaiting a decision, decided
def test_the_queue_empties_as_officers_decide(officer_client, officer):
    call = CallFactory()
    eligible = screening_services.submit_expression_of_interest(call, eoi_data(registration_number="7500-1"))
    ineligible = screening_services.submit_expression_of_interest(
        call, eoi_data(registration_number="7500-2", hr_officer="no")
    )

    def references(**params):
        response = officer_client.get(QUEUE, params)
        shown = {row.record.reference for row in response.context["table"].page.object_list}
        # The table is counted from its tab's count (one query fewer): the "N rows" it says are the rows it shows.
        assert response.context["table"].paginator.count == len(shown)
        assert f"{len(shown)} row" in response.content.decode()
        return shown, response.context["tabs"]

    awaiting, tabs = references()
    assert awaiting == {eligible.reference, ineligible.reference}
    assert tabs == {"awaiting": 2, "decided": 0, "all": 2}

    path_services.register_enterprise(eligible, by=officer)  # it became an enterprise: decided
    awaiting, tabs = references()
    assert awaiting == {ineligible.reference}
    assert tabs == {"awaiting": 1, "decided": 1, "all": 2}
    assert references(state="decided")[0] == {eligible.reference}
    assert references(state="all")[0] == {eligible.reference, ineligible.reference}


def test_an_eoi_settled_as_ineligible_awaits_until_the_applicant_is_told(officer_client, officer):
    call = CallFactory()
    review = screening_services.submit_expression_of_interest(
        call, eoi_data(registration_number="7550-1", hr_officer="willing")
    )
    screening_services.override_result(
        review, officer=officer, outcome="ineligible", justification="No HR officer will be hired after all."
    )
    # the result is settled, but the applicant has not been told it yet
    assert officer_client.get(QUEUE).context["tabs"] == {"awaiting": 1, "decided": 0, "all": 1}
    decisions.decide(review, decision=Decision.NOT_ELIGIBLE, by=officer)
    assert officer_client.get(QUEUE).context["tabs"] == {"awaiting": 0, "decided": 1, "all": 1}


def test_bulk_register_from_the_queue_lists_the_refusals(officer_client):
    call = CallFactory()
    eligible = screening_services.submit_expression_of_interest(call, eoi_data(registration_number="7600-1"))
    ineligible = screening_services.submit_expression_of_interest(
        call, eoi_data(registration_number="7600-2", hr_officer="no")
    )
    response = officer_client.post(reverse("enterprises:eoi_bulk_register"), {"ids": [eligible.pk, ineligible.pk]})
    assert Enterprise.objects.filter(expression_of_interest=eligible, stage=Stage.SCREENED).exists()
    (refusal,) = response.context["refused"]
    assert refusal.enterprise.pk == ineligible.pk and "override justification" in refusal.message


def test_export_selected_from_the_queue(officer_client):
    call = CallFactory()
    picked = screening_services.submit_expression_of_interest(call, eoi_data(registration_number="7700-1"))
    screening_services.submit_expression_of_interest(call, eoi_data(registration_number="7700-2"))
    response = officer_client.post(reverse("enterprises:queue_export_selected"), {"ids": [picked.pk]})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["Reference"] for row in rows] == [picked.reference]


# ---------------------------------------------------------------- bounded queries at 50 rows
@pytest.mark.parametrize("how_many", [8, 70])
def test_the_enterprise_list_query_count_does_not_grow_with_rows(
    client, officer, consultant, django_assert_max_num_queries, how_many
):
    seed = make_enterprise(officer, number="7800-1")
    for enterprise in _many(seed.call, None, how_many, stage=Stage.LEVEL1_ACCEPTED):
        ConsultantAssignment.objects.create(enterprise=enterprise, consultant=consultant, assigned_by=officer)
        visit = Visit.objects.create(enterprise=enterprise, consultant=consultant, status=VisitStatus.DRAFT)
        VisitAction.objects.create(visit=visit, what="Act", owner="HR", due_on=datetime.date(2020, 1, 1))
    every_column = {"columns": "1", "show": ["consultants", "last_visit_on", "overdue_actions", "days_at_step"]}
    for user in (officer, consultant):
        client.force_login(user)
        client.get(LIST, every_column)  # chosen once, remembered in the session
        # Session, user, roles, failed mail, count, page, consultants, saved filters; the officer's
        # filter choices (calls, batches, consultants) and the bulk bar's consultants.
        with django_assert_max_num_queries(13):
            response = client.get(LIST)
        assert len(listed(response)) == min(how_many + (user == officer), 50)


@pytest.mark.parametrize("url", [LIST, QUEUE])
def test_the_filter_bar_opens_and_counts_the_filters_in_use(officer_client, url):
    closed = officer_client.get(url).content.decode()
    assert 'class="collapse filter-bar' in closed
    opened = officer_client.get(url, {"q": "mills", "call": "", "sort": "city", "o": "name"}).content.decode()
    assert 'class="collapse show filter-bar' in opened
    assert 'Filters <span class="badge text-bg-primary">1</span>' in opened
