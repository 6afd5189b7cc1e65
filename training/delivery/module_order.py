"""The order of modules 2-5 for a Level 2 group, recommended from the group's collective needs.

Plain data in, plain data out, so it is tested on hand-made needs. Each enterprise brings

- its priorities, agreed at the baseline assessment (module numbers, most urgent first): the first of
  four modules earns it 4 points, the second 3, and so on;
- its gaps: per module, the share of that module's practices not yet in place at its latest baseline
  (0 to 1), worth up to GAP_WEIGHT points, so a module with no practice in place weighs as much as a
  first priority.

A module's score is the sum over the group's enterprises. The highest score goes first; ties go to
the module that more enterprises put first, then to the larger mean gap, then to the lower number.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

LEVEL2_MODULES = (2, 3, 4, 5)
GAP_WEIGHT = 4


@dataclass(frozen=True)
class EnterpriseNeeds:
    name: str
    priorities: tuple[int, ...] = ()
    gaps: Mapping[int, float] = field(default_factory=dict)


@dataclass
class ModuleScore:
    module: int
    priority_points: float = 0.0
    gap_points: float = 0.0
    first_priority_of: list[str] = field(default_factory=list)
    gap_shares: list[float] = field(default_factory=list)

    @property
    def total(self) -> float:
        return self.priority_points + self.gap_points

    @property
    def mean_gap(self) -> float | None:
        return sum(self.gap_shares) / len(self.gap_shares) if self.gap_shares else None

    @property
    def mean_gap_pct(self) -> int | None:
        mean = self.mean_gap
        return None if mean is None else int(Decimal(mean * 100).quantize(Decimal(1), ROUND_HALF_UP))

    def reason(self) -> str:
        parts = []
        if self.first_priority_of:
            parts.append(
                ngettext(
                    "first priority of %(count)d enterprise (%(names)s)",
                    "first priority of %(count)d enterprises (%(names)s)",
                    len(self.first_priority_of),
                )
                % {"count": len(self.first_priority_of), "names": ", ".join(self.first_priority_of)}
            )
        if self.priority_points:
            parts.append(_("%(points)s priority points") % {"points": _fmt(self.priority_points)})
        if self.gap_shares:
            parts.append(
                ngettext(
                    "on average %(pct)d%% of its practices not yet in place (%(count)d enterprise)",
                    "on average %(pct)d%% of its practices not yet in place (%(count)d enterprises)",
                    len(self.gap_shares),
                )
                % {"pct": self.mean_gap_pct, "count": len(self.gap_shares)}
            )
        if not parts:
            return _("no priority and no baseline practice results for this module")
        return "; ".join(parts)


@dataclass
class Recommendation:
    order: list[int]
    scores: list[ModuleScore]
    has_data: bool

    def explanation(self) -> list[str]:
        if not self.has_data:
            return [_("No baseline priorities or practice results yet: the modules follow their numbers.")]
        return [
            _("%(position)d. Module %(module)d — score %(score)s: %(reason)s.")
            % {"position": position, "module": s.module, "score": _fmt(s.total), "reason": s.reason()}
            for position, s in enumerate(self.scores, start=1)
        ]


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def recommend(needs: Sequence[EnterpriseNeeds], modules: Sequence[int] = LEVEL2_MODULES) -> Recommendation:
    scores = {module: ModuleScore(module) for module in modules}
    has_data = False
    for enterprise in needs:
        ranked = [m for m in dict.fromkeys(enterprise.priorities) if m in scores]
        for rank, module in enumerate(ranked):
            has_data = True
            scores[module].priority_points += len(modules) - rank
            if rank == 0:
                scores[module].first_priority_of.append(enterprise.name)
        for module, share in enterprise.gaps.items():
            if module in scores and share is not None:
                has_data = True
                share = min(1.0, max(0.0, float(share)))
                scores[module].gap_points += share * GAP_WEIGHT
                scores[module].gap_shares.append(share)

    def key(score: ModuleScore):
        return (-round(score.total, 6), -len(score.first_priority_of), -(score.mean_gap or 0.0), score.module)

    ordered = sorted(scores.values(), key=key)
    return Recommendation(order=[s.module for s in ordered], scores=ordered, has_data=has_data)


def _numbers(text: str) -> list[int] | None:
    """The whole numbers typed, separated by commas or spaces; None if anything else was typed."""
    try:
        return [int(part) for part in text.replace(" ", ",").split(",") if part.strip()]
    except ValueError:
        return None


def parse_order(text: str, modules: Sequence[int] = LEVEL2_MODULES) -> list[int] | None:
    """An order typed as "3, 2, 5, 4": each module exactly once, else None."""
    numbers = _numbers(text)
    return numbers if numbers is not None and sorted(numbers) == sorted(modules) else None


def parse_priorities(text: str, modules: Sequence[int] = LEVEL2_MODULES) -> list[int] | None:
    """Priorities typed as "3, 5": known modules, each at most once (not all needed), else None."""
    numbers = _numbers(text)
    if numbers is None or len(set(numbers)) != len(numbers) or any(n not in modules for n in numbers):
        return None
    return numbers
