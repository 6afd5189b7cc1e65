"""Training's part of the path's gates: the Level 1 classroom days the enterprise attended, its
submitted Level 1 consultancy visits, and whether the first workshop of its Level 2 group was held.

Registered with enterprises.path.evidence from TrainingConfig.ready(): the path may not import this app.
"""

from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from .models import Attendance, GroupMember, Session, Visit, VisitPurpose, VisitStatus


def path_facts(enterprise) -> dict:
    """Four small queries, whatever the enterprise's history."""
    today = timezone.localdate()
    links = {"visits": reverse("training:enterprise_detail", args=[enterprise.pk])}
    attended = sorted(
        set(
            Attendance.objects.filter(
                participant__enterprise=enterprise,
                present=True,
                session__workshop__course__batch_id=enterprise.batch_id,
                session__date__lte=today,
            ).values_list("session__day", flat=True)
        )
    )
    if enterprise.batch_id:
        links["attendance"] = reverse("training:level1_course", args=[enterprise.batch_id])
    visits = Visit.objects.filter(
        enterprise=enterprise, status=VisitStatus.SUBMITTED, purpose=VisitPurpose.LEVEL1_FOLLOW_UP
    ).count()
    facts = {"classroom_days_attended": tuple(attended), "visits_done": visits}
    member = GroupMember.objects.select_related("group").filter(enterprise=enterprise).first()
    links["group"] = reverse("training:delivery")
    if member:
        facts["level2_group"] = member.group.name
        links["group"] = reverse("training:group_detail", args=[member.group_id])
        first = Session.objects.filter(workshop__group=member.group_id).aggregate(first=Min("date"))["first"]
        facts["level2_started_on"] = first if first and first <= today else None
    facts["links"] = links
    return facts
