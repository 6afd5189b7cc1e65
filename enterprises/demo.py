"""Demo calls and expressions of interest covering every screening outcome, then enterprises at every
stage of the path, made through the same services officers use.

Idempotent: an EOI of the same registration number is found again, an EOI whose enterprise already
exists is left as it is, the batch is found by its natural key (call, name), so running it again adds no rows.
"""

import datetime

from django.utils import timezone

from .models import (
    IN_PROGRAMME_STAGES,
    Call,
    Enterprise,
    ExpressionOfInterest,
    Level1Batch,
    ResultChange,
    ScreeningOutcome,
    Stage,
)
from .path import conditions, evidence
from .path import rules as path_rules
from .path import services as path_services
from .screening import services as screening_services

SEED_CALL = "Pakistan SCORE Programme: call for expression of interest 2018"
OPEN_CALL = "Pakistan SCORE Programme: second call for expression of interest"

CITIES = [
    ("Lahore", "punjab"),
    ("Faisalabad", "punjab"),
    ("Sialkot", "punjab"),
    ("Karachi", "sindh"),
    ("Multan", "punjab"),
    ("Gujranwala", "punjab"),
    ("Kasur", "punjab"),
    ("Hyderabad", "sindh"),
]
NAME_FIRST = ["Indus", "Ravi", "Chenab", "Jhelum", "Margalla", "Shalimar", "Crescent", "Noor", "Zeenat", "Mehran"]
NAME_THIRD = ["Industries", "Exports", "International", "Mills", "Enterprises", "Processing", "Fashions"]
NAME_SECOND = ["Knitwear", "Apparel", "Garments", "Denim", "Textile Mills", "Fabrics", "Dyeing Works", "Hosiery"]
FIRST_NAMES = ["Ayesha", "Bilal", "Fatima", "Hamza", "Sana", "Usman", "Zainab", "Imran", "Nadia", "Kashif"]
LAST_NAMES = ["Malik", "Qureshi", "Butt", "Sheikh", "Chaudhry", "Khan", "Siddiqui", "Raza"]

# What makes each demo EOI come out as it does; the list repeats over the EOIs.
RECIPES = [
    ("eligible", {}),
    ("needs review: HR officer to be hired", {"hr_officer": "willing"}),
    ("ineligible: workforce", {"workforce_total": 240}),
    ("eligible", {"ceo_available": False, "nominee_position": "Director Operations", "nominee_has_authority": True}),
    ("ineligible: permanent share", {"permanent_share": 0.18}),
    ("eligible", {}),
    ("needs review: engineer and compliance", {"industrial_engineer": "willing", "compliance_officer": "willing"}),
    ("ineligible: nominee", {"ceo_available": False, "nominee_position": "Admin Officer"}),
    ("eligible", {}),
    ("ineligible: sub-sector", {"sub_sector": "other", "sub_sector_other": "Home textiles (towels)"}),
    ("eligible", {}),
    ("ineligible: order status", {"shares_order_status": False}),
    ("eligible", {}),
    ("needs review: industrial engineer", {"industrial_engineer": "willing"}),
    ("ineligible: baseline data", {"shares_baseline_data": False}),
    ("eligible", {}),
]


def _call(title, **fields):
    call, created = Call.objects.get_or_create(title=title, defaults=fields)
    changed = [name for name, value in fields.items() if getattr(call, name) != value]
    if changed and not created:
        # Save only what moved (the open call's dates), so a re-run adds no history rows.
        for name in changed:
            setattr(call, name, fields[name])
        call.save(update_fields=changed)
    return call


