"""Helpers shared by the path, shortlisting, letters and pipeline tests (this module holds no tests)."""

import datetime

from enterprises.models import Enterprise, Level1Batch, Stage
from enterprises.path import rules as path
from enterprises.path import services as path_services
from enterprises.screening.services import override_result, submit_expression_of_interest
from enterprises.tests.factories import CallFactory, eoi_data

INELIGIBLE = {
    "workforce_total": 200,
    "workforce_permanent": 150,
    "workforce_contract": 50,
    "workforce_women": 80,
    "workforce_men": 120,
    "workforce_managers": 20,
    "workforce_workers": 180,
}
NEEDS_REVIEW = {"hr_officer": "willing"}
DAY = datetime.date(2026, 3, 2)


def screened_eoi(call, number="1000-1", **overrides):
    data = eoi_data(registration_number=number, legal_name=overrides.pop("legal_name", f"Enterprise {number}"))
    data.update(overrides)
    return submit_expression_of_interest(call, data)


def batch_for(call, capacity=5, name="Batch 1"):
    return Level1Batch.objects.create(call=call, name=name, capacity=capacity, starts_on=DAY)


def shortlisted(officer, call=None, number="2000-1", batch=None, **overrides):
    call = call or CallFactory()
    batch = batch or batch_for(call)
    eoi = screened_eoi(call, number, **overrides)
    path_services.shortlist_for_batch(batch, [eoi], by=officer, reason="Top of the ranking")
    return Enterprise.objects.get(registration_key=eoi.registration_key)


def walk_to(enterprise, stage, officer, *, commitment=True):
    """Move a shortlisted enterprise along the main line up to `stage`, as officers would, entering
    first the data each gate reads (a round, attendance, visits, a Level 2 group)."""
    # The gates read records of the baseline and training apps; the tests may reach them.
    from training.tests.path_data import data_for

    # The main line after shortlisting, from the rules themselves.
    steps = list(path.MAIN_LINE[path.MAIN_LINE.index(Stage.SHORTLISTED) + 1 :])
    for step in steps[: steps.index(stage) + 1]:
        data_for(enterprise, step, officer, DAY)
        if step == Stage.CEO_MEETING_HELD:
            path_services.record_ceo_meeting(
                enterprise, by=officer, held_on=DAY, attendees="CEO, HR manager", commitment_shown=commitment
            )
        elif step == Stage.LEVEL2_SHORTLISTED:
            path_services.select_for_level2([enterprise], by=officer, reason="Strong Level 1 results")
        else:
            path_services.transition(
                enterprise,
                step,
                by=officer,
                reason=f"step {step}",
                on=DAY,
                comprehensive_baseline_on=DAY if step == Stage.LEVEL1_COMPLETED else None,
            )
        enterprise.refresh_from_db()
    return enterprise


def override(eoi, officer, outcome="needs_review", justification="Checked on the phone"):
    override_result(eoi, officer=officer, outcome=outcome, justification=justification)
    eoi.refresh_from_db()
    return eoi
