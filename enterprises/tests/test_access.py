"""Who sees which enterprise: officers all, consultants their assigned ones, contacts their own."""

import pytest
from django.http import Http404

from enterprises import access
from enterprises.path import services

pytestmark = pytest.mark.django_db


def test_officer_sees_every_enterprise(officer, enterprise, other_enterprise):
    assert set(access.visible_enterprises(officer)) == {enterprise, other_enterprise}


def test_consultant_sees_only_assigned_enterprises(consultant, enterprise, other_enterprise):
    assert list(access.visible_enterprises(consultant)) == [enterprise]
    assert access.can_view_enterprise(consultant, enterprise)
    assert not access.can_view_enterprise(consultant, other_enterprise)
    with pytest.raises(Http404):
        access.enterprise_for(consultant, other_enterprise.pk)


def test_contact_sees_only_their_own_enterprise(contact, enterprise, other_enterprise):
    assert list(access.visible_enterprises(contact)) == [enterprise]
    assert access.own_enterprise(contact) == enterprise
    assert access.can_view_enterprise(contact, enterprise)
    assert not access.can_work_on_enterprise(contact, enterprise)
    with pytest.raises(Http404):
        access.enterprise_for(contact, other_enterprise.pk)


def test_unassigning_a_consultant_removes_access_and_keeps_a_record(officer, consultant, enterprise):
    services.unassign_consultant(enterprise, consultant, by=officer)
    assert not access.can_view_enterprise(consultant, enterprise)
    removed = enterprise.consultant_assignments.model.history.filter(history_type="-").get()
    assert removed.consultant == consultant and removed.history_user == officer


def test_only_consultants_can_be_assigned(officer, contact, enterprise):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="not a consultant"):
        services.assign_consultant(enterprise, contact, by=officer)


def test_the_object_check_answers_for_one_enterprise(consultant, other_consultant, enterprise):
    assert access.can_view_enterprise(consultant, enterprise)
    assert not access.can_view_enterprise(other_consultant, enterprise)


def test_a_consultant_who_is_also_a_contact_sees_both_scopes(officer, consultant, enterprise, other_enterprise):
    services.link_contact(consultant, other_enterprise)
    consultant = type(consultant).objects.get(pk=consultant.pk)  # as the next request would load it
    visible = list(access.visible_enterprises(consultant).order_by("pk"))
    assert visible == sorted([enterprise, other_enterprise], key=lambda e: e.pk)
    assert access.can_view_enterprise(consultant, other_enterprise)
