"""The enterprise's path through the programme as plain functions: which steps follow which,
what each step needs, and what the next step still needs.

Nothing here touches the database. The services gather the facts (`PathFacts`, selectors.gather_facts)
under a row lock and ask `check_transition`; the enterprise page asks `next_steps`.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import ScreeningOutcome, Stage

# The main line of the path, in the order of the call's "Key steps".
MAIN_LINE: tuple[str, ...] = (
    Stage.EOI_RECEIVED,
    Stage.SCREENED,
    Stage.SHORTLISTED,
    Stage.CEO_MEETING_HELD,
    Stage.BASELINE_DONE,
    Stage.LEVEL1_ACCEPTED,
    Stage.LEVEL1_COMPLETED,
    Stage.LEVEL2_INTEREST,
    Stage.LEVEL2_SHORTLISTED,
    Stage.LEVEL2_IN_PROGRESS,
    Stage.LEVEL2_COMPLETED,
)
EXITS: tuple[str, ...] = (Stage.WITHDRAWN, Stage.NOT_SELECTED)
# Final for the current call; a new expression of interest to a later call starts the path again.
FINAL: frozenset[str] = frozenset({Stage.LEVEL2_COMPLETED, Stage.WITHDRAWN, Stage.NOT_SELECTED})

# Where each stage may go next along the main line. The guards, not this table, decide
# whether the enterprise is ready: acceptance into Level 1 is offered from the shortlist on,
# so that the refusal can say what is still missing (meeting, commitment, baseline).
FORWARD: dict[str, tuple[str, ...]] = {
    Stage.EOI_RECEIVED: (Stage.SCREENED,),
    Stage.SCREENED: (Stage.SHORTLISTED,),
    Stage.SHORTLISTED: (Stage.CEO_MEETING_HELD, Stage.LEVEL1_ACCEPTED),
    Stage.CEO_MEETING_HELD: (Stage.BASELINE_DONE, Stage.LEVEL1_ACCEPTED),
    Stage.BASELINE_DONE: (Stage.LEVEL1_ACCEPTED,),
    Stage.LEVEL1_ACCEPTED: (Stage.LEVEL1_COMPLETED,),
    Stage.LEVEL1_COMPLETED: (Stage.LEVEL2_INTEREST, Stage.LEVEL2_SHORTLISTED),
    Stage.LEVEL2_INTEREST: (Stage.LEVEL2_SHORTLISTED,),
    Stage.LEVEL2_SHORTLISTED: (Stage.LEVEL2_IN_PROGRESS,),
    Stage.LEVEL2_IN_PROGRESS: (Stage.LEVEL2_COMPLETED,),
}

# Stages that only a dedicated action reaches, because it records more than a reason.
RECORDED_BY_ACTION: dict[str, str] = {
    Stage.SHORTLISTED: "batch_shortlisting",
    Stage.CEO_MEETING_HELD: "ceo_meeting",
    Stage.LEVEL2_SHORTLISTED: "level2_selection",
}

# Where a meeting with the CEO may be recorded: after the shortlisting, before the acceptance into Level 1.
MEETING_STAGES: tuple[str, ...] = (Stage.SHORTLISTED, Stage.CEO_MEETING_HELD, Stage.BASELINE_DONE)


def allowed_targets(stage: str) -> tuple[str, ...]:
    """Every stage the path allows from `stage`, exits included, re-entry excluded."""
    if stage in FINAL:
        return ()
    return FORWARD.get(stage, ()) + EXITS


def stages_from(stage: str) -> tuple[str, ...]:
    """The main line from `stage` on: where an enterprise that has reached `stage` may stand now."""
    return MAIN_LINE[MAIN_LINE.index(stage) :]


def stage_label(stage: str) -> str:
    return str(dict(Stage.choices).get(stage, stage or "—"))


@dataclass(frozen=True)
class PathFacts:
    """What the guards look at, gathered from the database by selectors.gather_facts (or made by the tests)."""

    stage: str
    eoi_result: str = ScreeningOutcome.PENDING
    eoi_overridden: bool = False
    batch_id: int | None = None
    batch_call_matches: bool = True
    batch_seats_left: int | None = None
    ceo_meeting_held: bool = False
    commitment_shown: bool = False
    baseline_done: bool = False
    level1_completed: bool = False
    level2_interest: bool = False
    comprehensive_baseline_done: bool = False
    new_call_eoi: bool = False
    # The data the gates read, kept by the baseline and training apps (gathered through evidence.py).
    # A round's gaps: required inputs × months neither entered nor marked "not tracked".
    basic_round_exists: bool = False
    basic_round_gaps: int = 0
    basic_round_held_on: datetime.date | None = None
    comprehensive_round_exists: bool = False
    comprehensive_round_gaps: int = 0
    comprehensive_round_held_on: datetime.date | None = None
    # Level 1 completed with its comprehensive round, or past it with a justification, recorded.
    comprehensive_baseline_recorded: bool = False
    classroom_days_attended: tuple[int, ...] = ()  # Level 1 days with at least one of its participants present
    visits_done: int = 0  # submitted Level 1 consultancy visits
    visits_required: int = 0  # the call's minimum
    level2_group: str = ""  # the name of its Level 2 group, if any
    level2_started_on: datetime.date | None = None  # the first day of its group's first workshop, once held
    # Where each kind of data is entered: "basic_round", "comprehensive_round", "attendance", "visits", "group".
    links: Mapping[str, str] = field(default_factory=dict)


LEVEL1_CLASSROOM_DAYS = (1, 2, 3)
# Modules 2-5 of Level 2 run within 12 to 15 months of the first workshop.
LEVEL2_SPAN_MONTHS = (12, 15)

# Gates that read data an officer may pass without it, with a written justification (recorded
# on the step like an override); the records of a meeting or a choice are never waived.
DATA_GATES = frozenset({"basic_round", "comprehensive_round", "attendance", "visits", "group"})


def eoi_admissible(result: str, overridden: bool) -> bool:
    """Eligible, or sent on by an officer's override of a 'needs review' result."""
    if result == ScreeningOutcome.ELIGIBLE:
        return True
    return result == ScreeningOutcome.NEEDS_REVIEW and overridden


