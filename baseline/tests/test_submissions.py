"""Enterprises act for themselves: the contact submits a month of inputs or order book lines; the
consultant accepts (then it is saved) or returns it with a comment; the history is kept."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from baseline import rules, services, submissions
from baseline.models import MonthlyValue, OrderLine, RoundKind, Submission, SubmissionStatus

pytestmark = pytest.mark.django_db

MONTH = datetime.date(2026, 1, 1)


@pytest.fixture
def round_(enterprise, officer):
    return services.create_round(
        enterprise, kind=RoundKind.FOLLOW_UP, held_on=datetime.date(2026, 4, 1), first_month=MONTH, months=3, by=officer
    )


def month_form(**values):
    return dict(values)


def test_a_contacts_submitted_month_is_accepted_by_the_consultant_and_saved(
    persona_client, round_, contact, consultant
):
    values = {"units_checked": "1000", "defective_units": "40", "hours_worked": rules.NOT_TRACKED}
    submission = submissions.submit_month(
        round_, MONTH, {k: rules.parse_value(v) for k, v in values.items()}, by=contact
    )
    assert submission.status == SubmissionStatus.SUBMITTED and not MonthlyValue.objects.exists()
    client = persona_client("consultant")
    client.post(
        reverse("baseline:submission_decide", args=[round_.enterprise_id, submission.pk]), {"decision": "accept"}
    )
    submission.refresh_from_db()
    assert (submission.status, submission.decided_by) == (SubmissionStatus.ACCEPTED, consultant)
    saved = {v.code: v for v in MonthlyValue.objects.filter(round=round_, month=MONTH)}
    assert saved["units_checked"].value == 1000 and saved["hours_worked"].not_tracked
    # Decided once: a second decision is refused.
    with pytest.raises(ValidationError, match="already accepted"):
        submissions.return_to_enterprise(submission, by=consultant, comment="Too late")
    assert [h.status for h in submission.history.order_by("history_date")] == ["submitted", "accepted"]


def test_a_contacts_submitted_month_is_returned_with_a_comment_and_nothing_saved(persona_client, round_, contact):
    submission = submissions.submit_month(round_, MONTH, {"units_checked": rules.parse_value("1000")}, by=contact)
    url = reverse("baseline:submission_decide", args=[round_.enterprise_id, submission.pk])
    client = persona_client("consultant")
    client.post(url, {"decision": "return", "comment": ""})
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED  # a return needs its comment
    client.post(url, {"decision": "return", "comment": "Units checked look like a quarter, not a month."})
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED and "a quarter" in submission.comment
    assert not MonthlyValue.objects.exists()
    page = persona_client("contact").get(reverse("baseline:submissions", args=[round_.enterprise_id])).content
    assert "Units checked look like a quarter" in page.decode()


def test_the_contact_submits_through_the_month_form_and_may_not_decide(persona_client, round_):
    client = persona_client("contact")
    url = reverse("baseline:month_entry", args=[round_.pk]) + "?month=2026-01"
    client.post(url, month_form(units_checked="900", defective_units="30"))
    submission = Submission.objects.get()
    assert submission.payload == {"units_checked": "900", "defective_units": "30"}
    decide = reverse("baseline:submission_decide", args=[round_.enterprise_id, submission.pk])
    assert client.post(decide, {"decision": "accept"}).status_code == 403
    assert persona_client("other_consultant").post(decide, {"decision": "accept"}).status_code == 404
    assert not MonthlyValue.objects.exists()


def test_a_contacts_order_lines_are_saved_once_accepted(persona_client, enterprise, contact):
    month = timezone.localdate().replace(day=1)
    persona_client("contact").post(
        reverse("baseline:order_book", args=[enterprise.pk]),
        {
            "month": month.isoformat(),
            "buyer": "Lindex",
            "product": "T-shirts",
            "quantity": "100",
            "value_pkr": "5000",
            "status": "confirmed",
        },
    )
    submission = Submission.objects.get()
    persona_client("consultant").post(
        reverse("baseline:submission_decide", args=[enterprise.pk, submission.pk]), {"decision": "accept"}
    )
    line = OrderLine.objects.get()
    assert (line.buyer, line.month, line.entered_by) == ("Lindex", month, contact)


def test_the_submissions_page_runs_a_bounded_number_of_queries(
    persona_client, round_, contact, django_assert_max_num_queries
):
    for number in range(30):
        month = MONTH if number % 2 else datetime.date(2026, 2, 1)
        submissions.submit_month(round_, month, {"units_checked": rules.parse_value(str(100 + number))}, by=contact)
    client = persona_client("consultant")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("baseline:submissions", args=[round_.enterprise_id])).content.decode()
    assert page.count("Accept</button>") == 30
