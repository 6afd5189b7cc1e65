"""The reports' rules as plain functions: whether a programme target is on track. No database here."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

MET = "met"
ON_TRACK = "on_track"
OFF_TRACK = "off_track"
MISSED = "missed"
NO_DATA = "no_data"

STATUS_LABELS = {
    MET: _("achieved"),
    ON_TRACK: _("on track"),
    OFF_TRACK: _("off track"),
    MISSED: _("missed"),
    NO_DATA: _("no figure yet"),
}
# Bootstrap badge per status, for the pages.
STATUS_BADGES = {
    MET: "text-bg-success",
    ON_TRACK: "text-bg-primary",
    OFF_TRACK: "text-bg-warning",
    MISSED: "text-bg-danger",
    NO_DATA: "text-bg-secondary",
}


@dataclass(frozen=True)
class Verdict:
    status: str
    expected: Decimal | None  # a count target: how far it should be by now, on a straight line
    reason: str

    @property
    def label(self):
        return STATUS_LABELS[self.status]

    @property
    def on_track(self) -> bool:
        return self.status in (MET, ON_TRACK)


def elapsed_share(start: datetime.date, deadline: datetime.date, today: datetime.date) -> Decimal:
    """How much of the time from start to deadline has gone, 0 to 1."""
    span = (deadline - start).days
    if span <= 0:
        return Decimal(1)
    gone = min(max((today - start).days, 0), span)
    return Decimal(gone) / Decimal(span)


def target_status(
    *, share: bool, target: Decimal, actual: Decimal | None, start: datetime.date, deadline: datetime.date, today
) -> Verdict:
    """Whether a target is on track.

    A share (% of enterprises improving, % of participants women) is a level, not a sum: it is on
    track when it stands at the target now, and judged against the target at the deadline. A count
    (workers reached) grows over the programme: it is on track while it is at least where a straight
    line from nothing at `start` (the call's opening) to the target at the deadline would be today,
    and achieved once it reaches the target, whenever that is."""
    if actual is None:
        return Verdict(NO_DATA, None, str(_("No figure yet (too few enterprises measured, or nothing recorded).")))
    passed = today > deadline
    if share:
        if actual >= target:
            return Verdict(MET if passed else ON_TRACK, None, str(_("At or above the target.")))
        if passed:
            return Verdict(MISSED, None, str(_("Below the target at the deadline.")))
        return Verdict(OFF_TRACK, None, str(_("Below the target.")))
    if actual >= target:
        return Verdict(MET, None, str(_("The target is reached.")))
    if passed:
        return Verdict(MISSED, None, str(_("Not reached by the deadline.")))
    expected = (target * elapsed_share(start, deadline, today)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if actual >= expected:
        return Verdict(ON_TRACK, expected, str(_("At or above where it should be by now.")))
    return Verdict(OFF_TRACK, expected, str(_("Behind where it should be by now.")))