class Need(str):
    """What a step still lacks, in words, with where it is entered (`url`) and the kind of data (`gate`).

    A str, so that refusals join and compare as text; `gate` names a DATA_GATES entry when an
    officer may pass it with a justification."""

    url: str
    gate: str

    def __new__(cls, text, url: str = "", gate: str = ""):
        need = super().__new__(cls, str(text))
        need.url, need.gate = url, gate
        return need

    @property
    def waivable(self) -> bool:
        return self.gate in DATA_GATES


@dataclass
class Missing:
    items: list[Need] = field(default_factory=list)
    links: Mapping[str, str] = field(default_factory=dict)

    def need(self, condition: bool, what, gate: str = "") -> None:
        if not condition:
            self.items.append(Need(what, self.links.get(gate, ""), gate))


def _round_missing(exists: bool, gaps: int, kind) -> str:
    if not exists:
        return _("a %(kind)s measurement round") % {"kind": kind}
    return _(
        "the %(kind)s round's inputs complete (%(gaps)s input-months neither entered nor marked “not tracked”)"
    ) % {"kind": kind, "gaps": gaps}


def _level1_training_missing(facts: "PathFacts", missing: Missing) -> None:
    unattended = [day for day in LEVEL1_CLASSROOM_DAYS if day not in facts.classroom_days_attended]
    missing.need(
        not unattended,
        _("attendance at Level 1 classroom day %(days)s (at least one participant of the enterprise each day)")
        % {"days": ", ".join(str(day) for day in unattended)},
        "attendance",
    )
    missing.need(
        facts.visits_done >= facts.visits_required,
        _("%(required)s Level 1 consultancy visits (the call's minimum; %(done)s submitted)")
        % {"required": facts.visits_required, "done": facts.visits_done},
        "visits",
    )


