"""Every entry of every role's menu leads to a page that exists and opens for that role.

`menu_for` leaves out an entry whose URL name no longer reverses, so that a page being built never
shows a dead link; the price is that a renamed or removed URL makes its entry vanish without a
sound. These tests make that loud.
"""

import pytest
from django.urls import NoReverseMatch, reverse

from score_portal.navigation import MENUS, flat, menu_for
from score_portal.roles import CONSULTANT, ENTERPRISE_CONTACT, OFFICER

# The root conftest's persona who has each role (the consultant is assigned to `enterprise`, the contact
# belongs to it, so their pages have something to show).
PERSONA_OF_ROLE = {OFFICER: "officer", CONSULTANT: "consultant", ENTERPRISE_CONTACT: "contact"}

ENTRIES = [(role, entry) for role, entries in MENUS.items() for entry in entries]


def test_every_role_with_a_menu_has_a_persona_to_try_it():
    assert set(MENUS) == set(PERSONA_OF_ROLE)


@pytest.mark.parametrize(("role", "entry"), ENTRIES, ids=[f"{role}:{entry.url_name}" for role, entry in ENTRIES])
def test_every_menu_entry_names_a_url_that_exists(role, entry):
    try:
        reverse(entry.url_name)
    except NoReverseMatch:
        pytest.fail(f"The {role} menu's entry “{entry.label}” names {entry.url_name!r}, which no URL has any more.")


@pytest.mark.parametrize("role", list(MENUS))
def test_no_entry_is_left_out_of_the_menu(role):
    assert [str(item["label"]) for item in flat(menu_for(role))] == [str(entry.label) for entry in MENUS[role]]


def test_the_officers_office_pages_share_one_drop_down():
    groups = [item for item in menu_for(OFFICER) if "children" in item]
    assert [str(group["label"]) for group in groups] == ["Office"]
    assert [str(child["label"]) for child in groups[0]["children"]] == ["Buyers", "Mail", "People", "Activity log"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(MENUS))
def test_each_menu_page_opens_for_a_user_of_that_role(persona_client, role):
    client = persona_client(PERSONA_OF_ROLE[role])
    home = client.get(reverse("home")).content.decode()
    for entry in MENUS[role]:
        url = reverse(entry.url_name)
        assert f'href="{url}"' in home, f"the {role} menu does not show “{entry.label}”"
        # Followed, because "Our enterprise" takes a contact on to the enterprise's own page.
        response = client.get(url, follow=True)
        assert response.status_code == 200, f"“{entry.label}” ({url}) answered {response.status_code} to a {role}"
        landed = response.request["PATH_INFO"]
        assert landed != reverse("login"), f"“{entry.label}” ({url}) sent a {role} to the log-in page"
