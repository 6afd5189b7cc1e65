"""The words the training data migrations put in the database (module titles and objectives, the public
holidays' names), marked for translation here so that `makemessages` finds them.

The database keeps them in English, as loaded; pages show them in the reader's language with the
`translated` filter (`{% load translated %}{{ module.title|translated }}`). A title an officer changes
to something else is shown as written.
"""

from django.utils.translation import gettext_noop

MODULE_TEXTS = [
    gettext_noop("Workplace Cooperation – A foundation for business success"),
    gettext_noop("Unite employees around shared targets"),
    gettext_noop("Involve the entire workforce in continuous improvement"),
    gettext_noop("Quality – Managing Continuous Improvement"),
    gettext_noop("Identify customer needs"),
    gettext_noop("Develop quality assurance culture"),
    gettext_noop("Reduce defects systematically"),
    gettext_noop("Productivity Through Cleaner Production"),
    gettext_noop("Save costs and increase efficiency"),
    gettext_noop("Systematically reduce waste & energy usage"),
    gettext_noop("Workforce Management for Cooperation and Business Success"),
    gettext_noop("Develop Human Resource strategies for better recruitment & retention"),
    gettext_noop("Motivate & develop the right people to make staff a competitive advantage"),
    gettext_noop("Safety & Health at Work: A Platform for Productivity"),
    gettext_noop(
        "Eliminate or minimise workplace health & safety risks that lead to injuries, expenses & lower productivity"
    ),
]

HOLIDAY_NAMES = [
    gettext_noop("Kashmir Solidarity Day"),
    gettext_noop("Pakistan Day"),
    gettext_noop("Labour Day"),
    gettext_noop("Youm-e-Takbeer"),
    gettext_noop("Independence Day"),
    gettext_noop("Iqbal Day"),
    gettext_noop("Quaid-e-Azam Day"),
    gettext_noop("Eid ul-Fitr (expected)"),
    gettext_noop("Eid ul-Adha (expected)"),
    gettext_noop("Ashura (expected)"),
    gettext_noop("Eid Milad un-Nabi (expected)"),
]
