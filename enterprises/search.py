"""The search box in the top bar: enterprises, expressions of interest (reference, registration number)
and people, each within what the searcher may see.

A consultant finds only the enterprises assigned to them, a contact only their own; expressions of
interest and people (who may hold personal data) are for officers only. A few queries, whatever the size.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.shortcuts import render

from score_portal.roles import CONSULTANT, ROLE_LABELS, ROLES, is_officer

from . import access
from .models import ExpressionOfInterest
from .screening.services import registration_key

LIMIT = 20  # per kind: a search narrows, it does not browse
MIN_LENGTH = 2


@dataclass
class Results:
    query: str
    enterprises: list
    eois: list
    people: list

    @property
    def count(self) -> int:
        return len(self.enterprises) + len(self.eois) + len(self.people)


def find(user, query: str) -> Results:
    query = (query or "").strip()[:100]
    if len(query) < MIN_LENGTH:
        return Results(query, [], [], [])
    key = registration_key(query)
    by_key = Q(registration_key__icontains=key) if key else Q(pk__in=[])
    enterprises = list(
        access.visible_enterprises(user)
        .filter(Q(legal_name__icontains=query) | Q(city__icontains=query) | by_key)
        .select_related("call")
        .order_by("legal_name", "pk")[:LIMIT]
    )
    eois, people = [], []
    if is_officer(user):
        eois = list(
            ExpressionOfInterest.objects.filter(
                Q(reference__icontains=query)
                | Q(legal_name__icontains=query)
                | Q(registration_number__icontains=query)
                | by_key
            )
            .select_related("call")
            .order_by("-submitted_at", "-pk")[:LIMIT]
        )
        people = _people(query)
    return Results(query, enterprises, eois, people)


def _people(query: str) -> list:
    words = query.split()
    condition = Q()
    for word in words:
        condition &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
            | Q(email__icontains=word)
        )
    people = list(
        get_user_model()
        .objects.filter(condition)
        .prefetch_related("groups")
        .select_related("enterprise_contact__enterprise")
        .order_by("first_name", "last_name", "username")[:LIMIT]
    )
    for person in people:
        names = {group.name for group in person.groups.all()}
        person.role_labels = [ROLE_LABELS[role] for role in ROLES if role in names]
        person.is_consultant_role = CONSULTANT in names
    return people


def search(request):
    results = find(request.user, request.GET.get("q", ""))
    return render(
        request,
        "enterprises/search.html",
        {"results": results, "too_short": 0 < len(results.query) < MIN_LENGTH, "is_officer": is_officer(request.user)},
    )