def eoi_data(**answers) -> dict:
    """A complete expression of interest that meets every criterion, as the services take it, with
    `answers` in place of the defaults: the demo varies it, the tests start from it."""
    data = {
        "legal_name": "Indus Knitwear (Pvt) Ltd",
        "registration_number": "1234567-8",
        "address": "Plot 12, Sundar Industrial Estate",
        "city": "Lahore",
        "province": "punjab",
        "year_established": 1998,
        "products": "Knitted T-shirts and polo shirts",
        "export_markets": "EU, UK",
        "main_buyers": "Two European retailers",
        "sub_sector": "rmg_knitwear",
        "sub_sector_other": "",
        "workforce_total": 620,
        "workforce_permanent": 410,
        "workforce_contract": 210,
        "workforce_women": 250,
        "workforce_men": 370,
        "workforce_managers": 45,
        "workforce_workers": 575,
        "hr_officer": "in_place",
        "compliance_officer": "in_place",
        "industrial_engineer": "in_place",
        "ceo_available": True,
        "nominee_name": "",
        "nominee_position": "",
        "nominee_has_authority": False,
        "shares_order_status": True,
        "shares_baseline_data": True,
        "contact_name": "Ayesha Malik",
        "contact_position": "HR Manager",
        "contact_email": "ayesha@indusknit.example.pk",
        "contact_phone": "0300-8486929",
        "consent": True,
    }
    data.update(answers)
    return data


def _eoi_data(ctx, index: int) -> tuple[str, dict]:
    rng = ctx.rng
    label, recipe = RECIPES[index % len(RECIPES)]
    recipe = dict(recipe)
    city, province = CITIES[index % len(CITIES)]
    name = f"{NAME_FIRST[index % len(NAME_FIRST)]} {NAME_SECOND[(index // len(NAME_FIRST)) % len(NAME_SECOND)]}"
    cycle = index // (len(NAME_FIRST) * len(NAME_SECOND))
    if cycle:
        # Past 80 names, a third word keeps each name unique (so only the deliberate twin is flagged).
        name = f"{name} {NAME_THIRD[(cycle - 1) % len(NAME_THIRD)]}"
    contact_first, contact_last = FIRST_NAMES[index % len(FIRST_NAMES)], LAST_NAMES[index % len(LAST_NAMES)]
    data = drawn_answers(
        rng,
        recipe,
        legal_name=f"{name} (Pvt) Ltd",
        registration_number=f"{3000000 + index * 7919 % 999983:07d}-{index % 10}",
        city=city,
        province=province,
        plots=200,
        contact=(contact_first, contact_last),
        email=f"{contact_first.lower()}.{index}@example.pk",
        phone=f"0300-{8400000 + index:07d}",
        nominee_first=FIRST_NAMES[(index + 3) % len(FIRST_NAMES)],
    )
    return label, data


def drawn_answers(
    rng, recipe: dict, *, legal_name, registration_number, city, province, plots, contact, email, phone, nominee_first
) -> dict:
    """One demo EOI's answers: the recipe's own, the rest drawn from `rng`. The draws keep this order,
    so that one seed always gives the same enterprises (the detailed demo and the bulk one alike)."""
    total = recipe.pop("workforce_total", rng.randrange(320, 2400, 10))
    permanent = int(total * recipe.pop("permanent_share", rng.uniform(0.3, 0.9)))
    women = int(total * rng.uniform(0.15, 0.6))
    managers = max(5, int(total * rng.uniform(0.04, 0.1)))
    data = eoi_data(
        legal_name=legal_name,
        registration_number=registration_number,
        address=f"Plot {rng.randint(1, plots)}, Industrial Estate",
        city=city,
        province=province,
        year_established=rng.randint(1975, 2014),
        products=rng.choice(["Knitted T-shirts", "Denim jeans", "Woven shirts", "Dyed fabric", "Hosiery"]),
        export_markets=rng.choice(["EU, UK", "USA", "EU, USA, Japan", "Middle East", ""]),
        main_buyers=rng.choice(["European high-street brands", "US retailers", "Local market", ""]),
        sub_sector=rng.choice(["rmg_woven", "rmg_knitwear", "dyeing_woven", "dyeing_knitwear"]),
        workforce_total=total,
        workforce_permanent=permanent,
        workforce_contract=total - permanent,
        workforce_women=women,
        workforce_men=total - women,
        workforce_managers=managers,
        workforce_workers=total - managers,
        contact_name=f"{contact[0]} {contact[1]}",
        contact_position=rng.choice(["HR Manager", "Compliance Manager", "General Manager"]),
        contact_email=email,
        contact_phone=phone,
    )
    if "nominee_position" in recipe:
        recipe.setdefault("nominee_name", f"{nominee_first} {contact[1]}")
    data.update(recipe)
    return data


