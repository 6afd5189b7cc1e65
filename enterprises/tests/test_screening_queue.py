"""The officer's screening queue: filters, search, sorting, counts, exports and a bounded query count."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from enterprises.models import ExpressionOfInterest
from enterprises.screening import services
from enterprises.screening.rules import CRITERION_CODES, CRITERION_LABELS

from .factories import CallFactory, eoi_data

pytestmark = pytest.mark.django_db

QUEUE = reverse("enterprises:screening_queue")


def small(registration_number, **extra):
    """Ineligible: 200 workers, below the minimum of 300."""
    return eoi_data(
        registration_number=registration_number,
        legal_name=f"Small Mills {registration_number}",
        workforce_total=200,
        workforce_permanent=150,
        workforce_contract=50,
        workforce_women=80,
        workforce_men=120,
        **extra,
    )


def submit(call, data, **kwargs):
    return services.submit_expression_of_interest(call, data, **kwargs)


@pytest.fixture
def call():
    return CallFactory()


@pytest.fixture
def queue(call, officer):
    """Six EOIs, one of each kind the filters tell apart."""
    eois = {
        "eligible": submit(call, eoi_data(registration_number="100-1", legal_name="Alpha Knit", city="Lahore")),
        "small": submit(call, small("100-2", city="Faisalabad")),
        "review": submit(call, eoi_data(registration_number="100-3", legal_name="Review Denim", hr_officer="willing")),
        "low_permanent": submit(
            call,
            eoi_data(
                registration_number="100-4",
                legal_name="Temp Garments",
                city="Karachi",
                province="sindh",
                workforce_permanent=100,
                workforce_contract=520,
                contact_name="Bilal Ahmed",
            ),
        ),
        "late": submit(
            call,
            eoi_data(registration_number="100-5", legal_name="Paper Weavers", city="Multan"),
            entered_by=officer,
            today=call.closes_on + datetime.timedelta(days=3),
        ),
        # Same name and city as "eligible": both become possible duplicates.
        "twin": submit(call, eoi_data(registration_number="100-6", legal_name="alpha knit", city="lahore")),
    }
    return {key: ExpressionOfInterest.objects.get(pk=eoi.pk) for key, eoi in eois.items()}


def page_rows(response) -> list[ExpressionOfInterest]:
    """The EOIs on the queue's page, in their order."""
    return [row.record for row in response.context["table"].page.object_list]


def references(response):
    return {eoi.reference for eoi in page_rows(response)}


def refs(*eois):
    return {eoi.reference for eoi in eois}


def row_of(html, eoi) -> str:
    """The queue table's row of this expression of interest."""
    return next(row for row in html.split("<tr")[1:] if eoi.reference in row)


def counts(response):
    return {c["value"]: c["count"] for c in response.context["counts"]}


# ---------------------------------------------------------------- the list and its filters
def test_queue_lists_every_eoi_with_its_columns(officer_client, queue):
    response = officer_client.get(QUEUE)
    assert response.status_code == 200
    assert references(response) == refs(*queue.values())
    html = response.content.decode()
    assert "table-responsive" in html
    assert "Temp Garments" in html and "Karachi" in html
    assert "16.1%" in html  # 100 of 620 permanent
    # Each flag on its own row ("late" alone would match the filter form's name="late" on any page).
    flagged = {key: row_of(html, eoi) for key, eoi in queue.items()}
    assert {key for key, row in flagged.items() if ">late</span>" in row} == {"late"}
    assert {key for key, row in flagged.items() if ">possible duplicate</span>" in row} == {"eligible", "twin"}
    assert reverse("enterprises:eoi_detail", args=[queue["small"].pk]) in html


def test_filter_by_result(officer_client, queue):
    response = officer_client.get(QUEUE, {"result": "ineligible"})
    assert references(response) == refs(queue["small"], queue["low_permanent"])
    response = officer_client.get(QUEUE, {"result": "needs_review"})
    assert references(response) == refs(queue["review"])


def test_filter_by_failed_criterion(officer_client, queue):
    response = officer_client.get(QUEUE, {"failed": "workforce"})
    assert references(response) == refs(queue["small"])
    response = officer_client.get(QUEUE, {"failed": "permanent_share"})
    assert references(response) == refs(queue["low_permanent"])
    # A conditional verdict is not a failure.
    response = officer_client.get(QUEUE, {"failed": "hr_officer"})
    assert references(response) == set()


