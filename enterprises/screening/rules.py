"""Eligibility rules of a call for expression of interest, as plain functions, and the one
catalogue of the criteria (`CRITERIA`) that the screening, the queue's filters, the exports and
the reports read.

Each criterion gives a verdict (met, conditional, not met) and a reason that
quotes the numbers, so an officer or the enterprise can see why. Nothing here
touches the database: the inputs are an EOI-like object and the thresholds.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import ScreeningOutcome, StaffStatus, SubSector, Verdict


@dataclass(frozen=True)
class Thresholds:
    min_workforce: int
    min_permanent_share: Decimal
    sub_sectors: tuple[str, ...]

    @classmethod
    def of_call(cls, call) -> "Thresholds":
        return cls(
            min_workforce=call.min_workforce,
            min_permanent_share=Decimal(call.min_permanent_share),
            sub_sectors=tuple(call.sub_sectors),
        )

    def as_json(self) -> dict:
        data = asdict(self)
        data["min_permanent_share"] = str(self.min_permanent_share)
        data["sub_sectors"] = list(self.sub_sectors)
        return data


@dataclass(frozen=True)
class Judgement:
    """What one criterion finds: its label with this call's thresholds, the verdict and the reason."""

    label: str
    verdict: str
    reason: str


@dataclass(frozen=True)
class CriterionVerdict:
    code: str
    label: str
    verdict: str
    reason: str


@dataclass(frozen=True)
class ScreeningVerdict:
    outcome: str
    criteria: list[CriterionVerdict]

    def failed(self) -> list[CriterionVerdict]:
        return [c for c in self.criteria if c.verdict == Verdict.NOT_MET]

    def tally(self) -> dict[str, int]:
        """How many criteria were met, conditional and not met: the Screening keeps them, for the
        shortlist's ranking."""
        return {
            "criteria_met": sum(c.verdict == Verdict.MET for c in self.criteria),
            "criteria_conditional": sum(c.verdict == Verdict.CONDITIONAL for c in self.criteria),
            "criteria_not_met": sum(c.verdict == Verdict.NOT_MET for c in self.criteria),
        }


