"""The baseline's part of the path's gates: whether the enterprise's basic and comprehensive
baseline rounds exist and have every required input entered or marked "not tracked".

Registered with enterprises.path.evidence from BaselineConfig.ready(): the path may not import this app.
"""

from collections import defaultdict

from django.urls import reverse

from . import rules
from .models import MonthlyValue, Round, RoundKind

# What a round needs before its baseline counts as done: every month of the round, every input the
# entry form asks for as a total (the split by sex is welcome but not required; legacy inputs are not asked).
REQUIRED_INPUTS = tuple(spec.code for spec in rules.INPUT_SPECS if not spec.legacy)

_FACTS = {
    RoundKind.BASIC_BASELINE: "basic_round",
    RoundKind.COMPREHENSIVE_BASELINE: "comprehensive_round",
}


_BY_SEX = {spec.code for spec in rules.INPUT_SPECS if spec.by_sex}


def round_gaps(months, entered: set[tuple]) -> int:
    """Input-months of a round neither entered nor marked "not tracked". An input asked for by sex
    counts as entered when its total is, or both its women and men figures are."""
    gaps = 0
    for month in months:
        for code in REQUIRED_INPUTS:
            if (month, code) in entered:
                continue
            if code in _BY_SEX and {(month, f"{code}_women"), (month, f"{code}_men")} <= entered:
                continue
            gaps += 1
    return gaps


def path_facts(enterprise) -> dict:
    """Both baseline rounds of the enterprise, with their gaps; two queries."""
    rounds = list(Round.objects.filter(enterprise=enterprise, kind__in=list(_FACTS)).order_by("kind", "pk"))
    entered = defaultdict(set)
    for round_id, month, code in MonthlyValue.objects.filter(round__in=rounds).values_list("round", "month", "code"):
        entered[round_id].add((month, code))
    facts: dict = {"links": {}}
    for kind, name in _FACTS.items():
        facts["links"][name] = reverse("baseline:round_create", args=[enterprise.pk]) + f"?kind={kind}"
    for round_ in rounds:
        name = _FACTS[round_.kind]
        facts[f"{name}_exists"] = True
        facts[f"{name}_gaps"] = round_gaps(round_.month_list(), entered[round_.pk])
        facts[f"{name}_held_on"] = round_.held_on
        facts["links"][name] = reverse("baseline:round_detail", args=[round_.pk])
    return facts
