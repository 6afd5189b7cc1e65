"""Raw data for evaluators: long-format CSV and XLSX, filtered by call, batch and sub-sector, with
the pages' scope (officers all, a consultant their own enterprises, contacts nothing) and the
small-group rule for the results by group."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from baseline.models import Result
from baseline.tests.factories import measured
from enterprises.tests.factories import CallFactory, make_enterprise
from reporting.tests import factories

pytestmark = pytest.mark.django_db


def download(client, dataset, file_format="csv", **filters):
    response = client.get(
        reverse("reporting:data_exports"), {"dataset": dataset, "file_format": file_format, **filters}
    )
    return response


def csv_rows(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv"), response.content[:300]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def measured_pair(officer, enterprise, other_enterprise):
    factories.rounds(enterprise, officer)
    factories.rounds(other_enterprise, officer)


def test_indicator_values_in_long_format_with_unit_and_formula_version(persona_client, measured_pair, enterprise):
    rows = csv_rows(download(persona_client("officer"), "indicator-values"))
    assert len(rows) == Result.objects.count()
    defect = [r for r in rows if r["Indicator code"] == "defect_rate" and r["Enterprise"] == enterprise.legal_name]
    assert [(r["Round"], r["Value"], r["Unit"], r["Formula"], r["Formula version"]) for r in defect] == [
        ("Basic baseline", "8.0", "%", "defect_rate", "1"),
        ("Follow-up", "3.5", "%", "defect_rate", "1"),
    ]


def test_a_consultant_gets_the_rows_of_their_own_enterprises_only(persona_client, measured_pair, enterprise):
    rows = csv_rows(download(persona_client("consultant"), "indicator-values"))
    assert rows and {r["Enterprise"] for r in rows} == {enterprise.legal_name}


@pytest.mark.parametrize("dataset", ["screening-results", "indicator-results"])
def test_a_consultant_gets_no_programme_wide_table(persona_client, measured_pair, dataset):
    response = download(persona_client("consultant"), dataset)
    assert response["Content-Type"].startswith("text/html")  # the form again, with its error
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("persona", ["contact", "other_contact"])
def test_enterprise_contacts_get_no_raw_data(persona_client, measured_pair, persona):
    assert download(persona_client(persona), "indicator-values").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(persona_client):
    response = download(persona_client("anonymous"), "indicator-values")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_filters_by_call_and_sub_sector(persona_client, officer, measured_pair, enterprise, other_enterprise):
    rows = csv_rows(download(persona_client("officer"), "indicator-values", call=enterprise.call.pk))
    assert {r["Enterprise"] for r in rows} <= {enterprise.legal_name, other_enterprise.legal_name}
    knitwear = make_enterprise(officer, number="5000-9", legal_name="Woven Works", sub_sector="rmg_woven")
    factories.rounds(knitwear, officer)
    rows = csv_rows(download(persona_client("officer"), "indicator-values", sub_sector="rmg_woven"))
    assert {r["Enterprise"] for r in rows} == {"Woven Works"}


def test_the_results_by_group_hide_small_groups(persona_client, officer):
    """Sub-sectors of 1, 3 and 4 enterprises: the one-enterprise group is hidden, and the next smallest
    with it (else all enterprises minus the shown groups would give it back)."""
    call = CallFactory()
    for code, count in (("rmg_woven", 1), ("rmg_knitwear", 3), ("dyeing_woven", 4)):
        for n in range(count):
            measured(
                make_enterprise(officer, number=f"7700-{code}-{n}", call=call, sub_sector=code),
                {"defective_units": 50, "units_checked": 1000},
                {"defective_units": 30, "units_checked": 1000},
                by=officer,
            )
    rows = csv_rows(download(persona_client("officer"), "indicator-results"))
    defect = {
        r["Group"]: r
        for r in rows
        if r["Indicator code"] == "defect_rate" and r["Breakdown"] in ("Sub-sector", "All enterprises")
    }
    assert defect["All enterprises"]["Enterprises"] == "8" and defect["All enterprises"]["Improving (%)"] == "100.0"
    for hidden in ("Ready-made garments (woven)", "Ready-made garments (knitwear)"):
        row = defect[hidden]
        assert row["Note"] == "not shown (confidential)"
        assert row["Enterprises"] == row["Improving (%)"] == row["Median change"] == ""
    assert defect["Dyeing (woven)"]["Enterprises"] == "4" and defect["Dyeing (woven)"]["Median change"] == "-2.0"


def test_participants_are_numbers_not_names(persona_client, enterprise):
    people = factories.attendance(enterprise)
    rows = csv_rows(download(persona_client("officer"), "participants-and-attendance"))
    assert len(rows) == 2 * len(people)  # two sessions each
    text = str(rows)
    assert all(person.name not in text for person in people)
    assert sum(1 for r in rows if r["Present"] == "no") == 1


def test_visits_and_actions_and_screening(persona_client, consultant, enterprise, other_enterprise):
    factories.training_data(enterprise, consultant)
    rows = csv_rows(download(persona_client("officer"), "visits-and-actions"))
    assert len(rows) == 3 and {r["Action status"] for r in rows} == {"Done", "Open", "In progress"}
    rows = csv_rows(download(persona_client("officer"), "screening-results"))
    references = {e.expression_of_interest.reference for e in (enterprise, other_enterprise)}
    assert {r["EOI reference"] for r in rows} == references
    assert len(rows) == 9 * 2 and {r["Verdict"] for r in rows} == {"Met"}  # nine criteria each, all met
    rows = csv_rows(download(persona_client("officer"), "screening-results", sub_sector="rmg_woven"))
    assert rows == []


def test_the_workbook_holds_the_same_rows(persona_client, measured_pair):
    client = persona_client("officer")
    rows = csv_rows(download(client, "indicator-values"))
    response = download(client, "indicator-values", "xlsx")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    table = list(sheet.iter_rows(values_only=True))
    assert len(table) == len(rows) + 1 and table[0][0] == "Call"
    assert {Decimal(str(r[14])) for r in table[1:]} == {Decimal(r["Value"]) for r in rows}


def test_an_export_reads_with_a_fixed_number_of_queries(persona_client, officer, django_assert_max_num_queries):
    call = CallFactory()
    for n in range(6):
        factories.rounds(make_enterprise(officer, number=f"7800-{n}", call=call), officer)
    client = persona_client("officer")
    with django_assert_max_num_queries(12):
        rows = csv_rows(download(client, "indicator-values"))
    assert len(rows) == Result.objects.count() > 100
