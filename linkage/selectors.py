"""Reads of the linkage pages, each with a fixed number of queries, and what a buyer view shows."""

from django.db.models import Count, Max, Prefetch

from baseline import rules as baseline_rules
from baseline import selectors as baseline_selectors
from enterprises.models import IN_PROGRAMME_STAGES, DataSharingConsent, Enterprise
from reporting.models import BusinessCase
from reporting.selectors import profile

from .models import Buyer, BuyerViewLink, Linkage, LinkageEvent


def linkages():
    """Every linkage with its buyer, enterprise, number of events and the latest one's date: one query."""
    return (
        Linkage.objects.select_related("enterprise", "buyer")
        .annotate(event_count=Count("events"), last_event_on=Max("events__held_on"))
        .order_by("enterprise__legal_name", "buyer__brand", "pk")
    )


def enterprises_to_pick():
    """The enterprises in the programme (accepted into Level 1 and on), for the page's picker."""
    return Enterprise.objects.filter(stage__in=IN_PROGRAMME_STAGES).only("pk", "legal_name").order_by("legal_name")


def recent_events(limit: int = 50):
    return LinkageEvent.objects.select_related("linkage__enterprise", "linkage__buyer", "recorded_by")[:limit]


def buyers():
    return Buyer.objects.annotate(enterprise_count=Count("linkages")).order_by("brand")


def enterprise_linkages(enterprise):
    """The enterprise's buyers with their events and shared links (and how often each was opened)."""
    links = BuyerViewLink.objects.select_related("created_by", "revoked_by").annotate(
        opened=Count("openings"), last_opened=Max("openings__opened_at")
    )
    return (
        Linkage.objects.filter(enterprise=enterprise)
        .select_related("buyer")
        .prefetch_related(
            Prefetch("events", queryset=LinkageEvent.objects.select_related("recorded_by")),
            Prefetch("view_links", queryset=links),
        )
        .order_by("buyer__brand")
    )


def consent_history(enterprise, limit: int = 20):
    """Every answer the enterprise gave, newest first, with who recorded it and when: one query."""
    return (
        DataSharingConsent.history.filter(enterprise_id=enterprise.pk)
        .select_related("recorded_by")
        .order_by("-history_date")[:limit]
    )


def buyer_view(enterprise, *, raw_figures: bool) -> dict:
    """What a buyer sees: the profile, the progress in words and relative changes (the baseline and
    latest values only when the consent allows raw figures), and the officer's business case."""
    results = baseline_selectors.enterprise_results(enterprise)
    kpis = [row for row in results["kpis"] if row.change is not None and row.sex == baseline_rules.ALL]
    return {
        "profile": profile(enterprise),
        "kpis": kpis,
        "improved": sum(1 for row in kpis if row.change.improved),
        "judged": sum(1 for row in kpis if row.change.improved is not None),
        "adopted": results["adopted"],
        "practices": [row for row in results["practices"] if row.change is not None],
        "rounds": results["rounds"],
        "case": BusinessCase.objects.filter(enterprise=enterprise).first(),
        "raw_figures": raw_figures,
    }
