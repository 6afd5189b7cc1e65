"""A reading of each figure of the programme report's summary, written from its numbers: one short
paragraph a reader at the ILO takes in without the table. Plain functions of the gathered data."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from baseline import formatting, rules


def _share(part, whole) -> str:
    return formatting.percent(rules.share(part, whole)) if whole else formatting.DASH


def reach(figures: dict) -> str:
    """Enterprises reached and the workers they employ."""
    if not figures["enterprises"]:
        return _("No enterprise has been accepted into Level 1 yet, so SCORE reaches no worker so far.")
    return ngettext(
        "SCORE reaches %(n)s enterprise, accepted into Level 1 or beyond, which employs %(workers)s workers: "
        "%(women)s women (%(share)s) and %(men)s men.",
        "SCORE reaches %(n)s enterprises, accepted into Level 1 or beyond, which employ %(workers)s workers: "
        "%(women)s women (%(share)s) and %(men)s men.",
        figures["enterprises"],
    ) % {
        "n": formatting.count(figures["enterprises"]),
        "workers": formatting.count(figures["workers"]),
        "women": formatting.count(figures["women"]),
        "men": formatting.count(figures["men"]),
        "share": _share(figures["women"], figures["women"] + figures["men"]),
    }


def participants(attendance: dict | None) -> str:
    """Who took part in the training, by sex and role, and how often they came."""
    if not attendance:
        return _("No training participant is recorded yet.")
    people = attendance["people"]
    roles = "; ".join(
        _("%(role)s: %(women)s women and %(men)s men")
        % {"role": str(row["level"]).lower() + "s", "women": row["women"], "men": row["men"]}
        for row in people["rows"]
        if row["total"]
    )
    text = _(
        "%(n)s participants took part in the training, %(women)s of them women (%(share)s); %(roles)s "
        "(counted once per workshop)."
    ) % {
        "n": formatting.count(people["total"]),
        "women": formatting.count(people["women"]),
        "share": _share(people["women"], people["total"]),
        "roles": roles,
    }
    if attendance["recorded"]:
        text += " " + _("They were present at %(present)s of the %(recorded)s session places recorded (%(rate)s).") % {
            "present": formatting.count(attendance["attended"]),
            "recorded": formatting.count(attendance["recorded"]),
            "rate": _share(attendance["attended"], attendance["recorded"]),
        }
    return text


def improving(kpis: dict | None) -> str:
    """Where the most and the fewest enterprises improved, with the median changes."""
    if not kpis:
        return _("No enterprise has been measured at a baseline and again later yet.")
    shown = [a for a in kpis["headline"] if a.improving_pct is not None and a.version.direction != rules.NEUTRAL]
    text = ngettext(
        "%(n)s enterprise has been measured at a baseline and again later.",
        "%(n)s enterprises have been measured at a baseline and again later.",
        kpis["enterprises"],
    ) % {"n": formatting.count(kpis["enterprises"])}
    if not shown:
        return (
            text
            + " "
            + _(
                "No KPI has enough enterprises measured to be shown yet (at least %(n)s, to keep each one's data "
                "confidential)."
            )
            % {"n": rules.MIN_GROUP}
        )
    best = max(shown, key=lambda a: (a.improving_pct, -a.indicator.pk))
    worst = min(shown, key=lambda a: (a.improving_pct, a.indicator.pk))
    text += " " + _(
        "The most improved KPI is %(name)s: %(pct)s of %(n)s enterprises improved it, with a median change of "
        "%(change)s (%(relative)s of the baseline)."
    ) % {
        "name": str(best.indicator).lower(),
        "pct": formatting.percent(best.improving_pct),
        "n": best.judged,
        "change": formatting.change(best.median_change, best.version),
        "relative": formatting.median_relative(best.median_change_pct),
    }
    if worst is not best:
        text += " " + _("The fewest improved %(name)s (%(pct)s).") % {
            "name": str(worst.indicator).lower(),
            "pct": formatting.percent(worst.improving_pct),
        }
    at_best = [a for a in shown if a.at_best]
    if at_best:
        most = max(at_best, key=lambda a: a.at_best)
        text += " " + _("On %(name)s, %(pct)s were already at the best value and could not improve.") % {
            "name": str(most.indicator).lower(),
            "pct": formatting.percent(most.at_best_pct),
        }
    return text


def targets(items: list) -> str:
    """How many targets are on track, and which are not."""
    if not items:
        return _("No programme target is set for these calls yet.")
    good = [item for item in items if item.verdict.on_track]
    text = _("%(good)s of %(n)s targets are achieved or on track.") % {"good": len(good), "n": len(items)}
    behind = [item for item in items if not item.verdict.on_track]
    if behind:
        text += " " + _("Not on track: %(list)s.") % {
            "list": "; ".join(f"{item.text} ({item.actual_text}, {item.status_label})" for item in behind)
        }
    return text