def test_failed_criterion_looks_only_at_the_current_screening(officer_client, call, queue):
    small_eoi = queue["small"]
    call.min_workforce = 100
    call.save()
    services.screen_expression_of_interest(small_eoi, requested_by=None, reason="threshold lowered")
    response = officer_client.get(QUEUE, {"failed": "workforce"})
    assert references(response) == set()


def test_filter_by_late_and_duplicate(officer_client, queue):
    assert references(officer_client.get(QUEUE, {"late": "true"})) == refs(queue["late"])
    assert queue["late"].reference not in references(officer_client.get(QUEUE, {"late": "false"}))
    assert references(officer_client.get(QUEUE, {"duplicate": "true"})) == refs(queue["eligible"], queue["twin"])


def test_filter_by_sub_sector_city_and_call(officer_client, queue):
    other_call = CallFactory()
    other = submit(other_call, eoi_data(registration_number="900-1", legal_name="Elsewhere Ltd"))
    assert references(officer_client.get(QUEUE, {"city": "karachi"})) == refs(queue["low_permanent"])
    assert references(officer_client.get(QUEUE, {"sub_sector": "dyeing_woven"})) == set()
    assert references(officer_client.get(QUEUE, {"call": other_call.pk})) == refs(other)
    assert other.reference not in references(officer_client.get(QUEUE, {"call": queue["small"].call_id}))


@pytest.mark.parametrize(
    ("term", "key"),
    [
        ("Temp Garm", "low_permanent"),  # legal name
        ("karachi", "low_permanent"),  # city
        ("bilal", "low_permanent"),  # contact name
        ("100-4", "low_permanent"),  # registration number
        ("1004", "low_permanent"),  # registration number without its dash
        ("-0005", "late"),  # reference
    ],
)
def test_search(officer_client, queue, term, key):
    assert references(officer_client.get(QUEUE, {"q": term})) == refs(queue[key])


def test_filters_combine(officer_client, queue):
    response = officer_client.get(QUEUE, {"result": "eligible", "q": "alpha"})
    assert references(response) == refs(queue["eligible"], queue["twin"])
    response = officer_client.get(QUEUE, {"result": "eligible", "duplicate": "false"})
    assert references(response) == refs(queue["late"])


def test_unknown_filter_values_are_ignored_or_empty(officer_client, queue):
    response = officer_client.get(QUEUE, {"result": "nonsense"})
    assert response.status_code == 200


def test_criterion_filter_offers_every_code():
    assert set(CRITERION_LABELS) == set(CRITERION_CODES)


# ---------------------------------------------------------------- counts
def test_counts_per_result(officer_client, queue):
    response = officer_client.get(QUEUE)
    assert counts(response) == {"eligible": 3, "needs_review": 1, "ineligible": 2, "pending": 0}
    assert response.context["total"] == 6


def test_counts_follow_the_other_filters_but_not_the_result_filter(officer_client, queue):
    response = officer_client.get(QUEUE, {"city": "lahore"})
    # Lahore: Alpha Knit, its twin and Review Denim (the factory's default city).
    assert counts(response) == {"eligible": 2, "needs_review": 1, "ineligible": 0, "pending": 0}
    # Choosing a result narrows the rows, while the counts still show the other results.
    response = officer_client.get(QUEUE, {"city": "lahore", "result": "needs_review"})
    assert references(response) == refs(queue["review"])
    assert counts(response) == {"eligible": 2, "needs_review": 1, "ineligible": 0, "pending": 0}
    assert 'data-count="eligible">2<' in response.content.decode()


# ---------------------------------------------------------------- sorting and pages
def test_sort_by_workforce_and_name(officer_client, queue):
    rows = page_rows(officer_client.get(QUEUE, {"o": "workforce"}))
    assert rows[0].reference == queue["small"].reference
    rows = page_rows(officer_client.get(QUEUE, {"o": "-workforce"}))
    assert rows[-1].reference == queue["small"].reference
    names = [eoi.legal_name for eoi in page_rows(officer_client.get(QUEUE, {"o": "name"}))]
    assert names == sorted(names)


def test_sort_by_result_puts_eligible_first(officer_client, queue):
    results = [eoi.result for eoi in page_rows(officer_client.get(QUEUE, {"o": "result"}))]
    assert results == ["eligible"] * 3 + ["needs_review"] + ["ineligible"] * 2


