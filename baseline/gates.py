"""The baseline's part of the path's gates: whether the enterprise's basic and comprehensive
baseline rounds exist and have every required input entered or marked "not tracked".

Registered with enterprises.path.evidence from BaselineConfig.ready(): the path may not import this app.
"""

from django.db.models import Count, Q
from django.urls import reverse

from . import rules
from .models import Round, RoundKind

# What a round needs before its baseline counts as done: every month of the round, every input the
# entry form asks for as a total (the split by sex is welcome but not required; legacy inputs are not asked).
REQUIRED_INPUTS = tuple(spec.code for spec in rules.INPUT_SPECS if not spec.legacy)

_FACTS = {
    RoundKind.BASIC_BASELINE: "basic_round",
    RoundKind.COMPREHENSIVE_BASELINE: "comprehensive_round",
}


def round_gaps(months: int, entered: int) -> int:
    """Input-months of a round neither entered nor marked "not tracked"."""
    return max(months * len(REQUIRED_INPUTS) - entered, 0)


def path_facts(enterprise) -> dict:
    """Both baseline rounds of the enterprise, with their gaps; one query."""
    rounds = (
        Round.objects.filter(enterprise=enterprise, kind__in=list(_FACTS))
        .annotate(entered=Count("values", filter=Q(values__code__in=REQUIRED_INPUTS)))
        .order_by("kind", "pk")
    )
    facts: dict = {"links": {}}
    for kind, name in _FACTS.items():
        facts["links"][name] = reverse("baseline:round_create", args=[enterprise.pk]) + f"?kind={kind}"
    for round_ in rounds:
        name = _FACTS[round_.kind]
        facts[f"{name}_exists"] = True
        facts[f"{name}_gaps"] = round_gaps(round_.months, round_.entered)
        facts[f"{name}_held_on"] = round_.held_on
        facts["links"][name] = reverse("baseline:round_detail", args=[round_.pk])
    return facts