def seed(ctx):
    officer = ctx.users["officer"]
    seed_call = _call(
        SEED_CALL,
        country="PK",
        description="ILES project (EU funded): SCORE Training for textile enterprises in Pakistan.",
        opens_on=datetime.date(2018, 7, 1),
        closes_on=datetime.date(2018, 8, 10),
        contact_name="Sadia Hameed",
        contact_email="hameeds@ilo.org",
        contact_phone="0300-8486929",
        first_batch_capacity=12,
    )
    today = timezone.localdate()
    _call(
        OPEN_CALL,
        country="PK",
        description="A second call, open now, so that the public form can be tried.",
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=60),
        contact_name="Sadia Hameed",
        contact_email="hameeds@ilo.org",
        contact_phone="0300-8486929",
        first_batch_capacity=10,
    )

    eois = []
    for index in range(ctx.enterprises):
        label, data = _eoi_data(ctx, index)
        key = screening_services.registration_key(data["registration_number"])
        existing = ExpressionOfInterest.objects.filter(call=seed_call, registration_key=key).first()
        if existing:
            eois.append(existing)
            continue
        # The last one arrived after the close date and was entered by an officer from paper.
        late = index == ctx.enterprises - 1 and index > 0
        submitted_on = (
            datetime.date(2018, 8, 14) if late else datetime.date(2018, 7, 2) + datetime.timedelta(index % 38)
        )
        eoi = screening_services.submit_expression_of_interest(
            seed_call, data, entered_by=officer if late else None, today=submitted_on
        )
        eoi.submitted_at = timezone.make_aware(datetime.datetime.combine(submitted_on, datetime.time(10, index % 60)))
        eoi.save(update_fields=["submitted_at"])
        eois.append(eoi)

    _likely_duplicate(ctx, seed_call, eois)
    _override_one(officer, eois)

    # Only the EOIs made here: a national-scale demo's bulk EOIs (demo_scale) have their own path.
    detailed = ExpressionOfInterest.objects.filter(call=seed_call, pk__in=[e.pk for e in eois])
    enterprises = seed_path(ctx, list(detailed.order_by("sequence")))
    _assign_and_link(ctx, enterprises)


def _likely_duplicate(ctx, call, eois):
    """A second EOI from the same enterprise name and city under another number, as happens on paper."""
    if not eois:
        return
    original = eois[0]
    label, data = _eoi_data(ctx, 0)
    data["registration_number"] = "DUP-" + original.registration_number
    if not ExpressionOfInterest.objects.filter(
        call=call, registration_key=screening_services.registration_key(data["registration_number"])
    ).exists():
        screening_services.submit_expression_of_interest(call, data, today=datetime.date(2018, 8, 1))


def _override_one(officer, eois):
    """An officer accepted an enterprise that had only just hired its compliance officer."""
    for eoi in eois:
        if eoi.result_changes.filter(source=ResultChange.Source.OVERRIDE).exists():
            return
    candidate = next((e for e in eois if e.result == ScreeningOutcome.NEEDS_REVIEW), None)
    if candidate:
        screening_services.override_result(
            candidate,
            officer=officer,
            outcome=ScreeningOutcome.ELIGIBLE,
            justification="Met the CEO on 20 August 2018: the missing officer was hired and starts in September.",
        )


