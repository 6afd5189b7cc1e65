from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self):
        from . import list_columns, panels  # noqa: F401 - panels registers the consultant's home-page figures

        list_columns.register()
