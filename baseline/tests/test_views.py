"""The pages: who may open what (URLs × personas), data entry with confirmation, bulk import."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from baseline.models import Indicator, MonthlyValue, Result, RoundKind

from .factories import indicator, make_round, with_values

pytestmark = pytest.mark.django_db

OFFICER_ONLY = {"officer": 200, "consultant": 403, "other_consultant": 403, "contact": 403, "other_contact": 403}
READ = {"officer": 200, "consultant": 200, "other_consultant": 404, "contact": 200, "other_contact": 404}
WRITE = {"officer": 200, "consultant": 200, "other_consultant": 404, "contact": 403, "other_contact": 404}
EVERYONE = dict.fromkeys(READ, 200)
# Posted by the phone's outbox: outsiders get 404 or 403 first, then a GET is not allowed.
POST_ONLY = {"officer": 405, "consultant": 405, "other_consultant": 404, "contact": 403, "other_contact": 404}

PAGES = [
    ("home", "none", OFFICER_ONLY),
    ("indicator_list", "none", OFFICER_ONLY),
    ("indicator_create", "none", OFFICER_ONLY),
    ("indicator_detail", "indicator", OFFICER_ONLY),
    ("indicator_edit", "indicator", OFFICER_ONLY),
    ("enterprise_list", "none", EVERYONE),
    ("enterprise_results", "enterprise", READ),
    ("round_create", "enterprise", WRITE),
    ("round_detail", "round", READ),
    # The enterprise's own contact submits a month for the consultant to accept (test_submissions.py).
    ("month_entry", "round", {**WRITE, "contact": 200}),
    ("month_sync", "round", POST_ONLY),
    ("practices_entry", "round", WRITE),
    ("import_values", "round", WRITE),
    ("import_template", "round", WRITE),
    ("submissions", "enterprise", READ),
    ("order_book", "enterprise", READ),
    # The contact enters its own orders (sent to the consultant for acceptance).
    ("order_import", "enterprise", {**WRITE, "contact": 200}),
    ("order_template", "enterprise", {**WRITE, "contact": 200}),
]
# POST-only pages, covered by test_order_book.py and test_submissions.py.
POST_ONLY = {"submission_decide", "order_line_delete"}
PERSONAS = ("officer", "consultant", "other_consultant", "contact", "other_contact", "anonymous")


@pytest.fixture
def round_(enterprise, officer):
    return with_values(make_round(enterprise, by=officer), by=officer, defective_units=30, units_checked=1000)


@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(persona_client, enterprise, round_, persona):
    """Every baseline page for one persona; the expected status per page is in PAGES."""
    args = {
        "none": [],
        "indicator": [indicator("defect_rate").pk],
        "enterprise": [enterprise.pk],
        "round": [round_.pk],
    }
    client = persona_client(persona)
    seen = {}
    for name, arg, _expected in PAGES:
        response = client.get(reverse(f"baseline:{name}", args=args[arg]))
        if persona == "anonymous":
            seen[name] = (
                "login" if response.status_code == 302 and "login" in response["Location"] else response.status_code
            )
        else:
            seen[name] = response.status_code
    wanted = {name: "login" if persona == "anonymous" else expected[persona] for name, _arg, expected in PAGES}
    assert seen == wanted


def test_the_matrix_covers_every_baseline_url():
    from baseline.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {page[0] for page in PAGES} | POST_ONLY


def test_an_unassigned_consultant_gets_404_for_pages_and_posts(persona_client, enterprise, round_):
    client = persona_client("other_consultant")
    assert client.get(reverse("baseline:enterprise_results", args=[enterprise.pk])).status_code == 404
    response = client.post(
        reverse("baseline:month_entry", args=[round_.pk]), {"month": "2019-01", "units_checked": "5"}
    )
    assert response.status_code == 404
    assert MonthlyValue.objects.get(round=round_, code="units_checked").value == 1000


def test_enterprise_lists_show_only_visible_enterprises(persona_client, enterprise, other_enterprise):
    body = persona_client("consultant").get(reverse("baseline:enterprise_list")).content.decode()
    assert enterprise.legal_name in body and other_enterprise.legal_name not in body


def test_the_contact_reads_results_but_cannot_add_rounds(persona_client, enterprise, round_):
    body = persona_client("contact").get(reverse("baseline:enterprise_results", args=[enterprise.pk])).content.decode()
    assert "Defect rate" in body and "3.0%" in body
    assert reverse("baseline:round_create", args=[enterprise.pk]) not in body


def test_consultant_adds_a_round(persona_client, enterprise):
    response = persona_client("consultant").post(
        reverse("baseline:round_create", args=[enterprise.pk]),
        {"kind": RoundKind.BASIC_BASELINE, "held_on": "2019-02-10", "first_month": "2018-11", "months": "3"},
    )
    assert response.status_code == 302
    round_ = enterprise.measurement_rounds.get()
    assert round_.month_list() == [datetime.date(2018, 11, 1), datetime.date(2018, 12, 1), datetime.date(2019, 1, 1)]


def test_month_entry_asks_to_confirm_a_jump_then_saves(persona_client, enterprise, round_):
    later = make_round(enterprise, RoundKind.FOLLOW_UP, held_on=datetime.date(2019, 6, 1))
    client = persona_client("consultant")
    url = reverse("baseline:month_entry", args=[later.pk])
    data = {"month": "2019-06", "units_checked": "4000", "defective_units": "20", "suggestions__nt": "on"}
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "more than 3×" in body and 'name="confirm"' in body
    assert not MonthlyValue.objects.filter(round=later).exists()
    response = client.post(url, {**data, "confirm": "on"})
    assert response.status_code == 302
    saved = {v.code: v for v in MonthlyValue.objects.filter(round=later)}
    assert saved["units_checked"].value == 4000 and saved["suggestions"].not_tracked


def test_month_entry_shows_clear_errors(persona_client, round_):
    response = persona_client("officer").post(
        reverse("baseline:month_entry", args=[round_.pk]),
        {
            "month": "2019-01",
            "units_checked": "100",
            "defective_units": "150",
            "headcount_start": "10",
            "headcount_start__nt": "on",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "cannot exceed" in body and "not both" in body


def test_practices_form_records_answers(persona_client, round_):
    osh = indicator("osh_committee")
    data = {f"p{i.pk}": "" for i in Indicator.objects.filter(kind="practice")}
    data[f"p{osh.pk}"] = "yes"
    response = persona_client("consultant").post(reverse("baseline:practices_entry", args=[round_.pk]), data)
    assert response.status_code == 302
    assert Result.objects.get(round=round_, indicator=osh).value == 1


def test_indicator_edit_page_creates_a_version(officer_client):
    defect = indicator("defect_rate")
    response = officer_client.post(
        reverse("baseline:indicator_edit", args=[defect.pk]),
        {
            "name": "Defect rate (end of line)",
            "description": "",
            "formula": "defect_rate",
            "unit": "%",
            "denominator": "units checked",
            "direction": "lower",
            "reason": "Measured at the end of the line",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert defect.versions.count() == 2


# ---------------------------------------------------------------- bulk import
CSV = "month,units_checked,defective_units,suggestions\n2019-01,1000,25,NT\n"


def test_import_preview_saves_nothing_until_confirmed(persona_client, enterprise, officer):
    round_ = make_round(enterprise, months=2, by=officer)
    client = persona_client("consultant")
    url = reverse("baseline:import_values", args=[round_.pk])
    upload = SimpleUploadedFile("values.csv", (CSV + "2019-02,1200,30,4\n").encode(), content_type="text/csv")
    response = client.post(url, {"file": upload})
    assert response.status_code == 200 and "ready" in response.content.decode()
    assert not MonthlyValue.objects.filter(round=round_).exists()
    response = client.post(url, {"action": "confirm"})
    assert response.status_code == 302
    assert MonthlyValue.objects.filter(round=round_).count() == 6
    assert MonthlyValue.objects.get(round=round_, month=datetime.date(2019, 1, 1), code="suggestions").not_tracked
    assert Result.objects.get(round=round_, indicator__code="defect_rate").value == 2.5  # mean 27.5 / 1100


def test_import_preview_shows_each_rows_errors(persona_client, enterprise, officer):
    round_ = make_round(enterprise, months=2, by=officer)
    text = "month\tunits_checked\tdefective_units\n2019-01\t1000\t2000\n2019-13\tabc\t1\n2019-02\t100\t5\n"
    response = persona_client("officer").post(reverse("baseline:import_values", args=[round_.pk]), {"text": text})
    body = response.content.decode()
    assert "cannot exceed" in body and "not a month" in body and "is not a number" in body
    assert "nothing was saved" in body
    assert (
        persona_client("officer")
        .post(reverse("baseline:import_values", args=[round_.pk]), {"action": "confirm"})
        .status_code
        == 302
    )
    assert not MonthlyValue.objects.filter(round=round_).exists()


def test_import_reads_a_real_xlsx(persona_client, enterprise, officer):
    from openpyxl import Workbook

    round_ = make_round(enterprise, by=officer)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["month", "units_checked", "defective_units"])
    sheet.append([datetime.date(2019, 1, 1), 800, 12])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("values.xlsx", buffer.getvalue())
    client = persona_client("officer")
    url = reverse("baseline:import_values", args=[round_.pk])
    assert "ready" in client.post(url, {"file": upload}).content.decode()
    client.post(url, {"action": "confirm"})
    assert Result.objects.get(round=round_, indicator__code="defect_rate").value == 1.5


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("values.xlsx", b"month,units_checked\n2019-01,5\n", "not an XLSX workbook"),
        ("values.xlsx", b"PK\x03\x04 not really a zip", "not a readable XLSX"),
        ("values.csv", b"\xff\xfe\x00m\x00o", "neither an XLSX workbook nor UTF-8"),
        ("values.csv", b"x" * (1024 * 1024 + 1), "larger than 1 MB"),
        ("values.csv", b"when,units_checked\n2019-01,5\n", "starting with"),
        ("values.csv", b"month,bananas\n2019-01,5\n", "Unknown columns: bananas"),
    ],
)
def test_import_validates_the_upload_content(persona_client, round_, name, content, message):
    response = persona_client("officer").post(
        reverse("baseline:import_values", args=[round_.pk]), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_import_jump_needs_the_confirmation_box(persona_client, enterprise, round_):
    later = make_round(enterprise, RoundKind.FOLLOW_UP, held_on=datetime.date(2019, 6, 1))
    client = persona_client("officer")
    url = reverse("baseline:import_values", args=[later.pk])
    body = client.post(url, {"text": "month,units_checked\n2019-06,9000\n"}).content.decode()
    assert "more than 3×" in body and 'name="confirm"' in body
    client.post(url, {"action": "confirm"})
    assert not MonthlyValue.objects.filter(round=later).exists()
    client.post(url, {"text": "month,units_checked\n2019-06,9000\n"})
    client.post(url, {"action": "confirm", "confirm": "1"})
    assert MonthlyValue.objects.get(round=later).value == 9000


def test_template_download(persona_client, round_):
    response = persona_client("consultant").get(reverse("baseline:import_template", args=[round_.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().startswith("month,units_checked")


def test_the_enterprise_page_links_to_its_indicators(officer_client, enterprise):
    body = officer_client.get(reverse("enterprises:enterprise_detail", args=[enterprise.pk])).content.decode()
    assert reverse("baseline:enterprise_results", args=[enterprise.pk]) in body


def test_officer_home_shows_the_baseline_panels(officer_client, round_):
    body = officer_client.get(reverse("home")).content.decode()
    assert "Enterprises with a baseline" in body and reverse("baseline:home") in body
