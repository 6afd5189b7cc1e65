"""The screening queue's filters, search box and sorting (django-filter)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from score_portal.tables import CountsActiveFilters

from ..models import Call, ScreeningOutcome, SubSector, Verdict
from .rules import CRITERION_CHOICES
from .services import registration_key

YES_NO = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]

# Sortable columns: query value -> field.
SORT_FIELDS = {
    "submitted": "submitted_at",
    "name": "legal_name",
    "workforce": "workforce_total",
    "result": "result_rank",
}


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorting by a column, with the primary key as tie-breaker so that pages never overlap."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "-pk")
        return qs


class ScreeningQueueFilter(CountsActiveFilters, django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Reference, name, registration, city, contact")}
        ),
    )
    call = django_filters.ModelChoiceFilter(label=_("Call"), queryset=Call.objects.all(), empty_label=_("All calls"))
    result = django_filters.ChoiceFilter(label=_("Result"), choices=ScreeningOutcome.choices, empty_label=_("Any"))
    failed = django_filters.ChoiceFilter(
        label=_("Failed criterion"), choices=CRITERION_CHOICES, method="filter_failed", empty_label=_("Any")
    )
    sub_sector = django_filters.ChoiceFilter(label=_("Sub-sector"), choices=SubSector.choices, empty_label=_("Any"))
    city = django_filters.CharFilter(label=_("City"), lookup_expr="iexact")
    late = django_filters.BooleanFilter(label=_("Late"), field_name="is_late", widget=forms.Select(choices=YES_NO))
    duplicate = django_filters.BooleanFilter(
        label=_("Possible duplicate"), field_name="possible_duplicate", widget=forms.Select(choices=YES_NO)
    )
    o = StableOrderingFilter(
        label=_("Sort"),
        fields=[(field, name) for name, field in SORT_FIELDS.items()],
        field_labels={
            "submitted_at": _("Submitted"),
            "legal_name": _("Name"),
            "workforce_total": _("Workforce"),
            "result_rank": _("Result"),
        },
    )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = (
            Q(reference__icontains=value)
            | Q(legal_name__icontains=value)
            | Q(registration_number__icontains=value)
            | Q(city__icontains=value)
            | Q(contact_name__icontains=value)
        )
        key = registration_key(value)
        if key:
            # "1234567-8" finds "1234567 8": registration numbers compare without separators.
            condition |= Q(registration_key__icontains=key)
        return queryset.filter(condition)

    def filter_failed(self, queryset, name, value):
        # One result per criterion per screening, so this join never repeats an EOI.
        return queryset.filter(
            current_screening__criteria__code=value, current_screening__criteria__verdict=Verdict.NOT_MET
        )
