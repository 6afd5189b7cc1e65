"""The enterprise list's filters (django-filter): the same filters the pipeline's numbers link to."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from score_portal.roles import CONSULTANT, display_name
from score_portal.tables import CountsActiveFilters

from ..models import Call, ConsultantAssignment, Level1Batch, Stage, StageTransition
from . import rules


def batch_choices() -> list:
    """Every batch, under its call's title (two calls may each have a "Batch 1"), the newest call first.

    Read as plain values: at national scale the select holds some 150 batches, and building a batch
    and its call for each option was most of what the enterprise list's page grew by."""
    groups: dict = {}
    batches = Level1Batch.objects.order_by("-call__opens_on", "call_id", "name", "pk")
    for pk, name, call_id, call_title in batches.values_list("pk", "name", "call_id", "call__title"):
        groups.setdefault((call_id, call_title), []).append((pk, name))
    return [(title, options) for (_call, title), options in groups.items()]


class EnterpriseFilter(CountsActiveFilters, django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, city or registration")}),
    )
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Stage.choices, empty_label=_("Any stage"))
    reached = django_filters.ChoiceFilter(
        label=_("Reached"),
        choices=[(s, Stage(s).label) for s in rules.MAIN_LINE],
        method="filter_reached",
        empty_label=_("Any"),
        help_text=_("Enterprises that reached this stage at some time, wherever they are now."),
    )
    call = django_filters.ModelChoiceFilter(
        label=_("Call"), queryset=Call.objects.order_by("-opens_on"), empty_label=_("All calls")
    )
    batch = django_filters.ChoiceFilter(label=_("Batch"), choices=batch_choices, empty_label=_("Any batch"))
    consultant = django_filters.ModelChoiceFilter(
        label=_("Consultant"), queryset=get_user_model().objects.none(), method="filter_consultant"
    )

    def __init__(self, *args, officer: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if officer:
            field = self.filters["consultant"].field
            field.queryset = get_user_model().objects.filter(groups__name=CONSULTANT).order_by("first_name", "username")
            field.label_from_instance = display_name
            field.empty_label = _("Anyone")
        else:
            # A consultant sees only their own enterprises already; a filter by consultant would say nothing.
            del self.filters["consultant"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(legal_name__icontains=value) | Q(city__icontains=value) | Q(registration_key__icontains=value)
        )

    def filter_reached(self, queryset, name, value):
        reached = Q(to_stage=value)
        call = self.form.cleaned_data.get("call")
        if call:
            reached &= Q(call=call)
        return queryset.filter(pk__in=StageTransition.objects.filter(reached).values("enterprise_id"))

    def filter_consultant(self, queryset, name, value):
        return queryset.filter(pk__in=ConsultantAssignment.objects.filter(consultant=value).values("enterprise_id"))
