"""Eligibility rules of a call for expression of interest, as plain functions.

Each criterion gives a verdict (met, conditional, not met) and a reason that
quotes the numbers, so an officer or the enterprise can see why. Nothing here
touches the database: the inputs are an EOI-like object and the thresholds.
"""

from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

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


def _percent(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def _share_text(threshold: Decimal) -> str:
    # "25%" rather than "25.00%" when the threshold is whole.
    return f"{threshold.normalize():f}%"


def sub_sector(eoi, t: Thresholds) -> CriterionVerdict:
    label = _("Targeted sub-sector")
    names = dict(SubSector.choices)
    name = str(names.get(eoi.sub_sector, eoi.sub_sector))
    if eoi.sub_sector == SubSector.OTHER and eoi.sub_sector_other:
        name = f"{name} ({eoi.sub_sector_other})"
    if eoi.sub_sector in t.sub_sectors:
        return CriterionVerdict(
            "sub_sector", label, Verdict.MET, _("%(name)s is targeted by this call.") % {"name": name}
        )
    return CriterionVerdict(
        "sub_sector", label, Verdict.NOT_MET, _("%(name)s is not a sub-sector targeted by this call.") % {"name": name}
    )


def workforce_size(eoi, t: Thresholds) -> CriterionVerdict:
    label = _("Workforce of %(min)s or more") % {"min": t.min_workforce}
    values = {"total": eoi.workforce_total, "min": t.min_workforce}
    if eoi.workforce_total >= t.min_workforce:
        return CriterionVerdict(
            "workforce", label, Verdict.MET, _("Workforce %(total)s, at least the minimum of %(min)s.") % values
        )
    return CriterionVerdict(
        "workforce", label, Verdict.NOT_MET, _("Workforce %(total)s, below the minimum of %(min)s.") % values
    )


def permanent_share(eoi, t: Thresholds) -> CriterionVerdict:
    label = _("At least %(share)s permanent workforce") % {"share": _share_text(t.min_permanent_share)}
    if not eoi.workforce_total:
        return CriterionVerdict(
            "permanent_share",
            label,
            Verdict.NOT_MET,
            _("No workforce reported, so no permanent share can be computed."),
        )
    # Compare exact fractions so that 25.0% against a 25% minimum is never lost to rounding.
    share = Decimal(eoi.workforce_permanent) * 100 / Decimal(eoi.workforce_total)
    values = {
        "permanent": eoi.workforce_permanent,
        "total": eoi.workforce_total,
        "share": _percent(share),
        "min": _share_text(t.min_permanent_share),
    }
    if share >= t.min_permanent_share:
        return CriterionVerdict(
            "permanent_share",
            label,
            Verdict.MET,
            _("Permanent workforce %(permanent)s of %(total)s = %(share)s, at least the %(min)s minimum.") % values,
        )
    return CriterionVerdict(
        "permanent_share",
        label,
        Verdict.NOT_MET,
        _("Permanent workforce %(permanent)s of %(total)s = %(share)s, below the %(min)s minimum.") % values,
    )


def order_status(eoi, t: Thresholds) -> CriterionVerdict:
    label = _("Shares order status for 12 months")
    if eoi.shares_order_status:
        return CriterionVerdict(
            "order_status", label, Verdict.MET, _("Willing to share confirmed and pipeline orders for 12 months.")
        )
    return CriterionVerdict("order_status", label, Verdict.NOT_MET, _("Not willing to share order status."))


def baseline_data(eoi, t: Thresholds) -> CriterionVerdict:
    label = _("Shares baseline data")
    if eoi.shares_baseline_data:
        return CriterionVerdict(
            "baseline_data", label, Verdict.MET, _("Willing to share productivity and working-conditions data.")
        )
    return CriterionVerdict("baseline_data", label, Verdict.NOT_MET, _("Not willing to share baseline data."))


def _staff(code: str, label: str, status: str) -> CriterionVerdict:
    if status == StaffStatus.IN_PLACE:
        return CriterionVerdict(code, label, Verdict.MET, _("%(role)s in place.") % {"role": label})
    if status == StaffStatus.WILLING_TO_HIRE:
        return CriterionVerdict(
            code,
            label,
            Verdict.CONDITIONAL,
            _("No %(role)s yet; willing to hire one if selected.") % {"role": label.lower()},
        )
    return CriterionVerdict(
        code, label, Verdict.NOT_MET, _("No %(role)s and not willing to hire one.") % {"role": label.lower()}
    )


def hr_officer(eoi, t: Thresholds) -> CriterionVerdict:
    return _staff("hr_officer", _("Human resource officer"), eoi.hr_officer)


def compliance_officer(eoi, t: Thresholds) -> CriterionVerdict:
    return _staff("compliance_officer", _("Compliance officer"), eoi.compliance_officer)


def industrial_engineer(eoi, t: Thresholds) -> CriterionVerdict:
    return _staff("industrial_engineer", _("Industrial engineer"), eoi.industrial_engineer)


def decision_maker(eoi, t: Thresholds) -> CriterionVerdict:
    label = _("CEO or decision-maker available for the workshops")
    if eoi.ceo_available:
        return CriterionVerdict("decision_maker", label, Verdict.MET, _("The CEO will attend the workshops."))
    nominee = ", ".join(part for part in (eoi.nominee_name, eoi.nominee_position) if part)
    if not nominee:
        return CriterionVerdict(
            "decision_maker", label, Verdict.NOT_MET, _("The CEO is not available and no nominee is named.")
        )
    if eoi.nominee_has_authority:
        return CriterionVerdict(
            "decision_maker",
            label,
            Verdict.MET,
            _("Nominee %(nominee)s has direct decision-making authority.") % {"nominee": nominee},
        )
    return CriterionVerdict(
        "decision_maker",
        label,
        Verdict.NOT_MET,
        _("Nominee %(nominee)s has no direct decision-making authority.") % {"nominee": nominee},
    )


CRITERIA = (
    sub_sector,
    workforce_size,
    permanent_share,
    order_status,
    baseline_data,
    hr_officer,
    compliance_officer,
    industrial_engineer,
    decision_maker,
)

# The codes above, for filters and tests; kept in the order the criteria are judged.
CRITERION_CODES = (
    "sub_sector",
    "workforce",
    "permanent_share",
    "order_status",
    "baseline_data",
    "hr_officer",
    "compliance_officer",
    "industrial_engineer",
    "decision_maker",
)


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