def _eligibility_missing(facts: PathFacts, override_justification: str) -> str | None:
    if eoi_admissible(facts.eoi_result, facts.eoi_overridden) or override_justification.strip():
        return None
    result = str(dict(ScreeningOutcome.choices).get(facts.eoi_result, facts.eoi_result))
    return _("an eligible screening result or an override justification (the screening result is “%(result)s”)") % {
        "result": result
    }


def missing_for(to_stage: str, facts: PathFacts, *, reason: str = "", override_justification: str = "") -> list[Need]:
    """What the enterprise still lacks to reach `to_stage`; empty when it may go."""
    missing = Missing(links=facts.links)
    if to_stage in EXITS:
        missing.need(bool(reason.strip()), _("a reason"))
        return missing.items
    if to_stage == Stage.SCREENED:
        if facts.stage in FINAL:
            missing.need(facts.new_call_eoi, _("an expression of interest to a later call"))
        missing.need(facts.eoi_result != ScreeningOutcome.PENDING, _("the screening of the expression of interest"))
        if facts.eoi_result != ScreeningOutcome.PENDING:
            problem = _eligibility_missing(facts, override_justification)
            if problem:
                missing.items.append(Need(problem))
    elif to_stage == Stage.SHORTLISTED:
        problem = _eligibility_missing(facts, override_justification)
        if problem:
            missing.items.append(Need(problem))
        missing.need(facts.batch_id is not None, _("a Level 1 batch"))
        if facts.batch_id is not None:
            missing.need(facts.batch_call_matches, _("a Level 1 batch of the enterprise's own call"))
            missing.need(
                facts.batch_seats_left is None or facts.batch_seats_left > 0,
                _("a free place in the batch (it is full)"),
            )
    elif to_stage == Stage.CEO_MEETING_HELD:
        missing.need(facts.ceo_meeting_held, _("a record of the meeting with the CEO or main decision-maker"))
    elif to_stage == Stage.BASELINE_DONE:
        missing.need(facts.ceo_meeting_held, _("the meeting with the CEO or main decision-maker"))
        missing.need(
            facts.baseline_done,
            _round_missing(facts.basic_round_exists, facts.basic_round_gaps, _("basic baseline")),
            "basic_round",
        )
    elif to_stage == Stage.LEVEL1_ACCEPTED:
        missing.need(facts.ceo_meeting_held, _("the meeting with the CEO or main decision-maker"))
        if facts.ceo_meeting_held:
            missing.need(facts.commitment_shown, _("commitment shown at the meeting with the CEO"))
        missing.need(
            facts.baseline_done,
            _("the basic baseline assessment")
            + " ("
            + _round_missing(facts.basic_round_exists, facts.basic_round_gaps, _("basic baseline"))
            + ")",
            "basic_round",
        )
    elif to_stage == Stage.LEVEL1_COMPLETED:
        _level1_training_missing(facts, missing)
        missing.need(
            facts.comprehensive_baseline_done,
            _round_missing(
                facts.comprehensive_round_exists, facts.comprehensive_round_gaps, _("comprehensive baseline")
            ),
            "comprehensive_round",
        )
    elif to_stage == Stage.LEVEL2_INTEREST:
        missing.need(facts.level1_completed, _("Level 1 completed"))
        missing.need(facts.level2_interest, _("the date the interest in the full package was registered"))
    elif to_stage == Stage.LEVEL2_SHORTLISTED:
        missing.need(facts.level1_completed, _("Level 1 completed"))
        missing.need(facts.level2_interest, _("interest in the full package registered"))
        missing.need(
            facts.comprehensive_baseline_done or facts.comprehensive_baseline_recorded,
            _("the comprehensive baseline at the end of Level 1"),
            "comprehensive_round",
        )
    elif to_stage == Stage.LEVEL2_IN_PROGRESS:
        missing.need(bool(facts.level2_group), _("a place in a Level 2 group"), "group")
        if facts.level2_group:
            missing.need(
                facts.level2_started_on is not None,
                _("the first workshop of its Level 2 group (“%(group)s”) held") % {"group": facts.level2_group},
                "group",
            )
    return missing.items


