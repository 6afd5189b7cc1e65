"""The programme's small rules for the factory visits: with which enterprises consultants work, and
the weeks and days the consultant's home page counts in. No database here."""

import datetime

from django.utils import timezone

from enterprises.models import IN_TRAINING_STAGES, Stage

# Stages at which consultants work in the factory (accepted into Level 1 and later).
# Consultants keep working with an enterprise after Level 2 is completed (impact assessment).
TRAINING_STAGES = (*IN_TRAINING_STAGES, Stage.LEVEL2_COMPLETED)

NOT_VISITED_DAYS = 30


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Monday and Sunday of the week that holds `day`."""
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def not_visited_since(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=NOT_VISITED_DAYS)
