"""The programme's small rules for the factory visits: the weeks and days the consultant's home page
counts in. No database here. The enterprises consultants work with: enterprises.models.IN_PROGRAMME_STAGES."""

import datetime

from django.utils import timezone

NOT_VISITED_DAYS = 30


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Monday and Sunday of the week that holds `day`."""
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def not_visited_since(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=NOT_VISITED_DAYS)
