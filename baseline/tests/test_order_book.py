"""The order book (criterion 2.2.3): lines entered by the contact or the consultant, imported with a
preview, shown as a twelve-month chart, confidential like the KPIs."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from baseline.models import OrderLine, OrderStatus
from baseline.orderbook import services
from enterprises.models import Stage

pytestmark = pytest.mark.django_db

THIS_MONTH = timezone.localdate().replace(day=1)
NEXT = services.add_months(THIS_MONTH, 1)
GOOD = f"month,buyer,product,quantity,value_pkr,status\n{NEXT:%Y-%m},Nordic Denim AB,Jeans,12000,9600000,confirmed\n"
BAD_ROW = f"{NEXT:%Y-%m},,Jackets,-5,lots,maybe\n"


def line(enterprise, month, value, status=OrderStatus.CONFIRMED, **extra):
    return OrderLine.objects.create(
        enterprise=enterprise,
        month=month,
        buyer=extra.pop("buyer", "Nordic Denim AB"),
        product="Jeans",
        quantity=100,
        value_pkr=Decimal(value),
        status=status,
        **extra,
    )


def test_an_import_with_a_bad_row_is_previewed_with_its_errors_and_saves_nothing(persona_client, enterprise):
    client = persona_client("consultant")
    url = reverse("baseline:order_import", args=[enterprise.pk])
    response = client.post(url, {"text": GOOD + BAD_ROW})
    page = response.content.decode()
    assert "Buyer is missing." in page and "Quantity “-5” is not a whole number" in page
    assert "Value “lots” is not an amount in PKR." in page and "Status must be “confirmed” or “pipeline”." in page
    assert "nothing was saved" in page and "Save 2 lines" not in page
    # A confirmation without a clean preview finds nothing to save.
    client.post(url, {"action": "confirm"})
    assert not OrderLine.objects.exists()


def test_an_xlsx_import_is_saved_once_confirmed(persona_client, enterprise, consultant):
    book = Workbook()
    sheet = book.active
    sheet.append(list(services.COLUMNS))
    sheet.append([f"{NEXT:%Y-%m}", "Nordic Denim AB", "Jeans", 12000, 9600000, "Confirmed"])
    sheet.append([f"{NEXT:%Y-%m}", "Lindex", "T-shirts", 30000, 4500000, "pipeline"])
    data = __import__("io").BytesIO()
    book.save(data)
    client = persona_client("consultant")
    url = reverse("baseline:order_import", args=[enterprise.pk])
    upload = SimpleUploadedFile("orders.xlsx", data.getvalue())
    assert "Save 2 lines" in client.post(url, {"file": upload}).content.decode()
    assert not OrderLine.objects.exists()
    client.post(url, {"action": "confirm"})
    assert sorted(OrderLine.objects.values_list("buyer", "status", "entered_by")) == [
        ("Lindex", OrderStatus.PIPELINE, consultant.pk),
        ("Nordic Denim AB", OrderStatus.CONFIRMED, consultant.pk),
    ]


def test_the_contact_enters_its_own_orders_and_only_those_who_see_the_kpis_see_them(
    persona_client, enterprise, contact
):
    url = reverse("baseline:order_book", args=[enterprise.pk])
    data = {
        "month": NEXT.isoformat(),
        "buyer": "Nordic Denim AB",
        "product": "Jeans",
        "quantity": "500",
        "value_pkr": "400000",
        "status": "pipeline",
    }
    persona_client("contact").post(url, data)
    # The contact's line waits for the consultant's acceptance (tests/test_submissions.py).
    assert not OrderLine.objects.exists()
    persona_client("consultant").post(url, data)
    for persona, status in [("officer", 200), ("consultant", 200), ("contact", 200)]:
        assert persona_client(persona).get(url).status_code == status
    for persona in ("other_consultant", "other_contact"):
        client = persona_client(persona)
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
        assert client.get(reverse("baseline:order_import", args=[enterprise.pk])).status_code == 404
    assert persona_client("anonymous").get(url).status_code == 302
    assert OrderLine.objects.count() == 1


def test_the_chart_sums_confirmed_and_pipeline_per_month_over_twelve_months(enterprise):
    line(enterprise, THIS_MONTH, 300)
    line(enterprise, THIS_MONTH, 200, buyer="Lindex")
    line(enterprise, NEXT, 100, status=OrderStatus.PIPELINE)
    line(enterprise, services.add_months(THIS_MONTH, 12), 999)  # beyond the twelve months
    totals = services.monthly_totals(enterprise, services.window_start(enterprise))
    assert len(totals) == 12 and totals[0]["month"] == THIS_MONTH
    assert (totals[0]["confirmed"], totals[0]["pipeline"]) == (500, 0)
    assert (totals[1]["confirmed"], totals[1]["pipeline"]) == (0, 100)
    chart = services.chart(totals)
    first, second = chart["columns"][:2]
    assert first["confirmed_h"] == chart["base"] - chart["pad"]  # the tallest month fills the height
    assert second["pipeline_h"] == pytest.approx(first["confirmed_h"] / 5, abs=0.2)


def test_the_order_book_page_runs_a_bounded_number_of_queries(
    persona_client, enterprise, django_assert_max_num_queries
):
    for number in range(40):
        line(enterprise, services.add_months(THIS_MONTH, number % 12), 1000 + number, buyer=f"Buyer {number}")
    client = persona_client("consultant")
    with django_assert_max_num_queries(14):
        page = client.get(reverse("baseline:order_book", args=[enterprise.pk])).content.decode()
    assert "Buyer 39" in page and "<svg" in page


def test_enterprises_that_did_not_update_their_order_book_for_two_months_are_listed(enterprise, other_enterprise):
    type(enterprise).objects.update(stage=Stage.LEVEL1_ACCEPTED)
    today = timezone.localdate()
    line(enterprise, THIS_MONTH, 100, entered_at=timezone.now() - datetime.timedelta(days=90))
    line(other_enterprise, THIS_MONTH, 100)
    assert list(services.order_books_not_updated(today=today)) == [enterprise]
    line(enterprise, NEXT, 100)
    assert list(services.order_books_not_updated(today=today)) == []
