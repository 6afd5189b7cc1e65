from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reports")

    def ready(self):
        from score_portal import dashboard

        from . import panels  # noqa: F401 - registers the targets figure and the results page's targets section

        # The enterprise's page links to its reports (baseline, progress, business case, letters).
        dashboard.register_enterprise_link(_("Reports"), "reporting:enterprise", order=30)

        # The screening's regret letters are made as PDF here (the enterprises app cannot import us).
        from enterprises.screening import decisions

        from .reports import eoi_letter_pdf

        decisions.register_pdf_renderer(eoi_letter_pdf)
