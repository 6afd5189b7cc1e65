"""Seeded data for the report tests, made through the apps' own services where they have them,
with numbers chosen so that the tests can compute what the reports must show."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from baseline import services as baseline_services
from baseline.models import Indicator, Kind, RoundKind
from enterprises.models import Level1Batch
from enterprises.path import services as path_services
from enterprises.screening.services import submit_expression_of_interest
from enterprises.tests.factories import CallFactory, eoi_data
from training.models import (
    ActionStatus,
    Attendance,
    EitMeeting,
    EitMember,
    Level1Course,
    Module,
    Participant,
    PhotoPair,
    PlanItem,
    Session,
    StaffLevel,
    Suggestion,
    SuggestionDecision,
    Visit,
    VisitAction,
    VisitPurpose,
    VisitStatus,
    Workshop,
)
from training.models import Sex as PersonSex

# A 1×1 PNG, enough for a thumbnail in a PDF.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8cfc0000003"
    "010100c9fe92ef0000000049454e44ae426082"
)


def eoi(call, number, **overrides):
    data = eoi_data(registration_number=number, legal_name=overrides.pop("legal_name", f"Mill {number}"))
    data.update(overrides)
    return submit_expression_of_interest(call, data)


def screening_call(officer, **call_fields):
    """A call with 6 EOIs: 3 eligible, 1 needs review (HR officer to hire), 2 ineligible (one too small,
    one too small and not sharing data); the eligible ones become enterprises, two shortlisted."""
    call = CallFactory(title="Pakistan SCORE call 2019", **call_fields)
    eligible = [eoi(call, f"9100-{i}", city="Lahore") for i in range(3)]
    review = eoi(call, "9100-7", hr_officer="willing", city="Karachi", province="sindh")
    small = {"workforce_total": 120, "workforce_permanent": 100, "workforce_contract": 20}
    small.update(workforce_women=50, workforce_men=70, workforce_managers=10, workforce_workers=110)
    ineligible = [
        eoi(call, "9100-8", city="Faisalabad", **small),
        eoi(call, "9100-9", city="Faisalabad", shares_baseline_data=False, **small),
    ]
    enterprises = [path_services.register_enterprise(e, by=officer) for e in eligible]
    batch = Level1Batch.objects.create(call=call, name="Batch A", capacity=10, starts_on=datetime.date(2019, 3, 1))
    path_services.shortlist_for_batch(batch, eligible[:2], by=officer, reason="Strong commitment")
    return {
        "call": call,
        "eligible": eligible,
        "review": review,
        "ineligible": ineligible,
        "enterprises": enterprises,
        "batch": batch,
    }


MONTH_BASE = {
    "units_checked": Decimal(1000),
    "defective_units": Decimal(80),  # defect rate 8.00 %
    "hours_worked": Decimal(100000),
    "output_units": Decimal(40000),  # productivity 0.40
    "headcount_women": Decimal(200),
    "headcount_men": Decimal(300),
}
MONTH_LATEST = {**MONTH_BASE, "defective_units": Decimal(35), "output_units": Decimal(47000)}  # 3.50 %, 0.47


def rounds(enterprise, by, *, baseline=MONTH_BASE, latest=MONTH_LATEST, practices_latest=("five_s", "osh_policy")):
    """A basic baseline (Sept–Nov 2018) and a follow-up (Jun–Aug 2019), three equal months each."""
    practices = {p.code: p for p in Indicator.objects.filter(kind=Kind.PRACTICE)}
    first = baseline_services.create_round(
        enterprise,
        kind=RoundKind.BASIC_BASELINE,
        held_on=datetime.date(2018, 12, 5),
        first_month=datetime.date(2018, 9, 1),
        months=3,
        by=by,
    )
    baseline_services.save_rows(first, [(m, baseline) for m in first.month_list()], by=by, confirmed=True)
    baseline_services.save_practices(first, {p.pk: p.code == "five_s" for p in practices.values()}, by=by)
    later = baseline_services.create_round(
        enterprise,
        kind=RoundKind.FOLLOW_UP,
        held_on=datetime.date(2019, 9, 5),
        first_month=datetime.date(2019, 6, 1),
        months=3,
        by=by,
    )
    baseline_services.save_rows(later, [(m, latest) for m in later.month_list()], by=by, confirmed=True)
    baseline_services.save_practices(later, {p.pk: p.code in practices_latest for p in practices.values()}, by=by)
    return first, later


def attendance(enterprise):
    """A Level 1 workshop of two sessions: 2 women workers and 1 man manager; one absence (a woman, day 2)."""
    batch = Level1Batch.objects.create(call=enterprise.call, name="Batch L", capacity=5)
    course = Level1Course.objects.create(batch=batch)
    workshop = Workshop.objects.create(module=Module.objects.get(number=1), course=course)
    sessions = [Session.objects.create(workshop=workshop, day=day, date=datetime.date(2019, 2, day)) for day in (1, 2)]
    people = [
        Participant.objects.create(
            workshop=workshop, enterprise=enterprise, name=name, position="Operator", level=level, sex=sex
        )
        for name, level, sex in (
            ("Rabia", StaffLevel.WORKER, PersonSex.FEMALE),
            ("Hina", StaffLevel.WORKER, PersonSex.FEMALE),
            ("Usman", StaffLevel.MANAGER, PersonSex.MALE),
        )
    ]
    for session in sessions:
        for person in people:
            absent = session.day == 2 and person.name == "Hina"
            Attendance.objects.create(session=session, participant=person, present=not absent)
    return people


def training_data(enterprise, consultant):
    """Two submitted visits (3 actions, 1 done), an EIT of 2 women and 3 men, 4 suggestions (2 adopted)."""
    day = datetime.date(2019, 4, 10)
    visits = []
    for offset in (0, 30):
        visits.append(
            Visit.objects.create(
                enterprise=enterprise,
                consultant=consultant,
                date=day + datetime.timedelta(days=offset),
                start_time=datetime.time(9, 30),
                end_time=datetime.time(12, 0),
                purpose=VisitPurpose.LEVEL1_FOLLOW_UP,
                status=VisitStatus.SUBMITTED,
            )
        )
    Visit.objects.create(enterprise=enterprise, consultant=consultant, date=day)  # a draft: not in reports
    for i, status in enumerate((ActionStatus.DONE, ActionStatus.OPEN, ActionStatus.IN_PROGRESS)):
        VisitAction.objects.create(
            visit=visits[i % 2], what=f"Mark the aisles {i}", owner="HR manager", due_on=day, status=status
        )
    members = [
        ("Nadia", StaffLevel.WORKER, PersonSex.FEMALE),
        ("Saima", StaffLevel.MANAGER, PersonSex.FEMALE),
        ("Asif", StaffLevel.WORKER, PersonSex.MALE),
        ("Kamran", StaffLevel.WORKER, PersonSex.MALE),
        ("Tariq", StaffLevel.MANAGER, PersonSex.MALE),
    ]
    for name, level, sex in members:
        EitMember.objects.create(enterprise=enterprise, name=name, level=level, sex=sex)
    EitMember.objects.create(enterprise=enterprise, name="Left", level=StaffLevel.WORKER, sex="male", active=False)
    EitMeeting.objects.create(enterprise=enterprise, held_on=day, decisions="Start 5S", recorded_by=consultant)
    PlanItem.objects.create(
        enterprise=enterprise, problem="Clutter", action="5S", owner="EIT", due_on=day, status=ActionStatus.DONE
    )
    for i, (decision, savings) in enumerate(
        [
            (SuggestionDecision.ADOPTED, 120000),
            (SuggestionDecision.ADOPTED, 30500),
            (SuggestionDecision.NOT_ADOPTED, None),
            (SuggestionDecision.PENDING, None),
        ]
    ):
        Suggestion.objects.create(
            enterprise=enterprise,
            text=f"Suggestion {i}",
            submitted_by_level=StaffLevel.WORKER,
            submitted_by_sex=PersonSex.FEMALE if i % 2 else PersonSex.MALE,
            submitted_on=day,
            decision=decision,
            estimated_savings=savings,
        )
    before = default_storage.save(f"training/photos/{enterprise.pk}/before.png", ContentFile(PNG))
    after = default_storage.save(f"training/photos/{enterprise.pk}/after.png", ContentFile(PNG))
    PhotoPair.objects.create(
        enterprise=enterprise,
        area="Cutting section",
        before=before,
        before_thumb=before,
        after=after,
        after_thumb=after,
        after_taken_on=day,
        uploaded_by=consultant,
    )