def _assign_and_link(ctx, enterprises):
    """The demo consultant works with every other enterprise in training; the demo enterprise
    user is the contact person of the first one, so each role sees a realistic slice."""
    officer = ctx.users["officer"]
    in_training = [e for e in enterprises if e.stage in IN_PROGRAMME_STAGES]
    for enterprise in in_training[::2]:
        path_services.assign_consultant(enterprise, ctx.users["consultant"], by=officer)
    if in_training:
        path_services.link_contact(ctx.users["enterprise"], in_training[0], position="HR Manager")


# ---------------------------------------------------------------- enterprises along their path
# The first thirteen enterprises take one stage each, so the demo shows the whole path
# even with few EOIs; the rest fill the early and middle of the path, as in a real call.
EVERY_STAGE = [
    Stage.LEVEL2_COMPLETED,
    Stage.LEVEL1_ACCEPTED,
    Stage.SHORTLISTED,
    Stage.NOT_SELECTED,
    Stage.LEVEL2_IN_PROGRESS,
    Stage.CEO_MEETING_HELD,
    Stage.LEVEL1_COMPLETED,
    Stage.WITHDRAWN,
    Stage.BASELINE_DONE,
    Stage.LEVEL2_SHORTLISTED,
    Stage.LEVEL2_INTEREST,
    Stage.SCREENED,
    Stage.EOI_RECEIVED,
]
THEN = [
    Stage.SHORTLISTED,
    Stage.LEVEL1_ACCEPTED,
    Stage.LEVEL1_COMPLETED,
    Stage.NOT_SELECTED,
    Stage.CEO_MEETING_HELD,
    Stage.LEVEL2_INTEREST,
    Stage.SCREENED,
]
# The main line from the shortlist on, with the number of days after the batch opens each step happens.
STEPS = [
    (Stage.CEO_MEETING_HELD, 7),
    (Stage.BASELINE_DONE, 14),
    (Stage.LEVEL1_ACCEPTED, 21),
    (Stage.LEVEL1_COMPLETED, 130),
    (Stage.LEVEL2_INTEREST, 137),
    (Stage.LEVEL2_SHORTLISTED, 150),
    (Stage.LEVEL2_IN_PROGRESS, 165),
    (Stage.LEVEL2_COMPLETED, 540),
]
HIRES = ["Ayesha Siddiqui", "Bilal Anwar", "Farah Naz", "Usman Ghani"]
ATTENDEES = [
    "CEO, HR manager, compliance officer",
    "Managing director and production manager",
    "Director operations (nominee), HR officer",
]
OVERRIDE = "Demo: the officer checked by phone that the missing staff will be hired before Level 1."


def _moment(day: datetime.date, hour: int = 11) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _target(index: int) -> str:
    if index < len(EVERY_STAGE):
        return EVERY_STAGE[index]
    return THEN[(index - len(EVERY_STAGE)) % len(THEN)]


def _pool(eois):
    """Admissible EOIs first (no override needed), then the others, each in call order."""
    screened = [e for e in eois if e.result != ScreeningOutcome.PENDING and not e.possible_duplicate]
    first = [e for e in screened if e.result == ScreeningOutcome.ELIGIBLE or e.result_overridden]
    second = [e for e in screened if e.result == ScreeningOutcome.NEEDS_REVIEW and not e.result_overridden]
    return first + second


