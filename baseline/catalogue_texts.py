"""The indicator catalogue's words in the reader's language.

The data migrations (0002_catalogue and later) put the indicators' names and units in the database in
English, and officers may edit them (a new version). Pages show a name in the reader's language when the
indicator's stored name is still the catalogue's, looked up by the indicator's code (stable, whatever the
wording); a name an officer changed is shown as written. Units come from a short vocabulary shared by the
KPIs, looked up by the unit as stored. In English every text reads exactly as stored.
"""

from django.utils.translation import gettext, gettext_noop

# code -> the name as the data migrations wrote it (gettext_noop marks it for makemessages)
NAMES = {
    # practices (yes/no)
    "worker_manager_meetings": gettext_noop("Regular worker–manager meetings"),
    "eit_in_place": gettext_noop("Enterprise Improvement Team (EIT) in place"),
    "suggestion_scheme": gettext_noop("Suggestion scheme"),
    "five_s": gettext_noop("5S implemented"),
    "quality_policy": gettext_noop("Quality policy"),
    "defect_tracking": gettext_noop("Defect tracking"),
    "energy_metering": gettext_noop("Energy metering"),
    "hr_policy": gettext_noop("Written HR policy"),
    "grievance_mechanism": gettext_noop("Grievance mechanism"),
    "anti_harassment_policy": gettext_noop("Anti-harassment policy"),
    "osh_policy": gettext_noop("Written OSH policy"),
    "osh_committee": gettext_noop("OSH committee"),
    "fire_drills": gettext_noop("Fire drills"),
    # key performance indicators
    "defect_rate": gettext_noop("Defect rate"),
    "accident_frequency": gettext_noop("Accident frequency"),
    "labour_turnover": gettext_noop("Labour turnover"),
    "absenteeism": gettext_noop("Absenteeism"),
    "overtime_per_worker": gettext_noop("Overtime hours per worker"),
    "productivity": gettext_noop("Productivity"),
    "energy_per_unit": gettext_noop("Energy per unit of output"),
    "waste_per_unit": gettext_noop("Waste per unit of output"),
    "suggestions_per_100": gettext_noop("Suggestions per 100 workers"),
    "workforce_workers": gettext_noop("Workforce: workers"),
    "workforce_supervisors": gettext_noop("Workforce: supervisors"),
    "workforce_managers": gettext_noop("Workforce: managers"),
    "women_supervisors_share": gettext_noop("Women among supervisors"),
}

# The KPIs' units as the data migrations wrote them. A unit that starts with "%" keeps the "%" first in
# every language: the formatting puts the number before it ("3.5% per month") and the rest after.
UNITS = {
    "%": "%",
    "% per month": gettext_noop("% per month"),
    "per 200,000 hours": gettext_noop("per 200,000 hours"),
    "hours per month": gettext_noop("hours per month"),
    "units per worker-hour": gettext_noop("units per worker-hour"),
    "kWh per unit": gettext_noop("kWh per unit"),
    "kg per unit": gettext_noop("kg per unit"),
    "per 100 workers per month": gettext_noop("per 100 workers per month"),
    "persons": gettext_noop("persons"),
    "yes/no": gettext_noop("yes/no"),
}


def name(code: str, stored) -> str:
    """The indicator's name in the reader's language, or as stored if an officer changed it."""
    stored = str(stored or "")
    english = NAMES.get(code)
    return gettext(english) if english and stored == english else stored


def unit(stored) -> str:
    stored = str(stored or "")
    english = UNITS.get(stored)
    return gettext(english) if english else stored