def test_header_links_toggle_the_sort_and_keep_the_filters(officer_client, queue):
    html = officer_client.get(QUEUE, {"o": "name", "city": "Lahore"}).content.decode()
    assert "?o=-name&amp;city=Lahore" in html
    assert "?o=workforce&amp;city=Lahore" in html


def test_pagination_keeps_the_filters(officer_client, call):
    for n in range(55):
        submit(call, small(f"200-{n}"))
    submit(call, eoi_data(registration_number="300-1"))
    response = officer_client.get(QUEUE, {"result": "ineligible"})
    assert response.context["table"].paginator.count == 55
    assert len(page_rows(response)) == 50
    assert "?result=ineligible&amp;page=2" in response.content.decode()
    response = officer_client.get(QUEUE, {"result": "ineligible", "page": 2})
    assert len(page_rows(response)) == 5
    assert all(eoi.result == "ineligible" for eoi in page_rows(response))


# ---------------------------------------------------------------- a bounded number of queries
# Session, user, roles, failed mail, tab counts, result counts, row count, page, failed criteria,
# saved filters, calls menu.
MAX_QUERIES = 13


@pytest.mark.parametrize("how_many", [5, 60])
@pytest.mark.parametrize(
    "params", [{}, {"result": "ineligible", "failed": "workforce", "q": "Small", "late": "false", "o": "-workforce"}]
)
def test_queue_query_count_does_not_grow_with_rows(
    officer_client, call, django_assert_max_num_queries, how_many, params
):
    for n in range(how_many):
        data = small(f"400-{n}") if n % 2 else eoi_data(registration_number=f"400-{n}", legal_name=f"Big {n}")
        submit(call, data)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = officer_client.get(QUEUE, params)
    assert response.status_code == 200
    assert len(page_rows(response)) == min(how_many, 50) or params


def test_export_query_count_does_not_grow_with_rows(officer_client, call, django_assert_max_num_queries):
    for n in range(40):
        submit(call, small(f"500-{n}"))
    with django_assert_max_num_queries(MAX_QUERIES):
        response = officer_client.get(QUEUE, {"format": "csv"})
    assert response.status_code == 200


# ---------------------------------------------------------------- exports
def csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_csv_export_has_only_the_filtered_rows(officer_client, queue):
    response = officer_client.get(QUEUE, {"result": "ineligible", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert {row["Reference"] for row in rows} == refs(queue["small"], queue["low_permanent"])
    temp = next(row for row in rows if row["Reference"] == queue["low_permanent"].reference)
    assert temp["Legal name"] == "Temp Garments"
    assert temp["Registration number"] == "100-4"
    assert temp["City"] == "Karachi"
    assert temp["Province"] == "Sindh"
    assert temp["Total workforce"] == "620"
    assert temp["Permanent"] == "100"
    assert temp["Result"] == "Ineligible"
    assert temp["Overridden"] == "no"
    assert temp["Late"] == "no"
    assert temp["Failed criteria"] == "Minimum permanent share"
    small_row = next(row for row in rows if row["Reference"] == queue["small"].reference)
    assert small_row["Failed criteria"] == "Minimum workforce"


def test_xlsx_export_has_only_the_filtered_rows(officer_client, queue):
    response = officer_client.get(QUEUE, {"late": "true", "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = xlsx_rows(response)
    assert [row["Reference"] for row in rows] == [queue["late"].reference]
    assert rows[0]["Late"] == "yes"
    assert rows[0]["Total workforce"] == 620
    assert rows[0]["Result"] == "Eligible"


def test_export_with_no_match_has_just_the_headers(officer_client, queue):
    assert csv_rows(officer_client.get(QUEUE, {"q": "no such enterprise", "format": "csv"})) == []


def test_exports_neutralise_formulas(officer_client, call):
    submit(
        call,
        eoi_data(
            registration_number="600-1",
            legal_name='=HYPERLINK("http://evil.example","click")',
            city="@Lahore",
            contact_name="+cmd",
            products="-2+3",
        ),
    )
    row = csv_rows(officer_client.get(QUEUE, {"format": "csv"}))[0]
    assert row["Legal name"].startswith("'=HYPERLINK")
    assert row["City"] == "'@Lahore"
    assert row["Contact person"] == "'+cmd"
    xrow = xlsx_rows(officer_client.get(QUEUE, {"format": "xlsx"}))[0]
    assert xrow["Legal name"].startswith("'=HYPERLINK")
    assert xrow["City"] == "'@Lahore"