def _percent(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def _share_text(threshold: Decimal) -> str:
    # "25%" rather than "25.00%" when the threshold is whole.
    return f"{threshold.normalize():f}%"


# ---------------------------------------------------------------- the criteria
def sub_sector(eoi, t: Thresholds) -> Judgement:
    label = _("Targeted sub-sector")
    names = dict(SubSector.choices)
    name = str(names.get(eoi.sub_sector, eoi.sub_sector))
    if eoi.sub_sector == SubSector.OTHER and eoi.sub_sector_other:
        name = f"{name} ({eoi.sub_sector_other})"
    if eoi.sub_sector in t.sub_sectors:
        return Judgement(label, Verdict.MET, _("%(name)s is targeted by this call.") % {"name": name})
    return Judgement(label, Verdict.NOT_MET, _("%(name)s is not a sub-sector targeted by this call.") % {"name": name})


def workforce_size(eoi, t: Thresholds) -> Judgement:
    label = _("Workforce of %(min)s or more") % {"min": t.min_workforce}
    values = {"total": eoi.workforce_total, "min": t.min_workforce}
    if eoi.workforce_total >= t.min_workforce:
        return Judgement(label, Verdict.MET, _("Workforce %(total)s, at least the minimum of %(min)s.") % values)
    return Judgement(label, Verdict.NOT_MET, _("Workforce %(total)s, below the minimum of %(min)s.") % values)


def permanent_share(eoi, t: Thresholds) -> Judgement:
    label = _("At least %(share)s permanent workforce") % {"share": _share_text(t.min_permanent_share)}
    if not eoi.workforce_total:
        return Judgement(label, Verdict.NOT_MET, _("No workforce reported, so no permanent share can be computed."))
    # Compare exact fractions so that 25.0% against a 25% minimum is never lost to rounding.
    share = Decimal(eoi.workforce_permanent) * 100 / Decimal(eoi.workforce_total)
    values = {
        "permanent": eoi.workforce_permanent,
        "total": eoi.workforce_total,
        "share": _percent(share),
        "min": _share_text(t.min_permanent_share),
    }
    if share >= t.min_permanent_share:
        return Judgement(
            label,
            Verdict.MET,
            _("Permanent workforce %(permanent)s of %(total)s = %(share)s, at least the %(min)s minimum.") % values,
        )
    return Judgement(
        label,
        Verdict.NOT_MET,
        _("Permanent workforce %(permanent)s of %(total)s = %(share)s, below the %(min)s minimum.") % values,
    )


def order_status(eoi, t: Thresholds) -> Judgement:
    label = _("Shares order status for 12 months")
    if eoi.shares_order_status:
        return Judgement(label, Verdict.MET, _("Willing to share confirmed and pipeline orders for 12 months."))
    return Judgement(label, Verdict.NOT_MET, _("Not willing to share order status."))


def baseline_data(eoi, t: Thresholds) -> Judgement:
    label = _("Shares baseline data")
    if eoi.shares_baseline_data:
        return Judgement(label, Verdict.MET, _("Willing to share productivity and working-conditions data."))
    return Judgement(label, Verdict.NOT_MET, _("Not willing to share baseline data."))


def _staff(label: str, status: str) -> Judgement:
    if status == StaffStatus.IN_PLACE:
        return Judgement(label, Verdict.MET, _("%(role)s in place.") % {"role": label})
    if status == StaffStatus.WILLING_TO_HIRE:
        return Judgement(
            label, Verdict.CONDITIONAL, _("No %(role)s yet; willing to hire one if selected.") % {"role": label.lower()}
        )
    return Judgement(label, Verdict.NOT_MET, _("No %(role)s and not willing to hire one.") % {"role": label.lower()})


def hr_officer(eoi, t: Thresholds) -> Judgement:
    return _staff(_("Human resource officer"), eoi.hr_officer)


def compliance_officer(eoi, t: Thresholds) -> Judgement:
    return _staff(_("Compliance officer"), eoi.compliance_officer)


def industrial_engineer(eoi, t: Thresholds) -> Judgement:
    return _staff(_("Industrial engineer"), eoi.industrial_engineer)


def decision_maker(eoi, t: Thresholds) -> Judgement:
    label = _("CEO or decision-maker available for the workshops")
    if eoi.ceo_available:
        return Judgement(label, Verdict.MET, _("The CEO will attend the workshops."))
    nominee = ", ".join(part for part in (eoi.nominee_name, eoi.nominee_position) if part)
    if not nominee:
        return Judgement(label, Verdict.NOT_MET, _("The CEO is not available and no nominee is named."))
    if eoi.nominee_has_authority:
        return Judgement(
            label, Verdict.MET, _("Nominee %(nominee)s has direct decision-making authority.") % {"nominee": nominee}
        )
    return Judgement(
        label, Verdict.NOT_MET, _("Nominee %(nominee)s has no direct decision-making authority.") % {"nominee": nominee}
    )


# ---------------------------------------------------------------- the catalogue
@dataclass(frozen=True)
class Criterion:
    """One criterion of the catalogue: the code kept with every result, a short name without thresholds
    (the queue's filter, the exports, the reports) and the rule that judges an EOI against it."""

    code: str
    name: str
    judge: Callable[..., Judgement]

    def __call__(self, eoi, thresholds: Thresholds) -> CriterionVerdict:
        found = self.judge(eoi, thresholds)
        return CriterionVerdict(self.code, found.label, found.verdict, found.reason)


# In the order they are judged and listed. A code, once stored with results, is never renamed.
CRITERIA = (
    Criterion("sub_sector", gettext_lazy("Targeted sub-sector"), sub_sector),
    Criterion("workforce", gettext_lazy("Minimum workforce"), workforce_size),
    Criterion("permanent_share", gettext_lazy("Minimum permanent share"), permanent_share),
    Criterion("order_status", gettext_lazy("Shares order status"), order_status),
    Criterion("baseline_data", gettext_lazy("Shares baseline data"), baseline_data),
    Criterion("hr_officer", gettext_lazy("Human resource officer"), hr_officer),
    Criterion("compliance_officer", gettext_lazy("Compliance officer"), compliance_officer),
    Criterion("industrial_engineer", gettext_lazy("Industrial engineer"), industrial_engineer),
    Criterion("decision_maker", gettext_lazy("CEO or decision-maker"), decision_maker),
)
CRITERION_CODES = tuple(criterion.code for criterion in CRITERIA)
CRITERION_LABELS = {criterion.code: criterion.name for criterion in CRITERIA}
CRITERION_CHOICES = list(CRITERION_LABELS.items())


def criterion_label(code: str) -> str:
    """The short name of a criterion; the code itself for one no longer in the catalogue."""
    return str(CRITERION_LABELS.get(code, code))


def overall(verdicts: list[CriterionVerdict]) -> str:
    """Any criterion not met makes the EOI ineligible; a conditional one sends it to an officer."""
    kinds = {v.verdict for v in verdicts}
    if Verdict.NOT_MET in kinds:
        return ScreeningOutcome.INELIGIBLE
    if Verdict.CONDITIONAL in kinds:
        return ScreeningOutcome.NEEDS_REVIEW
    return ScreeningOutcome.ELIGIBLE


def screen(eoi, thresholds: Thresholds) -> ScreeningVerdict:
    verdicts = [criterion(eoi, thresholds) for criterion in CRITERIA]
    return ScreeningVerdict(outcome=overall(verdicts), criteria=verdicts)