def _walk(ctx, enterprise, target, officer, start: datetime.date, index: int) -> None:
    if target == Stage.SHORTLISTED:
        return
    if target in path_rules.EXITS:
        reason = (
            "The owner decided to wait for the next call."
            if target == Stage.WITHDRAWN
            else "Ranked below the others after the meeting with the CEO."
        )
        path_services.transition(enterprise, target, by=officer, reason=reason, at=_moment(start, 15))
        return
    for stage, days in STEPS:
        day = start + datetime.timedelta(days=days)
        # The baseline and training apps enter what the step's gate reads (a round, attendance,
        # visits, a Level 2 group), dated just before the step.
        evidence.prepare_demo_step(enterprise, stage, day, ctx)
        if stage == Stage.LEVEL1_ACCEPTED:
            # The staff it promised at screening were hired before it started Level 1.
            for condition in enterprise.hiring_conditions.filter(hired_on__isnull=True):
                name = HIRES[(index + len(condition.role)) % len(HIRES)]
                conditions.record_hire(condition, name=name, hired_on=day - datetime.timedelta(days=3), by=officer)
        if stage == Stage.CEO_MEETING_HELD:
            path_services.record_ceo_meeting(
                enterprise,
                by=officer,
                held_on=day,
                attendees=ATTENDEES[index % len(ATTENDEES)],
                commitment_shown=True,
                notes="Discussed the workplace improvement committee and the baseline data.",
                at=_moment(day),
            )
        elif stage == Stage.LEVEL2_SHORTLISTED:
            path_services.select_for_level2(
                [enterprise], by=officer, reason="Strong comprehensive baseline and steady commitment.", at=_moment(day)
            )
        else:
            path_services.transition(
                enterprise,
                stage,
                by=officer,
                reason=f"Recorded from the field report of {day:%d %B %Y}.",
                # The baseline's date is its round's; the other dated steps happen on the day.
                on=None if stage == Stage.BASELINE_DONE else day,
                at=_moment(day),
            )
        enterprise.refresh_from_db()
        if stage == target:
            return


def seed_path(ctx, eois) -> list[Enterprise]:
    eois = list(eois)
    if not eois:
        return []
    officer = ctx.users["officer"]
    call = eois[0].call
    start = call.closes_on + datetime.timedelta(days=21)
    pool = _pool(eois)
    batch, _created = Level1Batch.objects.get_or_create(
        call=call,
        name="Batch 1",
        defaults={"capacity": max(call.first_batch_capacity, len(pool)), "starts_on": start},
    )
    if batch.capacity < len(pool):  # a larger demo over a smaller one made earlier
        batch.capacity = len(pool)
        batch.save(update_fields=["capacity"])
    made = []
    for index, eoi in enumerate(pool):
        existing = Enterprise.objects.filter(registration_key=eoi.registration_key).first()
        if existing:
            made.append(existing)
            continue
        target = _target(index)
        justification = "" if eoi.result == ScreeningOutcome.ELIGIBLE or eoi.result_overridden else OVERRIDE
        screened_at = _moment(call.closes_on + datetime.timedelta(days=3))
        if target == Stage.EOI_RECEIVED:
            made.append(path_services.register_enterprise(eoi, by=officer, advance=False))
            continue
        if target in (Stage.SCREENED, Stage.NOT_SELECTED):
            enterprise = path_services.register_enterprise(
                eoi, by=officer, override_justification=justification, at=screened_at
            )
            if target == Stage.NOT_SELECTED:
                path_services.transition(
                    enterprise,
                    Stage.NOT_SELECTED,
                    by=officer,
                    reason="Ranked below the batch capacity; encouraged to answer the next call.",
                    at=_moment(start - datetime.timedelta(days=5)),
                )
            made.append(enterprise)
            continue
        path_services.register_enterprise(eoi, by=officer, override_justification=justification, at=screened_at)
        path_services.shortlist_for_batch(
            batch,
            [eoi],
            by=officer,
            reason="Among the strongest on workforce, criteria met and commitment.",
            override_justification=justification,
            at=_moment(start - datetime.timedelta(days=7)),
        )
        enterprise = Enterprise.objects.get(registration_key=eoi.registration_key)
        _walk(ctx, enterprise, target, officer, start, index)
        made.append(enterprise)
    ctx.made["level1_batch"] = batch
    ctx.made["path_enterprises"] = made
    return made
