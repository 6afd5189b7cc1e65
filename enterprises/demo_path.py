"""Demo enterprises at every stage of the path, made through the same services officers use.

`seed_path(ctx, eois)` is called by enterprises/demo.py with the screened EOIs of one call.
It is idempotent: an EOI whose enterprise already exists is left as it is, the batch is
found by its natural key (call, name), so running it again adds no rows.
"""

import datetime

from django.utils import timezone

from . import path, path_services
from .models import Enterprise, Level1Batch, ScreeningOutcome, Stage

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


def _walk(enterprise, target, officer, start: datetime.date, index: int) -> None:
    if target == Stage.SHORTLISTED:
        return
    if target in path.EXITS:
        reason = (
            "The owner decided to wait for the next call."
            if target == Stage.WITHDRAWN
            else "Ranked below the others after the meeting with the CEO."
        )
        path_services.transition(enterprise, target, by=officer, reason=reason, at=_moment(start, 15))
        return
    for stage, days in STEPS:
        day = start + datetime.timedelta(days=days)
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
                on=day,
                comprehensive_baseline_on=day if stage == Stage.LEVEL1_COMPLETED else None,
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
        _walk(enterprise, target, officer, start, index)
        made.append(enterprise)
    ctx.made["level1_batch"] = batch
    ctx.made["path_enterprises"] = made
    return made
