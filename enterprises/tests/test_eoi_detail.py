"""An EOI's page for officers: answers, screening, duplicates, override, re-screening,
history; and the officer's manual entry of an EOI."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Enterprise, ExpressionOfInterest, ResultChange, Screening
from enterprises.screening import services
from enterprises.screening.forms import STEPS

from .factories import CallFactory, eoi_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return CallFactory()


@pytest.fixture
def eoi(call):
    return services.submit_expression_of_interest(call, eoi_data())


def detail_url(eoi):
    return reverse("enterprises:eoi_detail", args=[eoi.pk])


# ---------------------------------------------------------------- the page
def test_detail_shows_the_answers_criteria_and_thresholds(officer_client, eoi):
    response = officer_client.get(detail_url(eoi))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        eoi.reference,
        "Indus Knitwear (Pvt) Ltd",
        "1234567-8",
        "Sundar Industrial Estate",
        "Punjab",
        "Ready-made garments (knitwear)",
        "66.1%",  # permanent share, 410 of 620
        "Ayesha Malik",
        "ayesha@indusknit.example.pk",
        "Workforce",
        "Staff and commitment",
        "Contact and consent",
        "Thresholds used",
        "Minimum workforce:",
        "Workforce 620, at least the minimum of 300.",
    ):
        assert text in html, text
    assert len(response.context["criteria"]) == 9
    assert response.context["thresholds"]["min_workforce"] == 300
    assert response.context["thresholds"]["min_permanent_share"] == "25"
    assert 'name="csrfmiddlewaretoken"' in html
    assert reverse("enterprises:eoi_override", args=[eoi.pk]) in html
    assert reverse("enterprises:eoi_rescreen", args=[eoi.pk]) in html


def test_detail_links_possible_duplicates(officer_client, call, eoi):
    twin = services.submit_expression_of_interest(
        call, eoi_data(registration_number="999-9", legal_name="INDUS KNITWEAR (PVT) LTD", city="lahore")
    )
    other = services.submit_expression_of_interest(call, eoi_data(registration_number="888-8", city="Karachi"))
    response = officer_client.get(detail_url(eoi))
    assert list(response.context["duplicates"]) == [twin]
    assert detail_url(twin) in response.content.decode()
    assert detail_url(other) not in response.content.decode()


def test_detail_query_count_is_bounded(officer_client, eoi, officer, django_assert_max_num_queries):
    for n in range(5):
        services.screen_expression_of_interest(eoi, requested_by=officer, reason=f"round {n}")
    # 12, and 3 for the decision: whether it is on the path, the criteria not met, the letters sent.
    with django_assert_max_num_queries(15):
        response = officer_client.get(detail_url(eoi))
    assert len(response.context["earlier"]) == 5


def test_unknown_eoi_is_404(officer_client):
    assert officer_client.get(reverse("enterprises:eoi_detail", args=[999999])).status_code == 404


def test_override_and_rescreen_are_post_only(officer_client, eoi):
    assert officer_client.get(reverse("enterprises:eoi_override", args=[eoi.pk])).status_code == 405
    assert officer_client.get(reverse("enterprises:eoi_rescreen", args=[eoi.pk])).status_code == 405


# ---------------------------------------------------------------- override
def test_override_without_justification_is_refused(officer_client, eoi):
    url = reverse("enterprises:eoi_override", args=[eoi.pk])
    response = officer_client.post(url, {"outcome": "ineligible", "justification": "   "})
    assert response.status_code == 400
    form = response.context["override_form"]
    assert form.errors["justification"] == ["Write why you override the screening result."]
    html = response.content.decode()
    assert "Write why you override the screening result." in html
    assert "The result was not changed." in html
    eoi.refresh_from_db()
    assert eoi.result == "eligible" and not eoi.result_overridden
    assert not ResultChange.objects.filter(source="override").exists()


def test_override_to_the_same_result_is_refused(officer_client, eoi):
    url = reverse("enterprises:eoi_override", args=[eoi.pk])
    response = officer_client.post(url, {"outcome": "eligible", "justification": "Looks fine."})
    assert response.status_code == 400
    assert "outcome" in response.context["override_form"].errors


def test_override_with_justification_changes_the_result_and_the_history_says_who_when_why(officer_client, officer, eoi):
    url = reverse("enterprises:eoi_override", args=[eoi.pk])
    before = timezone.now()
    response = officer_client.post(
        url, {"outcome": "ineligible", "justification": "The factory visit found 150 workers, not 620."}
    )
    assert response.status_code == 302 and response["Location"] == detail_url(eoi)
    eoi.refresh_from_db()
    assert eoi.result == "ineligible" and eoi.result_overridden
    change = ResultChange.objects.get(expression_of_interest=eoi, source="override")
    assert change.changed_by == officer
    assert change.changed_at >= before
    assert (change.from_result, change.to_result) == ("eligible", "ineligible")

    page = officer_client.get(detail_url(eoi))
    html = page.content.decode()
    assert "The result was changed" in html
    history = html[html.index('id="history"') :]
    assert "Sadia Hameed" in history
    assert "Officer override" in history
    assert "The factory visit found 150 workers, not 620." in history
    assert timezone.localtime(change.changed_at).strftime("%Y-%m-%d") in history  # <time datetime=...>
    assert "automatic" in history  # the first, automatic screening
    assert "overridden" in html


# ---------------------------------------------------------------- re-screening
def test_rescreen_after_a_threshold_change_uses_the_new_threshold(officer_client, officer, call, eoi):
    first = eoi.current_screening
    call.min_workforce = 1000
    call.save()
    response = officer_client.post(
        reverse("enterprises:eoi_rescreen", args=[eoi.pk]), {"reason": "Minimum workforce raised to 1000."}
    )
    assert response.status_code == 302
    eoi.refresh_from_db()
    assert eoi.result == "ineligible"
    assert eoi.current_screening != first
    assert eoi.current_screening.thresholds["min_workforce"] == 1000
    assert eoi.current_screening.requested_by == officer
    first.refresh_from_db()
    assert first.thresholds["min_workforce"] == 300
    assert first.outcome == "eligible"
    change = ResultChange.objects.get(expression_of_interest=eoi, source="rescreening")
    assert change.changed_by == officer
    assert change.justification == "Minimum workforce raised to 1000."
    assert (change.from_result, change.to_result) == ("eligible", "ineligible")

    page = officer_client.get(detail_url(eoi))
    html = page.content.decode()
    assert "Workforce 620, below the minimum of 1000." in html
    assert page.context["thresholds"]["min_workforce"] == 1000
    [(earlier, earlier_thresholds)] = page.context["earlier"]
    assert earlier == first and earlier_thresholds["min_workforce"] == 300
    assert "Workforce 620, at least the minimum of 300." in html  # the earlier screening's criteria
    assert "Re-screening" in html and "Minimum workforce raised to 1000." in html


def test_rescreen_without_a_reason_is_allowed(officer_client, eoi):
    response = officer_client.post(reverse("enterprises:eoi_rescreen", args=[eoi.pk]), {})
    assert response.status_code == 302
    assert Screening.objects.filter(expression_of_interest=eoi).count() == 2


def test_rescreen_replaces_an_override(officer_client, officer, eoi):
    services.override_result(eoi, officer=officer, outcome="ineligible", justification="Doubtful numbers.")
    officer_client.post(reverse("enterprises:eoi_rescreen", args=[eoi.pk]), {"reason": "Numbers checked."})
    eoi.refresh_from_db()
    assert eoi.result == "eligible" and not eoi.result_overridden


# ---------------------------------------------------------------- manual entry
def form_post(received_on=None, **overrides):
    """The one-page entry as the browser posts it: each step's fields under its prefix."""
    data = eoi_data(**overrides)
    post = {"received-received_on": (received_on or datetime.date.today()).isoformat()}
    for step, form_class, _title in STEPS:
        for name in form_class._meta.fields:
            if name == "consent":
                if data[name]:
                    post[f"{step}-consent"] = "on"
            elif data[name] is not None:
                post[f"{step}-{name}"] = str(data[name])
    return post


