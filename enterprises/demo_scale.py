"""A national-scale demo (`seed_demo --enterprises 5000`): expressions of interest and enterprises
added in bulk after the detailed demo, until there are as many enterprises as asked.

Going through the services one EOI at a time costs about 60 queries per enterprise; here every
table is filled with a few `bulk_create` calls instead. The rows are the ones the services would
write, worked out by the same rules: each EOI is screened by `screening.rules.screen` with the
call's thresholds (its Screening, criteria and automatic ResultChange), each enterprise follows
the path's main line with one StageTransition per step, a CEO meeting when it had one and a batch
of 25 from the shortlist on. What is left out is the audit history (django-simple-history rows),
which only a person's change makes.

Deterministic: EOI `j` draws from its own generator (`scale-<seed>-<j>`); idempotent: the EOIs
are found again by registration number and nothing is made twice.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import Max
from django.utils import timezone

from score_portal.roles import CONSULTANT, role_group

from .demo import CITIES, FIRST_NAMES, LAST_NAMES, OVERRIDE, RECIPES, SEED_CALL, STEPS, drawn_answers
from .models import (
    IN_PROGRAMME_STAGES,
    Call,
    CeoMeeting,
    ConsultantAssignment,
    CriterionResult,
    Enterprise,
    ExpressionOfInterest,
    Level1Batch,
    ResultChange,
    Screening,
    ScreeningOutcome,
    Stage,
    StageTransition,
)
from .path.services import _received_reason, mark_on_the_path
from .screening import rules as screening_rules
from .screening.services import normalise_phone, registration_key

BATCH_SIZE = 2000
BATCH_CAPACITY = 25
CONSULTANTS = 40
# One enterprise in this many of those in the programme is the demo consultant's.
DEMO_CONSULTANT_SHARE = 20

# Words for names that never repeat within a call (25 × 8 × 7 = 1,400 names, each in 8 cities).
FIRST = [
    "Indus", "Ravi", "Chenab", "Jhelum", "Margalla", "Shalimar", "Crescent", "Noor", "Zeenat", "Mehran",
    "Sutlej", "Kohinoor", "Nishat", "Gulberg", "Sapphire", "Hilal", "Karakoram", "Pak", "Sitara", "Taj",
    "Attock", "Kaghan", "Swat", "Thar", "Bolan",
]  # fmt: skip
SECOND = ["Knitwear", "Apparel", "Garments", "Denim", "Textile Mills", "Fabrics", "Dyeing Works", "Hosiery"]
THIRD = ["Industries", "Exports", "International", "Mills", "Enterprises", "Processing", "Fashions"]

# The stage each enterprise reaches, with its weight out of 100: a programme in its third year.
STAGE_WEIGHTS = [
    (Stage.SCREENED, 14),
    (Stage.NOT_SELECTED, 8),
    (Stage.WITHDRAWN, 3),
    (Stage.SHORTLISTED, 4),
    (Stage.CEO_MEETING_HELD, 3),
    (Stage.BASELINE_DONE, 3),
    (Stage.LEVEL1_ACCEPTED, 15),
    (Stage.LEVEL1_COMPLETED, 15),
    (Stage.LEVEL2_INTEREST, 8),
    (Stage.LEVEL2_SHORTLISTED, 5),
    (Stage.LEVEL2_IN_PROGRESS, 12),
    (Stage.LEVEL2_COMPLETED, 10),
]
STAGES, WEIGHTS = zip(*STAGE_WEIGHTS, strict=True)


def _name(j: int) -> tuple[str, str, str]:
    city, province = CITIES[j % len(CITIES)]
    n = j // len(CITIES)
    name = f"{FIRST[n % len(FIRST)]} {SECOND[(n // len(FIRST)) % len(SECOND)]}"
    name += f" {THIRD[(n // (len(FIRST) * len(SECOND))) % len(THIRD)]}"
    cycle = n // (len(FIRST) * len(SECOND) * len(THIRD))
    if cycle:
        name += f" {cycle + 1}"
    return f"{name} (Pvt) Ltd", city, province


def _eoi_answers(seed: int, j: int) -> dict:
    rng = random.Random(f"scale-{seed}-{j}")
    _label, recipe = RECIPES[j % len(RECIPES)]
    recipe = dict(recipe)
    legal_name, city, province = _name(j)
    first, last = FIRST_NAMES[j % len(FIRST_NAMES)], LAST_NAMES[(j // 3) % len(LAST_NAMES)]
    data = drawn_answers(
        rng,
        recipe,
        legal_name=legal_name,
        registration_number=f"S{j:07d}-{j % 10}",
        city=city,
        province=province,
        plots=400,
        contact=(first, last),
        email=f"{first.lower()}.s{j}@example.pk",
        phone=f"0301-{j % 10_000_000:07d}",
        nominee_first=FIRST_NAMES[(j + 3) % len(FIRST_NAMES)],
    )
    data["stage"] = rng.choices(STAGES, WEIGHTS)[0]
    return data


def _moment(day: datetime.date, hour: int = 11) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _consultants(ctx) -> list:
    """Forty consultants besides the demo one, each with a share of the enterprises (same password)."""
    User = get_user_model()
    wanted = [f"consultant{n:02d}" for n in range(1, CONSULTANTS + 1)]
    existing = {u.username: u for u in User.objects.filter(username__in=wanted)}
    password = make_password(ctx.password)
    new = [
        User(
            username=name,
            first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
            last_name=LAST_NAMES[n % len(LAST_NAMES)],
            email=f"{name}@example.org",
            password=password,
        )
        for n, name in enumerate(wanted)
        if name not in existing
    ]
    User.objects.bulk_create(new)
    if new:
        role_group(CONSULTANT).user_set.add(*User.objects.filter(username__in=[u.username for u in new]))
    return list(User.objects.filter(username__in=wanted).order_by("username"))


def seed(ctx):
    call = Call.objects.get(title=SEED_CALL)
    officer = ctx.users["officer"]
    wanted = ctx.scale - Enterprise.objects.count()
    if wanted <= 0:
        return
    thresholds = screening_rules.Thresholds.of_call(call)
    known = set(ExpressionOfInterest.objects.filter(call=call).values_list("registration_key", flat=True))
    sequence = (
        ExpressionOfInterest.objects.filter(
            call__country=call.country, call__opens_on__year=call.opens_on.year
        ).aggregate(m=Max("sequence"))["m"]
        or 0
    )
    # 1. The EOIs, screened in Python by the call's rules.
    eois, verdicts, stages = [], [], []
    admissible = 0
    j = 0
    while admissible < wanted:
        data = _eoi_answers(ctx.seed, j)
        j += 1
        stage = data.pop("stage")
        key = registration_key(data["registration_number"])
        if key in known:
            continue
        day = call.opens_on + datetime.timedelta(days=j % max(1, (call.closes_on - call.opens_on).days + 1))
        sequence += 1
        eoi = ExpressionOfInterest(
            call=call,
            sequence=sequence,
            reference=f"{call.reference_prefix}-{sequence:04d}",
            registration_key=key,
            submitted_at=_moment(day, 9 + j % 8),
            **data,
        )
        eoi.contact_phone = normalise_phone(eoi.contact_phone) or eoi.contact_phone
        verdict = screening_rules.screen(eoi, thresholds)
        eoi.result = verdict.outcome
        eois.append(eoi)
        verdicts.append(verdict)
        if verdict.outcome in (ScreeningOutcome.ELIGIBLE, ScreeningOutcome.NEEDS_REVIEW):
            admissible += 1
            stages.append(stage)
        else:
            stages.append(None)
    ExpressionOfInterest.objects.bulk_create(eois, batch_size=BATCH_SIZE)
    screenings = [
        Screening(
            expression_of_interest=eoi,
            outcome=verdict.outcome,
            thresholds=thresholds.as_json(),
            screened_at=eoi.submitted_at,
            **verdict.tally(),
        )
        for eoi, verdict in zip(eois, verdicts, strict=True)
    ]
    Screening.objects.bulk_create(screenings, batch_size=BATCH_SIZE)
    CriterionResult.objects.bulk_create(
        (
            CriterionResult(screening=s, position=i, code=c.code, label=c.label, verdict=c.verdict, reason=c.reason)
            for s, verdict in zip(screenings, verdicts, strict=True)
            for i, c in enumerate(verdict.criteria)
        ),
        batch_size=BATCH_SIZE,
    )
    ResultChange.objects.bulk_create(
        (
            ResultChange(
                expression_of_interest=eoi,
                source=ResultChange.Source.AUTOMATIC,
                from_result=ScreeningOutcome.PENDING,
                to_result=s.outcome,
                screening=s,
                changed_at=eoi.submitted_at,
            )
            for eoi, s in zip(eois, screenings, strict=True)
        ),
        batch_size=BATCH_SIZE,
    )
    for eoi, s in zip(eois, screenings, strict=True):
        eoi.current_screening = s
    ExpressionOfInterest.objects.bulk_update(eois, ["current_screening"], batch_size=BATCH_SIZE)

    # 2. The enterprises along their path.
    _seed_enterprises(ctx, call, officer, [(e, s) for e, s in zip(eois, stages, strict=True) if s])


def _seed_enterprises(ctx, call, officer, picks):
    start0 = call.closes_on + datetime.timedelta(days=35)
    batches_made = Level1Batch.objects.filter(call=call).count()
    on_batch_path = [(eoi, stage) for eoi, stage in picks if stage not in (Stage.SCREENED, Stage.NOT_SELECTED)]
    batches = [
        Level1Batch(
            call=call,
            name=f"Batch {batches_made + 1 + n}",
            capacity=BATCH_CAPACITY,
            starts_on=start0 + datetime.timedelta(days=14 * ((batches_made + n) % 40)),
        )
        for n in range((len(on_batch_path) + BATCH_CAPACITY - 1) // BATCH_CAPACITY)
    ]
    Level1Batch.objects.bulk_create(batches)
    batch_of = {eoi.pk: batches[n // BATCH_CAPACITY] for n, (eoi, _s) in enumerate(on_batch_path)}

    enterprises, transitions, meetings = [], [], []
    for eoi, target in picks:
        enterprise = Enterprise(
            registration_key=eoi.registration_key,
            legal_name=eoi.legal_name,
            city=eoi.city,
            sub_sector=eoi.sub_sector,
            workforce_total=eoi.workforce_total,
            expression_of_interest=eoi,
            call=call,
            stage=target,
            batch=batch_of.get(eoi.pk),
        )
        steps = _steps(eoi, enterprise, target, call)
        enterprise.stage_changed_at = steps[-1][1]
        enterprises.append(enterprise)
        override = "" if eoi.result == ScreeningOutcome.ELIGIBLE else OVERRIDE
        for (from_stage, _at), (to_stage, at) in zip([("", None), *steps], steps, strict=False):
            transitions.append(
                StageTransition(
                    enterprise=enterprise,
                    from_stage=from_stage,
                    to_stage=to_stage,
                    call=call,
                    expression_of_interest=eoi,
                    batch=enterprise.batch if to_stage == Stage.SHORTLISTED else None,
                    by=None if to_stage == Stage.EOI_RECEIVED else officer,
                    at=at,
                    reason=_reason(eoi, to_stage, at),
                    override_justification=override if to_stage in (Stage.SCREENED, Stage.SHORTLISTED) else "",
                )
            )
            if to_stage == Stage.CEO_MEETING_HELD:
                meetings.append(
                    CeoMeeting(
                        enterprise=enterprise,
                        call=call,
                        held_on=at.date(),
                        attendees="CEO, HR manager, compliance officer",
                        commitment_shown=True,
                        notes="Discussed the workplace improvement committee and the baseline data.",
                        recorded_by=officer,
                        recorded_at=at,
                    )
                )
    Enterprise.objects.bulk_create(enterprises, batch_size=BATCH_SIZE)
    StageTransition.objects.bulk_create(transitions, batch_size=BATCH_SIZE)
    on_path = sorted({transition.expression_of_interest_id for transition in transitions})
    for start in range(0, len(on_path), BATCH_SIZE):
        mark_on_the_path(on_path[start : start + BATCH_SIZE])
    CeoMeeting.objects.bulk_create(meetings, batch_size=BATCH_SIZE)

    consultants = _consultants(ctx)
    demo_consultant = ctx.users.get("consultant")
    assignments = []
    in_programme = [e for e in enterprises if e.stage in IN_PROGRAMME_STAGES]
    for n, enterprise in enumerate(in_programme):
        if demo_consultant and n % DEMO_CONSULTANT_SHARE == 0:
            consultant = demo_consultant
        else:
            consultant = consultants[n % len(consultants)]
        assignments.append(ConsultantAssignment(enterprise=enterprise, consultant=consultant, assigned_by=officer))
    ConsultantAssignment.objects.bulk_create(assignments, batch_size=BATCH_SIZE)
    ctx.made["scale_enterprises"] = enterprises
    ctx.stdout.write(
        f"National scale: {len(picks)} enterprises added in bulk ({len(in_programme)} in the programme), "
        f"{len(batches)} batches, {len(transitions)} steps."
    )


def _steps(eoi, enterprise, target, call) -> list[tuple[str, datetime.datetime]]:
    """(stage, when) from the EOI's arrival to `target`, setting the enterprise's dates on the way."""
    screened = _moment(call.closes_on + datetime.timedelta(days=3))
    steps = [(Stage.EOI_RECEIVED, eoi.submitted_at), (Stage.SCREENED, screened)]
    if target == Stage.SCREENED:
        return steps
    if target == Stage.NOT_SELECTED:
        return [*steps, (Stage.NOT_SELECTED, _moment(call.closes_on + datetime.timedelta(days=20), 15))]
    start = enterprise.batch.starts_on
    steps.append((Stage.SHORTLISTED, _moment(start - datetime.timedelta(days=7))))
    if target == Stage.WITHDRAWN:
        return [*steps, (Stage.WITHDRAWN, _moment(start, 15))]
    for stage, days in STEPS:
        if target == Stage.SHORTLISTED:
            break
        day = start + datetime.timedelta(days=days)
        if stage == Stage.BASELINE_DONE:
            enterprise.baseline_done_on = day
        elif stage == Stage.LEVEL1_COMPLETED:
            enterprise.level1_completed_on = enterprise.comprehensive_baseline_on = day
        elif stage == Stage.LEVEL2_INTEREST:
            enterprise.level2_interest_on = day
        steps.append((stage, _moment(day)))
        if stage == target:
            break
    return steps


def _reason(eoi, to_stage, at) -> str:
    if to_stage == Stage.EOI_RECEIVED:
        return _received_reason(eoi)
    if to_stage == Stage.SCREENED:
        return f"Screening result: {eoi.get_result_display()}."
    if to_stage == Stage.NOT_SELECTED:
        return "Ranked below the batch capacity; encouraged to answer the next call."
    if to_stage == Stage.WITHDRAWN:
        return "The owner decided to wait for the next call."
    if to_stage == Stage.SHORTLISTED:
        return "Among the strongest on workforce, criteria met and commitment."
    if to_stage == Stage.LEVEL2_SHORTLISTED:
        return "Strong comprehensive baseline and steady commitment."
    if to_stage == Stage.CEO_MEETING_HELD:
        return "Meeting with the CEO held."
    return f"Recorded from the field report of {at:%d %B %Y}."
