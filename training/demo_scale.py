"""Visits, agreed actions and improvement plans in bulk for a national-scale demo
(`seed_demo --enterprises 5000`): about 14 submitted visits per enterprise in the programme (more
the further it went), two agreed actions per visit and the five plan items of `training.demo`,
by the consultant assigned to it. Photos, EIT meetings and classroom delivery stay with the
detailed demo: they show the pages, and their count does not change what a page costs.

Idempotent: only enterprises in the programme without any visit get visits.
"""

import datetime
import random

from django.utils import timezone

from enterprises.models import IN_PROGRAMME_STAGES, ConsultantAssignment, Enterprise, Stage

from .demo import PLAN, VISIT_TOPICS
from .models import ActionStatus, Module, PlanItem, Visit, VisitAction, VisitPurpose, VisitStatus

BATCH_SIZE = 5000
VISITS = {
    Stage.LEVEL1_ACCEPTED: 8,
    Stage.LEVEL1_COMPLETED: 12,
    Stage.LEVEL2_INTEREST: 13,
    Stage.LEVEL2_SHORTLISTED: 14,
    Stage.LEVEL2_IN_PROGRESS: 18,
    Stage.LEVEL2_COMPLETED: 24,
}
FINDINGS = [
    "The EIT meets every two weeks; minutes are kept.",
    "Walkways marked; fabric rolls still on the floor in one corner.",
    "Suggestion box installed; eight suggestions in the first month.",
    "Defect tally board in use on line 3.",
]
ACTIONS = [("Mark the walkways in yellow", "Production manager"), ("Hold the next EIT meeting", "HR manager")]


def seed(ctx):
    today = timezone.localdate()
    enterprises = list(
        Enterprise.objects.filter(stage__in=IN_PROGRAMME_STAGES, visits__isnull=True, plan_items__isnull=True)
        .select_related("batch")
        .order_by("pk")
    )
    consultant_of = {}
    for assignment in ConsultantAssignment.objects.filter(enterprise__in=[e.pk for e in enterprises]).order_by("pk"):
        consultant_of.setdefault(assignment.enterprise_id, assignment.consultant_id)
    modules = {m.number: m for m in Module.objects.all()}
    visits, actions, plan_items = [], [], []
    for enterprise in enterprises:
        consultant = consultant_of.get(enterprise.pk)
        if consultant is None:
            continue
        rng = random.Random(f"scale-training-{enterprise.registration_key}")
        start = (enterprise.batch.starts_on if enterprise.batch else None) or datetime.date(2018, 9, 15)
        level2 = enterprise.stage in (Stage.LEVEL2_IN_PROGRESS, Stage.LEVEL2_COMPLETED)
        for n in range(VISITS[enterprise.stage]):
            date = min(start + datetime.timedelta(days=14 + 30 * n + rng.randint(0, 9)), today)
            purpose, topic = VISIT_TOPICS[min(n, 3) if level2 else min(n, 2)]
            visit = Visit(
                enterprise=enterprise,
                consultant_id=consultant,
                date=date,
                start_time=datetime.time(9 + n % 3, 0),
                end_time=datetime.time(12 + n % 3, 30),
                purpose=purpose,
                module=modules.get(rng.randint(2, 5)) if purpose == VisitPurpose.LEVEL2_FOLLOW_UP else None,
                people_met="CEO, HR manager, two EIT workers",
                topics=topic,
                findings=rng.choice(FINDINGS),
                next_visit_on=date + datetime.timedelta(days=30),
                status=VisitStatus.SUBMITTED,
                submitted_at=timezone.make_aware(datetime.datetime.combine(date, datetime.time(17))),
            )
            visits.append(visit)
            for number, (what, owner) in enumerate(ACTIONS):
                due = date + datetime.timedelta(days=7 + number * 7)
                status = ActionStatus.DONE if due < today - datetime.timedelta(days=14) else ActionStatus.OPEN
                actions.append(VisitAction(visit=visit, what=what, owner=owner, due_on=due, status=status))
        for index, (problem, action, module_number, indicator) in enumerate(PLAN):
            plan_items.append(
                PlanItem(
                    enterprise=enterprise,
                    problem=problem,
                    action=action,
                    owner="EIT",
                    due_on=start + datetime.timedelta(days=60 + index * 30),
                    status=[ActionStatus.DONE, ActionStatus.IN_PROGRESS, ActionStatus.OPEN][index % 3],
                    module=modules.get(module_number),
                    indicator_code=indicator,
                )
            )
    Visit.objects.bulk_create(visits, batch_size=BATCH_SIZE)
    VisitAction.objects.bulk_create(actions, batch_size=BATCH_SIZE)
    PlanItem.objects.bulk_create(plan_items, batch_size=BATCH_SIZE)
    ctx.stdout.write(
        f"National scale: {len(visits)} visits, {len(actions)} agreed actions, {len(plan_items)} plan items."
    )
