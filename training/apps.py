from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self):
        from enterprises.path import evidence

        from . import gates, list_columns, panels  # noqa: F401 - panels registers the consultant's home-page figures

        list_columns.register()
        evidence.register(gates.path_facts)
        evidence.register_demo_step("training.demo.prepare_step")
