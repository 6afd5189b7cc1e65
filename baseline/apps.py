from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BaselineConfig(AppConfig):
    name = "baseline"
    verbose_name = _("Baseline and impact indicators")

    def ready(self):
        from enterprises.path import evidence
        from score_portal import dashboard

        from . import gates, panels  # noqa: F401 - panels registers the officer's home-page figures

        evidence.register(gates.path_facts)
        evidence.register_demo_step("baseline.demo.prepare_step")

        dashboard.register_enterprise_link(_("Indicators"), "baseline:enterprise_results", order=20)
        dashboard.register_enterprise_link(_("Order book"), "baseline:order_book", order=21)
        dashboard.register_enterprise_link(_("Submissions"), "baseline:submissions", order=22)