def test_manual_entry_after_the_close_is_marked_late(officer_client, officer):
    call = CallFactory(
        opens_on=datetime.date.today() - datetime.timedelta(days=60),
        closes_on=datetime.date.today() - datetime.timedelta(days=5),
    )
    url = reverse("enterprises:eoi_create", args=[call.pk])
    page = officer_client.get(url)
    assert page.status_code == 200
    # The page always explains that late entries are marked late; the warning is for a closed call only.
    assert "This call is closed" in page.content.decode()
    response = officer_client.post(url, form_post(registration_number="777-1"))
    eoi = ExpressionOfInterest.objects.get(registration_number="777-1")
    assert response.status_code == 302 and response["Location"] == detail_url(eoi)
    assert eoi.is_late
    assert eoi.entered_by == officer
    assert eoi.result == "eligible"
    assert eoi.call == call
    html = officer_client.get(response["Location"]).content.decode()
    assert "It is marked late" in html


def test_a_paper_eoi_received_before_the_close_is_not_late_even_if_entered_after(officer_client):
    call = CallFactory(
        opens_on=datetime.date.today() - datetime.timedelta(days=60),
        closes_on=datetime.date.today() - datetime.timedelta(days=5),
    )
    received = datetime.date.today() - datetime.timedelta(days=6)
    response = officer_client.post(
        reverse("enterprises:eoi_create", args=[call.pk]), form_post(received_on=received, registration_number="777-2")
    )
    assert response.status_code == 302
    eoi = ExpressionOfInterest.objects.get(registration_number="777-2")
    assert not eoi.is_late
    assert timezone.localtime(eoi.submitted_at).date() == received


