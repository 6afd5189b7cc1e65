"""Demo data of the linkage with buyers: a few buyers, consent recorded for most enterprises in the
programme (so the global export and the buyer view have something to show), linkages and events.
Safe to run again: rows are found by their natural keys, never duplicated."""

import datetime
import random

from enterprises.models import IN_PROGRAMME_STAGES, DataSharingConsent, Enterprise

from .models import Buyer, EventKind, Linkage, LinkageEvent

BUYERS = [
    ("Nordic Threads", "Sweden", "Anna Berg", "sourcing@nordic-threads.example"),
    ("Maple & Loom", "Canada", "Daniel Roy", "compliance@mapleloom.example"),
    ("Rhein Apparel", "Germany", "Katrin Vogel", "k.vogel@rhein-apparel.example"),
    ("Castile Basics", "Spain", "Lucia Moreno", "lucia.moreno@castile.example"),
]


def seed(ctx):
    officer = ctx.users["officer"]
    buyers = []
    for brand, country, contact, email in BUYERS:
        buyer, _created = Buyer.objects.get_or_create(
            brand=brand,
            defaults={"country": country, "contact_name": contact, "contact_email": email, "created_by": officer},
        )
        buyers.append(buyer)
    enterprises = Enterprise.objects.filter(stage__in=IN_PROGRAMME_STAGES).order_by("pk")
    if ctx.made.get("path_enterprises") is not None:
        # Only the enterprises made one by one: a national-scale demo's others are made in bulk after
        # this runs, and a second run would otherwise give them consents the first did not.
        enterprises = enterprises.filter(pk__in=[e.pk for e in ctx.made["path_enterprises"]])
    for enterprise in enterprises:
        rng = random.Random(f"linkage-{enterprise.registration_key}")
        given_on = enterprise.stage_changed_at.date() if enterprise.stage_changed_at else datetime.date(2019, 1, 1)
        if rng.random() < 0.8 and not DataSharingConsent.objects.filter(enterprise=enterprise).exists():
            shared = rng.random() < 0.9
            DataSharingConsent.objects.create(
                enterprise=enterprise,
                global_database=shared,
                global_database_named=shared and rng.random() < 0.3,
                buyer_view=True,
                buyer_raw_figures=rng.random() < 0.4,
                given_by="Chief executive",
                given_on=given_on,
                note="Signed form in the enterprise's file",
                recorded_by=officer,
            )
        for buyer in rng.sample(buyers, rng.randint(1, 2)):
            linkage, _created = Linkage.objects.get_or_create(
                enterprise=enterprise,
                buyer=buyer,
                defaults={"since": given_on.replace(day=1) - datetime.timedelta(days=365 * 2), "created_by": officer},
            )
            for n, kind in enumerate(rng.sample(list(EventKind.values), 2)):
                LinkageEvent.objects.get_or_create(
                    linkage=linkage,
                    kind=kind,
                    defaults={"held_on": given_on + datetime.timedelta(days=30 * (n + 1)), "recorded_by": officer},
                )
