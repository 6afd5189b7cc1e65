"""The enterprise pages answer each persona with what it may see, and nothing more."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

OFFICER_ONLY = 403


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("officer", 200),
        ("consultant", 200),
        ("other_consultant", 404),
        ("contact", 200),
        ("other_contact", 404),
        ("anonymous", 302),
    ],
)
def test_enterprise_page_by_persona(persona_client, enterprise, persona, expected):
    response = persona_client(persona).get(reverse("enterprises:enterprise_detail", args=[enterprise.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert "Indus Knitwear (Pvt) Ltd" in response.content.decode()


@pytest.mark.parametrize("persona", ["consultant", "contact"])
def test_consultants_and_contacts_read_the_path_without_the_officers_tools(persona_client, enterprise, persona):
    page = persona_client(persona).get(reverse("enterprises:enterprise_detail", args=[enterprise.pk])).content.decode()
    assert "Timeline" in page
    assert "Move along the path" not in page and "Letters" not in page and "Assign" not in page


def test_a_consultant_lists_only_assigned_enterprises(persona_client, enterprise, other_enterprise):
    page = persona_client("consultant").get(reverse("enterprises:enterprise_list")).content.decode()
    assert enterprise.legal_name in page
    assert other_enterprise.legal_name not in page


def test_a_contact_is_taken_to_their_own_enterprise(persona_client, enterprise):
    client = persona_client("contact")
    assert client.get(reverse("enterprises:enterprise_list"))["Location"] == reverse("enterprises:my_enterprise")
    response = client.get(reverse("enterprises:my_enterprise"))
    assert response["Location"] == reverse("enterprises:enterprise_detail", args=[enterprise.pk])


def test_a_contact_without_an_enterprise_is_told_so(client, django_user_model):
    from conftest import make_user
    from score_portal.roles import ENTERPRISE_CONTACT

    client.force_login(make_user(django_user_model, "lonely", ENTERPRISE_CONTACT))
    response = client.get(reverse("enterprises:my_enterprise"))
    assert response.status_code == 404
    assert "not linked to an enterprise" in response.content.decode()


def test_officer_assigns_and_removes_a_consultant(officer_client, officer, other_consultant, enterprise):
    url = reverse("enterprises:enterprise_assign", args=[enterprise.pk])
    officer_client.post(url, {"consultant": other_consultant.pk})
    assert enterprise.consultant_assignments.filter(consultant=other_consultant).exists()
    officer_client.post(reverse("enterprises:enterprise_unassign", args=[enterprise.pk, other_consultant.pk]))
    assert not enterprise.consultant_assignments.filter(consultant=other_consultant).exists()


@pytest.mark.parametrize("persona", ["consultant", "contact"])
def test_only_officers_assign_consultants(persona_client, other_consultant, enterprise, persona):
    url = reverse("enterprises:enterprise_assign", args=[enterprise.pk])
    assert persona_client(persona).post(url, {"consultant": other_consultant.pk}).status_code == OFFICER_ONLY
    assert not enterprise.consultant_assignments.filter(consultant=other_consultant).exists()


def test_the_consultant_list_has_a_bounded_query_count(client, officer, consultant, django_assert_max_num_queries):
    from enterprises.path import services
    from enterprises.tests.factories import make_enterprise

    for n in range(30):
        services.assign_consultant(make_enterprise(officer, number=f"7000-{n}"), consultant, by=officer)
    client.force_login(consultant)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("enterprises:enterprise_list"))
    assert response.status_code == 200


class PanelReader(HTMLParser):
    """The home page's figure cards as {title: value}; the menu (which also says "My enterprises") is not read."""

    def __init__(self):
        super().__init__()
        self.panels, self._texts = {}, None

    def handle_starttag(self, tag, attrs):
        if tag == "a" and "panel-card" in (dict(attrs).get("class") or ""):
            self._texts = []

    def handle_endtag(self, tag):
        if tag == "a" and self._texts is not None:
            value, *title = self._texts
            self.panels[" ".join(title)] = value
            self._texts = None

    def handle_data(self, data):
        if self._texts is not None and data.strip():
            self._texts.append(data.strip())


def panels(client) -> dict[str, str]:
    reader = PanelReader()
    reader.feed(client.get("/").content.decode())
    return reader.panels


def test_home_pages_show_each_role_its_own_figures(persona_client, enterprise, other_enterprise):
    # Two enterprises exist: the consultant is assigned to one, the contact belongs to one.
    assert panels(persona_client("consultant"))["My enterprises"] == "1"
    contact_panels = panels(persona_client("contact"))
    assert contact_panels[enterprise.legal_name] == enterprise.get_stage_display()
    assert other_enterprise.legal_name not in contact_panels
    officer_panels = panels(persona_client("officer"))
    assert officer_panels["Expressions of interest"] == "2"
    assert officer_panels["Enterprises in training"] == "0"  # both are only screened


@pytest.mark.parametrize("persona", ["officer", "consultant", "contact"])
def test_the_enterprise_page_links_to_what_other_apps_keep_about_it(persona_client, enterprise, persona):
    page = persona_client(persona).get(reverse("enterprises:enterprise_detail", args=[enterprise.pk])).content.decode()
    assert reverse("training:enterprise_detail", args=[enterprise.pk]) in page
