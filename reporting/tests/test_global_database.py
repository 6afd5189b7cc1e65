"""The export for the global SCORE database: only consenting enterprises, a pseudonym unless the
consent allows the name, every record valid against the published schema, as a job and a command."""

import csv
import datetime
import io
import json

import jsonschema
import pytest
from django.core.management import call_command
from django.urls import reverse

from baseline.tests.factories import measured
from enterprises import consent
from enterprises.models import ExpressionOfInterest
from enterprises.tests.factories import make_enterprise
from reporting import global_database
from reporting.models import JobStatus, ReportJob, ReportKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_enterprises(officer):
    """Named (consent with name), pseudonymous (consent without name), and one that never consented."""
    made = {}
    for number, name in (("8000-1", "Named Mills"), ("8000-2", "Hidden Knits"), ("8000-3", "Private Denim")):
        enterprise = make_enterprise(officer, number=number, legal_name=name)
        measured(
            enterprise,
            {"defective_units": 60, "units_checked": 1000},
            {"defective_units": 30, "units_checked": 1000},
            by=officer,
        )
        made[name] = enterprise
    given = {"given_by": "Mr Khan, CEO", "given_on": datetime.date(2019, 2, 1)}
    consent.record_consent(
        made["Named Mills"], by=officer, global_database=True, global_database_named=True, buyer_view=False, **given
    )
    consent.record_consent(made["Hidden Knits"], by=officer, global_database=True, buyer_view=True, **given)
    consent.record_consent(made["Private Denim"], by=officer, global_database=False, buyer_view=True, **given)
    return made


def _jsonl(content: bytes) -> list[dict]:
    return [json.loads(line) for line in content.decode().splitlines()]


def test_it_exports_only_consenting_enterprises_and_names_only_those_that_allow_it(three_enterprises):
    rows = list(global_database.records())
    pseudonyms = {e.sharing_consent.pseudonym: name for name, e in three_enterprises.items()}
    seen = {pseudonyms[row["enterprise_id"]] for row in rows}
    assert seen == {"Named Mills", "Hidden Knits"}
    names = {row["enterprise_name"] for row in rows}
    assert names == {"Named Mills", None}
    assert "Private Denim" not in json.dumps(rows) and "Hidden Knits" not in json.dumps(rows)


def test_every_record_matches_the_published_schema(three_enterprises):
    schema = global_database.json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    rows = _jsonl(global_database.export_bytes("jsonl"))
    assert rows, "the consenting enterprises have results"
    for row in rows:
        jsonschema.validate(row, schema, format_checker=jsonschema.FormatChecker())
    defect = [r for r in rows if r["indicator_code"] == "defect_rate"]
    # one per enterprise × round (basic baseline and a follow-up), with formula version and unit
    assert {(r["round_kind"], r["value"]) for r in defect} == {("basic_baseline", 6.0), ("follow_up", 3.0)}
    assert len(defect) == 4
    assert all(r["formula_version"] >= 1 and r["unit"] and r["sex"] == "all" for r in defect)


def test_the_csv_has_the_same_records_under_the_schema_s_field_names(three_enterprises):
    content = global_database.export_bytes("csv").decode()
    reader = csv.DictReader(io.StringIO(content))
    assert reader.fieldnames == global_database.FIELD_NAMES
    assert len(list(reader)) == len(list(global_database.records()))


def test_the_pseudonym_is_stable_when_consent_is_changed_and_withdrawn(three_enterprises, officer):
    enterprise = three_enterprises["Hidden Knits"]
    before = enterprise.sharing_consent.pseudonym
    args = {"given_by": "Ms Ali", "given_on": datetime.date(2020, 1, 1), "buyer_view": False}
    consent.record_consent(enterprise, by=officer, global_database=False, **args)
    assert not any(r["enterprise_id"] == before for r in global_database.records())
    again = consent.record_consent(enterprise, by=officer, global_database=True, **args)
    assert again.pseudonym == before
    # who and when, for each answer
    history = list(again.history.order_by("history_date").values_list("global_database", "recorded_by"))
    assert history == [(True, officer.pk), (False, officer.pk), (True, officer.pk)]


def test_it_is_made_by_a_report_job_and_downloaded_by_officers_only(
    three_enterprises, client, officer, consultant, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:request_global_database"), {"file_format": "jsonl"})
    job = ReportJob.objects.get(kind=ReportKind.GLOBAL_DATABASE)
    assert response.status_code == 302 and job.status == JobStatus.DONE
    download = client.get(reverse("reporting:download", args=[job.pk]))
    rows = _jsonl(b"".join(download.streaming_content))
    assert {r["enterprise_name"] for r in rows} == {"Named Mills", None}
    client.force_login(consultant)
    assert client.get(reverse("reporting:download", args=[job.pk])).status_code == 404
    assert client.post(reverse("reporting:request_global_database"), {"file_format": "csv"}).status_code == 403


def test_the_management_command_writes_the_export_and_the_schema(three_enterprises, tmp_path):
    out = tmp_path / "global.jsonl"
    call_command("export_global_database", "--format", "jsonl", "--output", str(out))
    assert _jsonl(out.read_bytes()) == list(global_database.records())
    printed = io.StringIO()
    call_command("export_global_database", "--schema", stdout=printed)
    assert json.loads(printed.getvalue())["required"] == global_database.FIELD_NAMES


def test_an_eoi_keeps_the_consent_text_it_accepted(officer):
    enterprise = make_enterprise(officer, number="8000-9")
    eoi = ExpressionOfInterest.objects.get(pk=enterprise.expression_of_interest_id)
    assert eoi.consent_version == consent.EOI_CONSENT_VERSION
    assert "global SCORE database" in eoi.consent_text
    # an EOI of an earlier version keeps its own words, whatever the form says now
    ExpressionOfInterest.objects.filter(pk=eoi.pk).update(consent_version=1, consent_text=consent.eoi_consent_text(1))
    eoi.refresh_from_db()
    assert "global SCORE database" not in eoi.consent_text


def test_the_public_form_asks_with_the_current_text():
    from enterprises.screening.forms import ContactForm

    label = str(ContactForm().fields["consent"].label)
    assert label == consent.eoi_consent_text() and "global SCORE database" in label


def test_the_officer_reads_the_consent_text_an_eoi_accepted(officer, client):
    enterprise = make_enterprise(officer, number="8000-8")
    ExpressionOfInterest.objects.filter(pk=enterprise.expression_of_interest_id).update(
        consent_version=1, consent_text=consent.eoi_consent_text(1)
    )
    client.force_login(officer)
    page = client.get(reverse("enterprises:eoi_detail", args=[enterprise.expression_of_interest_id])).content.decode()
    assert "Consent text accepted (version 1)" in page and "global SCORE database" not in page