def test_manual_entry_in_an_open_call_is_not_late(officer_client, call):
    url = reverse("enterprises:eoi_create", args=[call.pk])
    assert "This call is closed" not in officer_client.get(url).content.decode()
    response = officer_client.post(url, form_post())
    assert response.status_code == 302
    eoi = ExpressionOfInterest.objects.get()
    assert not eoi.is_late
    assert eoi.contact_phone == "+923008486929"


def test_manual_entry_keeps_honest_no_answers(officer_client, call):
    response = officer_client.post(
        reverse("enterprises:eoi_create", args=[call.pk]),
        form_post(shares_order_status=False, ceo_available=False, nominee_name="Omar Farooq", nominee_position="GM"),
    )
    assert response.status_code == 302
    eoi = ExpressionOfInterest.objects.get()
    assert eoi.shares_order_status is False
    assert eoi.result == "ineligible"


def entry_errors(response) -> set[str]:
    entry = response.context["entry"]
    return set(entry.received.errors) | {name for _title, form in entry.steps for name in form.errors}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"received_on": datetime.date.today() + datetime.timedelta(days=1)}, "received_on"),
        ({"workforce_permanent": 700}, "workforce_permanent"),
        ({"workforce_women": 100}, "workforce_men"),
        ({"consent": False}, "consent"),
        ({"contact_phone": "12345"}, "contact_phone"),
        ({"sub_sector": "other", "sub_sector_other": ""}, "sub_sector_other"),
    ],
)
def test_manual_entry_validates_like_the_public_form(officer_client, call, overrides, field):
    response = officer_client.post(reverse("enterprises:eoi_create", args=[call.pk]), form_post(**overrides))
    assert response.status_code == 200
    assert field in entry_errors(response)
    assert not ExpressionOfInterest.objects.exists()


def test_manual_entry_of_a_duplicate_registration_is_refused_with_a_message(officer_client, call, eoi):
    response = officer_client.post(
        reverse("enterprises:eoi_create", args=[call.pk]), form_post(registration_number="1234567 8")
    )
    assert response.status_code == 200
    assert "registration_number" in entry_errors(response)
    assert "already exists for this call" in response.content.decode()
    assert ExpressionOfInterest.objects.count() == 1


def test_an_eligible_eoi_is_registered_as_an_enterprise_from_its_page(officer_client, eoi):
    page = officer_client.get(detail_url(eoi)).content.decode()
    assert "Register as an enterprise" in page
    response = officer_client.post(reverse("enterprises:enterprise_from_eoi", args=[eoi.pk]))
    enterprise = Enterprise.objects.get(registration_key=eoi.registration_key)
    assert response["Location"] == reverse("enterprises:enterprise_detail", args=[enterprise.pk])
    page = officer_client.get(detail_url(eoi)).content.decode()
    assert "Register as an enterprise" not in page and enterprise.get_stage_display() in page


def test_an_overridden_result_is_marked_alike_on_the_eoi_page_the_queue_and_the_shortlist(officer_client, call, eoi):
    from enterprises.models import Level1Batch

    batch = Level1Batch.objects.create(call=call, name="Batch 1", capacity=25)
    officer_client.post(
        reverse("enterprises:eoi_override", args=[eoi.pk]),
        {"outcome": "ineligible", "justification": "The factory visit found 150 workers, not 620."},
    )
    marked = '<span class="badge text-bg-danger">Ineligible</span> <span class="badge text-bg-info">overridden</span>'
    pages = {
        "EOI page": detail_url(eoi),
        "screening queue": reverse("enterprises:screening_queue") + "?result=ineligible",
        "shortlist": reverse("enterprises:batch_shortlist", args=[batch.pk]),
    }
    for name, url in pages.items():
        html = officer_client.get(url).content.decode()
        assert eoi.legal_name in html, name
        assert html.count(marked) == 1, name
