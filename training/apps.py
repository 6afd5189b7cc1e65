from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self):
        from enterprises.path import evidence

        from . import gates, panels  # noqa: F401 - panels registers the consultant's home-page figures

        evidence.register(gates.path_facts)
        evidence.register_demo_step("training.demo.prepare_step")