def waived(missing: list[Need], justification: str) -> tuple[list[Need], list[Need]]:
    """(still missing, passed by the justification): a written justification passes the data gates only."""
    if not (justification or "").strip():
        return missing, []
    return [m for m in missing if not m.waivable], [m for m in missing if m.waivable]


def months_between(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def level2_span_warning(started_on: datetime.date | None, today: datetime.date, *, completed: bool = False) -> str:
    """A warning once Level 2 has run past the 15 months its modules should take; '' otherwise."""
    if started_on is None or completed:
        return ""
    months = months_between(started_on, today)
    if months <= LEVEL2_SPAN_MONTHS[1]:
        return ""
    return _(
        "Level 2 started on %(date)s, %(months)s months ago: past the %(low)s–%(high)s months its modules should take."
    ) % {"date": started_on.isoformat(), "months": months, "low": LEVEL2_SPAN_MONTHS[0], "high": LEVEL2_SPAN_MONTHS[1]}


class MissingData(ValidationError):
    """A refusal that names what is missing; `needs` carry where each piece is entered."""

    def __init__(self, message, needs):
        super().__init__(message, code="missing")
        self.needs = list(needs)


def check_transition(
    from_stage: str,
    to_stage: str,
    facts: PathFacts,
    *,
    reason: str = "",
    override_justification: str = "",
    data_justification: str = "",
) -> list[Need]:
    """Raise ValidationError naming what is missing, or return (when the step is allowed) the data
    gates passed by the officer's `data_justification`."""
    if to_stage not in dict(Stage.choices):
        raise ValidationError(_("“%(stage)s” is not a stage of the path.") % {"stage": to_stage}, code="unknown_stage")
    re_entry = from_stage in FINAL and to_stage == Stage.SCREENED
    if to_stage == from_stage:
        raise ValidationError(
            _("The enterprise is already at “%(stage)s”.") % {"stage": stage_label(to_stage)}, code="unchanged"
        )
    if not re_entry and to_stage not in allowed_targets(from_stage):
        if from_stage in FINAL:
            message = _(
                "The path has ended (“%(from)s”); only an expression of interest to a later call starts it again."
            ) % {"from": stage_label(from_stage)}
        else:
            message = _("From “%(from)s” the path goes to %(options)s, not to “%(to)s”.") % {
                "from": stage_label(from_stage),
                "to": stage_label(to_stage),
                "options": ", ".join(f"“{stage_label(s)}”" for s in allowed_targets(from_stage)),
            }
        raise ValidationError(message, code="not_allowed")
    missing = missing_for(to_stage, facts, reason=reason, override_justification=override_justification)
    missing, passed = waived(missing, data_justification)
    if missing:
        message = _("Cannot move to “%(stage)s”: still missing %(missing)s.") % {
            "stage": stage_label(to_stage),
            "missing": "; ".join(missing),
        }
        if any(m.waivable for m in missing):
            message += " " + _("An officer may pass the missing data only with a written justification.")
        raise MissingData(message, missing)
    return passed


@dataclass(frozen=True)
class NextStep:
    stage: str
    label: str
    missing: list[Need]
    action: str  # "move", or the name of the dedicated action in RECORDED_BY_ACTION


def next_steps(facts: PathFacts) -> list[NextStep]:
    """The steps forward from the current stage, each with what it still needs.

    The step's own record (a date, a meeting, a batch) is what the action asks for, so it is
    not listed as missing; only what must already be in place is.
    """
    own_record = {
        Stage.CEO_MEETING_HELD: {"ceo_meeting_held": True},
        Stage.LEVEL2_INTEREST: {"level2_interest": True},
        Stage.SCREENED: {"new_call_eoi": True},
    }
    steps = []
    for stage in FORWARD.get(facts.stage, ()):
        assumed = facts.__dict__ | own_record.get(stage, {})
        if stage == Stage.SHORTLISTED:
            assumed |= {"batch_id": facts.batch_id or 0, "batch_seats_left": None}
        missing = missing_for(stage, PathFacts(**assumed))
        steps.append(NextStep(stage, stage_label(stage), missing, RECORDED_BY_ACTION.get(stage, "move")))
    return steps


# ---------------------------------------------------------------- many enterprises at once
def bulk_move_targets() -> tuple[str, ...]:
    """The steps an officer may take for several enterprises at once from the list: those that need
    no more than a reason and a date. Shortlisting, the CEO meeting and Level 2 selection record
    more, on their own pages; re-entry needs a new EOI."""
    return tuple(
        s for s in (*MAIN_LINE, *EXITS) if s not in RECORDED_BY_ACTION and s not in (Stage.EOI_RECEIVED, Stage.SCREENED)
    )


def assignment_refusal(stage: str) -> str | None:
    """Why a consultant may not be assigned to an enterprise at this stage from the list, or None.
    An enterprise that left the path (withdrawn, not selected) gets no new consultant."""
    if stage in EXITS:
        return _("it has left the path (“%(stage)s”)") % {"stage": stage_label(stage)}
    return None


# ---------------------------------------------------------------- ranking for shortlisting
@dataclass(frozen=True)
class Candidate:
    """One expression of interest as the shortlisting page weighs it."""

    eoi_id: int
    admissible: bool
    criteria_met: int
    criteria_conditional: int
    criteria_not_met: int
    commitment: int
    workforce: int


def commitment_score(eoi) -> int:
    """0–4: the CEO (or a nominee with authority) at the workshops, order status and baseline data shared."""
    score = 2 if eoi.ceo_available else (1 if eoi.nominee_has_authority else 0)
    return score + int(bool(eoi.shares_order_status)) + int(bool(eoi.shares_baseline_data))


def rank_key(candidate: Candidate) -> tuple:
    """Admissible first; then fewer criteria not met, more met, fewer conditional, more commitment, larger workforce."""
    return (
        not candidate.admissible,
        candidate.criteria_not_met,
        -candidate.criteria_met,
        candidate.criteria_conditional,
        -candidate.commitment,
        -candidate.workforce,
        candidate.eoi_id,
    )


def check_capacity(picked: int, seats_left: int) -> None:
    if picked > seats_left:
        raise ValidationError(
            _("You picked %(picked)s enterprises but the batch has only %(left)s free places.")
            % {"picked": picked, "left": seats_left},
            code="over_capacity",
        )


# ---------------------------------------------------------------- how long a step may take
# The call's field that says how many days an enterprise may stay at each step before the officer's
# worklist raises it. Level 1 itself is judged by its own window (LEVEL1_MONTHS) instead.
STEP_LIMIT_FIELDS: dict[str, str] = {
    Stage.EOI_RECEIVED: "days_to_shortlist",
    Stage.SCREENED: "days_to_shortlist",
    Stage.SHORTLISTED: "days_to_ceo_meeting",
    Stage.CEO_MEETING_HELD: "days_to_baseline",
    Stage.BASELINE_DONE: "days_to_acceptance",
    Stage.LEVEL1_COMPLETED: "days_to_level2_interest",
    Stage.LEVEL2_INTEREST: "days_to_level2_selection",
    Stage.LEVEL2_SHORTLISTED: "days_to_level2_start",
}

# Level 1 runs for three to four months (the call's "Level 1" step); past four, the officer looks at why.
LEVEL1_MONTHS = (3, 4)
LEVEL1_MAX_DAYS = 122  # four months


def step_limit(call, stage: str) -> int | None:
    field_name = STEP_LIMIT_FIELDS.get(stage)
    return getattr(call, field_name) if field_name else None


