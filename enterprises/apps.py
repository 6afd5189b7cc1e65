from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Enterprises and expressions of interest")

    def ready(self):
        from . import panels  # noqa: F401 - registers the officer's home-page figures
